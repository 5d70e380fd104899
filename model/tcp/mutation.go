package tcp

// Mutation is a deliberate one-line deviation of the endpoint code from RFC
// 9293, for the mutation tests of package spec: each sound variant is
// checked with each mutation switched on, and every mutation must be caught
// (some property violated) in some sound variant. A mutation that nothing
// catches is a property missing from the specification.
//
// Mutations are not flaws of the kind the broken variants show (those are
// the Config fields above, each with its story); they are switched on only
// by tests (Config.Mutation), never by a variant or a CLI parameter. The
// deviation of each is one condition at the code point that implements the
// rule it breaks, marked with c.mutated(...).
type Mutation uint8

// The mutations. Each name says what the mutated endpoint does.
const (
	NoMutation Mutation = iota
	// deliver: RCV.NXT advances over a data octet (so it is
	// acknowledged) but the octet never reaches the application.
	MutAckWithoutDelivery
	// §3.10.7.4 "fifth": an ACK of something not yet sent (SEG.ACK >
	// SND.NXT) is taken as valid, SND.UNA moves beyond SND.NXT.
	MutAckOfUnsentAccepted
	// §3.10.7.4 "fourth": a SYN at RCV.NXT in a synchronized state resets
	// the connection (RFC 793) instead of drawing a challenge ACK (RFC 5961
	// §4).
	MutSynResetsSynchronized
	// §3.10.8: the 2MSL timer expires while segments are still in flight.
	MutEarlyTimeWaitTimeout
	// §3.10.7.2 "second": LISTEN drops an ACK-bearing segment instead of
	// answering <SEQ=SEG.ACK><CTL=RST>.
	MutListenDropsAck
	// §3.10.7.4 "first": in-window data beyond RCV.NXT (out of order) is
	// taken as the next octet.
	MutOutOfOrderAsNext
	// §3.10.7.4 "second": RST in a passively opened SYN_RECEIVED enters
	// CLOSED instead of returning to LISTEN.
	MutPassiveRstCloses
	// §3.10.7.4 "eighth": FIN does not advance RCV.NXT.
	MutFinKeepsRcvNxt
	// §3.10.7.4 "second": a RST is accepted at any sequence number.
	MutRstAnySeq
	// §3.10.5: ABORT sends no RST.
	MutAbortSendsNoRst
	// §3.10.7.4 "fifth": SYN_RECEIVED accepts any ACK (no check of
	// SND.UNA < SEG.ACK =< SND.NXT).
	MutSynReceivedAnyAck
	// §3.10.7.4 "seventh": data is delivered but never acknowledged.
	MutDataNeverAcked
	// §3.10.7.1: a CLOSED endpoint answers nothing (no RST).
	MutClosedSendsNoRst
	// §3.10.7.3 "second": in SYN_SENT a RST is accepted without an
	// acceptable ACK.
	MutSynSentRstWithoutAck
	// §3.10.7.4 "fifth": FIN_WAIT_1 enters FIN_WAIT_2 on any ACK, its FIN
	// acknowledged or not.
	MutFinWait1AnyAck
	// §3.10.7.4 "fifth": LAST_ACK enters CLOSED on any ACK.
	MutLastAckAnyAck
	// §3.10.7.4 "first": an unacceptable segment with text is dropped
	// without the ACK the RFC requires.
	MutUnacceptableNotAcked
	// §3.10.7.4 "first" and §3.6: in TIME_WAIT, a retransmission of the
	// peer's FIN (its ACK was lost) is not acknowledged again.
	MutTimeWaitIgnoresFin
	// §3.10.7.3 "fourth": a SYN,ACK in SYN_SENT is answered without
	// recording the peer's SYN (RCV.NXT stays 0).
	MutSynSentKeepsRcvNxt
	// §3.8.1: the retransmission count does not restart when SND.UNA
	// advances.
	MutRetxCountNeverRestarts
	// §3.10.2: SEND after CLOSE is serviced (in FIN_WAIT_1, FIN_WAIT_2,
	// CLOSING and LAST_ACK it should fail with "error: connection
	// closing"), and the octet goes out after the FIN.
	MutSendAfterClose
	NumMutations
)

var mutationNames = [...]string{"", "ack-without-delivery", "ack-of-unsent-accepted", "syn-resets-synchronized",
	"early-2msl-timeout", "listen-drops-ack", "out-of-order-as-next", "passive-rst-closes", "fin-keeps-rcv-nxt",
	"rst-any-seq", "abort-sends-no-rst", "syn-received-any-ack", "data-never-acked", "closed-sends-no-rst",
	"syn-sent-rst-without-ack", "fin-wait-1-any-ack", "last-ack-any-ack", "unacceptable-not-acked",
	"time-wait-ignores-fin", "syn-sent-keeps-rcv-nxt", "retx-count-never-restarts", "send-after-close"}

func (m Mutation) String() string {
	if int(m) < len(mutationNames) {
		return mutationNames[m]
	}
	return "Mutation(?)"
}

// mutated reports whether mutation m is switched on.
func (c *Config) mutated(m Mutation) bool { return c.Mutation == m && m != NoMutation }
