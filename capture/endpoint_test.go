package capture

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
	"github.com/handshake/handshake/spec"
)

// This file tests capture's adapter of SEGMENT ARRIVES (endpoint.go) and
// its emission rules (emit.go) against the model of package model/tcp,
// whose steps the adapter runs: on random walks of the model, every
// segment the model delivers to an endpoint is also delivered, with real
// 32-bit numbers (the ISNs shifted, across the wrap), to capture's
// endpoint in the same state. The two must agree on the resulting TCB and
// on the reply: a reset must be the one the adapter records as owed, any
// other reply one that emit lets the endpoint send. Where the adapter
// departs from the model by design, the test checks the departure instead:
// the window, and the early acknowledgment in SYN_RECEIVED.

// fromModel is capture's TCB for the model endpoint m, with every sequence
// number of side's space shifted by off[side] and of the peer's by
// off[1-side] (the numbers a capture of the same connection with other
// ISNs would show). The model keeps no out-of-order data.
func fromModel(m tcp.Endpoint, side int, off [2]uint32) endpoint {
	e := endpoint{TCB: tcp.TCB{State: m.State, End: m.End, Passive: m.Passive}}
	switch m.State {
	case tcp.CLOSED, tcp.LISTEN:
		// No synchronized TCB (the model zeroes its variables).
		return e
	}
	us, peer := off[side], off[1-side]
	e.ISS, e.SndUna, e.SndNxt = m.ISS+us, m.SndUna+us, m.SndNxt+us
	if m.State != tcp.SYN_SENT {
		e.IRS, e.RcvNxt = m.IRS+peer, m.RcvNxt+peer
	}
	if m.FinSent {
		e.FinSent, e.FinSeq = true, m.FinSeq+us
	}
	return e
}

// shifted is the model segment g sent by side from, as capture sees it.
// The reset a CLOSED endpoint answers a segment without ACK with,
// <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (§3.10.7.1), has the literal
// sequence number 0: it is in no ISN's space.
func shifted(g tcp.Segment, from int, off [2]uint32) Segment {
	s := Segment{From: from, Seq: g.Seq + off[from], Flags: g.Flags, Len: uint32(g.Len)}
	if g.Flags == tcp.RST|tcp.ACK {
		s.Seq = g.Seq
	}
	if g.Has(tcp.ACK) {
		s.Ack = g.Ack + off[1-from]
	}
	return s
}

// agreementVariants are the sound tcp variants whose networks the walks
// use: reliable FIFO, lossy, duplicating, reordering, all three, and two
// connections in sequence.
var agreementVariants = []struct {
	name   string
	params map[string]int
}{
	{"rfc9293", nil}, {"rfc9293-lossy", nil}, {"rfc9293-duplicating", nil},
	{"rfc9293-reordering", nil}, {"rfc9293-unreliable", nil}, {"rfc9293-reuse", nil},
	// Three segments in flight, so that a FIN can overtake data.
	{"rfc9293-reordering", map[string]int{"cap": 3}},
	{"rfc9293-unreliable", map[string]int{"cap": 3, "data": 2}},
}

// arrival is one delivery of a model walk: the receiving endpoint before
// and after, the segment, and the model's reply (if any).
type arrival struct {
	side          int
	before, after tcp.Endpoint
	seg           tcp.Segment
	reply         tcp.Segment
	replied       bool
	where         string // seed, step and label, for failure messages
}

// arrivals collects the deliveries of one walk.
func arrivals(t *testing.T, m checker.Model[tcp.State], variant string, seed int64, steps int) []arrival {
	tr, err := checker.Simulate(m, seed, steps)
	if err != nil {
		t.Fatal(err)
	}
	var out []arrival
	for i := 1; i < len(tr.Steps); i++ {
		s, a, t := tr.Steps[i-1].State, tr.Steps[i].Action, tr.Steps[i].State
		k, side, _ := tcp.Decode(a)
		if k != tcp.Arrive || !tcp.DeliveryOf(a).Received() {
			continue
		}
		ar := arrival{side: side, before: s.Ep[side], after: t.Ep[side],
			seg:   s.Net[1-side].Message(tcp.DeliveryOf(a)),
			where: fmt.Sprintf("%s seed %d step %d: %s", variant, seed, i, m.Label(s, a))}
		// Replies are appended to the receiver's outgoing channel.
		if n := t.Net[side].Len; n == s.Net[side].Len+1 {
			ar.reply, ar.replied = t.Net[side].At(int(n-1)), true
		} else if n != s.Net[side].Len {
			panic("tcp: an arrival changed the receiver's channel by more than one segment")
		}
		out = append(out, ar)
	}
	return out
}

// agreement is what the comparison of one arrival found.
type agreement struct {
	held bool // a segment arrived beyond RCV.NXT (both drop its text and FIN)
	// wide: the segment is outside the model's receive window
	// (tcp.RcvWnd) but inside capture's (rcvWnd, as wide as sequence
	// comparison allows): the model drops it as unacceptable, capture
	// processes it. Not compared.
	wide bool
	// early: a segment beyond RCV.NXT arrived in SYN_RECEIVED; capture
	// processes its ACK at once (as Linux's tcp_check_req does, and as
	// both do in the synchronized states), the model only once RCV.NXT
	// reaches it (§3.10.7.4 "first": "further processing is done in
	// SEG.SEQ order"). Compared against capture's processing of the same
	// ACK at RCV.NXT.
	early bool
}

// compareArrival feeds ar to capture's endpoint and returns the
// disagreements (empty if none).
func compareArrival(ar arrival, off [2]uint32) (agreement, []string) {
	var found agreement
	var diffs []string
	side, peer := ar.side, 1-ar.side
	e := fromModel(ar.before, side, off)
	seg := shifted(ar.seg, peer, off)
	if st := ar.before.State; st >= tcp.SYN_RECEIVED {
		if !e.Acceptable(seg.header(), tcp.RcvWnd) && e.Acceptable(seg.header(), rcvWnd) {
			found.wide = true
			return found, nil
		}
		if st == tcp.SYN_RECEIVED && tcp.SeqGT(seg.Seq, e.RcvNxt) && seg.Has(tcp.ACK) && !seg.Has(tcp.RST|tcp.SYN) {
			found.early = true
			return found, compareEarly(ar, e, seg)
		}
	}
	// The ISS the model's endpoint selected if a SYN arrived in LISTEN.
	iss := ar.after.ISS + off[side]
	arrive(&e, seg, iss)

	// Out-of-order text and FIN: both drop them (MAY-13) and leave
	// RCV.NXT where it was.
	if st := ar.before.State; st >= tcp.SYN_RECEIVED && tcp.SeqGT(seg.Seq, fromModel(ar.before, side, off).RcvNxt) {
		found.held = true
	}
	owed := e.Reply
	e.Reply = reply{}
	want := fromModel(ar.after, side, off)
	if d := cmp.Diff(want, e, cmp.AllowUnexported(endpoint{}, reply{})); d != "" {
		diffs = append(diffs, fmt.Sprintf("TCB after the arrival (-model +capture):\n%s", d))
	}

	// The reply. A reset is recorded by capture as owed; any other
	// reply (an ACK, a SYN,ACK) is one capture lets the endpoint send
	// from its new state without any user call.
	switch {
	case ar.replied && ar.reply.Has(tcp.RST):
		r := shifted(ar.reply, side, off)
		if !owed.Has || owed.Seq != r.Seq || owed.Flags != r.Flags || (r.Has(tcp.ACK) && owed.Ack != r.Ack) {
			diffs = append(diffs, fmt.Sprintf("model replies %s, capture owes %+v", ar.reply.RFC(), owed))
		}
	case owed.Has:
		diffs = append(diffs, fmt.Sprintf("capture owes reset %+v, model replies %v (%s)", owed, ar.replied, ar.reply.RFC()))
	case ar.replied:
		r := shifted(ar.reply, side, off)
		d := e
		n := numbering{isn: [2]uint32{off[0], off[1]}}
		if ref := emit(&d, side, r, n); ref != nil {
			diffs = append(diffs, fmt.Sprintf("model replies %s, capture refuses it: %s (%s)", ar.reply.RFC(), ref.Rule, ref.RFC))
		} else if d != e {
			diffs = append(diffs, fmt.Sprintf("model's reply %s is a user call for capture: %+v -> %+v", ar.reply.RFC(), e, d))
		}
	}
	return found, diffs
}

// compareEarly checks capture's processing of seg, beyond RCV.NXT, at e in
// SYN_RECEIVED: it must be that of a bare ACK with the same SEG.ACK at
// RCV.NXT (its text and FIN are dropped); the model leaves its endpoint
// unchanged.
func compareEarly(ar arrival, e endpoint, seg Segment) []string {
	var diffs []string
	if ar.after != ar.before {
		diffs = append(diffs, fmt.Sprintf("model changed its SYN_RECEIVED endpoint on a segment beyond RCV.NXT: %+v", ar.after))
	}
	got, want := e, e
	arrive(&got, seg, 0)
	arrive(&want, Segment{From: seg.From, Seq: e.RcvNxt, Ack: seg.Ack, Flags: tcp.ACK}, 0)
	if d := cmp.Diff(want, got, cmp.AllowUnexported(endpoint{}, reply{})); d != "" {
		diffs = append(diffs, fmt.Sprintf("capture's early ACK in SYN_RECEIVED is not its ACK at RCV.NXT (-want +got):\n%s", d))
	}
	return diffs
}

// TestArriveAdapterAgreesWithModel_3_10_7: capture's SEGMENT ARRIVES
// (§3.10.7.1-4, the model's steps through capture's adapter) agrees with
// model/tcp's endpoints on every delivery of many random walks of the
// sound tcp variants, under ISN shifts (0, and ones that wrap the sequence
// space), and emit lets an endpoint send every reply of the model's.
func TestArriveAdapterAgreesWithModel_3_10_7(t *testing.T) {
	seeds := 400
	if testing.Short() {
		seeds = 60
	}
	offsets := [][2]uint32{{0, 0}, {1 << 31, 7}, {^uint32(0) - 150, 1<<32 - 350}}
	var total, held, wide, early, failures int
	kinds := map[string]int{} // receiver state before: coverage
	for _, v := range agreementVariants {
		variant := fmt.Sprint(v.name, v.params)
		cfg, err := spec.TCPConfig(v.name, v.params)
		if err != nil {
			t.Fatal(err)
		}
		m := spec.TCPModel(cfg)
		for seed := int64(1); seed <= int64(seeds); seed++ {
			for _, ar := range arrivals(t, m, variant, seed, 200) {
				kinds[ar.before.State.String()]++
				for _, off := range offsets {
					if ar.seg.Flags == tcp.RST|tcp.ACK && off != [2]uint32{} {
						// Its literal SEQ=0 does not move with
						// the ISNs (see shifted): whether it hits
						// a window is a coincidence of the ISNs.
						continue
					}
					found, diffs := compareArrival(ar, off)
					if !found.wide {
						total++
					}
					if found.held {
						held++
					}
					if found.wide {
						wide++
					}
					if found.early {
						early++
					}
					for _, d := range diffs {
						failures++
						if failures <= 20 {
							t.Errorf("%s, offsets %v: %s\n  model before %+v\n  model after  %+v", ar.where, off, d, ar.before, ar.after)
						}
					}
				}
			}
		}
	}
	t.Logf("%d arrivals compared (%d beyond RCV.NXT, %d ACKs taken early in SYN_RECEIVED by capture, "+
		"%d outside the model's window not compared), receiver states before %v", total, held, early, wide, kinds)
	// The walks must reach the interesting states, or the test proves
	// little.
	for _, c := range []string{"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
		"FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"} {
		if kinds[c] == 0 {
			t.Errorf("no walk delivered a segment to an endpoint in %s", c)
		}
	}
	if held == 0 {
		t.Errorf("no walk delivered a segment out of order")
	}
}
