package spec

import (
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
)

// The properties that say what a user of TCP means by a working
// connection: the TCB accounts for the octets sent and delivered, an
// acknowledged octet has reached the receiving application, a connection
// is reset only by a peer that has left it, data written is delivered, and
// a close is graceful unless something failed.

// pairedPeer returns the peer of side when the peer's current connection
// and side's current connection accepted each other's SYNs (each is the
// other's Endpoint.PeerInc), else nil.
func pairedPeer(s *tcp.State, side int) *tcp.Endpoint {
	e, p := &s.Ep[side], &s.Ep[1-side]
	if e.PeerInc == 0 || p.Opens != e.PeerInc || p.PeerInc != e.Opens {
		return nil
	}
	return p
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// SequenceAccounting: the sequence variables of every TCB (§3.3.1) account
// exactly for what the endpoint sent and delivered. SND.NXT is ISS plus the
// SYN, the data octets sent and the FIN; SND.UNA lies between ISS and
// SND.NXT (never beyond what was sent); and once the peer's SYN is known,
// RCV.NXT is IRS plus the SYN, the octets delivered to the application and
// the FIN if end-of-stream was signalled.
func SequenceAccounting(s tcp.State) bool {
	for side := range s.Ep {
		e := &s.Ep[side]
		if e.State == tcp.CLOSED || e.State == tcp.LISTEN {
			continue
		}
		if e.SndNxt != e.ISS+1+uint32(e.Sent)+b2u(e.FinSent) {
			return false
		}
		if !tcp.SeqLEQ(e.ISS, e.SndUna) || !tcp.SeqLEQ(e.SndUna, e.SndNxt) {
			return false
		}
		if e.State != tcp.SYN_SENT && e.RcvNxt != e.IRS+1+uint32(e.Recvd)+b2u(e.EOS) {
			return false
		}
	}
	return true
}

// ackedData is the number of e's data octets below SND.UNA: acknowledged
// by the peer.
func ackedData(e *tcp.Endpoint) uint32 {
	if !tcp.SeqLT(e.ISS, e.SndUna) {
		return 0
	}
	n := e.SndUna - e.ISS - 1 // octets after the SYN
	if e.FinSent && tcp.SeqLT(e.FinSeq, e.SndUna) {
		n-- // the FIN
	}
	return n
}

// AcknowledgedIsDelivered: an octet its sender sees acknowledged has been
// delivered to the receiving application: for each endpoint past SYN_SENT
// whose peer is still in the connection paired with it, the data octets
// below SND.UNA are no more than the peer's application has received.
func AcknowledgedIsDelivered(s tcp.State) bool {
	for side := range s.Ep {
		e := &s.Ep[side]
		switch e.State {
		case tcp.CLOSED, tcp.LISTEN, tcp.SYN_SENT:
			continue
		}
		p := pairedPeer(&s, side)
		if p == nil {
			continue
		}
		if ackedData(e) > uint32(p.Recvd) {
			return false
		}
	}
	return true
}

// ResetOnlyByDepartedPeer: an endpoint whose connection was reset (End
// reset) is not paired with a peer connection that is still synchronized:
// a RST comes from a peer that aborted, has no TCB, is still opening, or
// has moved on to another connection, never from one that is still in the
// connection (§3.5.2: a reset is sent when a segment does not belong to
// the connection).
func ResetOnlyByDepartedPeer(s tcp.State) bool {
	for side := range s.Ep {
		e := &s.Ep[side]
		if e.State != tcp.CLOSED || e.End != tcp.EndReset {
			continue
		}
		if p := pairedPeer(&s, side); p != nil && p.State.Synchronized() {
			return false
		}
	}
	return true
}

// failed reports whether e's connection ended in a failure its application
// was told of: a reset, ABORT, or giving up retransmitting.
func failed(e *tcp.Endpoint) bool {
	return e.End == tcp.EndReset || e.End == tcp.EndAbort || e.End == tcp.EndGiveUp
}

// peerLeft reports whether side's connection has lost its peer: the peer
// connection paired with it failed, or the peer has moved on to another
// connection.
func peerLeft(s *tcp.State, side int) bool {
	e := &s.Ep[side]
	if e.PeerInc == 0 {
		return false
	}
	p := pairedPeer(s, side)
	return p == nil || failed(p)
}

// writesDelivered reports whether everything side's application wrote in
// its current connection has reached the peer's application and been
// acknowledged.
func writesDelivered(s *tcp.State, side int) bool {
	e := &s.Ep[side]
	p := pairedPeer(s, side)
	return p != nil && p.Recvd >= e.Wrote && ackedData(e) >= uint32(e.Wrote)
}

// DataDelivered is the goal of side-data-delivered.
func DataDelivered(s tcp.State, side int) bool {
	e := &s.Ep[side]
	return e.State == tcp.CLOSED || failed(e) || peerLeft(&s, side) || writesDelivered(&s, side)
}

// gracefullyClosed reports whether side has closed through the FIN
// exchange: it has been in TIME_WAIT, or is CLOSED by the ACK of its FIN in
// LAST_ACK; and, if the peer is still in the connection, each
// application has received everything the other wrote, end-of-stream
// included.
func gracefullyClosed(s *tcp.State, side int) bool {
	e := &s.Ep[side]
	// TIME_WAIT reached (a RST may end it early, RFC 1337: the close was
	// graceful nonetheless), or CLOSED by the ACK of its FIN.
	if !(e.SawState(tcp.TIME_WAIT) || (e.State == tcp.CLOSED && e.End == tcp.EndLastAck)) {
		return false
	}
	if !e.EOS {
		return false
	}
	if p := pairedPeer(s, side); p != nil {
		return e.Recvd == p.Wrote && p.Recvd == e.Wrote
	}
	return true
}

// GracefulCloseGoal is the goal of side-close-leads-to-graceful-close.
func GracefulCloseGoal(s tcp.State, side int) bool {
	e := &s.Ep[side]
	return gracefullyClosed(&s, side) || e.End == tcp.EndAbort || e.End == tcp.EndGiveUp || peerLeft(&s, side)
}

// graceful-close and data-delivered state their assumptions alike.
const fairAll = "under weak fairness of delivery on each channel, of each endpoint's 2MSL timeout, retransmission " +
	"timeout and sending of queued data, and of each application's CLOSE once in CLOSE_WAIT"

// deliveryProperties are the invariants and liveness properties of data
// delivery and graceful close; fair is the fairness of the latter.
func deliveryProperties(fair []checker.Fairness[tcp.State]) []checker.Property[tcp.State] {
	ps := []checker.Property[tcp.State]{
		{
			Name: "sequence-accounting", Kind: checker.Always,
			Description: "every TCB's sequence variables account for what its endpoint sent and delivered (§3.3.1): " +
				"SND.NXT = ISS + 1 (SYN) + data octets sent + 1 if the FIN was sent; ISS =< SND.UNA =< SND.NXT; " +
				"and once the peer's SYN is known, RCV.NXT = IRS + 1 + octets delivered to the application + 1 if " +
				"end-of-stream was signalled",
			Holds: SequenceAccounting,
		},
		{
			Name: "acknowledged-is-delivered", Kind: checker.Always,
			Description: "an octet its sender sees acknowledged (below SND.UNA) has reached the receiving " +
				"application of the peer connection paired with the sender's",
			Holds: AcknowledgedIsDelivered,
		},
		{
			Name: "reset-only-by-departed-peer", Kind: checker.Always,
			Description: "an endpoint is reset only by a peer that has left the connection: when a connection ends " +
				"by a RST, the peer connection paired with it is not in a synchronized state (it aborted, has no " +
				"TCB, or has moved on), §3.5.2",
			Holds: ResetOnlyByDepartedPeer,
		},
	}
	for side := 0; side < 2; side++ {
		side := side
		name := tcp.SideNames[side]
		ps = append(ps, checker.Property[tcp.State]{
			Name: name + "-data-delivered", Kind: checker.Eventually,
			Description: "every octet the " + name + "'s application writes is eventually delivered to the peer's " +
				"application and acknowledged (stream-integrity makes it in order and once), unless the connection " +
				"fails (reset, ABORT, giving up retransmitting, on either side) or the " + name + " reaches CLOSED " +
				"(its application closed while opening, or the close completed, which needs the data acknowledged), " +
				fairAll + ". Giving up needs more losses than retransmissions (R2 expires only when nothing is in flight), " +
				"so on a network with loss =< retx and without ABORT only a reset ends the connection early. " + fairLoss,
			From:  func(s tcp.State) bool { e := &s.Ep[side]; return e.Wrote > 0 && e.State != tcp.CLOSED },
			Holds: func(s tcp.State) bool { return DataDelivered(s, side) },
			Fair:  fair,
		})
	}
	for side := 0; side < 2; side++ {
		side := side
		name := tcp.SideNames[side]
		ps = append(ps, checker.Property[tcp.State]{
			Name: name + "-close-leads-to-graceful-close", Kind: checker.Eventually,
			Description: "once the " + name + " has been ESTABLISHED and its application has called CLOSE, the " + name +
				" eventually closes gracefully: it reaches TIME_WAIT (a RST may end TIME_WAIT early, RFC 1337), or CLOSED by the ACK of its FIN in LAST_ACK, having " +
				"seen end-of-stream, with each application having received all the other wrote; unless ABORT or giving " +
				"up ends the connection on either side, or the peer moves on to another connection. A reset is not an " +
				"excuse: " + fairAll + ". " + fairLoss,
			From: func(s tcp.State) bool {
				e := &s.Ep[side]
				return e.CloseCalled && e.SawState(tcp.ESTABLISHED) && e.PeerInc != 0
			},
			Holds: func(s tcp.State) bool { return GracefulCloseGoal(s, side) },
			Fair:  fair,
		})
	}
	return ps
}

// arrivingSegment returns the segment action a hands to side in s, if a
// is the arrival of a segment (not a loss): delivered by the network, or
// forged by an off-path attacker.
func arrivingSegment(s tcp.State, a checker.Action) (seg tcp.Segment, side int, ok bool) {
	return tcp.Arriving(s, a)
}

// RstOnlyAtRcvNxt: a RST ends a synchronized connection only if its SEQ is
// exactly RCV.NXT (RFC 5961 §3.2, §3.10.7.4 "second"): one elsewhere in the
// window draws a challenge ACK, one outside it is dropped.
func RstOnlyAtRcvNxt(s tcp.State, a checker.Action, t tcp.State) bool {
	seg, side, ok := arrivingSegment(s, a)
	if !ok || !seg.Has(tcp.RST) || !s.Ep[side].State.Synchronized() || t.Ep[side].State != tcp.CLOSED {
		return true
	}
	return seg.Seq == s.Ep[side].RcvNxt
}

// SynNeverResets: a SYN never ends a synchronized connection: it draws a
// challenge ACK and is dropped (RFC 5961 §4, §3.10.7.4 "fourth").
func SynNeverResets(s tcp.State, a checker.Action, t tcp.State) bool {
	seg, side, ok := arrivingSegment(s, a)
	if !ok || !seg.Has(tcp.SYN) || seg.Has(tcp.RST) || !s.Ep[side].State.Synchronized() {
		return true
	}
	return t.Ep[side].State != tcp.CLOSED
}

// lost is the number of segments the network has lost, both directions.
func lost(s *tcp.State) int { return int(s.Net[0].Lost) + int(s.Net[1].Lost) }

// configProperties are the properties whose statement depends on the
// configuration.
func configProperties(cfg tcp.Config) []checker.Property[tcp.State] {
	var ps []checker.Property[tcp.State]
	if !cfg.NoAbort {
		ps = append(ps, noStuckState(cfg))
	}
	if cfg.Conns > 1 {
		// With connections in sequence, old duplicate SYNs of an
		// earlier connection may cross and open two SYN_RECEIVED
		// halves that never synchronize (§3.5 Figure 9 recovers only
		// one side): giving up is then how they end, with no loss.
		return ps
	}
	retx := cfg.Retx
	return append(ps, []checker.Property[tcp.State]{
		{
			Name: "give-up-only-after-losses", Kind: checker.Always,
			Description: "an endpoint gives up retransmitting (R2, §3.8.3) only after the network has lost more segments " +
				"than it may retransmit one (param retx): with loss =< retx no connection fails by giving up. (R2 expires only " +
				"when nothing is in flight and the peer has stopped retransmitting; n/a with conns > 1, where old duplicate " +
				"SYNs of an earlier connection may open two halves that never synchronize and end by giving up)",
			Holds: func(s tcp.State) bool {
				for i := range s.Ep {
					if s.Ep[i].End == tcp.EndGiveUp && lost(&s) <= retx {
						return false
					}
				}
				return true
			},
		},
	}...)
}

// noStuckState is the deadlock check with ABORT set aside: where the
// applications may ABORT, ABORT is enabled in every state with a TCB, so
// the engine's deadlock check (no action enabled) can never fire.
func noStuckState(cfg tcp.Config) checker.Property[tcp.State] {
	return checker.Property[tcp.State]{
		Name: "no-stuck-state", Kind: checker.Always,
		Description: "every reachable state but a normal end (both sides CLOSED, nothing in flight) enables some " +
			"action other than ABORT: the deadlock check, which ABORT would otherwise satisfy in every state with a " +
			"TCB (n/a with abort=0, where deadlock is the same check)",
		Holds: func(s tcp.State) bool {
			if tcp.EndState(s) {
				return true
			}
			var buf [64]checker.Action
			for _, a := range cfg.Actions(s, buf[:0]) {
				if k, _, _ := tcp.Decode(a); k != tcp.Abort {
					return true
				}
			}
			return false
		},
	}
}

// rfc5961Properties are the step properties of RFC 5961's mitigations,
// which the model follows in the synchronized states.
func rfc5961Properties() []checker.Property[tcp.State] {
	return []checker.Property[tcp.State]{
		{
			Name: "rst-only-at-rcv-nxt", Kind: checker.AlwaysStep,
			Description: "a RST ends a synchronized connection only if its SEQ is exactly RCV.NXT (RFC 5961 §3.2, " +
				"§3.10.7.4 \"second\"): elsewhere in the window it draws a challenge ACK, outside it is dropped",
			Step: RstOnlyAtRcvNxt,
		},
		{
			Name: "syn-never-resets", Kind: checker.AlwaysStep,
			Description: "a SYN arriving in a synchronized state never ends the connection: it draws a challenge ACK " +
				"and is dropped (RFC 5961 §4, §3.10.7.4 \"fourth\")",
			Step: SynNeverResets,
		},
	}
}
