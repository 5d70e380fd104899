package tcp

// TCB is the part of an endpoint's transmission control block (RFC 9293
// §3.3.1) that SEGMENT ARRIVES (§3.10.7, Config.SegmentArrives) reads and
// writes. The model's Endpoint embeds it; the capture validator keeps one
// per side of a connection seen on the wire. A deleted TCB (CLOSED) has
// ISS, IRS, SND.UNA, SND.NXT, RCV.NXT and Passive zeroed.
type TCB struct {
	ISS    uint32 // initial send sequence number
	IRS    uint32 // initial receive sequence number
	SndUna uint32 // SND.UNA: oldest unacknowledged sequence number
	SndNxt uint32 // SND.NXT: next sequence number to send
	RcvNxt uint32 // RCV.NXT: next sequence number expected

	// FinSeq is the sequence number of this endpoint's FIN, if FinSent.
	// It outlives the TCB: it is a record for the properties.
	FinSeq uint32

	State   Conn
	Passive bool // the connection came from a passive OPEN (LISTEN)
	FinSent bool
	End     End
}

// enter puts t in state c and records it in seen (bit 1<<c).
func (t *TCB) enter(c Conn, seen *uint16) {
	t.State = c
	*seen |= 1 << c
}

// deleteTCB enters CLOSED, recorded in seen, and forgets the RFC variables
// (§3.10: "delete the TCB").
func (t *TCB) deleteTCB(why End, seen *uint16) {
	t.enter(CLOSED, seen)
	t.ISS, t.IRS, t.SndUna, t.SndNxt, t.RcvNxt = 0, 0, 0, 0, 0
	t.Passive = false
	t.End = why
}

// SendSYN opens the connection actively with initial send sequence
// number iss, as OPEN in CLOSED (§3.10.1) and SEND in LISTEN (§3.10.2)
// do: SND.UNA = ISS, SND.NXT = ISS+1, the connection is no longer
// passive, and t enters SYN_SENT (recorded in seen). The result is the
// SYN it sends, <SEQ=ISS><CTL=SYN>. The model's OPEN and SEND and the
// capture validator's inference of an OPEN from a SYN on the wire take
// this step.
func (t *TCB) SendSYN(iss uint32, seen *uint16) Header {
	t.ISS, t.SndUna, t.SndNxt = iss, iss, iss+1
	t.Passive = false
	t.enter(SYN_SENT, seen)
	return Header{Seq: iss, Flags: SYN}
}

// SendFIN is CLOSE (§3.10.4) in a state with a connection to close:
// SYN_RECEIVED and ESTABLISHED send a FIN and enter FIN_WAIT_1;
// CLOSE_WAIT sends a FIN and enters LAST_ACK (recorded in seen). The FIN,
// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=FIN,ACK>, occupies one sequence number.
// In any other state ok is false and t is unchanged: CLOSE in LISTEN and
// SYN_SENT deletes the TCB instead, and elsewhere the connection is
// already closing. The model's CLOSE and the capture validator's
// inference of a CLOSE from a FIN on the wire both take this step.
func (t *TCB) SendFIN(seen *uint16) (fin Header, ok bool) {
	var next Conn
	switch t.State {
	case SYN_RECEIVED, ESTABLISHED:
		next = FIN_WAIT_1
	case CLOSE_WAIT:
		next = LAST_ACK
	default:
		return Header{}, false
	}
	fin = Header{Seq: t.SndNxt, Ack: t.RcvNxt, Flags: FIN | ACK}
	t.FinSeq, t.FinSent = t.SndNxt, true
	t.SndNxt++
	t.enter(next, seen)
	return fin, true
}

// AbortRST is the reset ABORT sends (§3.10.5): <SEQ=SND.NXT><CTL=RST> in
// SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 and CLOSE_WAIT; in
// every other state ok is false (ABORT only deletes the TCB). The model's
// ABORT sends it and the capture validator matches a reset on the wire
// against it.
func (t *TCB) AbortRST() (rst Header, ok bool) {
	switch t.State {
	case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT:
		return Header{Seq: t.SndNxt, Flags: RST}, true
	}
	return Header{}, false
}

// Header is what SEGMENT ARRIVES reads of a segment (RFC 9293 §3.1):
// SEG.SEQ, SEG.ACK, the control bits and the length of the text. Unlike
// a Segment of the model, whose text is at most one octet, its text may
// be as long as a real segment's.
type Header struct {
	Seq   uint32 // SEG.SEQ
	Ack   uint32 // SEG.ACK (meaningful when ACK is set)
	Flags uint8  // FIN | SYN | RST | ACK
	Len   uint32 // octets of text
}

// Has reports whether control bit f is set.
func (h Header) Has(f uint8) bool { return h.Flags&f != 0 }

// SegLen is SEG.LEN: the text plus one for SYN and one for FIN (§3.4).
func (h Header) SegLen() uint32 {
	n := h.Len
	if h.Has(SYN) {
		n++
	}
	if h.Has(FIN) {
		n++
	}
	return n
}

// Acceptable is the acceptability test of §3.10.7.4 "first" (Table 6) for
// a segment arriving at t with receive window wnd > 0 (RCV.WND): some
// octet of it, or SEG.SEQ for a segment of length zero, lies in
// RCV.NXT =< n < RCV.NXT+RCV.WND.
func (t *TCB) Acceptable(seg Header, wnd uint32) bool {
	inWindow := func(n uint32) bool { return SeqLEQ(t.RcvNxt, n) && SeqLT(n, t.RcvNxt+wnd) }
	n := seg.SegLen()
	if n == 0 {
		return inWindow(seg.Seq)
	}
	return inWindow(seg.Seq) || inWindow(seg.Seq+n-1)
}
