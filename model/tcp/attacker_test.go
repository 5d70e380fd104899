package tcp

import (
	"strings"
	"testing"
)

// An off-path attacker's forgeries, injected into an ESTABLISHED client
// (RCV.NXT=301, SND.UNA=SND.NXT=101): each draws the answer RFC 9293 and
// RFC 5961 prescribe and leaves the connection as it was.
func TestForgeriesDrawTheirAnswers_RFC5961(t *testing.T) {
	cases := []struct {
		label string
		sent  []string
	}{
		// RFC 5961 §3.2, §3.10.7.4 "second": a RST in the window but not
		// at RCV.NXT draws a challenge ACK.
		{"off-path attacker: forged <SEQ=813><CTL=RST> arrives at the client", []string{"client sends ACK seq=101 ack=301"}},
		// RFC 5961 §4, §3.10.7.4 "fourth": a SYN draws a challenge ACK.
		{"off-path attacker: forged <SEQ=813><CTL=SYN> arrives at the client", []string{"client sends ACK seq=101 ack=301"}},
		// §3.10.7.4 "fifth": an ACK of something not yet sent draws an
		// ACK and is dropped.
		{"off-path attacker: forged <SEQ=813><ACK=1073741925><CTL=ACK> arrives at the client", []string{"client sends ACK seq=101 ack=301"}},
		// §3.10.7.4 "fifth": an ACK older than SND.UNA is ignored.
		{"off-path attacker: forged <SEQ=813><ACK=3221225573><CTL=ACK> arrives at the client", nil},
	}
	for _, c := range cases {
		cfg := fixedISS(100, 300)
		cfg.Inject = 1
		sc := handshake(t, cfg)
		before := sc.s.Ep[Client]
		sc.expectSent(c.label, c.sent...)
		after := sc.s.Ep[Client]
		if after.Forged != 1 {
			t.Errorf("%s: Forged=%d, want 1", c.label, after.Forged)
		}
		after.Forged = 0
		if after != before {
			t.Errorf("%s: the client changed:\n%+v\n%+v", c.label, before, after)
		}
	}
}

// The attacker injects only into synchronized endpoints, at most
// Config.Inject segments in a behaviour, and never with Inject = 0.
func TestInjectionIsBoundedAndTargetsSynchronizedEndpoints(t *testing.T) {
	forgeries := func(sc *script) int {
		n := 0
		for _, a := range sc.cfg.Actions(sc.s, nil) {
			if k, _, _ := Decode(a); k == Inject {
				n++
				if !strings.HasPrefix(sc.cfg.Label(sc.s, a), "off-path attacker: forged ") {
					t.Errorf("label %q", sc.cfg.Label(sc.s, a))
				}
			}
		}
		return n
	}
	cfg := fixedISS(100, 300)
	cfg.Inject = 1
	sc := newScript(t, cfg)
	sc.do("server: passive OPEN")
	sc.do("client: active OPEN (ISS=100)")
	sc.do("deliver client->server <SEQ=100><CTL=SYN> (ISS=300)")
	if n := forgeries(sc); n != 0 {
		t.Fatalf("%d forgeries enabled in SYN_SENT and SYN_RECEIVED, want 0", n)
	}
	sc.do("deliver server->client <SEQ=300><ACK=101><CTL=SYN,ACK>")
	// The client is ESTABLISHED, the server still SYN_RECEIVED.
	if n := forgeries(sc); n != int(NumForgeries) {
		t.Fatalf("%d forgeries enabled with one side ESTABLISHED, want %d", n, NumForgeries)
	}
	sc.do("off-path attacker: forged <SEQ=813><ACK=3221225573><CTL=ACK> arrives at the client")
	sc.do("deliver client->server <SEQ=101><ACK=301><CTL=ACK>")
	if n := forgeries(sc); n != 0 {
		t.Fatalf("%d forgeries enabled after the one of Inject = 1, want 0", n)
	}

	cfg.Inject = 0
	sc = handshake(t, cfg)
	if n := forgeries(sc); n != 0 {
		t.Fatalf("%d forgeries enabled with Inject = 0", n)
	}
	cfg.Inject = MaxInject + 1
	if err := cfg.Validate(); err == nil {
		t.Errorf("Inject = %d validated", cfg.Inject)
	}
}

// Arriving returns the segment a delivery or an injection hands to
// SEGMENT ARRIVES, and nothing for a loss or a user call.
func TestArriving(t *testing.T) {
	cfg := fixedISS(100, 300)
	cfg.Inject = 1
	sc := handshake(t, cfg)
	s := sc.s
	seg, side, ok := Arriving(s, act(Inject, Server, uint16(ForgeRST)))
	if !ok || side != Server || seg != (Segment{Seq: 101 + RcvWnd/2, Flags: RST}) {
		t.Errorf("Arriving(inject RST at server) = %v %d %v", seg, side, ok)
	}
	if _, _, ok := Arriving(s, act(Close, Client, 0)); ok {
		t.Errorf("Arriving(CLOSE) ok")
	}
}
