package https

import (
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/network"
	"github.com/handshake/handshake/model/tcp"
)

// Kind is the kind of an action of the layers above TCP. TCP's own steps
// keep tcp's encoding (tcp.Decode); these kinds start above tcp's.
type Kind uint8

const (
	Open        Kind = 0x40 + iota // application: OPEN (client active, server passive)
	Write                          // application: SEND the next unit (param = unit)
	Read                           // application: RECEIVE one unit (server, request: param 1 = respond with Connection: close)
	ReadEOF                        // application: read end-of-stream
	Idle                           // server: idle timeout, decides to close
	CloseCall                      // application: CLOSE (after its close_notify)
	Release                        // application: close the socket; ABORT if data is unread
	ResetLate                      // TCP of a released socket: data arrived, ABORT (RST)
	NoticeReset                    // application: learns its connection was reset
	InjectFIN                      // attacker: forge a FIN,ACK towards side
	InjectRST                      // attacker: forge a RST towards side
	Drop                           // attacker: drop segment param on the channel towards side
)

func act(k Kind, side int, param uint16) checker.Action {
	return checker.Action(uint32(k)<<24 | uint32(side)<<16 | uint32(param))
}

// Decode splits an action of the layers above TCP; ok is false for a TCP
// step (decode it with tcp.Decode).
func Decode(a checker.Action) (k Kind, side int, param uint16, ok bool) {
	k = Kind(a >> 24)
	return k, int(a>>16) & 0xff, uint16(a), k >= Open
}

// Forged is the ghost connection number (tcp.Segment.Inc) of a segment
// the attacker injected.
const Forged = 0xff

// model holds a configuration and the TCP configuration under it.
type model struct {
	c   Config
	tcp tcp.Config
}

// Init is the initial state: both TCP endpoints CLOSED, nothing sent.
func Init() State { return State{T: tcp.Init()} }

// Model builds the checker model of configuration c, without properties.
// It panics if c is invalid; call Validate first.
func Model(c Config) checker.Model[State] {
	if err := c.Validate(); err != nil {
		panic(err)
	}
	m := &model{c: c, tcp: c.TCP()}
	lanes := []string{"client app", "client TCP", "server TCP", "server app"}
	if c.Attacker > 0 {
		lanes = []string{"client app", "client TCP", "attacker", "server TCP", "server app"}
	}
	return checker.Model[State]{
		Name:          "https",
		Init:          func() []State { return []State{Init()} },
		Actions:       m.Actions,
		Next:          m.Next,
		Label:         m.Label,
		Format:        m.Format,
		CheckDeadlock: true,
		EndState:      m.EndState,
		Lanes:         lanes,
		Describe:      m.Describe,
	}
}

// userCalls records which of tcp's user calls tcp enables in a state.
type userCalls struct {
	open, close, abort [2]bool
}

// Actions appends the actions enabled in s.
func (m *model) Actions(s State, buf []checker.Action) []checker.Action {
	var tb [64]checker.Action
	var u userCalls
	for _, a := range m.tcp.Actions(s.T, tb[:0]) {
		k, side, p := tcp.Decode(a)
		switch k {
		case tcp.ActiveOpen, tcp.PassiveOpen:
			u.open[side] = p == 0
		case tcp.Close:
			u.close[side] = true
		case tcp.Abort:
			u.abort[side] = true
		case tcp.Send:
			// tcp's own application (Config.Data = 0) never sends.
		default:
			buf = append(buf, a)
		}
	}
	buf = m.clientActions(&s, &u, buf)
	buf = m.serverActions(&s, &u, buf)
	return m.attackerActions(&s, buf)
}

// Next returns the successor of s under a.
func (m *model) Next(s State, a checker.Action) State {
	k, side, p, ok := Decode(a)
	if !ok {
		s.T = m.tcp.Next(s.T, a)
		return s
	}
	switch k {
	case InjectFIN, InjectRST, Drop:
		m.attack(&s, k, side, p)
	default:
		if side == Client {
			m.clientStep(&s, k, p)
		} else {
			m.serverStep(&s, k, p)
		}
	}
	return s
}

// tcpCall applies tcp's user call k for side.
func (m *model) tcpCall(s *State, k tcp.Kind, side int) {
	s.T = m.tcp.Next(s.T, tcp.Act(k, side, 0))
}

// write SENDs unit u on side's connection and records it.
func (m *model) write(s *State, side int, u Unit) {
	e := &s.T.Ep[side]
	if int(e.Wrote) < MaxUnits && e.Opens >= 1 {
		s.App[side].Units[e.Opens-1][e.Wrote] = u
	}
	m.tcpCall(s, tcp.Send, side)
}

// flushed reports whether side's receive queue is gone: the connection
// was reset (RFC 9293 §3.10.7.4 "second": "all segment queues should be
// flushed"), aborted, or given up on (§3.10.8).
func flushed(e *tcp.Endpoint) bool {
	return e.State == tcp.CLOSED && (e.End == tcp.EndReset || e.End == tcp.EndAbort || e.End == tcp.EndGiveUp)
}

// next is the unit side's application would read next: the one at offset
// Read of the peer connection its TCP connection is paired with.
func next(s *State, side int) (Unit, bool) {
	e, a := &s.T.Ep[side], &s.App[side]
	if a.Released || flushed(e) || e.Recvd <= a.Read || e.PeerInc == 0 || e.PeerInc > MaxConns || a.Read >= MaxUnits {
		return NoUnit, false
	}
	return s.App[1-side].Units[e.PeerInc-1][a.Read], true
}

// canReadEOF: all data before the FIN has been read.
func canReadEOF(s *State, side int) bool {
	e, a := &s.T.Ep[side], &s.App[side]
	return e.EOS && !a.EOF && !a.Released && !flushed(e) && a.Read == e.Recvd
}

// reopened restarts side's per-connection state after its OPEN.
func reopened(s *State, side int) {
	a := &s.App[side]
	units := a.Units
	*a = Side{Units: units}
	if side == Client {
		s.Got = [MaxReqs]uint8{}
		s.SrvClose = false
	} else {
		s.Proc = [MaxReqs]bool{}
		s.Resp = [MaxReqs]uint8{}
		s.CloseAfter = false
	}
}

// open is OPEN: tcp's active or passive OPEN, and a fresh connection.
func (m *model) open(s *State, side int) {
	if side == Client {
		m.tcpCall(s, tcp.ActiveOpen, side)
	} else {
		m.tcpCall(s, tcp.PassiveOpen, side)
	}
	e := &s.T.Ep[side]
	if e.Opens >= 1 && int(e.Opens) <= MaxConns {
		s.App[side].Units[e.Opens-1] = [MaxUnits]Unit{}
	}
	reopened(s, side)
}

// release closes side's socket (close(2) after its CLOSE): with data
// unread, or still arriving later (ResetLate), its TCP resets the
// connection (RFC 1122 §4.2.2.13: "If such a host issues a CLOSE call
// while received data is still pending in TCP, or if new data is received
// after CLOSE is called, its TCP SHOULD send a RST to show that data was
// lost"), with tcp's ABORT.
func (m *model) release(s *State, side int, abort bool) {
	s.App[side].Released = true
	if abort {
		m.tcpCall(s, tcp.Abort, side)
	}
}

// unread reports whether side's TCP holds received data its application
// has not read.
func unread(s *State, side int) bool {
	e := &s.T.Ep[side]
	return e.Recvd > s.App[side].Read && !flushed(e)
}

// resetSends reports whether tcp's ABORT in st resets the peer (§3.10.5).
func resetSends(st tcp.Conn) bool {
	switch st {
	case tcp.SYN_RECEIVED, tcp.ESTABLISHED, tcp.FIN_WAIT_1, tcp.FIN_WAIT_2, tcp.CLOSE_WAIT:
		return true
	}
	return false
}

// EndState: nothing in flight, the client's requests all settled and its
// socket closed, its TCP CLOSED, the server's TCP CLOSED or LISTENing for
// a connection that will not come.
func (m *model) EndState(s State) bool {
	if s.T.InFlight() != 0 || s.T.Ep[Client].State != tcp.CLOSED {
		return false
	}
	for r := 0; r < m.c.Requests; r++ {
		if s.Req[r] != Done && s.Req[r] != Failed {
			return false
		}
	}
	if s.T.Ep[Client].Opens > 0 && !s.App[Client].Released {
		return false
	}
	st := s.T.Ep[Server].State
	return st == tcp.LISTEN || (st == tcp.CLOSED && s.App[Server].Released)
}

// network room for one more originated segment (tcp.Config.Cap).
func (m *model) admits(s *State) bool { return s.T.InFlight() < m.c.Cap }

var _ = network.Drop
