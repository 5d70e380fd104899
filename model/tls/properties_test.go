package tls

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"testing"

	"pgregory.net/rapid"
)

// Property-based tests (pgregory.net/rapid) of the derivations: the two
// roles agree, and every input byte matters.

func bytesN(n int) *rapid.Generator[[]byte] {
	return rapid.SliceOfN(rapid.Byte(), n, n)
}

// flipByte returns a copy of b with one byte XORed with a non-zero mask.
func flipByte(t *rapid.T, b []byte, label string) []byte {
	i := rapid.IntRange(0, len(b)-1).Draw(t, label+" index")
	mask := rapid.ByteRange(1, 255).Draw(t, label+" mask")
	c := bytes.Clone(b)
	c[i] ^= mask
	return c
}

// tls12Handshake is the material of a TLS 1.2 RSA/EMS handshake as drawn
// by the tests: the randoms, the pre_master_secret and the handshake
// messages from ClientHello up to and including ClientKeyExchange.
type tls12Handshake struct {
	clientRandom, serverRandom, preMaster []byte
	messages                              [][]byte
}

func drawTLS12(t *rapid.T) tls12Handshake {
	return tls12Handshake{
		clientRandom: bytesN(RandomLength).Draw(t, "client_random"),
		serverRandom: bytesN(RandomLength).Draw(t, "server_random"),
		preMaster:    bytesN(PreMasterSecretLength).Draw(t, "pre_master_secret"),
		messages:     rapid.SliceOfN(rapid.SliceOfN(rapid.Byte(), 4, 80), 1, 6).Draw(t, "handshake_messages"),
	}
}

// tls12Role is what one peer derives: its connection keys and the
// verify_data of both Finished messages.
type tls12Role struct {
	masterSecret               []byte
	keys                       ConnectionKeys
	clientVerify, serverVerify []byte
}

// clientDerives12 derives as a client does: it hashes the transcript
// incrementally, message by message as they are sent and received, and
// takes the client view of the key block.
func clientDerives12(h tls12Handshake, suite CipherSuite) tls12Role {
	running := sha256.New()
	for _, m := range h.messages {
		running.Write(m)
	}
	ms := ExtendedMasterSecret(h.preMaster, running.Sum(nil))
	finishedHash := running.Sum(nil) // no CertificateVerify: same messages
	return tls12Role{
		masterSecret: ms,
		keys:         KeysFromMasterSecret(ms, h.clientRandom, h.serverRandom, suite).ClientKeys(),
		clientVerify: ClientFinishedVerifyData(ms, finishedHash),
		serverVerify: ServerFinishedVerifyData(ms, finishedHash),
	}
}

// serverDerives12 derives as a server does, from SessionHash over the
// messages it kept, and takes the server view of the key block.
func serverDerives12(h tls12Handshake, suite CipherSuite) tls12Role {
	sessionHash := SessionHash(h.messages...)
	ms := ExtendedMasterSecret(h.preMaster, sessionHash)
	return tls12Role{
		masterSecret: ms,
		keys:         KeysFromMasterSecret(ms, h.clientRandom, h.serverRandom, suite).ServerKeys(),
		clientVerify: FinishedVerifyData12(ms, LabelClientFinished, TranscriptHash(h.messages...)),
		serverVerify: FinishedVerifyData12(ms, LabelServerFinished, TranscriptHash(h.messages...)),
	}
}

var tls12Suites = []CipherSuite{
	TLS_RSA_WITH_AES_128_GCM_SHA256,
	TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	TLS_RSA_WITH_AES_128_CBC_SHA256,
}

// TestClientAndServerKeysAgree_RFC5246_6_3: what the client writes with is
// what the server reads with and vice versa, the sizes are the suite's,
// the two directions use different keys, and a record the client seals
// with AES-128-GCM (RFC 5288 §3) the server opens.
func TestClientAndServerKeysAgree_RFC5246_6_3(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := drawTLS12(t)
		suite := rapid.SampledFrom(tls12Suites).Draw(t, "suite")
		c, s := clientDerives12(h, suite), serverDerives12(h, suite)
		if !bytes.Equal(c.masterSecret, s.masterSecret) || len(c.masterSecret) != MasterSecretLength {
			t.Fatalf("master secrets differ or wrong length: %x %x", c.masterSecret, s.masterSecret)
		}
		pairs := []struct {
			name       string
			a, b       []byte
			wantLength int
		}{
			{"client write key / server read key", c.keys.WriteKey, s.keys.ReadKey, suite.EncKeyLength},
			{"server write key / client read key", s.keys.WriteKey, c.keys.ReadKey, suite.EncKeyLength},
			{"client write IV / server read IV", c.keys.WriteIV, s.keys.ReadIV, suite.FixedIVLength},
			{"server write IV / client read IV", s.keys.WriteIV, c.keys.ReadIV, suite.FixedIVLength},
			{"client write MAC key / server read MAC key", c.keys.WriteMACKey, s.keys.ReadMACKey, suite.MACKeyLength},
			{"server write MAC key / client read MAC key", s.keys.WriteMACKey, c.keys.ReadMACKey, suite.MACKeyLength},
			{"client Finished", c.clientVerify, s.clientVerify, VerifyDataLength},
			{"server Finished", c.serverVerify, s.serverVerify, VerifyDataLength},
		}
		for _, p := range pairs {
			if !bytes.Equal(p.a, p.b) || len(p.a) != p.wantLength {
				t.Fatalf("%s: %x vs %x, want equal and %d bytes", p.name, p.a, p.b, p.wantLength)
			}
		}
		if bytes.Equal(c.keys.WriteKey, c.keys.ReadKey) || bytes.Equal(c.clientVerify, c.serverVerify) {
			t.Fatalf("the two directions share keys or verify_data")
		}
		if suite.ID == TLS_RSA_WITH_AES_128_GCM_SHA256.ID {
			plaintext := rapid.SliceOfN(rapid.Byte(), 0, 64).Draw(t, "plaintext")
			explicit := bytesN(8).Draw(t, "nonce_explicit")
			sealed := gcm(t, c.keys.WriteKey).Seal(nil, append(bytes.Clone(c.keys.WriteIV), explicit...), plaintext, nil)
			opened, err := gcm(t, s.keys.ReadKey).Open(nil, append(bytes.Clone(s.keys.ReadIV), explicit...), sealed, nil)
			if err != nil || !bytes.Equal(opened, plaintext) {
				t.Fatalf("server could not open the client's record: %v", err)
			}
		}
	})
}

func gcm(t *rapid.T, key []byte) cipher.AEAD {
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	return aead
}

// keyBlockParts lists the non-empty parts of a key block.
func keyBlockParts(kb KeyBlock) map[string][]byte {
	parts := map[string][]byte{}
	for name, b := range map[string][]byte{
		"client_write_MAC_key": kb.ClientWriteMACKey, "server_write_MAC_key": kb.ServerWriteMACKey,
		"client_write_key": kb.ClientWriteKey, "server_write_key": kb.ServerWriteKey,
		"client_write_IV": kb.ClientWriteIV, "server_write_IV": kb.ServerWriteIV,
	} {
		if len(b) > 0 {
			parts[name] = b
		}
	}
	return parts
}

// TestEveryInputByteChangesMasterSecretAndKeys_RFC5246_8_1: flipping any
// single byte of the pre_master_secret or of either random changes the
// master secret (RFC 5246 §8.1) and every key block part (§6.3); flipping
// any byte of the pre_master_secret or of any handshake message before
// ClientKeyExchange's end changes the extended master secret (RFC 7627 §4).
func TestEveryInputByteChangesMasterSecretAndKeys_RFC5246_8_1(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := drawTLS12(t)
		suite := rapid.SampledFrom(tls12Suites).Draw(t, "suite")
		which := rapid.SampledFrom([]string{"pre_master_secret", "client_random", "server_random"}).Draw(t, "input")
		pm, cr, sr := h.preMaster, h.clientRandom, h.serverRandom
		switch which {
		case "pre_master_secret":
			pm = flipByte(t, pm, which)
		case "client_random":
			cr = flipByte(t, cr, which)
		case "server_random":
			sr = flipByte(t, sr, which)
		}
		ms, ms2 := MasterSecret(h.preMaster, h.clientRandom, h.serverRandom), MasterSecret(pm, cr, sr)
		if bytes.Equal(ms, ms2) {
			t.Fatalf("flipping a byte of %s left the master secret unchanged", which)
		}
		before := keyBlockParts(KeysFromMasterSecret(ms, h.clientRandom, h.serverRandom, suite))
		after := keyBlockParts(KeysFromMasterSecret(ms2, cr, sr, suite))
		for name, b := range before {
			if bytes.Equal(b, after[name]) {
				t.Fatalf("flipping a byte of %s left %s unchanged", which, name)
			}
		}
		// With the master secret fixed, the randoms alone still change the
		// key block (they are its seed).
		if which != "pre_master_secret" {
			same := keyBlockParts(KeysFromMasterSecret(ms, cr, sr, suite))
			for name, b := range before {
				if bytes.Equal(b, same[name]) {
					t.Fatalf("flipping a byte of %s left %s unchanged under the same master secret", which, name)
				}
			}
		}

		ems := ExtendedMasterSecret(h.preMaster, SessionHash(h.messages...))
		msgs := make([][]byte, len(h.messages))
		copy(msgs, h.messages)
		pm2 := h.preMaster
		if rapid.Bool().Draw(t, "flip a handshake message (else pre_master_secret)") {
			i := rapid.IntRange(0, len(msgs)-1).Draw(t, "message")
			msgs[i] = flipByte(t, msgs[i], "message")
		} else {
			pm2 = flipByte(t, pm2, "pre_master_secret")
		}
		if bytes.Equal(ems, ExtendedMasterSecret(pm2, SessionHash(msgs...))) {
			t.Fatalf("flipping one input byte left the extended master secret unchanged")
		}
	})
}

// tls13Handshake is a drawn TLS 1.3 1-RTT handshake: both X25519 private
// keys and the seven handshake messages ClientHello, ServerHello,
// EncryptedExtensions, Certificate, CertificateVerify, server Finished,
// client Finished (their contents are random; only their bytes matter).
type tls13Handshake struct {
	clientPrivate, serverPrivate []byte
	messages                     [7][]byte
}

const (
	msgClientHello = iota
	msgServerHello
	msgEncryptedExtensions
	msgCertificate
	msgCertificateVerify
	msgServerFinished
	msgClientFinished
)

func drawTLS13(t *rapid.T) tls13Handshake {
	var h tls13Handshake
	h.clientPrivate = bytesN(32).Draw(t, "client X25519 private key")
	h.serverPrivate = bytesN(32).Draw(t, "server X25519 private key")
	for i := range h.messages {
		h.messages[i] = rapid.SliceOfN(rapid.Byte(), 4, 80).Draw(t, "message")
	}
	return h
}

func transcriptOf(m [7][]byte) HandshakeTranscript {
	return HandshakeTranscript{
		ServerHello:    TranscriptHash(m[:msgServerHello+1]...),
		ServerFinished: TranscriptHash(m[:msgServerFinished+1]...),
		ClientFinished: TranscriptHash(m[:msgClientFinished+1]...),
	}
}

// secretsOf lists a key schedule's secrets by RFC 8446 §7.1 name.
func secretsOf(ks KeySchedule) map[string][]byte {
	return map[string][]byte{
		"early_secret":                      ks.EarlySecret,
		"derived (early)":                   ks.DerivedForHandshake,
		"handshake_secret":                  ks.HandshakeSecret,
		"client_handshake_traffic_secret":   ks.ClientHandshakeTrafficSecret,
		"server_handshake_traffic_secret":   ks.ServerHandshakeTrafficSecret,
		"derived (handshake)":               ks.DerivedForMaster,
		"master_secret":                     ks.MasterSecret,
		"client_application_traffic_secret": ks.ClientApplicationTrafficSecret0,
		"server_application_traffic_secret": ks.ServerApplicationTrafficSecret0,
		"exporter_master_secret":            ks.ExporterMasterSecret,
		"resumption_master_secret":          ks.ResumptionMasterSecret,
	}
}

// lastMessageCovered is, for each secret derived with a transcript
// (RFC 8446 §7.1), the last message its context covers.
var lastMessageCovered = map[string]int{
	"client_handshake_traffic_secret":   msgServerHello,
	"server_handshake_traffic_secret":   msgServerHello,
	"client_application_traffic_secret": msgServerFinished,
	"server_application_traffic_secret": msgServerFinished,
	"exporter_master_secret":            msgServerFinished,
	"resumption_master_secret":          msgClientFinished,
}

// TestTLS13ClientAndServerAgree_RFC8446_7_1: each side computes the X25519
// shared secret from its own private key and the other's public key
// (RFC 8446 §7.4.2); the key schedules agree, and each side's write keys
// (§7.3) are the other's read keys.
func TestTLS13ClientAndServerAgree_RFC8446_7_1(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := drawTLS13(t)
		clientPub, err := X25519PublicKey(h.clientPrivate)
		if err != nil {
			t.Fatal(err)
		}
		serverPub, err := X25519PublicKey(h.serverPrivate)
		if err != nil {
			t.Fatal(err)
		}
		clientShared, err := X25519SharedSecret(h.clientPrivate, serverPub)
		if err != nil {
			t.Fatal(err)
		}
		serverShared, err := X25519SharedSecret(h.serverPrivate, clientPub)
		if err != nil {
			t.Fatal(err)
		}
		tr := transcriptOf(h.messages)
		client, server := DeriveKeySchedule(nil, clientShared, tr), DeriveKeySchedule(nil, serverShared, tr)
		cs, ss := secretsOf(client), secretsOf(server)
		for name := range cs {
			if !bytes.Equal(cs[name], ss[name]) || len(cs[name]) != HashLength {
				t.Fatalf("%s: client %x, server %x", name, cs[name], ss[name])
			}
		}
		// Step by step (EarlySecret, HandshakeSecret, MasterSecretTLS13)
		// gives the same secrets as DeriveKeySchedule.
		hs := HandshakeSecret(EarlySecret(nil), clientShared)
		if !bytes.Equal(hs, client.HandshakeSecret) || !bytes.Equal(MasterSecretTLS13(hs), client.MasterSecret) {
			t.Fatalf("step-by-step derivation differs from DeriveKeySchedule")
		}
		// The client writes handshake records with client_handshake keys,
		// which the server reads with; likewise for application data.
		for _, dir := range []struct {
			name             string
			writer, reader   []byte
			otherWriteSecret []byte
		}{
			{"client handshake", client.ClientHandshakeTrafficSecret, server.ClientHandshakeTrafficSecret, server.ServerHandshakeTrafficSecret},
			{"server handshake", server.ServerHandshakeTrafficSecret, client.ServerHandshakeTrafficSecret, client.ClientHandshakeTrafficSecret},
			{"client application", client.ClientApplicationTrafficSecret0, server.ClientApplicationTrafficSecret0, server.ServerApplicationTrafficSecret0},
			{"server application", server.ServerApplicationTrafficSecret0, client.ServerApplicationTrafficSecret0, client.ClientApplicationTrafficSecret0},
		} {
			w, r, o := AES128GCMTrafficKeys(dir.writer), AES128GCMTrafficKeys(dir.reader), AES128GCMTrafficKeys(dir.otherWriteSecret)
			if !bytes.Equal(w.Key, r.Key) || !bytes.Equal(w.IV, r.IV) {
				t.Fatalf("%s: write key/IV %x/%x, read key/IV %x/%x", dir.name, w.Key, w.IV, r.Key, r.IV)
			}
			if bytes.Equal(w.Key, o.Key) || bytes.Equal(w.IV, o.IV) {
				t.Fatalf("%s: both directions share a key or IV", dir.name)
			}
			seq := rapid.Uint64().Draw(t, "seq")
			plaintext := rapid.SliceOfN(rapid.Byte(), 0, 64).Draw(t, "plaintext")
			sealed := gcm(t, w.Key).Seal(nil, PerRecordNonce(w.IV, seq), plaintext, nil)
			if opened, err := gcm(t, r.Key).Open(nil, PerRecordNonce(r.IV, seq), sealed, nil); err != nil || !bytes.Equal(opened, plaintext) {
				t.Fatalf("%s: reader could not open record %d: %v", dir.name, seq, err)
			}
		}
		// Finished (RFC 8446 §4.4.4): what the server sends, the client
		// recomputes, and the two Finished differ.
		sf := FinishedVerifyData13(server.ServerHandshakeTrafficSecret, TranscriptHash(h.messages[:msgCertificateVerify+1]...))
		if !bytes.Equal(sf, FinishedVerifyData13(client.ServerHandshakeTrafficSecret, TranscriptHash(h.messages[:msgCertificateVerify+1]...))) {
			t.Fatalf("server Finished verify_data differs between the roles")
		}
		if bytes.Equal(sf, FinishedVerifyData13(client.ClientHandshakeTrafficSecret, TranscriptHash(h.messages[:msgCertificateVerify+1]...))) {
			t.Fatalf("client and server finished keys coincide")
		}
	})
}

// TestTLS13EveryInputByteChangesTrafficSecrets_RFC8446_7_1: flipping any
// byte of the (EC)DHE shared secret changes every secret from the
// handshake secret on; flipping any byte of handshake message i changes
// exactly the secrets whose transcript context covers message i, and
// their traffic keys and IVs (RFC 8446 §7.3).
func TestTLS13EveryInputByteChangesTrafficSecrets_RFC8446_7_1(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := drawTLS13(t)
		shared := bytesN(32).Draw(t, "shared secret")
		before := secretsOf(DeriveKeySchedule(nil, shared, transcriptOf(h.messages)))

		if rapid.Bool().Draw(t, "flip the shared secret (else a message)") {
			after := secretsOf(DeriveKeySchedule(nil, flipByte(t, shared, "shared secret"), transcriptOf(h.messages)))
			for name, b := range before {
				unchanged := bytes.Equal(b, after[name])
				independent := name == "early_secret" || name == "derived (early)"
				if unchanged != independent {
					t.Fatalf("flipping the shared secret: %s unchanged=%v, want %v", name, unchanged, independent)
				}
			}
			return
		}
		i := rapid.IntRange(msgClientHello, msgClientFinished).Draw(t, "message")
		msgs := h.messages
		msgs[i] = flipByte(t, msgs[i], "message byte")
		after := secretsOf(DeriveKeySchedule(nil, shared, transcriptOf(msgs)))
		for name, b := range before {
			last, derivedFromTranscript := lastMessageCovered[name]
			wantChange := derivedFromTranscript && i <= last
			changed := !bytes.Equal(b, after[name])
			if changed != wantChange {
				t.Fatalf("flipping message %d: %s changed=%v, want %v", i, name, changed, wantChange)
			}
			if changed && name != "exporter_master_secret" && name != "resumption_master_secret" {
				k1, k2 := AES128GCMTrafficKeys(b), AES128GCMTrafficKeys(after[name])
				if bytes.Equal(k1.Key, k2.Key) || bytes.Equal(k1.IV, k2.IV) {
					t.Fatalf("flipping message %d: %s keys unchanged", i, name)
				}
			}
		}
	})
}
