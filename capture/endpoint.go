package capture

import "github.com/handshake/handshake/model/tcp"

// This file runs SEGMENT ARRIVES (RFC 9293 §3.10.7) for real segments: the
// steps are those of package model/tcp (tcp.Config.SegmentArrives), with
// real data lengths and the window below. Like the model, an endpoint
// discards text and FIN that arrive beyond RCV.NXT (MAY-13) after
// processing their acknowledgment: the search lets any observed segment
// arrive again later (the network may duplicate), so a receiver that holds
// out-of-order segments (SHLD-31) reaches no state this one cannot. A
// reset owed in answer to an arrival is returned in e.Reply; the search
// matches it against the resets seen on the wire.

// rfc9293 is the endpoints' rules: RFC 9293 as the model follows it, with
// no deliberate flaw and no mutation.
var rfc9293 tcp.Config

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

// endpoint is one side's TCB (§3.3.1) as the search keeps it, with the
// reset it owes. A CLOSED endpoint with End == tcp.EndNone has not been
// opened yet.
type endpoint struct {
	tcp.TCB
	Reply reply
}

// fresh reports whether e has not been opened yet.
func (e *endpoint) fresh() bool { return e.State == tcp.CLOSED && e.End == tcp.EndNone }

// deleteTCB enters CLOSED and forgets everything but why: nothing the
// search does reads a deleted TCB's numbers (a CLOSED endpoint is never
// opened again), and configurations that differ only in them are one.
func (e *endpoint) deleteTCB(why tcp.End) {
	e.TCB = tcp.TCB{State: tcp.CLOSED, End: why}
}

// header is what SEGMENT ARRIVES reads of g.
func (g Segment) header() tcp.Header {
	return tcp.Header{Seq: g.Seq, Ack: g.Ack, Flags: g.Flags, Len: g.Len}
}

// segLen is SEG.LEN (§3.4).
func segLen(g Segment) uint32 { return g.header().SegLen() }

// arrive processes seg at e (§3.10.7). iss is the ISS e selects if a SYN
// arrives in LISTEN. Acknowledgments the arrival calls for are not
// recorded: an endpoint may send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> at any
// time (see emit), and may delay or combine them (RFC 1122 §4.2.3.2,
// RFC 9293 §3.8.6.3); resets are recorded in e.Reply.
//
// One departure from the model's rules: in SYN_RECEIVED, the
// acknowledgment of an acceptable segment beyond RCV.NXT is processed at
// once, as that of a bare ACK at RCV.NXT (its text and FIN are dropped,
// as beyond RCV.NXT in any state), as Linux's tcp_check_req does. The
// model takes it only in SEG.SEQ order, when the gap before it is filled
// (§3.10.7.4 "first": "further processing is done in SEG.SEQ order").
func arrive(e *endpoint, seg Segment, iss uint32) {
	h := seg.header()
	if e.State == tcp.SYN_RECEIVED && h.Has(tcp.ACK) && !h.Has(tcp.RST|tcp.SYN) &&
		tcp.SeqGT(h.Seq, e.RcvNxt) && e.Acceptable(h, rcvWnd) {
		h = tcp.Header{Seq: e.RcvNxt, Ack: h.Ack, Flags: tcp.ACK}
	}
	r := rfc9293.SegmentArrives(&e.TCB, h, iss, rcvWnd)
	if r.Replied && r.Reply.Has(tcp.RST) {
		e.Reply = reply{Seq: r.Reply.Seq, Ack: r.Reply.Ack, Flags: r.Reply.Flags, Has: true}
	}
	if e.State == tcp.CLOSED {
		e.deleteTCB(e.End)
	}
}
