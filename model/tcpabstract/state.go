// Package tcpabstract is a port of the community TLA+ specification of the
// RFC 9293 connection state machine without sequence numbers
// (tlaplus/Examples, specifications/tcp, by M. Kuppe).
//
// Two peers, 0 and 1. Each peer p has connstate[p] (one of the eleven RFC
// 9293 §3.3.2 states), tcb[p] (whether a transmission control block
// exists) and network[p]: the FIFO sequence of messages addressed to p.
// For an action of the local peer l, r is the other peer; "send m" appends
// m to network[r], "receive m" needs m at the head of network[l] and
// removes it.
//
// A whole state is packed into one uint64 (State), so the checker stores
// it exactly: the fingerprint is an injective function of the state and no
// hash collision can lose a state. Bits 0-3 and 4-7 hold connstate, bits 8
// and 9 hold tcb, bits 10-36 network[0] and bits 37-63 network[1], each a
// sequence of up to MaxNetwork 3-bit message codes (0 marks the end).
package tcpabstract

import (
	"fmt"
	"math/bits"
	"strings"
)

// ConnState is a connection state of RFC 9293 §3.3.2.
type ConnState uint8

// The connection states, in the order of the TLA+ specification's States.
const (
	Closed ConnState = iota
	Listen
	SynSent
	SynReceived
	Established
	FinWait1
	FinWait2
	CloseWait
	Closing
	LastAck
	TimeWait
	numConnStates
)

var connStateNames = [numConnStates]string{
	"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED",
	"FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT",
}

func (c ConnState) String() string {
	if c < numConnStates {
		return connStateNames[c]
	}
	return fmt.Sprintf("ConnState(%d)", uint8(c))
}

// Msg is a message of the specification's network alphabet.
type Msg uint8

// The messages. Code 0 is reserved for "no message".
const (
	SYN Msg = iota + 1
	SYNACK
	ACK
	RST
	FIN
	ACKofFIN
)

var msgNames = [...]string{"", "SYN", "SYN,ACK", "ACK", "RST", "FIN", "ACKofFIN"}

func (m Msg) String() string {
	if int(m) < len(msgNames) && m != 0 {
		return msgNames[m]
	}
	return fmt.Sprintf("Msg(%d)", uint8(m))
}

// MaxNetwork is the most messages a network[p] sequence can hold in the
// packed representation.
const MaxNetwork = 9

const (
	netBits  = 3 * MaxNetwork // 27
	netMask  = 1<<netBits - 1
	net0Shft = 10
	net1Shft = net0Shft + netBits
)

// State is a whole state of the specification, packed (see the package
// documentation).
type State uint64

// Conn returns connstate[p].
func (s State) Conn(p int) ConnState { return ConnState(s >> (4 * p) & 0xf) }

// TCB returns tcb[p].
func (s State) TCB(p int) bool { return s>>(8+p)&1 == 1 }

// net returns network[p] as packed codes, head in the low bits.
func (s State) net(p int) uint64 { return uint64(s) >> (net0Shft + netBits*p) & netMask }

// Len returns the length of network[p].
func (s State) Len(p int) int {
	return (bits.Len64(s.net(p)) + 2) / 3
}

// Head returns the first message of network[p], or 0 if it is empty.
func (s State) Head(p int) Msg { return Msg(s.net(p) & 7) }

// At returns message i of network[p] (0 if absent).
func (s State) At(p, i int) Msg { return Msg(s.net(p) >> (3 * i) & 7) }

// Network returns network[p] as a slice (for printing and tests).
func (s State) Network(p int) []Msg {
	var out []Msg
	for n := s.net(p); n != 0; n >>= 3 {
		out = append(out, Msg(n&7))
	}
	return out
}

func (s State) withConn(p int, c ConnState) State {
	sh := 4 * p
	return s&^(0xf<<sh) | State(c)<<sh
}

func (s State) withTCB(p int, b bool) State {
	bit := State(1) << (8 + p)
	if b {
		return s | bit
	}
	return s &^ bit
}

func (s State) withNet(p int, n uint64) State {
	sh := net0Shft + netBits*p
	return s&^(netMask<<sh) | State(n)<<sh
}

// send appends m to network[p]; the caller has checked there is room.
func (s State) send(p int, m Msg) State {
	n := s.net(p)
	return s.withNet(p, n|uint64(m)<<(3*s.Len(p)))
}

// pop removes the head of network[p].
func (s State) pop(p int) State { return s.withNet(p, s.net(p)>>3) }

// Make builds a state from its parts (for initial states and tests).
func Make(conn [2]ConnState, tcb [2]bool, network [2][]Msg) State {
	var s State
	for p := 0; p < 2; p++ {
		s = s.withConn(p, conn[p]).withTCB(p, tcb[p])
		if len(network[p]) > MaxNetwork {
			panic("tcpabstract: network longer than MaxNetwork")
		}
		for _, m := range network[p] {
			s = s.send(p, m)
		}
	}
	return s
}

// String renders the state as in TLC's output.
func (s State) String() string {
	var b strings.Builder
	for p := 0; p < 2; p++ {
		if p > 0 {
			b.WriteString("  ")
		}
		fmt.Fprintf(&b, "peer%d: %s tcb=%t network=<<", p, s.Conn(p), s.TCB(p))
		for i, m := range s.Network(p) {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(m.String())
		}
		b.WriteString(">>")
	}
	return b.String()
}
