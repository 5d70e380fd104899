package tcpabstract

import (
	"fmt"
	"math/bits"

	"github.com/handshake/handshake/checker"
)

// Config selects a configuration of the specification.
type Config struct {
	// MC selects the specification's model-checking configuration: two
	// initial states (one per node n: n in SYN-SENT, the other in LISTEN
	// with a SYN addressed to it, both tcb true), the state constraint "no
	// network holds two equal messages in a row", the action constraint
	// dropping active open, passive open and send-in-LISTEN, liveness and
	// deadlock checking.
	MC bool
	// Capacity bounds each network: an action that would append to a full
	// network is disabled. At most MaxNetwork. In the MC configuration the
	// capacity is MaxNetwork and the invariant "network-within-bound"
	// verifies it is never reached, so the bound does not cut behaviours.
	Capacity int
}

// Actions appends the enabled actions of s, peer 0's before peer 1's, each
// in Kind order.
func (c Config) Actions(s State, buf []checker.Action) []checker.Action {
	for l := 0; l < 2; l++ {
		for mask := enabledKinds[guardKey(s, l, c.Capacity)]; mask != 0; mask &= mask - 1 {
			buf = append(buf, Encode(Kind(bits.TrailingZeros32(mask)), l))
		}
	}
	return buf
}

// Next applies an enabled action.
func (c Config) Next(s State, a checker.Action) State {
	k, l := Decode(a)
	return next(s, k, l)
}

// Init returns the initial states.
func (c Config) Init() []State {
	if !c.MC {
		return []State{0} // both CLOSED, tcb false, networks empty
	}
	var out []State
	for n := 0; n < 2; n++ {
		var conn [2]ConnState
		var network [2][]Msg
		conn[n], conn[1-n] = SynSent, Listen
		network[1-n] = []Msg{SYN}
		out = append(out, Make(conn, [2]bool{true, true}, network))
	}
	return out
}

// NoRepeats is the MC state constraint: no network holds two equal
// messages in a row.
func NoRepeats(s State) bool {
	for p := 0; p < 2; p++ {
		n := s.net(p)
		for n>>3 != 0 {
			if n&7 == n>>3&7 {
				return false
			}
			n >>= 3
		}
	}
	return true
}

// AllowMC is the MC action constraint: active open, passive open and
// send-in-LISTEN transitions are dropped.
func AllowMC(s State, a checker.Action, t State) bool {
	k, _ := Decode(a)
	return k != ActiveOpen && k != PassiveOpen && k != SendListen
}

// EstablishedTogether is the specification's invariant: when both networks
// are empty, one peer is ESTABLISHED iff the other is.
func EstablishedTogether(s State) bool {
	if s.net(0) != 0 || s.net(1) != 0 {
		return true
	}
	return (s.Conn(0) == Established) == (s.Conn(1) == Established)
}

// Model builds the checker model of the configuration.
func (c Config) Model() checker.Model[State] {
	if c.MC {
		c.Capacity = MaxNetwork
	}
	if c.Capacity < 1 || c.Capacity > MaxNetwork {
		panic(fmt.Sprintf("tcpabstract: capacity %d outside [1, %d]", c.Capacity, MaxNetwork))
	}
	m := checker.Model[State]{
		Name:    "tcp-abstract",
		Init:    c.Init,
		Actions: c.Actions,
		Next:    c.Next,
		Label: func(s State, a checker.Action) string {
			k, l := Decode(a)
			return fmt.Sprintf("peer%d: %s", l, k)
		},
		Format:   State.String,
		Lanes:    []string{"peer0", "peer1"},
		Describe: describe,
		Properties: []checker.Property[State]{{
			Name:        "established-together",
			Kind:        checker.Always,
			Description: "when both networks are empty, one peer is ESTABLISHED iff the other is (the specification's Inv)",
			Holds:       EstablishedTogether,
		}},
	}
	if !c.MC {
		return m
	}
	m.Within = NoRepeats
	m.Allow = AllowMC
	m.CheckDeadlock = true
	m.Properties = append(m.Properties, checker.Property[State]{
		Name:        "network-within-bound",
		Kind:        checker.Always,
		Description: fmt.Sprintf("no network reaches the representation bound of %d messages, so the bound never disables a send", MaxNetwork),
		Holds: func(s State) bool {
			return s.Len(0) < MaxNetwork && s.Len(1) < MaxNetwork
		},
	})
	fair := []checker.Fairness[State]{
		{Name: "system actions", Action: func(a checker.Action) bool { k, _ := Decode(a); return k.IsSystem() }},
		{Name: "CLOSE in SYN-SENT", Action: func(a checker.Action) bool { k, _ := Decode(a); return k == CloseSynSent }},
	}
	for p := 0; p < 2; p++ {
		p := p
		m.Properties = append(m.Properties, checker.Property[State]{
			Name: fmt.Sprintf("peer%d-syn-sent-leads-to-established-listen-or-closed", p),
			Kind: checker.Eventually,
			Description: fmt.Sprintf("peer%d in SYN-SENT eventually is ESTABLISHED, LISTEN or CLOSED, under weak fairness of "+
				"all system actions together and of CLOSE in SYN-SENT", p),
			From: func(s State) bool { return s.Conn(p) == SynSent },
			Holds: func(s State) bool {
				c := s.Conn(p)
				return c == Established || c == Listen || c == Closed
			},
			Fair: fair,
		})
	}
	return m
}

// describe gives the diagram events of a transition: the message received
// and sent and the local peer's new state.
func describe(s State, a checker.Action, t State) []checker.Event {
	k, l := Decode(a)
	tr := &transitions[k]
	var ev []checker.Event
	if tr.rcv != 0 {
		ev = append(ev, checker.Event{Kind: checker.Receive, Lane: l, Peer: 1 - l, Text: tr.rcv.String()})
		if k == FinWait1RcvFinAckOfFin {
			ev = append(ev, checker.Event{Kind: checker.Receive, Lane: l, Peer: 1 - l, Text: ACKofFIN.String()})
		}
	}
	if tr.snd != 0 {
		ev = append(ev, checker.Event{Kind: checker.Send, Lane: l, Peer: 1 - l, Text: tr.snd.String()})
	}
	if s.Conn(l) != t.Conn(l) {
		ev = append(ev, checker.Event{Kind: checker.Change, Lane: l, Text: t.Conn(l).String()})
	}
	return ev
}
