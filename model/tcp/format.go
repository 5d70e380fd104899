package tcp

import (
	"fmt"
	"strings"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/network"
)

// Format renders a state: each endpoint's state, variables and
// application, then each channel's contents.
func Format(s State) string {
	var b strings.Builder
	for side := range s.Ep {
		e := &s.Ep[side]
		fmt.Fprintf(&b, "%s: %s", SideNames[side], e.State)
		if e.Opens > 1 {
			fmt.Fprintf(&b, " (connection %d)", e.Opens)
		}
		if e.State != CLOSED && e.State != LISTEN {
			fmt.Fprintf(&b, " ISS=%d SND.UNA=%d SND.NXT=%d", e.ISS, e.SndUna, e.SndNxt)
			if e.State != SYN_SENT {
				fmt.Fprintf(&b, " IRS=%d RCV.NXT=%d", e.IRS, e.RcvNxt)
			}
		}
		if e.Retx > 0 {
			fmt.Fprintf(&b, " retransmissions=%d", e.Retx)
		}
		if e.Forged > 0 {
			fmt.Fprintf(&b, " forged segments received=%d", e.Forged)
		}
		if e.End != EndNone {
			fmt.Fprintf(&b, " (%s)", e.End)
		}
		var got []string
		for _, tag := range e.Received[:min(int(e.Recvd), MaxData)] {
			got = append(got, TagString(tag))
		}
		fmt.Fprintf(&b, "; app wrote %d sent %d received [%s]", e.Wrote, e.Sent, strings.Join(got, " "))
		if e.EOS {
			b.WriteString(" EOS")
		}
		if e.CloseCalled {
			b.WriteString(" CLOSE called")
		}
		b.WriteString("\n")
	}
	for side := range s.Net {
		ch := &s.Net[side]
		fmt.Fprintf(&b, "%s->%s: [", SideNames[side], SideNames[1-side])
		for i := 0; i < int(ch.Len); i++ {
			if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString(ch.At(i).RFC())
		}
		b.WriteString("]")
		if side == 0 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// Describe explains the transition s -a-> t for sequence diagrams.
func (c *Config) Describe(s State, a checker.Action, t State) []checker.Event {
	var ev []checker.Event
	k, side, p := Decode(a)
	if k == Arrive {
		d := networkDelivery(p)
		seg := s.Net[1-side].Message(d)
		switch d.Kind {
		case network.Drop:
			ev = append(ev, checker.Event{Kind: checker.Drop, Lane: 1 - side, Peer: side, Text: seg.String()})
		case network.Duplicate:
			ev = append(ev, checker.Event{Kind: checker.Receive, Lane: side, Peer: 1 - side, Text: seg.String() + " (duplicate)"})
		default:
			ev = append(ev, checker.Event{Kind: checker.Receive, Lane: side, Peer: 1 - side, Text: seg.String()})
		}
	}
	if k == Inject {
		seg := forged(&s.Ep[side], Forgery(p))
		ev = append(ev, checker.Event{Kind: checker.Note, Lane: side, Text: "forged by an off-path attacker: " + seg.String()})
	}
	for i := range t.Ep {
		if t.Ep[i].State != s.Ep[i].State {
			ev = append(ev, checker.Event{Kind: checker.Change, Lane: i, Text: t.Ep[i].State.String()})
		}
		e0, e1 := &s.Ep[i], &t.Ep[i]
		for n := e0.Recvd; n < e1.Recvd && int(n) < MaxData; n++ {
			ev = append(ev, checker.Event{Kind: checker.Note, Lane: i, Text: "app receives octet " + TagString(e1.Received[n])})
		}
		if e1.EOS && !e0.EOS {
			ev = append(ev, checker.Event{Kind: checker.Note, Lane: i, Text: "app sees end-of-stream"})
		}
	}
	// A transition sends at most one segment, on the channel from the
	// acting side (a user call or endpoint step) or from the receiver.
	for i := range t.Net {
		taken := k == Arrive && i == 1-side && networkDelivery(p).Kind != network.Duplicate
		if seg, ok := sentOn(&s, &t, i, taken); ok {
			ev = append(ev, checker.Event{Kind: checker.Send, Lane: i, Peer: 1 - i, Text: seg.String()})
		}
	}
	return ev
}

// sentOn returns the segment appended to channel i by the transition s->t.
// taken says whether the transition removed one segment from channel i.
func sentOn(s, t *State, i int, taken bool) (Segment, bool) {
	n := s.Net[i].Len
	if taken {
		n--
	}
	if t.Net[i].Len > n {
		return t.Net[i].At(int(t.Net[i].Len) - 1), true
	}
	return Segment{}, false
}
