package tcp

// User calls of RFC 9293 §3.10.1-§3.10.5, for the application of side
// side. The can* functions say when the application issues each call: the
// model's application only makes calls that the RFC services (it does not
// call SEND on a closing connection, say), opens at most once, and closes
// at most once. Calls that put a segment on the network are only enabled
// while it has room (see Config.Cap).

// admits reports whether the network has room for one more originated
// segment.
func (c *Config) admits(s *State) bool { return s.InFlight() < c.Cap }

// canOpen reports whether side's application may OPEN (a connection
// number Opens+1) in s: its endpoint is CLOSED and it has opened fewer
// than Conns connections. After an abnormal end (ABORT, reset, giving up)
// no TIME_WAIT kept the old connection's segments from the network: the
// endpoint then reuses the port only once the network holds no segment
// (the quiet time of §3.4.3, which the ISN clock of §3.4.1 otherwise has
// to provide).
func (c *Config) canOpen(s *State, side int) bool {
	e := &s.Ep[side]
	if e.State != CLOSED || int(e.Opens) >= c.Conns {
		return false
	}
	return !e.End.quiet() || s.InFlight() == 0
}

func (c *Config) canPassiveOpen(s *State, side int) bool {
	return c.canOpen(s, side) && !(c.ClientServer && side == Client)
}

// passiveOpen is OPEN, passive, in CLOSED (§3.10.1): create the TCB and
// enter LISTEN.
func passiveOpen(s *State, side int) {
	e := &s.Ep[side]
	e.reopen()
	e.enter(LISTEN)
}

// The model's applications call active OPEN only in CLOSED. §3.10.1 also
// allows it in LISTEN ("change the connection from passive to active,
// select an ISS, send a SYN ... enter SYN-SENT"), which is what SEND does
// in LISTEN (§3.10.2) besides queueing its octet: Figure 5's arrow LISTEN
// -> SYN_SENT. The model takes that arrow by SEND only; an active OPEN in
// LISTEN would make the same state change and the same SYN, and add
// actions to every LISTEN state (renumbering the paths the README and the
// CLI's tests show). With data=0 neither is possible and the arrow is not
// covered.
func (c *Config) canActiveOpen(s *State, side int) bool {
	return c.canOpen(s, side) && c.admits(s) && !(c.ClientServer && side == Server)
}

// activeOpen is OPEN, active, in CLOSED (§3.10.1): select ISS (choice i of
// the ISN clock), send <SEQ=ISS><CTL=SYN>, set SND.UNA to ISS, SND.NXT to
// ISS+1, enter SYN_SENT.
func (c *Config) activeOpen(s *State, side int, i int) {
	e := &s.Ep[side]
	e.reopen()
	c.sendSYN(s, side, c.iss(side, i, e.Opens))
}

func (c *Config) sendSYN(s *State, side int, iss uint32) {
	e := &s.Ep[side]
	syn := e.SendSYN(iss, &e.Seen)
	c.emit(s, side, Segment{Seq: syn.Seq, Flags: syn.Flags})
}

// sendEnabled reports whether the application may SEND in state st:
// LISTEN (the connection turns active), ESTABLISHED and CLOSE_WAIT; with
// the SendAfterClose flaw also the states after CLOSE. In SYN_SENT and
// SYN_RECEIVED the RFC queues the data; this application waits instead.
func (c *Config) sendEnabled(st Conn) bool {
	switch st {
	case LISTEN, ESTABLISHED, CLOSE_WAIT:
		return true
	case FIN_WAIT_1, FIN_WAIT_2, CLOSING, LAST_ACK:
		return c.SendAfterClose || c.mutated(MutSendAfterClose)
	}
	return false
}

func (c *Config) canSend(s *State, side int) bool {
	e := &s.Ep[side]
	if c.ClientServer && e.State == LISTEN {
		return false
	}
	return int(e.Wrote) < c.Data && e.Wrote == e.Sent && c.sendEnabled(e.State) && c.admits(s)
}

// send is SEND of one octet (§3.10.2). In LISTEN: change the connection
// from passive to active, select an ISS, send a SYN, enter SYN_SENT; the
// octet is queued for transmission after ESTABLISHED. In ESTABLISHED and
// CLOSE_WAIT: segmentize it with a piggybacked acknowledgment.
func (c *Config) send(s *State, side int, iss uint32) {
	e := &s.Ep[side]
	e.Wrote++
	if e.State == LISTEN {
		c.sendSYN(s, side, iss)
		return
	}
	c.segmentize(s, side)
}

func (c *Config) canSegmentize(s *State, side int) bool {
	e := &s.Ep[side]
	return e.Sent < e.Wrote && (e.State == ESTABLISHED || e.State == CLOSE_WAIT) && c.admits(s)
}

// segmentize sends the oldest queued octet:
// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK><DATA>.
func (c *Config) segmentize(s *State, side int) {
	e := &s.Ep[side]
	seg := Segment{Seq: e.SndNxt, Ack: e.RcvNxt, Flags: ACK, Len: 1, Tag: DataTag(e.Opens, e.Sent)}
	e.SndNxt++
	e.Sent++
	c.emit(s, side, seg)
}

func (c *Config) canClose(s *State, side int) bool {
	e := &s.Ep[side]
	if e.CloseCalled {
		return false
	}
	switch e.State {
	case LISTEN, SYN_SENT:
		return true
	case SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT:
		// The RFC queues the CLOSE behind pending SENDs; this
		// application closes only when nothing is queued.
		return e.Wrote == e.Sent && c.admits(s)
	}
	return false
}

// close is CLOSE (§3.10.4). LISTEN, SYN_SENT: delete the TCB. SYN_RECEIVED,
// ESTABLISHED, CLOSE_WAIT: send a FIN (TCB.SendFIN).
func (c *Config) close(s *State, side int) {
	e := &s.Ep[side]
	e.CloseCalled = true
	switch e.State {
	case LISTEN, SYN_SENT:
		e.deleteTCB(EndClose)
		return
	}
	if fin, ok := e.SendFIN(&e.Seen); ok {
		c.emit(s, side, Segment{Seq: fin.Seq, Ack: fin.Ack, Flags: fin.Flags})
	}
}

func (c *Config) canAbort(s *State, side int) bool {
	e := &s.Ep[side]
	if e.State == CLOSED || c.NoAbort {
		return false
	}
	_, sends := e.AbortRST()
	return !sends || c.admits(s)
}

// abort is ABORT (§3.10.5): in SYN_RECEIVED through CLOSE_WAIT send a
// reset <SEQ=SND.NXT><CTL=RST>; in every state delete the TCB.
func (c *Config) abort(s *State, side int) {
	e := &s.Ep[side]
	if rst, ok := e.AbortRST(); ok && !c.mutated(MutAbortSendsNoRst) {
		c.emit(s, side, Segment{Seq: rst.Seq, Flags: rst.Flags})
	}
	e.deleteTCB(EndAbort)
}

// canTimeWaitTimeout reports whether the 2MSL timer of side may expire:
// in TIME_WAIT, once no segment is in flight and the peer will not
// retransmit. 2MSL is long enough for every
// segment sent before it started to be delivered or to die in the network
// (§3.4.1, §3.6), and for the peer's retransmissions of its FIN, whose ACK
// may have been lost, to arrive and be acknowledged again (the reason
// TIME-WAIT lasts twice the MSL): the model waits until none is left.
// Without the second condition, after a simultaneous close whose last ACK
// is lost, one side's TIME_WAIT could end before the other retransmits its
// FIN, which a CLOSED port then answers with a reset.
func (c *Config) canTimeWaitTimeout(s *State, side int) bool {
	if s.Ep[side].State != TIME_WAIT {
		return false
	}
	if c.mutated(MutEarlyTimeWaitTimeout) {
		return true
	}
	return s.InFlight() == 0 && !c.peerWillRetransmit(s, side)
}

// peerWillRetransmit reports whether the peer of side has something
// unacknowledged and retransmissions left: the long timers (2MSL, R2)
// outlast the peer's retransmissions, whose timer (R1) is short.
func (c *Config) peerWillRetransmit(s *State, side int) bool {
	p := &s.Ep[1-side]
	return unacked(p) && int(p.Retx) < c.Retx
}

// timeWaitTimeout is the TIME-WAIT TIMEOUT of §3.10.8: delete the TCB,
// enter CLOSED.
func timeWaitTimeout(s *State, side int) {
	s.Ep[side].deleteTCB(EndTimeWait)
}

// unacked reports whether e has sent something not yet acknowledged that
// it would retransmit: its SYN, a data octet or its FIN.
func unacked(e *Endpoint) bool {
	switch e.State {
	case CLOSED, LISTEN, TIME_WAIT:
		return false
	}
	return e.SndUna != e.SndNxt
}

// canRetransmit: the retransmission timer of side may expire, with
// retransmissions left (§3.7, §3.8.1).
func (c *Config) canRetransmit(s *State, side int) bool {
	e := &s.Ep[side]
	return int(e.Retx) < c.Retx && unacked(e) && c.admits(s)
}

// canGiveUp: the retransmissions are exhausted (R2, §3.8.3), the network
// holds no segment and the peer will not retransmit: R2 is a long timer (at least 100 seconds for
// data, 3 minutes for a SYN, §3.8.3), longer than a round trip, so it
// expires only when the last retransmission and every answer to it have
// arrived or been lost, and the peer has stopped retransmitting too. A retransmission timeout may be premature (R1 is
// short); giving up is not. Without this, an endpoint could retransmit
// before the ACK arrives and give up while the ACK is in flight, and no
// network, however reliable, would let a connection be sure to close
// gracefully: giving up is then a failure the network caused (more
// losses than retransmissions), which the properties can tell apart.
func (c *Config) canGiveUp(s *State, side int) bool {
	e := &s.Ep[side]
	return c.Retx > 0 && int(e.Retx) >= c.Retx && unacked(e) && s.InFlight() == 0 && !c.peerWillRetransmit(s, side)
}

// oldestUnacked is the segment that begins at SND.UNA, as it was sent:
// the SYN (SYN,ACK once the peer's SYN is known), a data octet, or the FIN.
func oldestUnacked(e *Endpoint) Segment {
	if e.SndUna == e.ISS {
		if e.State == SYN_SENT {
			return Segment{Seq: e.ISS, Flags: SYN}
		}
		return Segment{Seq: e.ISS, Ack: e.RcvNxt, Flags: SYN | ACK}
	}
	if e.FinSent && e.SndUna == e.FinSeq {
		return Segment{Seq: e.FinSeq, Ack: e.RcvNxt, Flags: FIN | ACK}
	}
	off := e.SndUna - e.ISS - 1
	if e.FinSent && SeqGT(e.SndUna, e.FinSeq) {
		off-- // data sent after the FIN (the SendAfterClose flaw)
	}
	return Segment{Seq: e.SndUna, Ack: e.RcvNxt, Flags: ACK, Len: 1, Tag: DataTag(e.Opens, uint8(off))}
}

// retransmit resends the oldest unacknowledged segment, with the current
// acknowledgment (§3.8.1: "retransmit the segment at the front of the
// retransmission queue").
func (c *Config) retransmit(s *State, side int) {
	e := &s.Ep[side]
	e.Retx++
	c.emit(s, side, oldestUnacked(e))
}

// giveUp is the USER TIMEOUT of §3.10.8 (and R2 of §3.8.3): "flush all
// queues, signal the user "error: connection aborted due to user
// timeout" ..., delete the TCB, enter the CLOSED state".
func giveUp(s *State, side int) { s.Ep[side].deleteTCB(EndGiveUp) }

// emit puts seg on the channel from side to its peer, stamped with the
// sender's connection number (a ghost field). Actions only enable
// transitions that fit (see Config.Cap); Push cannot fail then.
func (c *Config) emit(s *State, side int, seg Segment) {
	seg.Inc = s.Ep[side].Opens
	if !s.Net[side].Push(seg, c.Cap) {
		panic("tcp: channel overflow (the capacity invariant is broken)")
	}
}
