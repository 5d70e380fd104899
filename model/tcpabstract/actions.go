package tcpabstract

import "github.com/handshake/handshake/checker"

// Kind is one of the specification's actions, for a given local peer.
type Kind uint8

// The actions of the local peer l (r is the other peer), as in the TLA+
// specification: user calls, system (segment arrival and timer) actions
// and reset actions.
const (
	// User actions.
	PassiveOpen      Kind = iota // CLOSED -> LISTEN, tcb true
	ActiveOpen                   // CLOSED -> SYN-SENT, send SYN, tcb true
	CloseSynSent                 // SYN-SENT -> CLOSED, tcb false
	CloseSynReceived             // SYN-RECEIVED -> FIN-WAIT-1, send FIN
	SendListen                   // LISTEN -> SYN-SENT, send SYN
	CloseListen                  // LISTEN -> CLOSED, tcb false
	CloseEstablished             // ESTABLISHED -> FIN-WAIT-1, send FIN
	CloseCloseWait               // CLOSE-WAIT -> LAST-ACK, send FIN

	// System actions.
	SynSentRcvSyn          // SYN-SENT, rcv SYN -> SYN-RECEIVED, send SYN,ACK
	SynSentRcvSynAck       // SYN-SENT, rcv SYN,ACK -> ESTABLISHED, send ACK
	SynReceivedRcvRst      // SYN-RECEIVED, rcv RST -> LISTEN
	SynReceivedRcvAck      // SYN-RECEIVED, rcv ACK -> ESTABLISHED
	ListenRcvSyn           // LISTEN, rcv SYN -> SYN-RECEIVED, send SYN,ACK
	EstablishedRcvFin      // ESTABLISHED, rcv FIN -> CLOSE-WAIT, send ACKofFIN
	FinWait1RcvFin         // FIN-WAIT-1, rcv FIN -> CLOSING, send ACKofFIN
	FinWait1RcvAckOfFin    // FIN-WAIT-1, rcv ACKofFIN -> FIN-WAIT-2
	FinWait2RcvFin         // FIN-WAIT-2, rcv FIN -> TIME-WAIT, send ACKofFIN
	ClosingRcvAckOfFin     // CLOSING, rcv ACKofFIN -> TIME-WAIT
	LastAckRcvAckOfFin     // LAST-ACK, rcv ACKofFIN -> CLOSED
	TimeWaitTimeout        // TIME-WAIT, tcb -> CLOSED, tcb false
	FinWait1RcvFinAckOfFin // FIN-WAIT-1, rcv FIN then ACKofFIN -> TIME-WAIT, send ACKofFIN

	// Reset actions.
	SendRst        // tcb: send RST, -> TIME-WAIT (from any state)
	RcvRstToListen // rcv RST -> LISTEN (from any state)
	RcvRstToClosed // rcv RST -> CLOSED (from any state)

	numKinds
)

var kindNames = [numKinds]string{
	"passive OPEN", "active OPEN", "CLOSE in SYN-SENT", "CLOSE in SYN-RECEIVED",
	"SEND in LISTEN", "CLOSE in LISTEN", "CLOSE in ESTABLISHED", "CLOSE in CLOSE-WAIT",
	"SYN-SENT rcv SYN", "SYN-SENT rcv SYN,ACK", "SYN-RECEIVED rcv RST", "SYN-RECEIVED rcv ACK",
	"LISTEN rcv SYN", "ESTABLISHED rcv FIN", "FIN-WAIT-1 rcv FIN", "FIN-WAIT-1 rcv ACKofFIN",
	"FIN-WAIT-2 rcv FIN", "CLOSING rcv ACKofFIN", "LAST-ACK rcv ACKofFIN", "TIME-WAIT timeout",
	"FIN-WAIT-1 rcv FIN,ACKofFIN", "send RST", "rcv RST -> LISTEN", "rcv RST -> CLOSED",
}

func (k Kind) String() string { return kindNames[k] }

// IsUser, IsSystem and IsReset classify the kinds as the specification
// groups them.
func (k Kind) IsUser() bool   { return k <= CloseCloseWait }
func (k Kind) IsSystem() bool { return k >= SynSentRcvSyn && k <= FinWait1RcvFinAckOfFin }
func (k Kind) IsReset() bool  { return k >= SendRst }

// Encode packs a kind and its local peer into a checker.Action.
func Encode(k Kind, local int) checker.Action { return checker.Action(k)<<1 | checker.Action(local) }

// Decode unpacks a checker.Action.
func Decode(a checker.Action) (Kind, int) { return Kind(a >> 1), int(a & 1) }

// transition describes a kind that needs the local peer in state from
// (any state if anyState), optionally receives rcv, optionally sends snd,
// and moves to state to. tcb is 0 (unchanged), 1 (true) or 2 (false).
type transition struct {
	from     ConnState
	anyState bool
	needTCB  bool
	rcv      Msg
	snd      Msg
	to       ConnState
	tcb      uint8
}

var transitions = [numKinds]transition{
	PassiveOpen:            {from: Closed, to: Listen, tcb: 1},
	ActiveOpen:             {from: Closed, snd: SYN, to: SynSent, tcb: 1},
	CloseSynSent:           {from: SynSent, to: Closed, tcb: 2},
	CloseSynReceived:       {from: SynReceived, snd: FIN, to: FinWait1},
	SendListen:             {from: Listen, snd: SYN, to: SynSent},
	CloseListen:            {from: Listen, to: Closed, tcb: 2},
	CloseEstablished:       {from: Established, snd: FIN, to: FinWait1},
	CloseCloseWait:         {from: CloseWait, snd: FIN, to: LastAck},
	SynSentRcvSyn:          {from: SynSent, rcv: SYN, snd: SYNACK, to: SynReceived},
	SynSentRcvSynAck:       {from: SynSent, rcv: SYNACK, snd: ACK, to: Established},
	SynReceivedRcvRst:      {from: SynReceived, rcv: RST, to: Listen},
	SynReceivedRcvAck:      {from: SynReceived, rcv: ACK, to: Established},
	ListenRcvSyn:           {from: Listen, rcv: SYN, snd: SYNACK, to: SynReceived},
	EstablishedRcvFin:      {from: Established, rcv: FIN, snd: ACKofFIN, to: CloseWait},
	FinWait1RcvFin:         {from: FinWait1, rcv: FIN, snd: ACKofFIN, to: Closing},
	FinWait1RcvAckOfFin:    {from: FinWait1, rcv: ACKofFIN, to: FinWait2},
	FinWait2RcvFin:         {from: FinWait2, rcv: FIN, snd: ACKofFIN, to: TimeWait},
	ClosingRcvAckOfFin:     {from: Closing, rcv: ACKofFIN, to: TimeWait},
	LastAckRcvAckOfFin:     {from: LastAck, rcv: ACKofFIN, to: Closed},
	TimeWaitTimeout:        {from: TimeWait, needTCB: true, to: Closed, tcb: 2},
	FinWait1RcvFinAckOfFin: {from: FinWait1, rcv: FIN, snd: ACKofFIN, to: TimeWait}, // also needs ACKofFIN second
	SendRst:                {anyState: true, needTCB: true, snd: RST, to: TimeWait},
	RcvRstToListen:         {anyState: true, rcv: RST, to: Listen},
	RcvRstToClosed:         {anyState: true, rcv: RST, to: Closed},
}

// Whether a kind of peer l is enabled depends only on five facts about the
// state, which guardKey packs into 10 bits: connstate[l], tcb[l], the
// first message of network[l], whether the second is ACKofFIN, and
// whether network[r] has room. enabledKinds maps each key to the set of
// enabled kinds, computed once from the transition table by enabled, so
// that Actions costs a table lookup per peer.
var enabledKinds [1 << 10]uint32

func guardKey(s State, l, capacity int) uint32 {
	k := uint32(s.Conn(l)) | uint32(s>>(8+l)&1)<<4 | uint32(s.Head(l))<<5
	if s.At(l, 1) == ACKofFIN {
		k |= 1 << 8
	}
	if s.Len(1-l) < capacity {
		k |= 1 << 9
	}
	return k
}

func init() {
	for key := uint32(0); key < 1<<10; key++ {
		conn, tcb, head := ConnState(key&15), key>>4&1 == 1, Msg(key>>5&7)
		if conn >= numConnStates || head > ACKofFIN {
			continue
		}
		var network [2][]Msg
		if head != 0 {
			network[0] = []Msg{head}
			if key>>8&1 == 1 {
				network[0] = append(network[0], ACKofFIN)
			}
		}
		room := 1
		if key>>9&1 == 0 {
			network[1] = []Msg{SYN}
		}
		s := Make([2]ConnState{conn, Closed}, [2]bool{tcb, false}, network)
		for k := Kind(0); k < numKinds; k++ {
			if enabled(s, k, 0, room) {
				enabledKinds[key] |= 1 << k
			}
		}
	}
}

// enabled reports whether kind k of peer l is enabled in s when each
// network holds at most capacity messages.
func enabled(s State, k Kind, l, capacity int) bool {
	t := &transitions[k]
	if !t.anyState && s.Conn(l) != t.from {
		return false
	}
	if t.needTCB && !s.TCB(l) {
		return false
	}
	if t.rcv != 0 && s.Head(l) != t.rcv {
		return false
	}
	if k == FinWait1RcvFinAckOfFin && s.At(l, 1) != ACKofFIN {
		return false
	}
	if t.snd != 0 {
		free := capacity - s.Len(1-l)
		if free <= 0 {
			return false
		}
	}
	return true
}

// next applies kind k of peer l to s; k must be enabled.
func next(s State, k Kind, l int) State {
	t := &transitions[k]
	if t.rcv != 0 {
		s = s.pop(l)
		if k == FinWait1RcvFinAckOfFin {
			s = s.pop(l)
		}
	}
	if t.snd != 0 {
		s = s.send(1-l, t.snd)
	}
	s = s.withConn(l, t.to)
	switch t.tcb {
	case 1:
		s = s.withTCB(l, true)
	case 2:
		s = s.withTCB(l, false)
	}
	return s
}
