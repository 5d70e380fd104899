package tcp

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/handshake/handshake/model/network"
)

// Behaviours of the endpoints on an unreliable network: segments that
// arrive ahead of RCV.NXT, and the loss budget.

// An ACK that overtakes the peer's FIN on a reordering network lies beyond
// RCV.NXT (the FIN before it is missing). Its acknowledgment is processed
// anyway (§3.10.7.4 "fifth", as if the segment had been held until RCV.NXT
// reached it): the active closer's FIN is acknowledged, FIN_WAIT_1 becomes
// FIN_WAIT_2, and the FIN, when it comes, leads to TIME_WAIT. Dropped, the
// ACK would be lost for good: the peer, in CLOSING and then TIME_WAIT,
// never sends it again.
func TestAckAheadOfFinIsProcessed_3_10_7_4_Fifth(t *testing.T) {
	cfg := fixedISS(100, 300)
	cfg.Net.Reorder = true
	sc := handshake(t, cfg)
	sc.expectSent("client: CLOSE", "client sends FIN,ACK seq=101 ack=301")
	sc.expectSent("server: CLOSE", "server sends FIN,ACK seq=301 ack=101")
	sc.expectSent("deliver client->server <SEQ=101><ACK=301><CTL=FIN,ACK>", "server sends ACK seq=302 ack=102")
	sc.expectStates(FIN_WAIT_1, CLOSING)
	// The server's ACK overtakes its FIN: SEG.SEQ=302 is beyond the
	// client's RCV.NXT=301. A bare ACK beyond RCV.NXT is not answered.
	sc.expectSent("deliver server->client <SEQ=302><ACK=102><CTL=ACK>")
	c := sc.s.Ep[Client]
	if c.State != FIN_WAIT_2 || c.SndUna != 102 || c.RcvNxt != 301 {
		t.Fatalf("client after the ACK ahead of the FIN: %s SND.UNA=%d RCV.NXT=%d, want FIN_WAIT_2 102 301\n%s",
			c.State, c.SndUna, c.RcvNxt, Format(sc.s))
	}
	sc.expectSent("deliver server->client <SEQ=301><ACK=101><CTL=FIN,ACK>", "client sends ACK seq=102 ack=302")
	sc.expectStates(TIME_WAIT, CLOSING)
	sc.expectSent("deliver client->server <SEQ=102><ACK=302><CTL=ACK>")
	sc.expectStates(TIME_WAIT, TIME_WAIT)
}

// synReceived is a passive endpoint in SYN_RECEIVED after a SYN with
// SEQ=100 (IRS) and its own SYN,ACK with ISS=300.
func synReceived() Endpoint {
	return Endpoint{TCB: TCB{ISS: 300, IRS: 100, SndUna: 300, SndNxt: 301, RcvNxt: 101, State: SYN_RECEIVED, Passive: true},
		Opens: 1, Seen: 1<<CLOSED | 1<<LISTEN | 1<<SYN_RECEIVED, PeerInc: 1, Paired: [MaxConns]uint8{1}}
}

// In SYN_RECEIVED a segment beyond RCV.NXT does not complete the handshake,
// even if it acknowledges our SYN: its acknowledgment is not processed
// (arriveOther). Taking it would synchronize on a gap that may never be
// filled, when the IRS came from an old duplicate SYN and the peer's
// segments of its new connection all lie beyond it. Only the segment at
// RCV.NXT completes the handshake (§3.10.7.4 "fifth", SYN-RECEIVED).
func TestSynReceivedDoesNotProcessAckAheadOfRcvNxt_3_10_7_4_Fifth(t *testing.T) {
	cfg := fixedISS(100, 300)
	cfg.Net.Reorder = true
	cases := []struct {
		name      string
		seg       Segment
		reply     Segment
		replied   bool
		wantState Conn
		wantUna   uint32
	}{
		// A bare ACK beyond RCV.NXT acknowledging our SYN: dropped,
		// not answered, still SYN_RECEIVED.
		{"bare ACK ahead", Segment{Seq: 102, Ack: 301, Flags: ACK, Inc: 1}, Segment{}, false, SYN_RECEIVED, 300},
		// A data octet beyond RCV.NXT acknowledging our SYN: dropped
		// and answered with an ACK of RCV.NXT (MAY-13), still
		// SYN_RECEIVED.
		{"data ahead", Segment{Seq: 102, Ack: 301, Flags: ACK, Len: 1, Inc: 1},
			Segment{Seq: 301, Ack: 101, Flags: ACK}, true, SYN_RECEIVED, 300},
		// The same ACK at RCV.NXT completes the handshake.
		{"ACK at RCV.NXT", Segment{Seq: 101, Ack: 301, Flags: ACK, Inc: 1}, Segment{}, false, ESTABLISHED, 301},
	}
	for _, c := range cases {
		e := synReceived()
		reply, ok := cfg.arrive(&e, c.seg, 0)
		if ok != c.replied || reply != c.reply {
			t.Errorf("%s: reply %v %+v, want %v %+v", c.name, ok, reply, c.replied, c.reply)
		}
		if e.State != c.wantState || e.SndUna != c.wantUna || e.RcvNxt != 101 {
			t.Errorf("%s: %s SND.UNA=%d RCV.NXT=%d, want %s SND.UNA=%d RCV.NXT=101",
				c.name, e.State, e.SndUna, e.RcvNxt, c.wantState, c.wantUna)
		}
	}
	// In a synchronized state the same kind of segment has its
	// acknowledgment processed: SND.UNA advances, RCV.NXT does not.
	e := synReceived()
	e.enter(ESTABLISHED)
	e.SndNxt = 302 // one data octet sent, unacknowledged
	e.SndUna = 301
	if reply, ok := cfg.arrive(&e, Segment{Seq: 102, Ack: 302, Flags: ACK, Inc: 1}, 0); ok {
		t.Errorf("ESTABLISHED, bare ACK ahead: answered with %+v", reply)
	}
	if e.State != ESTABLISHED || e.SndUna != 302 || e.RcvNxt != 101 {
		t.Errorf("ESTABLISHED, bare ACK ahead: %s SND.UNA=%d RCV.NXT=%d, want ESTABLISHED 302 101", e.State, e.SndUna, e.RcvNxt)
	}
}

// drops lists the labels of the enabled actions in which the network
// loses a segment.
func (sc *script) drops() []string {
	var out []string
	for _, a := range sc.cfg.Actions(sc.s, nil) {
		if k, _, _ := Decode(a); k == Arrive && DeliveryOf(a).Kind == network.Drop {
			out = append(out, sc.cfg.Label(sc.s, a))
		}
	}
	return out
}

// The loss bound is shared by both directions (Config.Net): after Loss
// segments are lost, in either direction, the network loses no more, so a
// sender that retransmits each segment Loss times outlasts the losses
// (loss does not go on forever; §3.7, §3.8.1 retransmission).
func TestLossBudgetIsSharedByBothDirections_3_8_1(t *testing.T) {
	const (
		c2s = "network loses client->server <SEQ=101><ACK=301><CTL=ACK><DATA=#0>"
		s2c = "network loses server->client <SEQ=301><ACK=101><CTL=ACK><DATA=#0>"
	)
	for _, loss := range []uint8{1, 2} {
		cfg := fixedISS(100, 300)
		cfg.Data, cfg.Cap, cfg.Retx = 1, 3, 2
		cfg.Net.Loss = loss
		sc := handshake(t, cfg)
		sc.do("client: SEND octet #0")
		sc.do("server: SEND octet #0")
		if d := cmp.Diff([]string{s2c, c2s}, sc.drops()); d != "" {
			t.Fatalf("loss=%d, one octet in flight each way: drops enabled (-want +got):\n%s", loss, d)
		}
		sc.do(c2s)
		if loss == 1 {
			if got := sc.drops(); len(got) != 0 {
				t.Errorf("loss=1, after one loss client->server: drops still enabled: %q", got)
			}
			if sc.s.Net[Server].Len != 1 {
				t.Errorf("loss=1: the server's octet should still be in flight\n%s", Format(sc.s))
			}
			continue
		}
		if d := cmp.Diff([]string{s2c}, sc.drops()); d != "" {
			t.Fatalf("loss=2, after one loss client->server: drops enabled (-want +got):\n%s", d)
		}
		sc.do(s2c)
		// The client retransmits its octet: in flight again, but the
		// budget of two is spent.
		sc.do("client: retransmission timeout: resend <SEQ=101><ACK=301><CTL=ACK><DATA=#0> (retransmission 1 of 2)")
		if sc.s.InFlight() != 1 {
			t.Fatalf("loss=2: %d segments in flight after the retransmission, want 1\n%s", sc.s.InFlight(), Format(sc.s))
		}
		if got := sc.drops(); len(got) != 0 {
			t.Errorf("loss=2, after a loss each way: drops still enabled: %q", got)
		}
	}
}
