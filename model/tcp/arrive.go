package tcp

// SegmentArrives is SEGMENT ARRIVES, RFC 9293 §3.10.7, of seg at TCB t
// with receive window wnd (RCV.WND, > 0), following the rules of c (its
// deliberate flaws and mutation; the zero Config follows RFC 9293). iss
// is the ISS t selects if a SYN arrives in LISTEN. The model's endpoints
// and the capture validator both run it; the Arrival says what the
// arrival did besides changing t: the segment t sends in response, if any
// (processing aggregates all acknowledgments an arrival calls for into
// one, MUST-58, MUST-59, so an arrival emits at most one segment), and
// what it hands to the user.
//
// Security/compartment checks are not modelled (every segment matches).
// The RFC 5961 mitigations for RST and SYN in synchronized states are
// modelled (§3.10.7.4 "second" and "fourth"); the one for ACKs (MAY-12)
// is not.
func (c *Config) SegmentArrives(t *TCB, seg Header, iss, wnd uint32) Arrival {
	e := arriving{TCB: t, wnd: wnd}
	e.Reply, e.Replied = c.arriveByState(&e, seg, iss)
	return e.Arrival
}

// Arrival is what one SEGMENT ARRIVES did besides changing the TCB.
type Arrival struct {
	Reply   Header // the segment sent in response (no text), if Replied
	Replied bool
	// Entered has bit 1<<c set for every state c the TCB entered.
	Entered uint16
	// Synced: a SYN was accepted (§3.10.7.2 "third", §3.10.7.3
	// "fourth"); IRS is its SEG.SEQ.
	Synced bool
	// Text is the number of octets of text taken in sequence, which
	// RCV.NXT advanced over: the text for the user's RECEIVEs, the last
	// Text octets of the segment.
	Text uint32
	// Closing: the FIN was taken ("signal the user: connection closing",
	// §3.10.7.4 "eighth").
	Closing bool
}

// arriving is a TCB during one SEGMENT ARRIVES, with what the arrival did.
type arriving struct {
	*TCB
	Arrival
	wnd uint32 // RCV.WND
}

func (e *arriving) enter(c Conn) { e.TCB.enter(c, &e.Entered) }

func (e *arriving) deleteTCB(why End) { e.TCB.deleteTCB(why, &e.Entered) }

// arriveByState is SegmentArrives, by the state of e.
func (c *Config) arriveByState(e *arriving, seg Header, iss uint32) (Header, bool) {
	switch e.State {
	case CLOSED:
		return c.arriveClosed(seg)
	case LISTEN:
		return c.arriveListen(e, seg, iss)
	case SYN_SENT:
		return c.arriveSynSent(e, seg)
	}
	return c.arriveOther(e, seg)
}

// arriveClosed is §3.10.7.1: data is discarded; a RST is discarded; any
// other segment is answered with a reset acceptable to its sender.
func (c *Config) arriveClosed(seg Header) (Header, bool) {
	if seg.Has(RST) || c.mutated(MutClosedSendsNoRst) {
		return Header{}, false
	}
	if !seg.Has(ACK) {
		// <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
		return Header{Seq: 0, Ack: seg.Seq + seg.SegLen(), Flags: RST | ACK}, true
	}
	// <SEQ=SEG.ACK><CTL=RST>
	return Header{Seq: seg.Ack, Flags: RST}, true
}

// arriveListen is §3.10.7.2.
func (c *Config) arriveListen(e *arriving, seg Header, iss uint32) (Header, bool) {
	// First, check for a RST: ignore it.
	if seg.Has(RST) {
		return Header{}, false
	}
	// Second, check for an ACK: any acknowledgment is bad in LISTEN.
	if seg.Has(ACK) && !c.mutated(MutListenDropsAck) {
		return Header{Seq: seg.Ack, Flags: RST}, true
	}
	// Third, check for a SYN.
	if seg.Has(SYN) {
		e.RcvNxt = seg.Seq + 1
		e.IRS = seg.Seq
		e.ISS = iss
		e.SndNxt = iss + 1
		e.SndUna = iss
		e.Passive = true
		e.Synced = true
		if c.TwoWayHandshake {
			// The flaw: synchronized without waiting for the ACK
			// of our SYN.
			e.enter(ESTABLISHED)
		} else {
			e.enter(SYN_RECEIVED)
		}
		// Text on a SYN would be queued for SYN_RECEIVED; this model's
		// SYNs carry none. <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
		return Header{Seq: iss, Ack: e.RcvNxt, Flags: SYN | ACK}, true
	}
	// Fourth, other text or control: drop.
	return Header{}, false
}

// arriveSynSent is §3.10.7.3.
func (c *Config) arriveSynSent(e *arriving, seg Header) (Header, bool) {
	// First, check the ACK bit.
	ackOK := false
	if seg.Has(ACK) {
		if (SeqLEQ(seg.Ack, e.ISS) || SeqGT(seg.Ack, e.SndNxt)) && !c.NoSynAckCheck {
			if seg.Has(RST) {
				return Header{}, false
			}
			return Header{Seq: seg.Ack, Flags: RST}, true
		}
		ackOK = SeqLT(e.SndUna, seg.Ack) && SeqLEQ(seg.Ack, e.SndNxt)
	}
	// Second, check the RST bit.
	if seg.Has(RST) {
		if ackOK || c.mutated(MutSynSentRstWithoutAck) {
			// "error: connection reset"
			e.deleteTCB(EndReset)
		}
		return Header{}, false
	}
	// Third, security: not modelled.
	// Fourth, check the SYN bit.
	if seg.Has(SYN) {
		if !c.mutated(MutSynSentKeepsRcvNxt) {
			e.RcvNxt = seg.Seq + 1
		}
		e.IRS = seg.Seq
		e.Synced = true
		if seg.Has(ACK) {
			e.SndUna = seg.Ack
		}
		if SeqGT(e.SndUna, e.ISS) {
			// Our SYN has been ACKed. (Text or FIN on the SYN would
			// continue at the sixth step; this model's SYNs carry none.)
			e.enter(ESTABLISHED)
			return Header{Seq: e.SndNxt, Ack: e.RcvNxt, Flags: ACK}, true
		}
		// Simultaneous open.
		e.enter(SYN_RECEIVED)
		return Header{Seq: e.ISS, Ack: e.RcvNxt, Flags: SYN | ACK}, true
	}
	// Fifth, neither SYN nor RST: drop.
	return Header{}, false
}

// finAcked reports whether our FIN has been acknowledged.
func finAcked(e *arriving) bool { return e.FinSent && SeqLT(e.FinSeq, e.SndUna) }

// ackNow is the acknowledgment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
func ackNow(e *arriving) Header { return Header{Seq: e.SndNxt, Ack: e.RcvNxt, Flags: ACK} }

// arriveOther is §3.10.7.4, for SYN_RECEIVED and the synchronized states.
func (c *Config) arriveOther(e *arriving, seg Header) (Header, bool) {
	// First, check the sequence number (unless the NoSeqCheck flaw
	// takes every segment for the next one expected).
	if c.NoSeqCheck || (c.mutated(MutRstAnySeq) && seg.Has(RST)) {
		seg.Seq = e.RcvNxt
	}
	if !e.Acceptable(seg, e.wnd) {
		if seg.Has(RST) || seg.SegLen() == 0 || c.mutated(MutUnacceptableNotAcked) ||
			(e.State == TIME_WAIT && c.mutated(MutTimeWaitIgnoresFin)) {
			// A deviation from §3.10.7.4 "first", which says an
			// unacceptable segment "should" be answered with
			// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>: an unacceptable
			// segment without text, SYN or FIN (a bare ACK) is
			// dropped unanswered. Answering it lets two endpoints
			// whose windows disagree exchange ACKs forever, each
			// unacceptable to the other: measured on rfc9293-reuse,
			// where an old duplicate SYN gives a new SYN_RECEIVED
			// the IRS of an earlier connection while the peer
			// lingers in TIME_WAIT, four leads-to properties then
			// fail by such a loop. A bare ACK carries nothing to
			// retransmit, so not answering loses nothing; RFC 5961
			// §7 limits such answers (challenge ACKs) for the same
			// reason.
			return Header{}, false
		}
		return ackNow(e), true
	}
	// Processing continues with the idealized segment that begins at
	// RCV.NXT. Of a segment that straddles RCV.NXT ("If a segment's
	// contents straddle the boundary between old and new, only the new
	// parts are processed"), the text from RCV.NXT on and the FIN are
	// processed; one with SYN or RST is not trimmed (a SYN there is old;
	// a RST counts only exactly at RCV.NXT, RFC 5961 §3.2). No segment of
	// the model straddles RCV.NXT (its text is one octet, and never comes
	// with a FIN); real ones do. One that begins beyond it (in the window) comes
	// from a reordering network, or is an old duplicate: its text and
	// FIN are not held for later (SHLD-31) but dropped and answered with
	// an ACK of RCV.NXT (MAY-13; the sender retransmits them). Its
	// acknowledgment is processed now in the synchronized states, as if
	// the segment had been held and taken up when RCV.NXT reached it:
	// acknowledgments are cumulative, so taking one early only advances
	// SND.UNA sooner. Without it, an ACK overtaking the peer's FIN would
	// be lost for good. Not in SYN_RECEIVED: there the segment would
	// complete the handshake, and the gap before it may never be filled
	// (the IRS came from an old duplicate SYN; the peer's segments of a
	// new connection lie beyond it); the handshake completes only with
	// the segment at RCV.NXT. A RST or SYN elsewhere than at RCV.NXT is answered with a challenge ACK
	// (RFC 5961; §3.10.7.4 "second", check 3, and "fourth").
	if SeqLT(seg.Seq, e.RcvNxt) && !seg.Has(SYN|RST) {
		seg.Len -= e.RcvNxt - seg.Seq
		seg.Seq = e.RcvNxt
	}
	if c.mutated(MutOutOfOrderAsNext) && seg.Len > 0 {
		seg.Seq = e.RcvNxt
	}
	if seg.Seq != e.RcvNxt {
		if seg.Has(SYN) && !seg.Has(RST) && e.State == SYN_RECEIVED && e.Passive {
			// Fourth, a SYN in a passively opened SYN_RECEIVED:
			// back to LISTEN wherever the SYN lies in the window
			// (§3.10.7.4 "fourth" has no condition on its
			// sequence number; RFC 5961's challenge ACK is for the
			// synchronized states).
			return backToListen(e)
		}
		if seg.Has(RST) || seg.Has(SYN) {
			return ackNow(e), true
		}
		if e.State != SYN_RECEIVED {
			if reply, ok, done := c.processAck(e, seg); done {
				return reply, ok
			}
		}
		if seg.SegLen() == 0 {
			return Header{}, false // bare ACK: not answered (see above)
		}
		return ackNow(e), true
	}

	// Second, check the RST bit (the sequence number is exactly RCV.NXT:
	// RFC 5961 check 2).
	if seg.Has(RST) {
		if e.State == SYN_RECEIVED && e.Passive && !c.mutated(MutPassiveRstCloses) {
			// Note 1 of Figure 5: back to LISTEN.
			return backToListen(e)
		}
		// SYN_RECEIVED from an active OPEN: "connection refused";
		// ESTABLISHED .. CLOSE_WAIT: "connection reset"; CLOSING,
		// LAST_ACK, TIME_WAIT: enter CLOSED.
		e.deleteTCB(EndReset)
		return Header{}, false
	}

	// Third, security: not modelled.

	// Fourth, check the SYN bit.
	if seg.Has(SYN) {
		if e.State == SYN_RECEIVED && e.Passive {
			return backToListen(e)
		}
		if c.mutated(MutSynResetsSynchronized) {
			e.deleteTCB(EndReset)
			return Header{}, false
		}
		// RFC 5961: challenge ACK, drop.
		return ackNow(e), true
	}

	// Fifth, check the ACK field.
	if reply, ok, done := c.processAck(e, seg); done {
		return reply, ok
	}

	// Sixth, URG: not modelled.

	// Seventh, process the segment text.
	reply := false
	if seg.Len > 0 {
		switch e.State {
		case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2:
			e.take(seg)
			reply = !c.mutated(MutDataNeverAcked)
		case CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT:
			// "This should not occur since a FIN has been received
			// from the remote side. Ignore the segment text."
			if c.AcceptDataAfterFIN {
				e.take(seg)
				reply = true
			}
		}
	}

	// Eighth, check the FIN bit. The FIN follows the text; it is
	// processed when the text before it has been (it is at RCV.NXT).
	if seg.Has(FIN) && seg.Seq+seg.Len == e.RcvNxt {
		e.Closing = true // "signal the user: connection closing"
		if !c.mutated(MutFinKeepsRcvNxt) {
			e.RcvNxt++
		}
		reply = true
		switch e.State {
		case ESTABLISHED: // (SYN_RECEIVED entered ESTABLISHED above)
			e.enter(CLOSE_WAIT)
		case FIN_WAIT_1:
			if finAcked(e) {
				e.enter(TIME_WAIT) // Note 2 of Figure 5
			} else {
				e.enter(CLOSING)
			}
		case FIN_WAIT_2:
			e.enter(TIME_WAIT)
		}
		// CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT: remain (TIME_WAIT
		// would restart its 2MSL timer, which is not modelled).
	}
	if reply {
		return ackNow(e), true
	}
	return Header{}, false
}

// processAck is §3.10.7.4 "fifth", check the ACK field, for SYN_RECEIVED
// and the synchronized states. done reports that the processing of the
// segment ends here, with reply sent if ok.
func (c *Config) processAck(e *arriving, seg Header) (reply Header, ok, done bool) {
	if !seg.Has(ACK) {
		return Header{}, false, true
	}
	if e.State == SYN_RECEIVED {
		if !(SeqLT(e.SndUna, seg.Ack) && SeqLEQ(seg.Ack, e.SndNxt)) && !c.mutated(MutSynReceivedAnyAck) {
			return Header{Seq: seg.Ack, Flags: RST}, true, true
		}
		e.enter(ESTABLISHED)
		// ...and continue processing as ESTABLISHED.
	}
	// The processing of the ESTABLISHED state, which FIN_WAIT_1,
	// FIN_WAIT_2, CLOSE_WAIT, CLOSING and LAST_ACK share.
	if SeqGT(seg.Ack, e.SndNxt) && !c.mutated(MutAckOfUnsentAccepted) {
		// Acknowledges something not yet sent.
		return ackNow(e), true, true
	}
	if SeqLT(e.SndUna, seg.Ack) {
		e.SndUna = seg.Ack
	}
	switch e.State {
	case FIN_WAIT_1:
		if finAcked(e) || c.mutated(MutFinWait1AnyAck) {
			e.enter(FIN_WAIT_2)
		}
	case CLOSING:
		if finAcked(e) {
			e.enter(TIME_WAIT)
		} else {
			return Header{}, false, true
		}
	case LAST_ACK:
		if finAcked(e) || c.mutated(MutLastAckAnyAck) {
			e.deleteTCB(EndLastAck)
			return Header{}, false, true
		}
	}
	return Header{}, false, false
}

// backToListen returns a passively opened connection in SYN_RECEIVED to
// LISTEN (§3.10.7.4 "second" and "fourth"), forgetting the peer's SYN.
func backToListen(e *arriving) (Header, bool) {
	e.ISS, e.IRS, e.SndUna, e.SndNxt, e.RcvNxt = 0, 0, 0, 0, 0
	e.Passive = false
	e.enter(LISTEN)
	return Header{}, false
}

// take advances RCV.NXT over the text of seg, which begins at RCV.NXT.
func (e *arriving) take(seg Header) {
	e.RcvNxt += seg.Len
	e.Text += seg.Len
}
