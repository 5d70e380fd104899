package tlsmodel

import (
	"reflect"
	"testing"

	"github.com/handshake/handshake/checker"
)

// TestStateHasNoPadding: the engine hashes states by their bytes.
func TestStateHasNoPadding(t *testing.T) {
	var sum uintptr
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		switch ty.Kind() {
		case reflect.Struct:
			for i := 0; i < ty.NumField(); i++ {
				walk(ty.Field(i).Type)
			}
		case reflect.Array:
			for i := 0; i < ty.Len(); i++ {
				walk(ty.Elem())
			}
		default:
			sum += ty.Size()
		}
	}
	ty := reflect.TypeOf(State{})
	walk(ty)
	if sum != ty.Size() {
		t.Fatalf("State is %d bytes, its fields %d", ty.Size(), sum)
	}
	if NumTerms > 32*KnowWords {
		t.Fatalf("%d terms do not fit %d words", NumTerms, KnowWords)
	}
}

// find returns the enabled action of kind k for session n whose decoded
// message satisfies ok, failing the test if there is none.
func find(t *testing.T, c *Config, s State, k Kind, n int, ok func(a, b Term, x, y uint8) bool) checker.Action {
	t.Helper()
	for _, a := range c.Actions(s, nil) {
		ak, an, ta, tb, x, y := Decode(a)
		if ak == k && an == n && ok(ta, tb, x, y) {
			return a
		}
	}
	t.Fatalf("no enabled action of kind %d for session %d matching; enabled: %v", k, n, labels(c, s))
	return 0
}

func has(c *Config, s State, k Kind, n int, ok func(a, b Term, x, y uint8) bool) bool {
	for _, a := range c.Actions(s, nil) {
		ak, an, ta, tb, x, y := Decode(a)
		if ak == k && an == n && ok(ta, tb, x, y) {
			return true
		}
	}
	return false
}

func labels(c *Config, s State) []string {
	var out []string
	for _, a := range c.Actions(s, nil) {
		out = append(out, c.Label(s, a))
	}
	return out
}

func anyMsg(a, b Term, x, y uint8) bool { return true }

// honestRun drives client 0 and server 0 through an unaltered handshake
// (the attacker forwards everything) and returns the final state.
func honestRun(t *testing.T, c *Config) State {
	t.Helper()
	s := c.Init()
	s = c.Next(s, find(t, c, s, SendClientHello, 0, anyMsg))
	s = c.Next(s, find(t, c, s, RecvClientHello, 0, func(cr, y Term, offer, _ uint8) bool {
		return cr == ClientRandom(0) && offer == OfferBoth && (c.Protocol != TLS13 || y == ClientShare(0))
	}))
	s = c.Next(s, find(t, c, s, RecvServerFlight, 0, func(sr, y Term, suite, cert uint8) bool {
		return sr == c.ServerRandom(0) && suite == s.S[0].Suite && cert == IdServer && (c.Protocol == TLS12RSA || y == c.ServerShare(0, SuiteStrong))
	}))
	s = c.Next(s, find(t, c, s, RecvClientFlight, 0, func(kx, _ Term, _, _ uint8) bool { return kx == c.clientKX(0) }))
	if c.Protocol != TLS13 {
		s = c.Next(s, find(t, c, s, RecvServerFinished, 0, anyMsg))
	}
	return s
}

// TestHonestHandshakesComplete_RFC5246_7_3_RFC8446_2: with the attacker
// forwarding, both sides reach CONNECTED on the strong suite with the same
// key, which the attacker does not know.
func TestHonestHandshakesComplete_RFC5246_7_3_RFC8446_2(t *testing.T) {
	for _, p := range []Protocol{TLS12RSA, TLS12ECDHE, TLS13} {
		t.Run(p.String(), func(t *testing.T) {
			c := DefaultConfig()
			c.Protocol = p
			s := honestRun(t, &c)
			if s.C[0].Phase != ClientConnected || s.S[0].Phase != ServerConnected {
				t.Fatalf("not both CONNECTED:\n%s", c.Format(s))
			}
			if ck, sk := c.ClientKey(&s, 0), c.ServerKey(&s, 0); ck != sk {
				t.Errorf("keys differ: client %v, server %v", ck, sk)
			}
			if c.ClientKey(&s, 0).KnownBy(&s.Know) {
				t.Errorf("attacker knows the key %v", c.ClientKey(&s, 0))
			}
			if s.C[0].Suite != SuiteStrong {
				t.Errorf("suite %s", SuiteName(s.C[0].Suite))
			}
			for _, claim := range []func(State) bool{c.MatchingKeys, c.Secrecy, c.Agreement, c.InjectiveAgreement, c.NoDowngrade, c.HandshakeCompletes,
				c.ServerSecrecy, c.ServerAgreement, c.ServerNoDowngrade, c.NoUnknownKeyShare, c.ForwardSecrecy} {
				if !claim(s) {
					t.Errorf("a claim fails after an honest run:\n%s", c.Format(s))
				}
			}
		})
	}
}

// TestAttackerDecryptsOnlyWithItsOwnKey_RFC5246_7_4_7_1: learning
// {pms}pk(E) yields pms; {pms}pk(S) yields nothing.
func TestAttackerDecryptsOnlyWithItsOwnKey_RFC5246_7_4_7_1(t *testing.T) {
	var k Knowledge
	k.Learn(Enc(IdServer, ClientPMS(0)))
	if k.Has(ClientPMS(0)) {
		t.Errorf("decrypted a ciphertext under the server's key")
	}
	if !k.CanEncrypt(IdServer, ClientPMS(0)) || k.CanEncrypt(IdServer, ClientPMS(1)) {
		t.Errorf("CanEncrypt: replay of a seen ciphertext only")
	}
	k.Learn(Enc(IdAttacker, ClientPMS(1)))
	if !k.Has(ClientPMS(1)) {
		t.Errorf("did not decrypt a ciphertext under its own key")
	}
	if !k.CanEncrypt(IdServer, ClientPMS(1)) {
		t.Errorf("cannot re-encrypt a pre_master_secret it knows")
	}
}

// TestServerRandomStopsClientKeyExchangeReplay_RFC5246_7_4_9: after an
// honest run, a second server session given the same ClientHello does not
// accept the recorded ClientKeyExchange and Finished (its server_random
// differs, so the Finished does not verify); with a constant
// server_random it does.
func TestServerRandomStopsClientKeyExchangeReplay_RFC5246_7_4_9(t *testing.T) {
	for _, constant := range []bool{false, true} {
		c := DefaultConfig()
		c.NoServerRandom = constant
		s := honestRun(t, &c)
		s = c.Next(s, find(t, &c, s, RecvClientHello, 1, func(cr, _ Term, offer, _ uint8) bool {
			return cr == ClientRandom(0) && offer == OfferBoth
		}))
		replay := has(&c, s, RecvClientFlight, 1, func(kx, _ Term, _, _ uint8) bool { return kx == ClientPMS(0) })
		if replay != constant {
			t.Errorf("constant server_random %v: replayed ClientKeyExchange accepted %v", constant, replay)
		}
	}
}

// TestCertificateVerifyBindsTheShare_RFC8446_4_4_3: a TLS 1.3 client does
// not accept the server's certificate with the attacker's share (no
// CertificateVerify of S covers it), but accepts the attacker's own
// certificate with it when it does not check certificates.
func TestCertificateVerifyBindsTheShare_RFC8446_4_4_3(t *testing.T) {
	for _, noCheck := range []bool{false, true} {
		c := DefaultConfig()
		c.Protocol = TLS13
		c.NoCertCheck = noCheck
		s := c.Init()
		s = c.Next(s, find(t, &c, s, SendClientHello, 0, anyMsg))
		s = c.Next(s, find(t, &c, s, RecvClientHello, 0, func(cr, y Term, offer, _ uint8) bool {
			return cr == ClientRandom(0) && offer == OfferBoth && y == ClientShare(0)
		}))
		withS := has(&c, s, RecvServerFlight, 0, func(_, y Term, _, cert uint8) bool { return y == YE && cert == IdServer })
		withE := has(&c, s, RecvServerFlight, 0, func(_, y Term, _, cert uint8) bool { return y == YE && cert == IdAttacker })
		if withS || withE != noCheck {
			t.Errorf("no cert check %v: accepts YE with cert(S) %v, with cert(E) %v", noCheck, withS, withE)
		}
	}
}

// TestActionsAndNextDoNotAllocate: the hot path allocates nothing, in
// every protocol and with every option that adds actions.
func TestActionsAndNextDoNotAllocate(t *testing.T) {
	configs := []Config{
		{Protocol: TLS12RSA, Clients: 2, ClientsToE: 1, Servers: 2, AttackerRandom: true, Compromise: true},
		{Protocol: TLS12ECDHE, Clients: 2, ClientsToE: 1, Servers: 2, AttackerRandom: true, WeakGroup: true},
		{Protocol: TLS13, Clients: 2, Servers: 2, AttackerRandom: true, Mixed: true, WeakGroup: true},
	}
	for _, c := range configs {
		s := c.Init()
		s = c.Next(s, find(t, &c, s, SendClientHello, 0, anyMsg))
		s = c.Next(s, find(t, &c, s, RecvClientHello, 0, anyMsg))
		buf := make([]checker.Action, 0, 256)
		allocs := testing.AllocsPerRun(100, func() {
			buf = c.Actions(s, buf[:0])
			for _, a := range buf {
				_ = c.Next(s, a)
			}
			_ = c.Secrecy(s) && c.MatchingKeys(s) && c.Agreement(s) && c.ServerAgreement(s) && c.ForwardSecrecy(s) &&
				c.NoUnknownKeyShare(s) && c.ServerNoDowngrade(s) && c.InjectiveAgreement(s)
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per run", c.Protocol, allocs)
		}
	}
}

// TestDowngradeSentinel_RFC8446_4_1_3: a client of TLS 1.3 and 1.2 whose
// ClientHello reached the server with 1.3 stripped does not accept the
// server's TLS 1.2 flight, whose server_random carries the sentinel under
// the server's signature; without the sentinel it does.
func TestDowngradeSentinel_RFC8446_4_1_3(t *testing.T) {
	for _, sentinel := range []bool{true, false} {
		c := Config{Protocol: TLS13, Mixed: true, NoSentinel: !sentinel, Clients: 1, Servers: 1, AttackerRandom: true}
		s := c.Init()
		s = c.Next(s, find(t, &c, s, SendClientHello, 0, anyMsg))
		s = c.Next(s, find(t, &c, s, RecvClientHello, 0, func(cr, y Term, offer, vers uint8) bool {
			return cr == ClientRandom(0) && offer == OfferBoth && vers<<2 == OfferTLS12 && y == ClientShare(0)
		}))
		if s.S[0].Proto != TLS12ECDHE {
			t.Fatalf("server chose %s from an offer without 1.3", s.S[0].Proto)
		}
		accepted := false
		for _, a := range c.Actions(s, nil) {
			if k, n, _, _, _, cert := Decode(a); k == RecvServerFlight && n == 0 && cert == IdServer && FlightProtocol(a) == TLS12ECDHE {
				accepted = true
			}
		}
		if accepted == sentinel {
			t.Errorf("sentinel %v: client accepts S's TLS 1.2 flight %v", sentinel, accepted)
		}
	}
}
