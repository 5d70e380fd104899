package tlsmodel

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"testing"

	"pgregory.net/rapid"

	realtls "github.com/handshake/handshake/model/tls"
)

// atoms gives every atom of the universe a byte value: 32-byte randoms,
// 48-byte pre_master_secrets, X25519 private keys (and their public keys)
// for the shares. Values are SHA-256 expansions of a drawn seed, so
// distinct atoms get distinct values.
type atoms struct {
	val  [NumTerms][]byte
	pub  [NumTerms][]byte
	priv [NumTerms][]byte
}

func newAtoms(t interface{ Fatal(args ...any) }, seed uint64) *atoms {
	a := &atoms{}
	expand := func(term Term, n int) []byte {
		var out []byte
		for ctr := byte(0); len(out) < n; ctr++ {
			var in [10]byte
			binary.BigEndian.PutUint64(in[:8], seed)
			in[8], in[9] = byte(term), ctr
			h := sha256.Sum256(in[:])
			out = append(out, h[:]...)
		}
		return out[:n]
	}
	for term := Term(0); int(term) < NumTerms; term++ {
		switch {
		case IsRandom(term):
			a.val[term] = expand(term, realtls.RandomLength)
		case IsPMS(term):
			a.val[term] = expand(term, realtls.PreMasterSecretLength)
		case IsShare(term):
			a.priv[term] = expand(term, 32)
			pub, err := realtls.X25519PublicKey(a.priv[term])
			if err != nil {
				t.Fatal(err)
			}
			a.pub[term] = pub
		}
	}
	return a
}

// session is one party's view of a handshake: the symbolic inputs of its
// key, and whether the server (rather than the client) computes it.
type session struct {
	kx, ys, cr, sr Term
	offer, suite   uint8
	serverSide     bool
}

func drawSession(t *rapid.T, p Protocol, label string) session {
	var s session
	if p == TLS12RSA {
		s.kx = rapid.SampledFrom([]Term{PMS0, PMS0 + 1, PMSE}).Draw(t, label+" pms")
		s.ys = NoTerm
	} else {
		shares := []Term{YC0, YC0 + 1, YS0, YS0 + 1, YE}
		s.kx = rapid.SampledFrom(shares).Draw(t, label+" client share")
		s.ys = rapid.SampledFrom(shares).Draw(t, label+" server share")
		s.serverSide = rapid.Bool().Draw(t, label+" computed by the server")
	}
	randoms := []Term{CR0, CR0 + 1, SR0, SR0 + 1, RandE, SRConst}
	s.cr = rapid.SampledFrom(randoms).Draw(t, label+" client_random")
	s.sr = rapid.SampledFrom(randoms).Draw(t, label+" server_random")
	s.offer = rapid.SampledFrom([]uint8{SuiteStrong, SuiteWeak, OfferBoth}).Draw(t, label+" offer")
	s.suite = rapid.SampledFrom([]uint8{SuiteStrong, SuiteWeak}).Draw(t, label+" suite")
	return s
}

// hello encodes a hello message injectively (type, random, suites, share),
// standing for the real ClientHello/ServerHello bytes in the transcript.
func hello(typ byte, random []byte, suites uint8, share []byte) []byte {
	m := []byte{typ, suites, byte(len(share))}
	m = append(m, random...)
	return append(m, share...)
}

// realKey runs the real derivation of package model/tls for s: the TLS 1.2
// master secret (RFC 5246 §8.1) of the RSA pre_master_secret or of the
// X25519 shared secret, or the TLS 1.3 client handshake traffic secret
// (RFC 8446 §7.1) over the transcript ClientHello..ServerHello.
func realKey(t *rapid.T, p Protocol, a *atoms, s session) []byte {
	if p == TLS12RSA {
		return realtls.MasterSecret(a.val[s.kx], a.val[s.cr], a.val[s.sr])
	}
	// The client computes X25519(its private, server public); the server
	// X25519(its private, client public).
	priv, peer := a.priv[s.kx], a.pub[s.ys]
	if s.serverSide {
		priv, peer = a.priv[s.ys], a.pub[s.kx]
	}
	shared, err := realtls.X25519SharedSecret(priv, peer)
	if err != nil {
		t.Fatal(err)
	}
	if p == TLS12ECDHE {
		return realtls.MasterSecret(shared, a.val[s.cr], a.val[s.sr])
	}
	ch := hello(1, a.val[s.cr], s.offer, a.pub[s.kx])
	sh := hello(2, a.val[s.sr], s.suite, a.pub[s.ys])
	ks := realtls.DeriveKeySchedule(nil, shared, realtls.HandshakeTranscript{ServerHello: realtls.TranscriptHash(ch, sh)})
	return ks.ClientHandshakeTrafficSecret
}

// TestSymbolicAndRealKeysAgree_RFC5246_8_1_RFC8446_7_1: for random byte
// values of the atoms, two sessions' real keys are equal exactly when
// their symbolic key terms are: the symbolic model lets exactly the inputs
// the real derivations use determine the key (for TLS 1.2 the
// pre_master_secret and both randoms, not the suites; for ECDHE the
// Diffie-Hellman value whichever side computes it; for TLS 1.3 the
// Diffie-Hellman value and the whole hello transcript).
func TestSymbolicAndRealKeysAgree_RFC5246_8_1_RFC8446_7_1(t *testing.T) {
	for _, p := range []Protocol{TLS12RSA, TLS12ECDHE, TLS13} {
		t.Run(p.String(), func(t *testing.T) {
			cfg := Config{Protocol: p, Clients: 1, Servers: 1}
			equal, differ := 0, 0
			rapid.Check(t, func(t *rapid.T) {
				a := newAtoms(t, rapid.Uint64().Draw(t, "seed"))
				s1 := drawSession(t, p, "first")
				s2 := s1
				// Often change one input only, to probe each one.
				if rapid.Bool().Draw(t, "draw the second session afresh") {
					s2 = drawSession(t, p, "second")
				} else {
					switch rapid.IntRange(0, 7).Draw(t, "input to change") {
					case 0:
						s2.kx = drawSession(t, p, "second").kx
					case 1:
						s2.ys = drawSession(t, p, "second").ys
					case 2:
						s2.cr = drawSession(t, p, "second").cr
					case 3:
						s2.sr = drawSession(t, p, "second").sr
					case 4:
						s2.offer = drawSession(t, p, "second").offer
					case 5:
						s2.suite = drawSession(t, p, "second").suite
					case 6:
						s2.serverSide = !s2.serverSide
					case 7:
						// The shares swapped: the same Diffie-Hellman
						// value, a different transcript.
						if p != TLS12RSA {
							s2.kx, s2.ys = s2.ys, s2.kx
						}
					}
				}
				k1 := cfg.SessionKey(s1.kx, s1.ys, s1.cr, s1.sr, s1.offer, s1.suite)
				k2 := cfg.SessionKey(s2.kx, s2.ys, s2.cr, s2.sr, s2.offer, s2.suite)
				r1, r2 := realKey(t, p, a, s1), realKey(t, p, a, s2)
				symEq, realEq := k1 == k2, bytes.Equal(r1, r2)
				if symEq != realEq {
					t.Fatalf("symbolic %v vs %v equal=%v, real keys equal=%v", k1, k2, symEq, realEq)
				}
				if symEq {
					equal++
				} else {
					differ++
				}
			})
			// Both outcomes must have been exercised, or the test proves
			// nothing.
			if equal == 0 || differ == 0 {
				t.Fatalf("equal keys %d times, different %d times: want both", equal, differ)
			}
			t.Logf("%s: equal keys in %d cases, different in %d", p, equal, differ)
		})
	}
}
