package tcp

import "github.com/handshake/handshake/checker"

// Fairness groups for liveness properties. Each is weakly fair when listed
// in a property's Fair: if it stays enabled, one of its actions is taken.

// FairDelivery is the network delivering on the channel towards side: a
// segment (or a duplicate) arriving, not a loss. Loss is never fair: a
// behaviour need not lose anything.
func FairDelivery(side int) checker.Fairness[State] {
	return checker.Fairness[State]{
		Name: "deliver " + SideNames[1-side] + "->" + SideNames[side],
		Action: func(a checker.Action) bool {
			k, sd, p := Decode(a)
			return k == Arrive && sd == side && networkDelivery(p).Received()
		},
	}
}

// FairRetransmission is side's retransmission timer: retransmitting, or
// giving up once the retransmissions are exhausted.
func FairRetransmission(side int) checker.Fairness[State] {
	return checker.Fairness[State]{
		Name: SideNames[side] + ": retransmission timeout",
		Action: func(a checker.Action) bool {
			k, sd, _ := Decode(a)
			return (k == Retransmit || k == GiveUp) && sd == side
		},
	}
}

// FairTimeout is side's TIME-WAIT timeout.
func FairTimeout(side int) checker.Fairness[State] {
	return fairKind(side, Timeout, "2MSL timeout")
}

// FairSegmentize is side's sending of queued data.
func FairSegmentize(side int) checker.Fairness[State] {
	return fairKind(side, Segmentize, "send queued octet")
}

// fairKind is the group of side's actions of kind k.
func fairKind(side int, k Kind, name string) checker.Fairness[State] {
	return checker.Fairness[State]{
		Name: SideNames[side] + ": " + name,
		Action: func(a checker.Action) bool {
			ka, sd, _ := Decode(a)
			return ka == k && sd == side
		},
	}
}

// FairCloseAfterEOS is side's application calling CLOSE once it has seen
// end-of-stream (in CLOSE_WAIT).
func FairCloseAfterEOS(side int) checker.Fairness[State] {
	return checker.Fairness[State]{
		Name: SideNames[side] + ": application CLOSEs in CLOSE_WAIT",
		Action: func(a checker.Action) bool {
			k, sd, _ := Decode(a)
			return k == Close && sd == side
		},
		Member: func(s State, a checker.Action) bool { return s.Ep[side].State == CLOSE_WAIT },
	}
}

// EndpointFairness is every group above for both sides: the network
// delivers (loss is not fair), endpoints take their own steps (timeouts
// included), and an application whose peer has closed eventually closes
// too. User calls otherwise are not fair: an
// application may never OPEN, SEND, CLOSE or ABORT.
func EndpointFairness() []checker.Fairness[State] {
	var fs []checker.Fairness[State]
	for side := 0; side < 2; side++ {
		fs = append(fs, FairDelivery(side), FairTimeout(side), FairSegmentize(side), FairCloseAfterEOS(side), FairRetransmission(side))
	}
	return fs
}
