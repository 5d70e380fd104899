package tcp

import (
	"fmt"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/network"
)

// Kind is the kind of an action.
type Kind uint8

const (
	PassiveOpen Kind = iota + 1 // user: OPEN, passive (§3.10.1)
	ActiveOpen                  // user: OPEN, active, param = ISS choice (§3.10.1)
	Send                        // user: SEND one octet, param = ISS choice in LISTEN (§3.10.2)
	Close                       // user: CLOSE (§3.10.4)
	Abort                       // user: ABORT (§3.10.5)
	Segmentize                  // endpoint: send a queued octet (§3.10.2, after ESTABLISHED)
	Timeout                     // endpoint: TIME-WAIT timeout (§3.10.8)
	Arrive                      // network delivers to side: SEGMENT ARRIVES (§3.10.7); or loses
	Retransmit                  // endpoint: retransmission timeout (§3.7, §3.8.1)
	GiveUp                      // endpoint: retransmissions exhausted, R2 (§3.8.3), USER TIMEOUT (§3.10.8)
	Inject                      // attacker: a forged segment arrives at side, param = Forgery (RFC 5961)
)

// An Action is encoded as kind<<24 | side<<16 | param. For Arrive, side is
// the receiving side, and param is the network.Delivery code (high byte)
// and the index of the ISS the receiver selects if the segment is a SYN
// arriving in LISTEN (low byte). A network.Drop is an Arrive action too
// (the segment was on its way to side), in which nothing arrives.
func act(k Kind, side int, param uint16) checker.Action {
	return checker.Action(uint32(k)<<24 | uint32(side)<<16 | uint32(param))
}

// Decode splits an action into its kind, side and parameter.
func Decode(a checker.Action) (k Kind, side int, param uint16) {
	return Kind(a >> 24), int(a>>16) & 0xff, uint16(a)
}

// DeliveryOf is the network delivery of an Arrive action.
func DeliveryOf(a checker.Action) network.Delivery {
	_, _, p := Decode(a)
	return networkDelivery(p)
}

// IsUserCall reports whether k is a call of the application.
func (k Kind) IsUserCall() bool { return k >= PassiveOpen && k <= Abort }

// needsISS reports whether a SYN arriving at e in LISTEN selects an ISS.
func needsISS(e *Endpoint, seg Segment) bool {
	return e.State == LISTEN && seg.Flags == SYN
}

// Actions appends the actions enabled in s to buf.
func (c *Config) Actions(s State, buf []checker.Action) []checker.Action {
	for side := 0; side < 2; side++ {
		e := &s.Ep[side]
		if c.canPassiveOpen(&s, side) {
			buf = append(buf, act(PassiveOpen, side, 0))
		}
		if c.canActiveOpen(&s, side) {
			for i := range c.issChoices(side) {
				buf = append(buf, act(ActiveOpen, side, uint16(i)))
			}
		}
		if c.canSend(&s, side) {
			if e.State == LISTEN {
				for i := range c.issChoices(side) {
					buf = append(buf, act(Send, side, uint16(i)))
				}
			} else {
				buf = append(buf, act(Send, side, 0))
			}
		}
		if c.canClose(&s, side) {
			buf = append(buf, act(Close, side, 0))
		}
		if c.canAbort(&s, side) {
			buf = append(buf, act(Abort, side, 0))
		}
		if c.canSegmentize(&s, side) {
			buf = append(buf, act(Segmentize, side, 0))
		}
		if c.canTimeWaitTimeout(&s, side) {
			buf = append(buf, act(Timeout, side, 0))
		}
		if c.canRetransmit(&s, side) {
			buf = append(buf, act(Retransmit, side, 0))
		}
		if c.canGiveUp(&s, side) {
			buf = append(buf, act(GiveUp, side, 0))
		}
		if c.canInject(&s, side) {
			for f := Forgery(0); f < NumForgeries; f++ {
				buf = append(buf, act(Inject, side, uint16(f)))
			}
		}
	}
	var ds [4 * network.MaxCap]network.Delivery
	for side := 0; side < 2; side++ {
		ch := &s.Net[1-side]
		// The loss budget is shared by both channels (Config.Net):
		// this channel may lose while the two together have lost
		// fewer than Net.Loss.
		sem := c.Net
		if other := s.Net[side].Lost; other < sem.Loss {
			sem.Loss -= other
		} else {
			sem.Loss = 0
		}
		for _, d := range ch.Deliveries(sem, ds[:0]) {
			if d.Kind == network.Duplicate && !c.admits(&s) {
				// A duplicate leaves its original in flight: like
				// an originated segment, it needs room for the reply.
				continue
			}
			code := uint16(d.Code()) << 8
			if d.Received() && needsISS(&s.Ep[side], ch.Message(d)) {
				for i := range c.issChoices(side) {
					buf = append(buf, act(Arrive, side, code|uint16(i)))
				}
			} else {
				buf = append(buf, act(Arrive, side, code))
			}
		}
	}
	return buf
}

// Next returns the successor of s under the enabled action a.
func (c *Config) Next(s State, a checker.Action) State {
	k, side, p := Decode(a)
	switch k {
	case PassiveOpen:
		passiveOpen(&s, side)
	case ActiveOpen:
		c.activeOpen(&s, side, int(p))
	case Send:
		var iss uint32
		e := &s.Ep[side]
		if e.State == LISTEN {
			iss = c.iss(side, int(p), e.Opens)
		}
		c.send(&s, side, iss)
	case Close:
		c.close(&s, side)
	case Abort:
		c.abort(&s, side)
	case Segmentize:
		c.segmentize(&s, side)
	case Timeout:
		timeWaitTimeout(&s, side)
	case Retransmit:
		c.retransmit(&s, side)
	case GiveUp:
		giveUp(&s, side)
	case Arrive:
		d := networkDelivery(p)
		seg := s.Net[1-side].Take(d)
		if !d.Received() {
			break
		}
		var iss uint32
		if needsISS(&s.Ep[side], seg) {
			iss = c.iss(side, int(p&0xff), s.Ep[side].Opens)
		}
		c.receive(&s, side, seg, iss)
	case Inject:
		seg := forged(&s.Ep[side], Forgery(p))
		s.Ep[side].Forged++
		c.receive(&s, side, seg, 0)
	default:
		panic("tcp: unknown action")
	}
	return s
}

// receive is SEGMENT ARRIVES of seg at side, with what follows it: the
// retransmission timer restarts if new data was acknowledged, and the
// answer, if any, is sent. iss is the ISS side selects if seg is a SYN
// arriving in LISTEN.
func (c *Config) receive(s *State, side int, seg Segment, iss uint32) {
	e := &s.Ep[side]
	una := e.SndUna
	reply, ok := c.arrive(e, seg, iss)
	if e.SndUna != una && !c.mutated(MutRetxCountNeverRestarts) {
		e.Retx = 0 // new data acknowledged: the timer restarts (§3.8.1)
	}
	if ok {
		c.emit(s, side, reply)
	}
	if c.NoTimeWait && e.State == TIME_WAIT {
		// The flaw: no 2MSL wait, the TCB is deleted at once
		// (after the acknowledgment of the peer's FIN is sent).
		e.deleteTCB(EndTimeWait)
	}
}

// Label names action a taken in s.
func (c *Config) Label(s State, a checker.Action) string {
	k, side, p := Decode(a)
	who := SideNames[side] + ": "
	e := &s.Ep[side]
	conn := ""
	if c.Conns > 1 {
		conn = fmt.Sprintf(", connection %d", e.Opens+1)
	}
	switch k {
	case PassiveOpen:
		if c.Conns > 1 {
			return who + fmt.Sprintf("passive OPEN (connection %d)", e.Opens+1)
		}
		return who + "passive OPEN"
	case ActiveOpen:
		return who + fmt.Sprintf("active OPEN (ISS=%d%s)", c.iss(side, int(p), e.Opens+1), conn)
	case Send:
		if e.State == LISTEN {
			return who + fmt.Sprintf("SEND octet #%d in LISTEN: turns active (ISS=%d), octet queued", e.Wrote, c.iss(side, int(p), e.Opens))
		}
		return who + fmt.Sprintf("SEND octet #%d", e.Wrote)
	case Close:
		return who + "CLOSE"
	case Abort:
		return who + "ABORT"
	case Segmentize:
		return who + fmt.Sprintf("send queued octet #%d", e.Sent)
	case Timeout:
		return who + "2MSL timeout"
	case Retransmit:
		return who + fmt.Sprintf("retransmission timeout: resend %s (retransmission %d of %d)", oldestUnacked(e).RFC(), e.Retx+1, c.Retx)
	case GiveUp:
		return who + fmt.Sprintf("gives up after %d retransmissions (user timeout): CLOSED", c.Retx)
	case Arrive:
		d := networkDelivery(p)
		seg := s.Net[1-side].Message(d)
		verb := "deliver"
		switch d.Kind {
		case network.Drop:
			verb = "network loses"
		case network.Duplicate:
			verb = "deliver a duplicate of"
		}
		l := fmt.Sprintf("%s %s->%s %s", verb, SideNames[1-side], SideNames[side], seg.RFC())
		if d.Received() && needsISS(e, seg) {
			l += fmt.Sprintf(" (ISS=%d)", c.iss(side, int(p&0xff), e.Opens))
		}
		if sender := &s.Ep[1-side]; seg.Inc != 0 && seg.Inc < sender.Opens {
			// The ghost field names the connection the segment
			// belongs to: the sender has moved on since.
			l += fmt.Sprintf(" (old duplicate from the %s's connection %d)", SideNames[1-side], seg.Inc)
		}
		return l
	case Inject:
		return fmt.Sprintf("off-path attacker: forged %s arrives at the %s", forged(e, Forgery(p)).RFC(), SideNames[side])
	}
	return fmt.Sprintf("unknown action %#x", uint32(a))
}

func networkDelivery(p uint16) network.Delivery { return network.DeliveryOf(uint8(p >> 8)) }
