package https

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/network"
	"github.com/handshake/handshake/model/tcp"
)

var sideNames = tcp.SideNames

// unitOf names the unit a data segment sent by side carries.
func unitOf(s *State, side int, g tcp.Segment) Unit {
	off, conn := int(g.Tag&0xf), int(g.Tag>>4)
	if conn >= MaxConns || off >= MaxUnits {
		return NoUnit
	}
	return s.App[side].Units[conn][off]
}

// segText renders a segment sent by side (or forged in its name) as in
// sequence diagrams: "ACK seq=101 ack=301 [ClientHello]".
func segText(s *State, side int, g tcp.Segment) string {
	ctl := g.CtlString()
	if ctl == "" {
		ctl = "-"
	}
	t := ctl + " seq=" + strconv.FormatUint(uint64(g.Seq), 10)
	if g.Has(tcp.ACK) {
		t += " ack=" + strconv.FormatUint(uint64(g.Ack), 10)
	}
	if g.Len > 0 {
		t += " [" + unitOf(s, side, g).String() + "]"
	}
	if g.Inc == Forged {
		t += " (forged)"
	}
	return t
}

// Label names action a taken in s.
func (m *model) Label(s State, a checker.Action) string {
	k, side, p, ok := Decode(a)
	if !ok {
		tk, tside, _ := tcp.Decode(a)
		if tk == tcp.Arrive {
			d := tcp.DeliveryOf(a)
			g := s.T.Net[1-tside].Message(d)
			return fmt.Sprintf("deliver %s->%s %s", sideNames[1-tside], sideNames[tside], segText(&s, 1-tside, g))
		}
		return m.tcp.Label(s.T, a)
	}
	who := sideNames[side] + ": "
	switch k {
	case Open:
		if side == Client {
			return who + "active OPEN"
		}
		return who + "passive OPEN"
	case Write:
		return who + "SEND " + Unit(p).String()
	case Read:
		u, _ := next(&s, side)
		l := who + "RECEIVE " + u.String()
		if _, isReq, _, _, _ := u.Classify(); isReq && side == Server {
			if s.App[Server].Closing {
				l += " (closing: discarded)"
			} else if p == 1 {
				l += " (will answer with Connection: close)"
			}
		}
		return l
	case ReadEOF:
		return who + "reads end-of-stream"
	case Idle:
		return who + "idle timeout: closes the connection"
	case CloseCall:
		return who + "CLOSE"
	case Release:
		if unread(&s, side) && resetSends(s.T.Ep[side].State) {
			return who + "closes its socket with unread data: ABORT (RST)"
		}
		return who + "closes its socket"
	case ResetLate:
		return who + "data arrived after the socket was closed: ABORT (RST)"
	case NoticeReset:
		if s.T.Ep[side].End == tcp.EndGiveUp {
			return who + "connection timed out (its TCP gave up)"
		}
		return who + "connection reset"
	case InjectFIN, InjectRST:
		return "attacker: inject " + segText(&s, 1-side, forged(&s, k, side)) + " towards the " + sideNames[side]
	case Drop:
		g := s.T.Net[1-side].At(int(p))
		return fmt.Sprintf("attacker: drop %s->%s %s", sideNames[1-side], sideNames[side], segText(&s, 1-side, g))
	}
	return fmt.Sprintf("unknown action %#x", uint32(a))
}

var statusNames = [...]string{"pending", "sent", "done", "failed"}

// Format renders a state: TCP's, then each application's.
func (m *model) Format(s State) string {
	var b strings.Builder
	b.WriteString(tcp.Format(s.T))
	for side := range s.App {
		a := &s.App[side]
		fmt.Fprintf(&b, "\n%s app: read %d", sideNames[side], a.Read)
		if m.c.TLS {
			fmt.Fprintf(&b, " tls=%d", a.Hs)
		}
		for _, f := range []struct {
			on   bool
			name string
		}{{a.CNSent, "close_notify sent"}, {a.CNRead, "close_notify read"}, {a.EOF, "EOF read"},
			{a.Closing, "closing"}, {a.Released, "socket closed"}} {
			if f.on {
				b.WriteString("; " + f.name)
			}
		}
	}
	b.WriteString("\nrequests:")
	for r := 0; r < m.c.Requests; r++ {
		fmt.Fprintf(&b, " %d=%s (got %d, processed %d)", r+1, statusNames[s.Req[r]&3], s.Got[r], s.Processed[r])
	}
	if m.c.Attacker > 0 {
		fmt.Fprintf(&b, "; attacker actions %d of %d", s.Attacks, m.c.Attacker)
	}
	return b.String()
}

// The diagram lanes: each side's application and its TCP, and the
// attacker between the TCPs if there is one. A segment goes from TCP lane
// to TCP lane; a user call (OPEN, SEND, CLOSE) is an arrow from the
// application to its TCP, and what the application RECEIVEs an arrow back,
// so that a response its TCP received but it never read stays on the TCP
// lane.

func (m *model) tcpLane(side int) int {
	if side == Server {
		return m.appLane(Server) - 1
	}
	return 1
}

func (m *model) appLane(side int) int {
	if side == Client {
		return 0
	}
	if m.c.Attacker > 0 {
		return 4
	}
	return 3
}

const attackerLane = 2

// Describe explains the transition s -a-> t for sequence diagrams.
func (m *model) Describe(s State, a checker.Action, t State) []checker.Event {
	var ev []checker.Event
	k, side, p, ok := Decode(a)
	call := func(text string) {
		ev = append(ev, checker.Event{Kind: checker.Receive, Lane: m.tcpLane(side), Peer: m.appLane(side), Text: text})
	}
	up := func(text string) {
		ev = append(ev, checker.Event{Kind: checker.Receive, Lane: m.appLane(side), Peer: m.tcpLane(side), Text: text})
	}
	taken := -1 // the channel a segment left
	switch {
	case !ok:
		if tk, tside, _ := tcp.Decode(a); tk == tcp.Arrive {
			d := tcp.DeliveryOf(a)
			g := s.T.Net[1-tside].Message(d)
			ev = append(ev, checker.Event{Kind: checker.Receive, Lane: m.tcpLane(tside), Peer: m.tcpLane(1 - tside), Text: segText(&s, 1-tside, g)})
			if d.Kind != network.Duplicate {
				taken = 1 - tside
			}
		}
	case k == Drop:
		g := s.T.Net[1-side].At(int(p))
		ev = append(ev, checker.Event{Kind: checker.Drop, Lane: m.tcpLane(1 - side), Peer: m.tcpLane(side), Text: segText(&s, 1-side, g) + " (dropped by the attacker)"})
		taken = 1 - side
	case k == Open:
		call("OPEN")
	case k == Write:
		call("SEND " + Unit(p).String())
	case k == Read:
		u, _ := next(&s, side)
		up(u.String())
	case k == ReadEOF:
		up("end-of-stream")
	case k == CloseCall:
		call("CLOSE")
	case k == Release:
		if t.T.Ep[side].End == tcp.EndAbort && s.T.Ep[side].End != tcp.EndAbort {
			call("close(): data unread, ABORT")
		}
	case k == ResetLate:
		ev = append(ev, checker.Event{Kind: checker.Note, Lane: m.tcpLane(side), Text: "data after close(): ABORT"})
	case k == NoticeReset:
		if s.T.Ep[side].End == tcp.EndGiveUp {
			up("connection timed out")
		} else {
			up("connection reset")
		}
	}
	for i := range t.T.Ep {
		if t.T.Ep[i].State != s.T.Ep[i].State {
			ev = append(ev, checker.Event{Kind: checker.Change, Lane: m.tcpLane(i), Text: t.T.Ep[i].State.String()})
		}
	}
	ev = append(ev, m.appNotes(&s, &t)...)
	for i := range t.T.Net {
		n := s.T.Net[i].Len
		if taken == i {
			n--
		}
		if t.T.Net[i].Len > n {
			g := t.T.Net[i].At(int(t.T.Net[i].Len) - 1)
			from := m.tcpLane(i)
			if g.Inc == Forged {
				from = attackerLane
			}
			ev = append(ev, checker.Event{Kind: checker.Send, Lane: from, Peer: m.tcpLane(1 - i), Text: segText(&t, i, g)})
		}
	}
	return ev
}

// appNotes are the applications' events of a transition.
func (m *model) appNotes(s, t *State) []checker.Event {
	var ev []checker.Event
	note := func(side int, text string) {
		ev = append(ev, checker.Event{Kind: checker.Note, Lane: m.appLane(side), Text: text})
	}
	for side := range t.App {
		a0, a1 := &s.App[side], &t.App[side]
		if m.c.TLS && a1.Hs == 3 && a0.Hs != 3 {
			note(side, "TLS established")
		}
		if a1.CNRead && !a0.CNRead {
			note(side, "close_notify read")
		}
		if a1.EOF && !a0.EOF {
			note(side, "reads end-of-stream")
		}
		if a1.Released && !a0.Released {
			note(side, "socket closed")
		}
	}
	for r := 0; r < m.c.Requests; r++ {
		if t.Processed[r] != s.Processed[r] {
			note(Server, fmt.Sprintf("processes request %d", r+1))
		}
		if t.Req[r] != s.Req[r] {
			switch t.Req[r] {
			case Done:
				note(Client, fmt.Sprintf("response %d complete", r+1))
			case Failed:
				note(Client, fmt.Sprintf("request %d failed: error reported", r+1))
			case Pending:
				if s.Req[r] == Sent {
					note(Client, fmt.Sprintf("request %d to be retried", r+1))
				}
			}
		}
	}
	return ev
}
