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
	Arrive                      // network delivers to side: SEGMENT ARRIVES (§3.10.7)
)

// An Action is encoded as kind<<24 | side<<16 | param. For Arrive, side is
// the receiving side, and param is the network.Delivery code (high byte)
// and the index of the ISS the receiver selects if the segment is a SYN
// arriving in LISTEN (low byte).
func act(k Kind, side int, param uint16) checker.Action {
	return checker.Action(uint32(k)<<24 | uint32(side)<<16 | uint32(param))
}

// Decode splits an action into its kind, side and parameter.
func Decode(a checker.Action) (k Kind, side int, param uint16) {
	return Kind(a >> 24), int(a>>16) & 0xff, uint16(a)
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
		if canPassiveOpen(&s, side) {
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
		if e.State == TIME_WAIT {
			buf = append(buf, act(Timeout, side, 0))
		}
	}
	var ds [network.MaxCap]network.Delivery
	for side := 0; side < 2; side++ {
		ch := &s.Net[1-side]
		for _, d := range ch.Deliveries(c.Net, ds[:0]) {
			code := uint16(d.Code()) << 8
			if d.Kind == network.Deliver && needsISS(&s.Ep[side], ch.Message(d)) {
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
		c.activeOpen(&s, side, c.issChoices(side)[p])
	case Send:
		var iss uint32
		if s.Ep[side].State == LISTEN {
			iss = c.issChoices(side)[p]
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
	case Arrive:
		d := network.DeliveryOf(uint8(p >> 8))
		seg := s.Net[1-side].Take(d)
		var iss uint32
		if needsISS(&s.Ep[side], seg) {
			iss = c.issChoices(side)[p&0xff]
		}
		if reply, ok := c.arrive(&s.Ep[side], seg, iss); ok {
			c.emit(&s, side, reply)
		}
	default:
		panic("tcp: unknown action")
	}
	return s
}

// Label names action a taken in s.
func (c *Config) Label(s State, a checker.Action) string {
	k, side, p := Decode(a)
	who := SideNames[side] + ": "
	switch k {
	case PassiveOpen:
		return who + "passive OPEN"
	case ActiveOpen:
		return who + fmt.Sprintf("active OPEN (ISS=%d)", c.issChoices(side)[p])
	case Send:
		e := &s.Ep[side]
		if e.State == LISTEN {
			return who + fmt.Sprintf("SEND octet #%d in LISTEN: turns active (ISS=%d), octet queued", e.Wrote, c.issChoices(side)[p])
		}
		return who + fmt.Sprintf("SEND octet #%d", e.Wrote)
	case Close:
		return who + "CLOSE"
	case Abort:
		return who + "ABORT"
	case Segmentize:
		return who + fmt.Sprintf("send queued octet #%d", s.Ep[side].Sent)
	case Timeout:
		return who + "2MSL timeout"
	case Arrive:
		d := network.DeliveryOf(uint8(p >> 8))
		seg := s.Net[1-side].Message(d)
		l := fmt.Sprintf("deliver %s->%s %s", SideNames[1-side], SideNames[side], seg.RFC())
		if needsISS(&s.Ep[side], seg) {
			l += fmt.Sprintf(" (ISS=%d)", c.issChoices(side)[p&0xff])
		}
		return l
	}
	return fmt.Sprintf("unknown action %#x", uint32(a))
}

func networkDelivery(p uint16) network.Delivery { return network.DeliveryOf(uint8(p >> 8)) }
