package capture

import "github.com/handshake/handshake/model/tcp"

// This file is SEGMENT ARRIVES (RFC 9293 §3.10.7) for real segments: the
// same steps as model/tcp's arrive.go, with real data lengths. Like the
// model, an endpoint discards text and FIN that arrive beyond RCV.NXT
// (MAY-13) after processing their acknowledgment: the search lets any
// observed segment arrive again later (the network may duplicate), so a
// receiver that holds out-of-order segments (SHLD-31) reaches no state this
// one cannot. A reset owed in answer to an arrival is returned in
// e.Reply; the search matches it against the resets seen on the wire.

// Sequence number comparisons modulo 2^32 (RFC 9293 §3.4).
func seqLT(a, b uint32) bool  { return int32(a-b) < 0 }
func seqLEQ(a, b uint32) bool { return int32(a-b) <= 0 }
func seqGT(a, b uint32) bool  { return int32(a-b) > 0 }

// rcvWnd is the receive window of the acceptability test. Windows are
// outside the model: the receiver is assumed to have room for whatever the
// peer sent, so the window is as wide as sequence comparison allows.
const rcvWnd = 1 << 30

// reply is a reset an endpoint owes its peer in answer to an arrival
// (§3.10.7.1-3), not yet seen on the wire.
type reply struct {
	Seq, Ack uint32
	Flags    uint8
	Has      bool
}

// endpoint is one side's TCB (§3.3.1) as far as the validator needs it.
// A CLOSED endpoint with End == tcp.EndNone has not been opened yet.
type endpoint struct {
	ISS, IRS, SndUna, SndNxt, RcvNxt uint32
	FinSeq                           uint32 // our FIN's sequence number, if FinSent
	Reply                            reply
	State                            tcp.Conn
	End                              tcp.End
	Passive, FinSent                 bool
}

// fresh reports whether e has not been opened yet.
func (e *endpoint) fresh() bool { return e.State == tcp.CLOSED && e.End == tcp.EndNone }

func (e *endpoint) deleteTCB(why tcp.End) {
	*e = endpoint{State: tcp.CLOSED, End: why, Reply: e.Reply}
}

func (e *endpoint) owe(seq, ack uint32, flags uint8) {
	e.Reply = reply{Seq: seq, Ack: ack, Flags: flags, Has: true}
}

// segLen is SEG.LEN (§3.4).
func segLen(g Segment) uint32 {
	n := g.Len
	if g.Has(tcp.SYN) {
		n++
	}
	if g.Has(tcp.FIN) {
		n++
	}
	return n
}

// arrive processes seg at e (§3.10.7). iss is the ISS e selects if a SYN
// arrives in LISTEN. Acknowledgments the arrival calls for are not
// recorded: an endpoint may send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> at any
// time (see emit), and may delay or combine them (RFC 1122 §4.2.3.2,
// RFC 9293 §3.8.6.3); resets are recorded in e.Reply.
func arrive(e *endpoint, seg Segment, iss uint32) {
	switch e.State {
	case tcp.CLOSED:
		// §3.10.7.1: all data is discarded; a RST is discarded; anything
		// else is answered with a reset.
		if seg.Has(tcp.RST) {
			return
		}
		if !seg.Has(tcp.ACK) {
			e.owe(0, seg.Seq+segLen(seg), tcp.RST|tcp.ACK)
		} else {
			e.owe(seg.Ack, 0, tcp.RST)
		}
	case tcp.LISTEN:
		arriveListen(e, seg, iss)
	case tcp.SYN_SENT:
		arriveSynSent(e, seg)
	default:
		arriveOther(e, seg)
	}
}

// arriveListen is §3.10.7.2.
func arriveListen(e *endpoint, seg Segment, iss uint32) {
	switch {
	case seg.Has(tcp.RST):
	case seg.Has(tcp.ACK):
		e.owe(seg.Ack, 0, tcp.RST)
	case seg.Has(tcp.SYN):
		e.RcvNxt = seg.Seq + 1
		e.IRS = seg.Seq
		e.ISS = iss
		e.SndNxt = iss + 1
		e.SndUna = iss
		e.Passive = true
		e.State = tcp.SYN_RECEIVED
		// Text on the SYN would be queued; it is not delivered here.
	}
}

// arriveSynSent is §3.10.7.3.
func arriveSynSent(e *endpoint, seg Segment) {
	ackOK := false
	if seg.Has(tcp.ACK) {
		if seqLEQ(seg.Ack, e.ISS) || seqGT(seg.Ack, e.SndNxt) {
			if !seg.Has(tcp.RST) {
				e.owe(seg.Ack, 0, tcp.RST)
			}
			return
		}
		ackOK = seqLT(e.SndUna, seg.Ack) && seqLEQ(seg.Ack, e.SndNxt)
	}
	if seg.Has(tcp.RST) {
		if ackOK {
			e.deleteTCB(tcp.EndReset) // "error: connection reset"
		}
		return
	}
	if !seg.Has(tcp.SYN) {
		return
	}
	e.RcvNxt = seg.Seq + 1
	e.IRS = seg.Seq
	if seg.Has(tcp.ACK) {
		e.SndUna = seg.Ack
	}
	if seqGT(e.SndUna, e.ISS) {
		e.State = tcp.ESTABLISHED
	} else {
		e.State = tcp.SYN_RECEIVED // simultaneous open
	}
}

// acceptable is the test of §3.10.7.4 "first" (Table 6).
func acceptable(e *endpoint, seg Segment) bool {
	in := func(n uint32) bool { return seqLEQ(e.RcvNxt, n) && seqLT(n, e.RcvNxt+rcvWnd) }
	n := segLen(seg)
	if n == 0 {
		return in(seg.Seq)
	}
	return in(seg.Seq) || in(seg.Seq+n-1)
}

func finAcked(e *endpoint) bool { return e.FinSent && seqLT(e.FinSeq, e.SndUna) }

// arriveOther is §3.10.7.4, for SYN_RECEIVED and the synchronized states.
func arriveOther(e *endpoint, seg Segment) {
	// First, check the sequence number. (An unacceptable segment is
	// answered with an ACK, which emit allows at any time.)
	if !acceptable(e, seg) {
		return
	}
	inOrder := seqLEQ(seg.Seq, e.RcvNxt)
	// Second, check the RST bit: only a reset at exactly RCV.NXT is
	// honoured; one elsewhere in the window gets a challenge ACK (RFC 5961
	// §3.2, as §3.10.7.4 "second" describes).
	if seg.Has(tcp.RST) {
		if seg.Seq != e.RcvNxt {
			return
		}
		if e.State == tcp.SYN_RECEIVED && e.Passive {
			*e = endpoint{State: tcp.LISTEN, Reply: e.Reply} // Note 1 of Figure 5
			return
		}
		e.deleteTCB(tcp.EndReset)
		return
	}
	// Fourth, check the SYN bit.
	if seg.Has(tcp.SYN) {
		if e.State == tcp.SYN_RECEIVED && e.Passive && seg.Seq == e.RcvNxt {
			*e = endpoint{State: tcp.LISTEN, Reply: e.Reply}
		}
		return // otherwise a challenge ACK (RFC 5961 §4)
	}
	// Fifth, check the ACK field.
	if !seg.Has(tcp.ACK) {
		return
	}
	if e.State == tcp.SYN_RECEIVED {
		if !(seqLT(e.SndUna, seg.Ack) && seqLEQ(seg.Ack, e.SndNxt)) {
			e.owe(seg.Ack, 0, tcp.RST)
			return
		}
		e.State = tcp.ESTABLISHED
	}
	if seqGT(seg.Ack, e.SndNxt) {
		return // acknowledges something not yet sent: ACK, drop
	}
	if seqLT(e.SndUna, seg.Ack) {
		e.SndUna = seg.Ack
	}
	switch e.State {
	case tcp.FIN_WAIT_1:
		if finAcked(e) {
			e.State = tcp.FIN_WAIT_2
		}
	case tcp.CLOSING:
		if finAcked(e) {
			e.State = tcp.TIME_WAIT
		} else {
			return
		}
	case tcp.LAST_ACK:
		if finAcked(e) {
			e.deleteTCB(tcp.EndLastAck)
			return
		}
	}
	// Seventh, process the segment text, and eighth, the FIN. Text and
	// FIN beyond RCV.NXT are discarded (MAY-13); their acknowledgment
	// has been processed above, as Linux does.
	switch e.State {
	case tcp.ESTABLISHED, tcp.FIN_WAIT_1, tcp.FIN_WAIT_2:
	default:
		// CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT: "This should not
		// occur since a FIN has been received from the remote side.
		// Ignore the segment text." A retransmitted FIN changes nothing.
		return
	}
	if !inOrder {
		return
	}
	end := seg.Seq + seg.Len
	if seqGT(end, e.RcvNxt) {
		e.RcvNxt = end
	}
	if seg.Has(tcp.FIN) && end == e.RcvNxt {
		e.finArrives()
	}
}

// finArrives is §3.10.7.4 "eighth" for a FIN at RCV.NXT.
func (e *endpoint) finArrives() {
	e.RcvNxt++
	switch e.State {
	case tcp.ESTABLISHED:
		e.State = tcp.CLOSE_WAIT
	case tcp.FIN_WAIT_1:
		if finAcked(e) {
			e.State = tcp.TIME_WAIT
		} else {
			e.State = tcp.CLOSING
		}
	case tcp.FIN_WAIT_2:
		e.State = tcp.TIME_WAIT
	}
}
