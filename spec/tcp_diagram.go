package spec

import (
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
)

// TCPCause is the kind of event behind a TCP state change.
type TCPCause uint8

const (
	CausePassiveOpen TCPCause = iota + 1 // user: passive OPEN
	CauseActiveOpen                      // user: active OPEN
	CauseSend                            // user: SEND
	CauseClose                           // user: CLOSE
	CauseAbort                           // user: ABORT
	CauseSegment                         // a segment arrives
	CauseTimeout                         // the 2MSL timeout
	CauseGiveUp                          // retransmissions exhausted (R2)
)

// causeOf classifies an action of the TCP model.
func causeOf(a checker.Action) (TCPCause, int) {
	k, side, _ := tcp.Decode(a)
	switch k {
	case tcp.PassiveOpen:
		return CausePassiveOpen, side
	case tcp.ActiveOpen:
		return CauseActiveOpen, side
	case tcp.Send:
		return CauseSend, side
	case tcp.Close:
		return CauseClose, side
	case tcp.Abort:
		return CauseAbort, side
	case tcp.Arrive, tcp.Inject:
		return CauseSegment, side
	case tcp.Timeout:
		return CauseTimeout, side
	case tcp.GiveUp:
		return CauseGiveUp, side
	}
	return 0, side
}

// TCPTransition is a state change of a TCP endpoint with its cause: an
// arrow of RFC 9293 Figure 5, or a change the figure omits, documented
// with the RFC section that prescribes it.
type TCPTransition struct {
	From, To tcp.Conn
	Cause    TCPCause
	// Rcv lists the control bits the arriving segment must carry (for
	// CauseSegment).
	Rcv uint8
	// Event is the arrow's text ("rcv SYN / snd SYN,ACK").
	Event string
	// Section is the RFC section of a documented change ("" for arrows
	// of the figure).
	Section string
	// Opened, if not 0, says how the connection must have been opened
	// (Endpoint.Passive), for changes the RFC prescribes differently
	// after a passive and an active OPEN (RST and SYN in SYN_RECEIVED).
	Opened uint8
}

// Values of TCPTransition.Opened.
const (
	openedPassively = 1
	openedActively  = 2
)

// Name is the property name of an arrow ("arrow: LISTEN -> SYN_RECEIVED").
func (tr TCPTransition) Name() string {
	return "arrow: " + tr.From.String() + " -> " + tr.To.String()
}

// TCPDiagram is RFC 9293 §3.3.2 Figure 5, arrow by arrow.
var TCPDiagram = []TCPTransition{
	{From: tcp.CLOSED, To: tcp.LISTEN, Cause: CausePassiveOpen, Event: "passive OPEN / create TCB"},
	{From: tcp.CLOSED, To: tcp.SYN_SENT, Cause: CauseActiveOpen, Event: "active OPEN / create TCB, snd SYN"},
	{From: tcp.LISTEN, To: tcp.CLOSED, Cause: CauseClose, Event: "CLOSE / delete TCB"},
	{From: tcp.LISTEN, To: tcp.SYN_RECEIVED, Cause: CauseSegment, Rcv: tcp.SYN, Event: "rcv SYN / snd SYN,ACK"},
	{From: tcp.LISTEN, To: tcp.SYN_SENT, Cause: CauseSend, Event: "SEND / snd SYN"},
	{From: tcp.SYN_SENT, To: tcp.CLOSED, Cause: CauseClose, Event: "CLOSE / delete TCB"},
	{From: tcp.SYN_SENT, To: tcp.SYN_RECEIVED, Cause: CauseSegment, Rcv: tcp.SYN, Event: "rcv SYN / snd SYN,ACK"},
	{From: tcp.SYN_SENT, To: tcp.ESTABLISHED, Cause: CauseSegment, Rcv: tcp.SYN | tcp.ACK, Event: "rcv SYN,ACK / snd ACK"},
	{From: tcp.SYN_RECEIVED, To: tcp.LISTEN, Cause: CauseSegment, Rcv: tcp.RST, Opened: openedPassively, Event: "rcv RST (note 1)"},
	{From: tcp.SYN_RECEIVED, To: tcp.ESTABLISHED, Cause: CauseSegment, Rcv: tcp.ACK, Event: "rcv ACK of SYN / x"},
	{From: tcp.SYN_RECEIVED, To: tcp.FIN_WAIT_1, Cause: CauseClose, Event: "CLOSE / snd FIN"},
	{From: tcp.ESTABLISHED, To: tcp.FIN_WAIT_1, Cause: CauseClose, Event: "CLOSE / snd FIN"},
	{From: tcp.ESTABLISHED, To: tcp.CLOSE_WAIT, Cause: CauseSegment, Rcv: tcp.FIN, Event: "rcv FIN / snd ACK"},
	{From: tcp.FIN_WAIT_1, To: tcp.FIN_WAIT_2, Cause: CauseSegment, Rcv: tcp.ACK, Event: "rcv ACK of FIN / x"},
	{From: tcp.FIN_WAIT_1, To: tcp.CLOSING, Cause: CauseSegment, Rcv: tcp.FIN, Event: "rcv FIN / snd ACK"},
	{From: tcp.FIN_WAIT_2, To: tcp.TIME_WAIT, Cause: CauseSegment, Rcv: tcp.FIN, Event: "rcv FIN / snd ACK"},
	{From: tcp.CLOSE_WAIT, To: tcp.LAST_ACK, Cause: CauseClose, Event: "CLOSE / snd FIN"},
	{From: tcp.CLOSING, To: tcp.TIME_WAIT, Cause: CauseSegment, Rcv: tcp.ACK, Event: "rcv ACK of FIN / x"},
	{From: tcp.LAST_ACK, To: tcp.CLOSED, Cause: CauseSegment, Rcv: tcp.ACK, Event: "rcv ACK of FIN / x"},
	{From: tcp.TIME_WAIT, To: tcp.CLOSED, Cause: CauseTimeout, Event: "Timeout=2MSL / delete TCB"},
}

// TCPDocumented lists the state changes Figure 5 omits, each with the
// section of RFC 9293 that prescribes it.
var TCPDocumented = func() []TCPTransition {
	out := []TCPTransition{
		{From: tcp.SYN_SENT, To: tcp.CLOSED, Cause: CauseSegment, Rcv: tcp.RST | tcp.ACK,
			Event: "rcv RST with acceptable ACK: connection reset", Section: "3.10.7.3 (second)"},
		{From: tcp.SYN_RECEIVED, To: tcp.CLOSED, Cause: CauseSegment, Rcv: tcp.RST, Opened: openedActively,
			Event: "rcv RST after active OPEN: connection refused", Section: "3.10.7.4 (second)"},
		{From: tcp.SYN_RECEIVED, To: tcp.LISTEN, Cause: CauseSegment, Rcv: tcp.SYN, Opened: openedPassively,
			Event: "rcv SYN after passive OPEN: back to LISTEN", Section: "3.10.7.4 (fourth)"},
		{From: tcp.SYN_RECEIVED, To: tcp.CLOSE_WAIT, Cause: CauseSegment, Rcv: tcp.ACK | tcp.FIN,
			Event: "rcv ACK of SYN and FIN in one segment / snd ACK", Section: "3.10.7.4 (fifth, eighth)"},
		{From: tcp.FIN_WAIT_1, To: tcp.TIME_WAIT, Cause: CauseSegment, Rcv: tcp.ACK | tcp.FIN,
			Event: "rcv FIN and ACK of FIN / snd ACK (note 2)", Section: "3.10.7.4 (eighth)"},
	}
	for _, st := range []tcp.Conn{tcp.ESTABLISHED, tcp.FIN_WAIT_1, tcp.FIN_WAIT_2, tcp.CLOSE_WAIT,
		tcp.CLOSING, tcp.LAST_ACK, tcp.TIME_WAIT} {
		out = append(out, TCPTransition{From: st, To: tcp.CLOSED, Cause: CauseSegment, Rcv: tcp.RST,
			Event: "rcv RST: connection reset (note 3)", Section: "3.10.7.4 (second)"})
	}
	for st := tcp.LISTEN; st < tcp.NumConn; st++ {
		ev := "ABORT / delete TCB"
		switch st {
		case tcp.SYN_RECEIVED, tcp.ESTABLISHED, tcp.FIN_WAIT_1, tcp.FIN_WAIT_2, tcp.CLOSE_WAIT:
			ev = "ABORT / snd RST, delete TCB"
		}
		out = append(out, TCPTransition{From: st, To: tcp.CLOSED, Cause: CauseAbort, Event: ev, Section: "3.10.5"})
	}
	for _, st := range []tcp.Conn{tcp.SYN_SENT, tcp.SYN_RECEIVED, tcp.ESTABLISHED, tcp.FIN_WAIT_1,
		tcp.CLOSE_WAIT, tcp.CLOSING, tcp.LAST_ACK} {
		out = append(out, TCPTransition{From: st, To: tcp.CLOSED, Cause: CauseGiveUp,
			Event: "retransmissions exhausted: user timeout, delete TCB", Section: "3.8.3 (R2), 3.10.8"})
	}
	return out
}()

// matches reports whether side's change s -a-> t is transition tr.
func (tr *TCPTransition) matches(s tcp.State, a checker.Action, t tcp.State, side int) bool {
	if s.Ep[side].State != tr.From || t.Ep[side].State != tr.To {
		return false
	}
	cause, actor := causeOf(a)
	if cause != tr.Cause || actor != side {
		return false
	}
	if cause == CauseSegment {
		seg, _, _ := tcp.Arriving(s, a)
		if seg.Flags&tr.Rcv != tr.Rcv {
			return false
		}
	}
	if tr.Opened != 0 && s.Ep[side].Passive != (tr.Opened == openedPassively) {
		return false
	}
	return true
}

// onDiagramOrDocumented reports whether every endpoint state change of
// s -a-> t is an arrow of Figure 5 or a documented change.
func onDiagramOrDocumented(s tcp.State, a checker.Action, t tcp.State) bool {
	for side := 0; side < 2; side++ {
		if s.Ep[side].State == t.Ep[side].State {
			continue
		}
		ok := false
		for _, list := range [][]TCPTransition{TCPDiagram, TCPDocumented} {
			for i := range list {
				if list[i].matches(s, a, t, side) {
					ok = true
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// diagramProperties turns each arrow into a SometimesStep property (the
// arrow is covered when a witness exists) and adds diagram-conformance.
func diagramProperties() []checker.Property[tcp.State] {
	var ps []checker.Property[tcp.State]
	for i := range TCPDiagram {
		tr := TCPDiagram[i]
		ps = append(ps, checker.Property[tcp.State]{
			Name:        tr.Name(),
			Kind:        checker.SometimesStep,
			Group:       "diagram",
			Description: "RFC 9293 Figure 5: " + tr.From.String() + " --" + tr.Event + "--> " + tr.To.String() + " is taken by some endpoint",
			Step: func(s tcp.State, a checker.Action, t tcp.State) bool {
				return tr.matches(s, a, t, 0) || tr.matches(s, a, t, 1)
			},
		})
	}
	ps = append(ps, checker.Property[tcp.State]{
		Name:  "diagram-conformance",
		Kind:  checker.AlwaysStep,
		Group: "diagram",
		Description: "every endpoint state change is an arrow of RFC 9293 Figure 5 (same states, same kind of event) " +
			"or a change the figure omits that is documented with its RFC section (RST handling, ABORT, note 2)",
		Step: onDiagramOrDocumented,
	})
	return ps
}
