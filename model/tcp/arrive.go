package tcp

// SEGMENT ARRIVES, RFC 9293 §3.10.7, for endpoint e. iss is the ISS the
// endpoint selects if a SYN arrives in LISTEN. The result is the segment
// the endpoint sends in response, if any: processing aggregates all
// acknowledgments an arrival calls for into one (MUST-58, MUST-59), so an
// arrival emits at most one segment.
//
// Security/compartment checks are not modelled (every segment matches).
// The RFC 5961 mitigations for RST and SYN in synchronized states are
// modelled (§3.10.7.4 "second" and "fourth"); the one for ACKs (MAY-12)
// is not.
func (c *Config) arrive(e *Endpoint, seg Segment, iss uint32) (Segment, bool) {
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
func (c *Config) arriveClosed(seg Segment) (Segment, bool) {
	if seg.Has(RST) || c.mutated(MutClosedSendsNoRst) {
		return Segment{}, false
	}
	if !seg.Has(ACK) {
		// <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
		return Segment{Seq: 0, Ack: seg.Seq + seg.SegLen(), Flags: RST | ACK}, true
	}
	// <SEQ=SEG.ACK><CTL=RST>
	return Segment{Seq: seg.Ack, Flags: RST}, true
}

// arriveListen is §3.10.7.2.
func (c *Config) arriveListen(e *Endpoint, seg Segment, iss uint32) (Segment, bool) {
	// First, check for a RST: ignore it.
	if seg.Has(RST) {
		return Segment{}, false
	}
	// Second, check for an ACK: any acknowledgment is bad in LISTEN.
	if seg.Has(ACK) && !c.mutated(MutListenDropsAck) {
		return Segment{Seq: seg.Ack, Flags: RST}, true
	}
	// Third, check for a SYN.
	if seg.Has(SYN) {
		e.RcvNxt = seg.Seq + 1
		e.IRS = seg.Seq
		e.ISS = iss
		e.SndNxt = iss + 1
		e.SndUna = iss
		e.Passive = true
		e.acceptSYN(seg)
		if c.TwoWayHandshake {
			// The flaw: synchronized without waiting for the ACK
			// of our SYN.
			e.enter(ESTABLISHED)
		} else {
			e.enter(SYN_RECEIVED)
		}
		// Text on a SYN would be queued for SYN_RECEIVED; this model's
		// SYNs carry none. <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
		return Segment{Seq: iss, Ack: e.RcvNxt, Flags: SYN | ACK}, true
	}
	// Fourth, other text or control: drop.
	return Segment{}, false
}

// arriveSynSent is §3.10.7.3.
func (c *Config) arriveSynSent(e *Endpoint, seg Segment) (Segment, bool) {
	// First, check the ACK bit.
	ackOK := false
	if seg.Has(ACK) {
		if (seqLEQ(seg.Ack, e.ISS) || seqGT(seg.Ack, e.SndNxt)) && !c.NoSynAckCheck {
			if seg.Has(RST) {
				return Segment{}, false
			}
			return Segment{Seq: seg.Ack, Flags: RST}, true
		}
		ackOK = seqLT(e.SndUna, seg.Ack) && seqLEQ(seg.Ack, e.SndNxt)
	}
	// Second, check the RST bit.
	if seg.Has(RST) {
		if ackOK || c.mutated(MutSynSentRstWithoutAck) {
			// "error: connection reset"
			e.deleteTCB(EndReset)
		}
		return Segment{}, false
	}
	// Third, security: not modelled.
	// Fourth, check the SYN bit.
	if seg.Has(SYN) {
		if !c.mutated(MutSynSentKeepsRcvNxt) {
			e.RcvNxt = seg.Seq + 1
		}
		e.IRS = seg.Seq
		e.acceptSYN(seg)
		if seg.Has(ACK) {
			e.SndUna = seg.Ack
		}
		if seqGT(e.SndUna, e.ISS) {
			// Our SYN has been ACKed. (Text or FIN on the SYN would
			// continue at the sixth step; this model's SYNs carry none.)
			e.enter(ESTABLISHED)
			return Segment{Seq: e.SndNxt, Ack: e.RcvNxt, Flags: ACK}, true
		}
		// Simultaneous open.
		e.enter(SYN_RECEIVED)
		return Segment{Seq: e.ISS, Ack: e.RcvNxt, Flags: SYN | ACK}, true
	}
	// Fifth, neither SYN nor RST: drop.
	return Segment{}, false
}

// acceptable is the acceptability test of §3.10.7.4 "first" (Table 6),
// with a receive window of RcvWnd > 0.
func acceptable(e *Endpoint, seg Segment) bool {
	inWindow := func(n uint32) bool { return seqLEQ(e.RcvNxt, n) && seqLT(n, e.RcvNxt+RcvWnd) }
	n := seg.SegLen()
	if n == 0 {
		return inWindow(seg.Seq)
	}
	return inWindow(seg.Seq) || inWindow(seg.Seq+n-1)
}

// finAcked reports whether our FIN has been acknowledged.
func finAcked(e *Endpoint) bool { return e.FinSent && seqLT(e.FinSeq, e.SndUna) }

// ackNow is the acknowledgment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
func ackNow(e *Endpoint) Segment { return Segment{Seq: e.SndNxt, Ack: e.RcvNxt, Flags: ACK} }

// arriveOther is §3.10.7.4, for SYN_RECEIVED and the synchronized states.
func (c *Config) arriveOther(e *Endpoint, seg Segment) (Segment, bool) {
	// First, check the sequence number (unless the NoSeqCheck flaw
	// takes every segment for the next one expected).
	if c.NoSeqCheck || (c.mutated(MutRstAnySeq) && seg.Has(RST)) {
		seg.Seq = e.RcvNxt
	}
	if !acceptable(e, seg) {
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
			return Segment{}, false
		}
		return ackNow(e), true
	}
	// Processing continues with the idealized segment that begins at
	// RCV.NXT. No segment of this model has SEG.LEN > 1, so none
	// straddles RCV.NXT. One that begins beyond it (in the window) comes
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
	// the segment at RCV.NXT. A RST or SYN beyond RCV.NXT is answered with a challenge ACK
	// (RFC 5961; §3.10.7.4 "second", check 3, and "fourth").
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
			return Segment{}, false // bare ACK: not answered (see above)
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
		return Segment{}, false
	}

	// Third, security: not modelled.

	// Fourth, check the SYN bit.
	if seg.Has(SYN) {
		if e.State == SYN_RECEIVED && e.Passive {
			return backToListen(e)
		}
		if c.mutated(MutSynResetsSynchronized) {
			e.deleteTCB(EndReset)
			return Segment{}, false
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
			c.deliver(e, seg)
			reply = !c.mutated(MutDataNeverAcked)
		case CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT:
			// "This should not occur since a FIN has been received
			// from the remote side. Ignore the segment text."
			if c.AcceptDataAfterFIN {
				c.deliver(e, seg)
				reply = true
			}
		}
	}

	// Eighth, check the FIN bit. The FIN follows the text; it is
	// processed when the text before it has been (it is at RCV.NXT).
	if seg.Has(FIN) && seg.Seq+uint32(seg.Len) == e.RcvNxt {
		if !e.EOS {
			// "signal the user: connection closing"
			e.EOS = true
			e.RecvdAtEOS = e.Recvd
		}
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
	return Segment{}, false
}

// processAck is §3.10.7.4 "fifth", check the ACK field, for SYN_RECEIVED
// and the synchronized states. done reports that the processing of the
// segment ends here, with reply sent if ok.
func (c *Config) processAck(e *Endpoint, seg Segment) (reply Segment, ok, done bool) {
	if !seg.Has(ACK) {
		return Segment{}, false, true
	}
	if e.State == SYN_RECEIVED {
		if !(seqLT(e.SndUna, seg.Ack) && seqLEQ(seg.Ack, e.SndNxt)) && !c.mutated(MutSynReceivedAnyAck) {
			return Segment{Seq: seg.Ack, Flags: RST}, true, true
		}
		e.enter(ESTABLISHED)
		// ...and continue processing as ESTABLISHED.
	}
	// The processing of the ESTABLISHED state, which FIN_WAIT_1,
	// FIN_WAIT_2, CLOSE_WAIT, CLOSING and LAST_ACK share.
	if seqGT(seg.Ack, e.SndNxt) && !c.mutated(MutAckOfUnsentAccepted) {
		// Acknowledges something not yet sent.
		return ackNow(e), true, true
	}
	if seqLT(e.SndUna, seg.Ack) {
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
			return Segment{}, false, true
		}
	case LAST_ACK:
		if finAcked(e) || c.mutated(MutLastAckAnyAck) {
			e.deleteTCB(EndLastAck)
			return Segment{}, false, true
		}
	}
	return Segment{}, false, false
}

// backToListen returns a passively opened connection in SYN_RECEIVED to
// LISTEN (§3.10.7.4 "second" and "fourth"), forgetting the peer's SYN.
func backToListen(e *Endpoint) (Segment, bool) {
	e.ISS, e.IRS, e.SndUna, e.SndNxt, e.RcvNxt = 0, 0, 0, 0, 0
	e.Passive = false
	e.enter(LISTEN)
	return Segment{}, false
}

// acceptSYN records, in ghost variables, the peer connection whose SYN
// this connection accepts.
func (e *Endpoint) acceptSYN(seg Segment) {
	e.PeerInc = seg.Inc
	if e.Opens >= 1 && int(e.Opens) <= MaxConns {
		e.Paired[e.Opens-1] = seg.Inc
	}
}

// deliver hands the octet of seg to the application and advances RCV.NXT.
func (c *Config) deliver(e *Endpoint, seg Segment) {
	e.RcvNxt += uint32(seg.Len)
	if c.mutated(MutAckWithoutDelivery) {
		return
	}
	if int(e.Recvd) < MaxData {
		e.Received[e.Recvd] = seg.Tag
	}
	if e.Recvd < 255 {
		e.Recvd++
	}
}
