package capture

import (
	"fmt"

	"github.com/handshake/handshake/model/tcp"
)

// A refusal says why an endpoint cannot send a segment: the rule it would
// break and where the RFC states it.
type refusal struct {
	Rule string
	RFC  string
}

// numbering renders sequence numbers relative to each side's ISN.
type numbering struct{ isn [2]uint32 }

// seq renders a sequence number in side's space, ack one in the peer's.
func (n numbering) seq(side int, v uint32) uint32 { return v - n.isn[side] }

// emit makes e (side side) send g, possibly after a user call that the
// segment reveals: OPEN for a first SYN, SEND for new data, CLOSE for a
// first FIN, ABORT for a RST. It changes e and returns nil, or explains
// why e cannot send g.
func emit(e *endpoint, side int, g Segment, n numbering) *refusal {
	who := tcp.SideNames[side]
	peer := 1 - side
	switch {
	case g.Has(tcp.RST):
		return emitRST(e, side, g, n)
	case g.Has(tcp.SYN):
		return emitSYN(e, side, g, n)
	}
	// Every other segment belongs to a synchronized connection.
	switch e.State {
	case tcp.CLOSED, tcp.LISTEN, tcp.SYN_SENT:
		what := "no connection (CLOSED)"
		if e.fresh() {
			what = "not opened yet: a connection begins with a SYN"
		} else if e.State != tcp.CLOSED {
			what = e.State.String() + ": the connection is not synchronized"
		}
		return &refusal{fmt.Sprintf("%s sends a segment without SYN but is %s", who, what), "RFC 9293 §3.5, §3.10.7"}
	case tcp.SYN_RECEIVED:
		// Only CLOSE's FIN, or the acknowledgment
		// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> that answers an
		// unacceptable segment (§3.10.7.4 "first", which covers
		// SYN-RECEIVED: a retransmitted SYN, a simultaneous open's
		// SYN,ACK) or a RST or SYN beyond RCV.NXT (RFC 5961 §3.2, §4).
		bareACK := g.Flags == tcp.ACK && g.Len == 0 && g.Seq == e.SndNxt && g.Ack == e.RcvNxt
		if !g.Has(tcp.FIN) && !bareACK {
			return &refusal{fmt.Sprintf("%s in SYN_RECEIVED sends a segment without SYN before its SYN is acknowledged", who), "RFC 9293 §3.5"}
		}
	}
	if !g.Has(tcp.ACK) {
		return &refusal{fmt.Sprintf("%s's segment lacks the ACK bit, which is always set once a connection is established", who), "RFC 9293 §3.1 (Acknowledgment Number)"}
	}
	if g.Ack != e.RcvNxt {
		return &refusal{fmt.Sprintf("ACK %d is not what %s has received: RCV.NXT=%d (a segment carries <ACK=RCV.NXT>)",
			n.seq(peer, g.Ack), who, n.seq(peer, e.RcvNxt)), "RFC 9293 §3.10.7.4 (seventh, eighth), §3.10.2"}
	}
	end := g.Seq + g.Len // the FIN, if any, is at end
	if probe(e, g) {
		// A keep-alive or zero-window probe: <SEQ=SND.NXT-1> with zero
		// or one octet already sent, answered by an ACK (RFC 9293
		// §3.8.4, §3.8.6.1; RFC 1122 §4.2.3.6). It changes nothing.
		return nil
	}
	old := e.SndNxt
	if tcp.SeqGT(end, e.SndNxt) {
		// New data: the application wrote it (SEND, §3.10.2). Octets
		// between SND.NXT and SEG.SEQ went out in segments lost before
		// the capture point (for an acknowledgment or a FIN, all of
		// them).
		if e.FinSent {
			return &refusal{fmt.Sprintf("data after FIN: %s sends octets up to %d beyond its FIN at %d",
				who, n.seq(side, end), n.seq(side, e.FinSeq)), "RFC 9293 §3.10.2 (SEND after CLOSE: \"error: connection closing\"), §3.10.4"}
		}
		if e.State != tcp.ESTABLISHED && e.State != tcp.CLOSE_WAIT {
			return &refusal{fmt.Sprintf("%s sends new data in %s", who, e.State), "RFC 9293 §3.10.2"}
		}
		e.SndNxt = end
	}
	if g.Len == 0 && !g.Has(tcp.FIN) {
		if g.Seq != e.SndNxt {
			return &refusal{fmt.Sprintf("ACK segment with seq %d, but %s's SND.NXT is %d (an acknowledgment is <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>)",
				n.seq(side, g.Seq), who, n.seq(side, e.SndNxt)), "RFC 9293 §3.10.7.4 (first, seventh)"}
		}
		return nil
	}
	if g.Len > 0 && !tcp.SeqGT(end, old) || (g.Has(tcp.FIN) && e.FinSent) {
		// A retransmission (§3.7.1): it must still be unacknowledged as
		// far as the sender knows.
		top := end
		if g.Has(tcp.FIN) {
			top++
		}
		if !tcp.SeqGT(top, e.SndUna) {
			return &refusal{fmt.Sprintf("%s retransmits seq %d..%d, all acknowledged already (SND.UNA=%d)",
				who, n.seq(side, g.Seq), n.seq(side, top), n.seq(side, e.SndUna)), "RFC 9293 §3.3.1, §3.10.7.4 (fifth)"}
		}
	}
	if !g.Has(tcp.FIN) {
		return nil
	}
	if e.FinSent {
		if end != e.FinSeq {
			return &refusal{fmt.Sprintf("FIN at seq %d, but %s's FIN is at %d", n.seq(side, end), who, n.seq(side, e.FinSeq)), "RFC 9293 §3.10.4"}
		}
		return nil
	}
	if end != e.SndNxt {
		return &refusal{fmt.Sprintf("FIN at seq %d before octets already sent up to %d", n.seq(side, end), n.seq(side, e.SndNxt)), "RFC 9293 §3.10.4 (FIN after all preceding SENDs)"}
	}
	// CLOSE (§3.10.4): the FIN is at SND.NXT (end), as SendFIN sends it.
	var seen uint16
	if _, ok := e.SendFIN(&seen); !ok {
		return &refusal{fmt.Sprintf("%s sends a FIN in %s", who, e.State), "RFC 9293 §3.10.4"}
	}
	return nil
}

// probe reports whether g is a keep-alive (RFC 1122 §4.2.3.6, RFC 9293
// §3.8.4) or zero-window probe (§3.8.6.1) e may send: an ACK with
// SEG.SEQ = SND.NXT-1 and no text, or one octet of text already sent
// (the "garbage octet" of implementations that need one). Both elicit an
// acknowledgment without advancing anything, which is all they are for.
func probe(e *endpoint, g Segment) bool {
	switch e.State {
	case tcp.ESTABLISHED, tcp.FIN_WAIT_1, tcp.FIN_WAIT_2, tcp.CLOSE_WAIT, tcp.CLOSING, tcp.LAST_ACK:
	default:
		return false
	}
	if g.Flags != tcp.ACK || g.Seq != e.SndNxt-1 || g.Ack != e.RcvNxt {
		return false
	}
	return g.Len == 0 || (g.Len == 1 && !e.FinSent)
}

// replies reports whether g is the reset r owed in answer to an arrival.
func replies(r reply, g Segment) bool {
	return r.Has && g.Has(tcp.RST) && r.Seq == g.Seq && r.Flags == g.Flags && (r.Flags&tcp.ACK == 0 || r.Ack == g.Ack) && g.Len == 0
}

// emitSYN: a first SYN is an active OPEN (§3.10.1); a SYN,ACK answers a
// SYN received (§3.10.7.2); either may be retransmitted.
func emitSYN(e *endpoint, side int, g Segment, n numbering) *refusal {
	who := tcp.SideNames[side]
	if g.Len > 0 || g.Has(tcp.FIN) {
		return &refusal{fmt.Sprintf("%s's SYN carries data or FIN (TCP Fast Open and the like are outside the model)", who), "RFC 9293 §3.4, RFC 7413"}
	}
	if !g.Has(tcp.ACK) {
		switch {
		case e.fresh() || e.State == tcp.LISTEN:
			// OPEN in CLOSED, or SEND in LISTEN, which turns the
			// connection active (§3.10.2).
			var seen uint16
			e.SendSYN(g.Seq, &seen)
			return nil
		case e.State == tcp.SYN_SENT && g.Seq == e.ISS:
			return nil
		}
		return &refusal{fmt.Sprintf("%s sends a SYN in %s", who, e.State), "RFC 9293 §3.10.1, §3.10.2 (a SYN is sent by OPEN in CLOSED or SEND in LISTEN)"}
	}
	if e.State != tcp.SYN_RECEIVED {
		why := "no SYN has arrived"
		if e.State == tcp.SYN_SENT {
			why = "its own SYN is unanswered"
		}
		return &refusal{fmt.Sprintf("%s sends SYN,ACK in %s: %s", who, e.State, why), "RFC 9293 §3.10.7.2 (third), §3.10.7.3 (fourth)"}
	}
	if g.Seq != e.ISS {
		return &refusal{fmt.Sprintf("SYN,ACK with seq %d, but %s's ISS is %d", n.seq(side, g.Seq), who, n.seq(side, e.ISS)), "RFC 9293 §3.10.7.2"}
	}
	if g.Ack != e.RcvNxt {
		return &refusal{fmt.Sprintf("SYN,ACK acknowledges %d, but %s's RCV.NXT is %d (IRS+1)", n.seq(1-side, g.Ack), who, n.seq(1-side, e.RcvNxt)), "RFC 9293 §3.10.7.2 (third)"}
	}
	return nil
}

// emitRST: a reset is either owed in answer to an arrival (§3.10.7.1-4),
// or sent by ABORT (§3.10.5). Linux also resets on CLOSE with unread data
// or after SO_LINGER 0 (RFC 1122 §4.2.2.13); that reset is ABORT's
// <SEQ=SND.NXT>, and Linux sets ACK on it with <ACK=RCV.NXT>.
func emitRST(e *endpoint, side int, g Segment, n numbering) *refusal {
	who := tcp.SideNames[side]
	rst, ok := e.AbortRST()
	if !ok {
		if e.fresh() || e.State == tcp.CLOSED || e.State == tcp.LISTEN {
			return &refusal{fmt.Sprintf("RST from %s in %s answers no segment it received (it would be <SEQ=SEG.ACK><CTL=RST> or <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>)", who, e.State), "RFC 9293 §3.10.7.1, §3.10.7.2"}
		}
		return &refusal{fmt.Sprintf("RST from %s in %s: ABORT sends no reset in this state, and no arrival called for one", who, e.State), "RFC 9293 §3.10.5"}
	}
	if g.Seq != rst.Seq {
		return &refusal{fmt.Sprintf("RST with seq %d, but %s's SND.NXT is %d (ABORT sends <SEQ=SND.NXT><CTL=RST>)", n.seq(side, g.Seq), who, n.seq(side, rst.Seq)), "RFC 9293 §3.10.5"}
	}
	if g.Has(tcp.ACK) && g.Ack != e.RcvNxt {
		return &refusal{fmt.Sprintf("RST,ACK acknowledges %d, but %s's RCV.NXT is %d", n.seq(1-side, g.Ack), who, n.seq(1-side, e.RcvNxt)), "RFC 9293 §3.10.5, RFC 1122 §4.2.2.13"}
	}
	if g.Len > 0 {
		return &refusal{fmt.Sprintf("RST from %s carries data", who), "RFC 9293 §3.10.5"}
	}
	e.deleteTCB(tcp.EndAbort)
	return nil
}
