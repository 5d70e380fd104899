package spec

import (
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
)

// Witnesses of the sequences the project explains. Each is a SometimesStep
// on the last transition of the sequence, with conditions on the states
// each side went through (Endpoint.Seen) and on the numbers, so that the
// shortest witness is exactly the textbook sequence.

func witnessProperties() []checker.Property[tcp.State] {
	return []checker.Property[tcp.State]{
		{
			Name: "three-way-handshake", Kind: checker.SometimesStep,
			Description: "client SYN_SENT, server LISTEN: SYN seq=x; SYN,ACK seq=y ack=x+1; ACK seq=x+1 ack=y+1; " +
				"both ESTABLISHED with the client's IRS y and the server's IRS x",
			Step: ThreeWayHandshake,
		},
		{
			Name: "four-way-close", Kind: checker.SometimesStep,
			Description: "after a three-way handshake without data, the client closes first: client ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT, CLOSED " +
				"(after the 2MSL timeout); server ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED (on the ACK of its FIN)",
			Step: FourWayClose,
		},
		{
			Name: "data-transfer", Kind: checker.SometimesStep,
			Description: "after a three-way handshake, each application sends one octet, each octet reaches the other " +
				"application and is acknowledged, and the client closes first as in four-way-close: the client's 2MSL " +
				"timeout ends a connection that moved data both ways",
			Step: DataTransfer,
		},
		{
			Name: "simultaneous-open", Kind: checker.SometimesStep,
			Description: "both sides open actively and their SYNs cross: each goes SYN_SENT, SYN_RECEIVED, " +
				"ESTABLISHED without passing LISTEN",
			Step: SimultaneousOpen,
		},
		{
			Name: "simultaneous-close", Kind: checker.SometimesStep,
			Description: "after a three-way handshake without data, both sides close and their FINs cross: each goes FIN_WAIT_1, CLOSING, " +
				"TIME_WAIT, CLOSED (after its 2MSL timeout)",
			Step: SimultaneousClose,
		},
	}
}

func saw(e *tcp.Endpoint, cs ...tcp.Conn) bool {
	for _, c := range cs {
		if !e.SawState(c) {
			return false
		}
	}
	return true
}

func sawNone(e *tcp.Endpoint, cs ...tcp.Conn) bool {
	for _, c := range cs {
		if e.SawState(c) {
			return false
		}
	}
	return true
}

// openedByHandshake reports whether the client opened actively (SYN_SENT,
// never LISTEN or SYN_RECEIVED) and the server passively (LISTEN,
// SYN_RECEIVED, never SYN_SENT), and neither application sent data.
func openedByHandshake(c, v *tcp.Endpoint) bool {
	return saw(c, tcp.SYN_SENT) && sawNone(c, tcp.LISTEN, tcp.SYN_RECEIVED) &&
		saw(v, tcp.LISTEN) && sawNone(v, tcp.SYN_SENT) && c.Wrote == 0 && v.Wrote == 0
}

// ThreeWayHandshake is the last step of the three-way handshake: the
// server, passively opened, in SYN_RECEIVED, receives ACK seq=x+1 ack=y+1
// from the client, which went SYN_SENT -> ESTABLISHED.
func ThreeWayHandshake(s tcp.State, a checker.Action, t tcp.State) bool {
	k, side, _ := tcp.Decode(a)
	if k != tcp.Arrive || side != tcp.Server {
		return false
	}
	c, v := &s.Ep[tcp.Client], &s.Ep[tcp.Server]
	if c.State != tcp.ESTABLISHED || v.State != tcp.SYN_RECEIVED || !v.Passive {
		return false
	}
	if !openedByHandshake(c, v) {
		return false
	}
	x, y := c.ISS, v.ISS
	seg := s.Net[tcp.Client].At(0)
	if seg.Flags != tcp.ACK || seg.Len != 0 || seg.Seq != x+1 || seg.Ack != y+1 {
		return false
	}
	tc, tv := &t.Ep[tcp.Client], &t.Ep[tcp.Server]
	return tc.State == tcp.ESTABLISHED && tv.State == tcp.ESTABLISHED &&
		tc.IRS == y && tv.IRS == x && tc.RcvNxt == y+1 && tv.RcvNxt == x+1 &&
		tc.SndNxt == x+1 && tv.SndNxt == y+1 && tc.SndUna == x+1 && tv.SndUna == y+1
}

// FourWayClose is the last step of the four-way close: the client's 2MSL
// timeout, the server having closed on the ACK of its FIN in LAST_ACK.
func FourWayClose(s tcp.State, a checker.Action, t tcp.State) bool {
	k, side, _ := tcp.Decode(a)
	if k != tcp.Timeout || side != tcp.Client {
		return false
	}
	c, v := &s.Ep[tcp.Client], &s.Ep[tcp.Server]
	return c.State == tcp.TIME_WAIT && v.State == tcp.CLOSED && v.End == tcp.EndLastAck && openedByHandshake(c, v) &&
		saw(c, tcp.ESTABLISHED, tcp.FIN_WAIT_1, tcp.FIN_WAIT_2, tcp.TIME_WAIT) && sawNone(c, tcp.CLOSING, tcp.CLOSE_WAIT, tcp.LAST_ACK) &&
		saw(v, tcp.ESTABLISHED, tcp.CLOSE_WAIT, tcp.LAST_ACK) && sawNone(v, tcp.FIN_WAIT_1, tcp.CLOSING, tcp.TIME_WAIT) &&
		t.Ep[tcp.Client].State == tcp.CLOSED
}

// SimultaneousOpen is the step after which both sides are ESTABLISHED,
// both having gone SYN_SENT -> SYN_RECEIVED without LISTEN.
func SimultaneousOpen(s tcp.State, a checker.Action, t tcp.State) bool {
	if t.Ep[0].State != tcp.ESTABLISHED || t.Ep[1].State != tcp.ESTABLISHED {
		return false
	}
	if s.Ep[0].State == tcp.ESTABLISHED && s.Ep[1].State == tcp.ESTABLISHED {
		return false
	}
	for i := range t.Ep {
		if !saw(&t.Ep[i], tcp.SYN_SENT, tcp.SYN_RECEIVED) || !sawNone(&t.Ep[i], tcp.LISTEN) {
			return false
		}
	}
	return true
}

// SimultaneousClose is the second 2MSL timeout after both sides went
// FIN_WAIT_1 -> CLOSING -> TIME_WAIT.
func SimultaneousClose(s tcp.State, a checker.Action, t tcp.State) bool {
	k, side, _ := tcp.Decode(a)
	if k != tcp.Timeout || s.Ep[1-side].State != tcp.CLOSED || s.Ep[1-side].End != tcp.EndTimeWait {
		return false
	}
	if !openedByHandshake(&s.Ep[tcp.Client], &s.Ep[tcp.Server]) {
		return false
	}
	for i := range t.Ep {
		if !saw(&t.Ep[i], tcp.ESTABLISHED, tcp.FIN_WAIT_1, tcp.CLOSING, tcp.TIME_WAIT) || t.Ep[i].SawState(tcp.FIN_WAIT_2) {
			return false
		}
	}
	return t.Ep[side].State == tcp.CLOSED
}

// DataTransfer is the last step of a connection that moved one octet each
// way: opened by the three-way handshake, closed as in FourWayClose, each
// application having received exactly what the other wrote.
func DataTransfer(s tcp.State, a checker.Action, t tcp.State) bool {
	k, side, _ := tcp.Decode(a)
	if k != tcp.Timeout || side != tcp.Client {
		return false
	}
	c, v := &s.Ep[tcp.Client], &s.Ep[tcp.Server]
	if c.State != tcp.TIME_WAIT || v.State != tcp.CLOSED || v.End != tcp.EndLastAck {
		return false
	}
	if !(saw(c, tcp.SYN_SENT) && sawNone(c, tcp.LISTEN, tcp.SYN_RECEIVED) && saw(v, tcp.LISTEN) && sawNone(v, tcp.SYN_SENT)) {
		return false
	}
	if c.Wrote != 1 || v.Wrote != 1 || c.Recvd != 1 || v.Recvd != 1 || !c.EOS || !v.EOS {
		return false
	}
	return saw(c, tcp.ESTABLISHED, tcp.FIN_WAIT_1, tcp.FIN_WAIT_2, tcp.TIME_WAIT) && sawNone(c, tcp.CLOSING, tcp.CLOSE_WAIT, tcp.LAST_ACK) &&
		saw(v, tcp.ESTABLISHED, tcp.CLOSE_WAIT, tcp.LAST_ACK) && sawNone(v, tcp.FIN_WAIT_1, tcp.CLOSING, tcp.TIME_WAIT) &&
		t.Ep[tcp.Client].State == tcp.CLOSED
}
