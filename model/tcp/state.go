package tcp

import "github.com/handshake/handshake/model/network"

// Conn is a connection state of RFC 9293 §3.3.2.
type Conn uint8

// The states of RFC 9293 §3.3.2, named as there (with underscores).
const (
	CLOSED Conn = iota
	LISTEN
	SYN_SENT
	SYN_RECEIVED
	ESTABLISHED
	FIN_WAIT_1
	FIN_WAIT_2
	CLOSE_WAIT
	CLOSING
	LAST_ACK
	TIME_WAIT
	NumConn // number of states
)

var connNames = [...]string{"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
	"FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"}

// Synchronized reports whether c is one of the synchronized states of
// RFC 9293 §3.10.7.4 and §3.5.2: ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2,
// CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT.
func (c Conn) Synchronized() bool { return c >= ESTABLISHED && c <= TIME_WAIT }

func (c Conn) String() string {
	if c < NumConn {
		return connNames[c]
	}
	return "Conn(?)"
}

// ConnByName finds a state by its name ("SYN_RECEIVED").
func ConnByName(name string) (Conn, bool) {
	for i, n := range connNames {
		if n == name {
			return Conn(i), true
		}
	}
	return 0, false
}

// End says how an endpoint's connection ended (its application's view).
type End uint8

const (
	EndNone     End = iota // not ended
	EndClose               // CLOSE in LISTEN or SYN_SENT (§3.10.4)
	EndAbort               // user ABORT (§3.10.5)
	EndReset               // RST received (§3.10.7.3, §3.10.7.4 second)
	EndLastAck             // ACK of our FIN in LAST_ACK (§3.10.7.4 fifth)
	EndTimeWait            // 2MSL timeout in TIME_WAIT (§3.10.8)
	EndGiveUp              // retransmissions exhausted: R2 reached (§3.8.3), USER TIMEOUT (§3.10.8)
)

var endNames = [...]string{"", "closed", "aborted", "reset", "last ACK", "2MSL timeout", "gave up retransmitting"}

// quiet reports whether an end is abnormal: no TIME_WAIT followed it,
// so segments of the connection may still be in the network (see
// Config.canOpen).
func (e End) quiet() bool { return e == EndAbort || e == EndReset || e == EndGiveUp }

func (e End) String() string {
	if int(e) < len(endNames) {
		return endNames[e]
	}
	return "End(?)"
}

// MaxConns is the largest number of connections a side may open in
// sequence (Config.Conns).
const MaxConns = 3

// MaxData is the largest number of data segments a side's application may
// send (the capacity of the received-tags array).
const MaxData = 3

// Endpoint is one side: the TCB variables of RFC 9293 §3.3.1 the model
// needs, and the bookkeeping of the application above it. A deleted TCB
// (CLOSED) has its RFC variables zeroed.
type Endpoint struct {
	TCB

	// Seen has bit 1<<c set for every state c this endpoint has been in.
	Seen uint16

	Opens uint8
	Wrote uint8 // data octets the application has written (SEND)
	Sent  uint8 // data octets segmentized and sent; Wrote-Sent are queued
	Recvd uint8 // data octets delivered to the application, in order
	// RecvdAtEOS is Recvd when the application saw end-of-stream.
	RecvdAtEOS  uint8
	EOS         bool // the application has seen end-of-stream
	CloseCalled bool // the application has called CLOSE
	// Received holds the tags of the octets delivered, in order.
	Received [MaxData]uint8
	// Retx counts the retransmissions of the oldest unacknowledged
	// segment (§3.8.3); it restarts when SND.UNA advances.
	Retx uint8

	// Ghost variables, for the properties only (the protocol never reads
	// them). Opens is the number of this endpoint's current connection
	// (its incarnation); every segment carries its sender's (Segment.Inc).
	// PeerInc is the incarnation of the peer whose SYN this connection
	// accepted (0: none yet), and Paired[k-1] the one connection k
	// accepted, kept after the connection ends.
	PeerInc uint8
	Paired  [MaxConns]uint8
	// Forged counts the segments an off-path attacker has injected into
	// this endpoint (see Config.Inject). It outlives the TCB.
	Forged uint8
	Pad    [2]uint8 // always 0 (no padding bytes in states)
}

// SawState reports whether the endpoint has ever been in state c.
func (e *Endpoint) SawState(c Conn) bool { return e.Seen&(1<<c) != 0 }

func (e *Endpoint) enter(c Conn) { e.TCB.enter(c, &e.Seen) }

// deleteTCB enters CLOSED and forgets the RFC variables (§3.10: "delete
// the TCB") and the retransmission count.
func (e *Endpoint) deleteTCB(why End) {
	e.TCB.deleteTCB(why, &e.Seen)
	e.Retx = 0
}

// reopen starts connection number Opens+1: the application's per
// connection bookkeeping starts afresh; Opens, Paired and Forged are kept.
func (e *Endpoint) reopen() {
	opens, paired, forged := e.Opens, e.Paired, e.Forged
	*e = Endpoint{Opens: opens + 1, Paired: paired, Forged: forged, Seen: 1 << CLOSED}
}

// Sides of the connection.
const (
	Client = 0
	Server = 1
)

// SideNames names the sides (and the sequence-diagram lanes).
var SideNames = [2]string{"client", "server"}

// State is the whole system: both endpoints and the network, where Net[i]
// carries the segments sent by side i to side 1-i.
type State struct {
	Ep  [2]Endpoint
	Net [2]network.Channel[Segment]
}

// InFlight is the number of segments in the network.
func (s *State) InFlight() int { return int(s.Net[0].Len + s.Net[1].Len) }
