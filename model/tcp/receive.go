package tcp

// arrive is SEGMENT ARRIVES (§3.10.7) at the model's endpoint e: its TCB
// follows SegmentArrives, whose steps it runs directly (returning an
// Arrival made Next a tenth slower), with the constant window RcvWnd, and the
// endpoint does the rest: it delivers the text to its application and
// signals end-of-stream, records the states entered and the peer whose
// SYN it accepted (ghost variables), and forgets its retransmission count
// when the TCB is deleted. The result is the segment e sends in response,
// if any.
func (c *Config) arrive(e *Endpoint, seg Segment, iss uint32) (Segment, bool) {
	r := arriving{TCB: &e.TCB, wnd: RcvWnd}
	reply, ok := c.arriveByState(&r, seg.Header(), iss)
	e.Seen |= r.Entered
	if r.Entered&(1<<CLOSED) != 0 {
		e.Retx = 0
	}
	if r.Synced {
		e.acceptSYN(seg)
	}
	if r.Text > 0 {
		c.deliver(e, seg)
	}
	if r.Closing && !e.EOS {
		e.EOS = true
		e.RecvdAtEOS = e.Recvd
	}
	if !ok {
		return Segment{}, false
	}
	return Segment{Seq: reply.Seq, Ack: reply.Ack, Flags: reply.Flags}, true
}

// acceptSYN records, in ghost variables, the peer connection whose SYN
// this connection accepts.
func (e *Endpoint) acceptSYN(seg Segment) {
	e.PeerInc = seg.Inc
	if e.Opens >= 1 && int(e.Opens) <= MaxConns {
		e.Paired[e.Opens-1] = seg.Inc
	}
}

// deliver hands the octet of seg, which RCV.NXT has advanced over, to the
// application.
func (c *Config) deliver(e *Endpoint, seg Segment) {
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
