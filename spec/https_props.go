package spec

import (
	"fmt"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/https"
	"github.com/handshake/handshake/model/tcp"
)

// HTTPSProperties are the properties of the composed model.
func HTTPSProperties(cfg https.Config) []checker.Property[https.State] {
	n := cfg.Requests
	fair := HTTPSFairness() // one slice: the two liveness properties share its groups
	return []checker.Property[https.State]{
		{
			Name: "no-truncation", Kind: checker.Always,
			Description: "the client's application accepts a response as complete only if it has read the whole " +
				"response the server's application wrote (head and body)",
			Holds: func(s https.State) bool { return NoTruncation(s, n) },
		},
		{
			Name: "at-most-once", Kind: checker.Always,
			Description: "the server's application processes each non-idempotent request (the POST) at most once " +
				"(idempotent requests may be retried, RFC 9112 §9.3.1)",
			Holds: func(s https.State) bool { return AtMostOnce(s, cfg) },
		},
		{
			Name: "close-notify-before-fin", Kind: checker.AlwaysStep,
			Description: "no TLS endpoint that completed its handshake sends its FIN before its close_notify " +
				"(RFC 8446 §6.1; vacuous over plain TCP)",
			Step: func(s https.State, _ checker.Action, t https.State) bool { return CloseNotifyBeforeFIN(s, t, cfg.TLS) },
		},
		{
			Name: "response-delivered", Kind: checker.Eventually,
			Description: "a response the server's application wrote completely is eventually read completely by the " +
				"client's application, " + httpsFairness,
			From:  func(s https.State) bool { return wroteUndelivered(s, n) },
			Holds: func(s https.State) bool { return !wroteUndelivered(s, n) },
			Fair:  fair,
		},
		{
			Name: "request-settled", Kind: checker.Eventually,
			Description: "every request the client sent ends in a complete response or in an error reported to its " +
				"application, " + httpsFairness,
			From:  func(s https.State) bool { return unsettled(s, n) },
			Holds: func(s https.State) bool { return !unsettled(s, n) },
			Fair:  fair,
		},
		{
			Name: "https-lifecycle", Kind: checker.Sometimes,
			Description: "the whole story on one connection: three-way handshake, TLS handshake, every request " +
				"answered, close_notify both ways, FIN both ways, TIME-WAIT, both endpoints CLOSED",
			Holds: func(s https.State) bool { return Lifecycle(s, n, cfg.TLS) },
		},
	}
}

const httpsFairness = "under weak fairness of delivery on each channel, of each endpoint's timeouts and " +
	"retransmission, and of each application's steps (not the server's idle timeout, not the attacker)"

// HTTPSFairness are the weakly fair groups of the liveness properties: TCP's
// own (delivery, 2MSL, retransmission) and each application's steps.
func HTTPSFairness() []checker.Fairness[https.State] {
	var fs []checker.Fairness[https.State]
	for side := 0; side < 2; side++ {
		for _, f := range []checker.Fairness[tcp.State]{tcp.FairDelivery(side), tcp.FairTimeout(side), tcp.FairRetransmission(side)} {
			f := f
			g := checker.Fairness[https.State]{Name: f.Name, Action: func(a checker.Action) bool {
				_, _, _, upper := https.Decode(a)
				return !upper && (f.Action == nil || f.Action(a))
			}}
			if f.Member != nil {
				g.Member = func(s https.State, a checker.Action) bool { return f.Member(s.T, a) }
			}
			fs = append(fs, g)
		}
		side := side
		fs = append(fs, checker.Fairness[https.State]{Name: tcp.SideNames[side] + " application", Action: func(a checker.Action) bool {
			k, sd, _, upper := https.Decode(a)
			return upper && sd == side && k >= https.Open && k <= https.NoticeReset && k != https.Idle
		}})
	}
	return fs
}

// NoTruncation: every response the client accepted was read whole (two
// units) and written whole.
func NoTruncation(s https.State, n int) bool {
	for r := 0; r < n; r++ {
		if s.Req[r] == https.Done && (s.Accepted[r] != 2 || !s.WroteWhole[r]) {
			return false
		}
	}
	return true
}

// AtMostOnce: the POST, if any, was processed at most once.
func AtMostOnce(s https.State, cfg https.Config) bool {
	return !cfg.Post || s.Processed[cfg.Requests-1] <= 1
}

// CloseNotifyBeforeFIN: an endpoint that sends its FIN in s -> t and has
// completed its TLS handshake has sent its close_notify.
func CloseNotifyBeforeFIN(s, t https.State, tls bool) bool {
	if !tls {
		return true
	}
	for side := 0; side < 2; side++ {
		if !s.T.Ep[side].FinSent && t.T.Ep[side].FinSent && t.App[side].Hs == 3 && !t.App[side].CNSent {
			return false
		}
	}
	return true
}

func wroteUndelivered(s https.State, n int) bool {
	for r := 0; r < n; r++ {
		if s.WroteWhole[r] && s.Req[r] != https.Done {
			return true
		}
	}
	return false
}

func unsettled(s https.State, n int) bool {
	for r := 0; r < n; r++ {
		if s.Req[r] == https.Sent {
			return true
		}
	}
	return false
}

// Lifecycle: one connection, every response complete, close_notify sent
// and read both ways (over TLS), both endpoints CLOSED after one of them
// went through TIME-WAIT, nothing in flight.
func Lifecycle(s https.State, n int, tls bool) bool {
	for r := 0; r < n; r++ {
		if s.Req[r] != https.Done {
			return false
		}
	}
	if s.T.InFlight() != 0 {
		return false
	}
	tw := false
	for side := 0; side < 2; side++ {
		e, a := &s.T.Ep[side], &s.App[side]
		if e.Opens != 1 || e.State != tcp.CLOSED || !a.Released {
			return false
		}
		if e.End != tcp.EndTimeWait && e.End != tcp.EndLastAck {
			return false
		}
		if tls && !(a.CNSent && a.CNRead) {
			return false
		}
		tw = tw || e.SawState(tcp.TIME_WAIT)
	}
	return tw
}

var _ = fmt.Sprint
