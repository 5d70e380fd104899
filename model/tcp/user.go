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

func canPassiveOpen(s *State, side int) bool {
	e := &s.Ep[side]
	return e.State == CLOSED && e.Opens == 0
}

// passiveOpen is OPEN, passive, in CLOSED (§3.10.1): create the TCB and
// enter LISTEN.
func passiveOpen(s *State, side int) {
	e := &s.Ep[side]
	e.Opens++
	e.enter(LISTEN)
}

func (c *Config) canActiveOpen(s *State, side int) bool {
	e := &s.Ep[side]
	return e.State == CLOSED && e.Opens == 0 && c.admits(s)
}

// activeOpen is OPEN, active, in CLOSED (§3.10.1): select ISS, send
// <SEQ=ISS><CTL=SYN>, set SND.UNA to ISS, SND.NXT to ISS+1, enter SYN_SENT.
func (c *Config) activeOpen(s *State, side int, iss uint32) {
	e := &s.Ep[side]
	e.Opens++
	c.sendSYN(s, side, iss)
}

func (c *Config) sendSYN(s *State, side int, iss uint32) {
	e := &s.Ep[side]
	e.ISS = iss
	e.SndUna = iss
	e.SndNxt = iss + 1
	e.Passive = false
	e.enter(SYN_SENT)
	c.emit(s, side, Segment{Seq: iss, Flags: SYN})
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
		return c.SendAfterClose
	}
	return false
}

func (c *Config) canSend(s *State, side int) bool {
	e := &s.Ep[side]
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
	seg := Segment{Seq: e.SndNxt, Ack: e.RcvNxt, Flags: ACK, Len: 1, Tag: e.Sent}
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
// ESTABLISHED: send a FIN, enter FIN_WAIT_1. CLOSE_WAIT: send a FIN, enter
// LAST_ACK.
func (c *Config) close(s *State, side int) {
	e := &s.Ep[side]
	e.CloseCalled = true
	switch e.State {
	case LISTEN, SYN_SENT:
		e.deleteTCB(EndClose)
	case SYN_RECEIVED, ESTABLISHED:
		c.sendFIN(s, side)
		e.enter(FIN_WAIT_1)
	case CLOSE_WAIT:
		c.sendFIN(s, side)
		e.enter(LAST_ACK)
	}
}

// sendFIN sends <SEQ=SND.NXT><ACK=RCV.NXT><CTL=FIN,ACK>; the FIN occupies
// one sequence number.
func (c *Config) sendFIN(s *State, side int) {
	e := &s.Ep[side]
	seg := Segment{Seq: e.SndNxt, Ack: e.RcvNxt, Flags: FIN | ACK}
	e.FinSeq = e.SndNxt
	e.FinSent = true
	e.SndNxt++
	c.emit(s, side, seg)
}

// abortSendsRST reports whether ABORT in st sends <SEQ=SND.NXT><CTL=RST>
// (§3.10.5).
func abortSendsRST(st Conn) bool {
	switch st {
	case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT:
		return true
	}
	return false
}

func (c *Config) canAbort(s *State, side int) bool {
	e := &s.Ep[side]
	if e.State == CLOSED {
		return false
	}
	return !abortSendsRST(e.State) || c.admits(s)
}

// abort is ABORT (§3.10.5): in SYN_RECEIVED through CLOSE_WAIT send a
// reset <SEQ=SND.NXT><CTL=RST>; in every state delete the TCB.
func (c *Config) abort(s *State, side int) {
	e := &s.Ep[side]
	if abortSendsRST(e.State) {
		c.emit(s, side, Segment{Seq: e.SndNxt, Flags: RST})
	}
	e.deleteTCB(EndAbort)
}

// timeWaitTimeout is the TIME-WAIT TIMEOUT of §3.10.8: delete the TCB,
// enter CLOSED. The 2MSL wait is abstracted to an action that may happen
// at any time in TIME_WAIT.
func timeWaitTimeout(s *State, side int) {
	s.Ep[side].deleteTCB(EndTimeWait)
}

// emit puts seg on the channel from side to its peer. Actions only enable
// transitions that fit (see Config.Cap); Push cannot fail then.
func (c *Config) emit(s *State, side int, seg Segment) {
	if !s.Net[side].Push(seg, c.Cap) {
		panic("tcp: channel overflow (the capacity invariant is broken)")
	}
}
