package capture

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
	"github.com/handshake/handshake/spec"
)

// This file ties capture's SEGMENT ARRIVES (endpoint.go, emit.go) to the
// exhaustively checked model of package model/tcp: on random walks of the
// model, every segment the model delivers to an endpoint is also delivered
// to capture's endpoint in the same state, and the two must agree on the
// resulting RFC 9293 state, RCV.NXT, SND.UNA, the rest of the TCB, and the
// segment the endpoint sends in reply.

// fromModel is capture's TCB for the model endpoint m, with every sequence
// number of side's space shifted by off[side] and of the peer's by
// off[1-side] (the numbers a capture of the same connection with other
// ISNs would show). The model keeps no out-of-order data.
func fromModel(m tcp.Endpoint, side int, off [2]uint32) endpoint {
	e := endpoint{State: m.State, End: m.End, Passive: m.Passive}
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
		inModel := func(n uint32) bool { return seqLEQ(e.RcvNxt, n) && seqLT(n, e.RcvNxt+tcp.RcvWnd) }
		n := segLen(seg)
		if !inModel(seg.Seq) && (n == 0 || !inModel(seg.Seq+n-1)) && acceptable(&e, seg) {
			found.wide = true
			return found, nil
		}
		if st == tcp.SYN_RECEIVED && seqGT(seg.Seq, e.RcvNxt) && seg.Has(tcp.ACK) && !seg.Has(tcp.RST|tcp.SYN) {
			found.early = true
			return found, compareEarly(ar, e, seg)
		}
	}
	// The ISS the model's endpoint selected if a SYN arrived in LISTEN.
	iss := ar.after.ISS + off[side]
	arrive(&e, seg, iss)

	// Out-of-order text and FIN: both drop them (MAY-13) and leave
	// RCV.NXT where it was.
	if st := ar.before.State; st >= tcp.SYN_RECEIVED && seqGT(seg.Seq, fromModel(ar.before, side, off).RcvNxt) {
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

// TestEndpointAgreesWithModel_3_10_7: capture's SEGMENT ARRIVES
// (§3.10.7.1-4) agrees with model/tcp's on every delivery of many random
// walks of the sound tcp variants, under ISN shifts (0, and ones that
// wrap the sequence space).
func TestEndpointAgreesWithModel_3_10_7(t *testing.T) {
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

// TestSynReceivedAcksUnacceptableSegment_3_10_7_4: an endpoint in
// SYN_RECEIVED answers an unacceptable segment (here a retransmitted SYN,
// at RCV.NXT-1) with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (§3.10.7.4
// "first" covers SYN-RECEIVED), as the model does; the validator accepts
// that ACK, and still refuses one that acknowledges anything else.
func TestSynReceivedAcksUnacceptableSegment_3_10_7_4(t *testing.T) {
	segs := []Segment{
		{From: Client, Seq: 100, Flags: tcp.SYN},
		{From: Server, Seq: 300, Ack: 101, Flags: tcp.SYN | tcp.ACK},
		{From: Client, Seq: 100, Flags: tcp.SYN}, // retransmitted
		{From: Server, Seq: 301, Ack: 101, Flags: tcp.ACK},
		{From: Client, Seq: 101, Ack: 301, Flags: tcp.ACK},
	}
	for i := range segs {
		segs[i].Frame = i + 1
	}
	if v := Validate(Conn{Segments: segs}); !v.Accepted {
		t.Fatalf("rejected at segment %d: %s (%s)", v.Rejected, v.Rule, v.RFC)
	}
	bad := append([]Segment(nil), segs...)
	bad[3].Ack = 102
	if v := Validate(Conn{Segments: bad}); v.Accepted || v.Rejected != 3 {
		t.Fatalf("ACK of 102 from SYN_RECEIVED: accepted %v, rejected at %d, want rejected at 3", v.Accepted, v.Rejected)
	}
}

// wire is the segments of a model walk in the order the endpoints sent
// them, as a capture next to both would show them (for a reliable FIFO
// network, also the order they arrive in per direction).
func wire(t *testing.T, m checker.Model[tcp.State], seed int64) []Segment {
	tr, err := checker.Simulate(m, seed, 200)
	if err != nil {
		t.Fatal(err)
	}
	var segs []Segment
	for i := 1; i < len(tr.Steps); i++ {
		s, n := tr.Steps[i-1].State, tr.Steps[i].State
		for side := 0; side < 2; side++ {
			if n.Net[side].Len == s.Net[side].Len+1 {
				g := n.Net[side].At(int(n.Net[side].Len - 1))
				segs = append(segs, Segment{Frame: len(segs) + 1, From: side, Seq: g.Seq, Ack: g.Ack, Flags: g.Flags, Len: uint32(g.Len)})
			}
		}
	}
	return segs
}

// TestValidateAcceptsModelWalks: the segments of every random walk of the
// model on a reliable network, or one that loses, duplicates or reorders,
// are accepted by Validate, and changing the acknowledgment number of the
// first segment with ACK but neither SYN nor RST makes Validate reject
// that segment (a segment carries <ACK=RCV.NXT>, §3.10.7.4), as the model
// cannot send it either.
func TestValidateAcceptsModelWalks(t *testing.T) {
	var walks, mutated int
	variants := []struct {
		name   string
		params map[string]int
	}{
		{"rfc9293", nil}, {"rfc9293", map[string]int{"abort": 0}},
		// Networks that lose, duplicate and reorder after the capture
		// point (the wire order is the order the endpoints sent).
		{"rfc9293-lossy", nil}, {"rfc9293-duplicating", nil},
		{"rfc9293-reordering", nil}, {"rfc9293-unreliable", nil},
	}
	for _, v := range variants {
		cfg, err := spec.TCPConfig(v.name, v.params)
		if err != nil {
			t.Fatal(err)
		}
		walks, mutated = validateWalks(t, spec.TCPModel(cfg), walks, mutated)
	}
	t.Logf("%d walks accepted, %d mutated walks", walks, mutated)
	if walks < 1200 || mutated < 300 {
		t.Errorf("too few walks (%d) or mutations (%d) to mean anything", walks, mutated)
	}
}

func validateWalks(t *testing.T, m checker.Model[tcp.State], walks, mutated int) (int, int) {
	for seed := int64(1); seed <= 300; seed++ {
		segs := wire(t, m, seed)
		if len(segs) == 0 {
			continue
		}
		// Capture's client is the side of the first SYN without ACK.
		var c Conn
		client := segs[0].From
		for _, g := range segs {
			if g.Flags&(tcp.SYN|tcp.ACK) == tcp.SYN {
				client = g.From
				break
			}
		}
		for _, g := range segs {
			if client == Server {
				g.From = 1 - g.From
			}
			c.Segments = append(c.Segments, g)
		}
		walks++
		v := Validate(c)
		if !v.Accepted {
			t.Errorf("seed %d: model walk rejected at segment %d (%s): %s (%s)", seed, v.Rejected, v.Steps[v.Rejected].Text(), v.Rule, v.RFC)
			continue
		}
		for k, g := range c.Segments {
			if !g.Has(tcp.ACK) || g.Has(tcp.RST|tcp.SYN) {
				continue
			}
			bad := Conn{Segments: append([]Segment(nil), c.Segments...)}
			bad.Segments[k].Ack += 5
			mutated++
			if w := Validate(bad); w.Accepted || w.Rejected != k {
				t.Errorf("seed %d: segment %d (%s) with ACK+5: accepted %v, rejected at %d (%s)", seed, k, v.Steps[k].Text(), w.Accepted, w.Rejected, w.Rule)
			}
			break
		}
	}
	return walks, mutated
}
