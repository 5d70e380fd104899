package spec

import (
	"strconv"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/https"
	"github.com/handshake/handshake/model/tcp"
)

// HTTPSProjection projects the composed model onto one side: its TCP
// connection state (RFC 9293 §3.3.2) with the phase of the layers above
// ("ESTABLISHED / TLS handshake", "FIN_WAIT_2 / close_notify sent"), so
// that `graph https --project client` draws how the layers' phases and
// the TCP states go together. The attacker lane, if any, projects onto
// the attacker's actions taken.
func HTTPSProjection(cfg https.Config, lanes []string) *checker.Projection[https.State] {
	m := https.Model(cfg)
	side := func(lane int) int {
		if lanes[lane] == "server" {
			return https.Server
		}
		return https.Client
	}
	return &checker.Projection[https.State]{
		State: func(s https.State, lane int) string {
			if lanes[lane] == "attacker" {
				return "attacker actions " + strconv.Itoa(int(s.Attacks))
			}
			sd := side(lane)
			return s.T.Ep[sd].State.String() + " / " + httpsPhase(cfg, s, sd)
		},
		Event: func(s https.State, a checker.Action, t https.State, lane int) (string, bool) {
			return m.Label(s, a), false
		},
	}
}

// httpsPhase names the phase of side's layers above TCP.
func httpsPhase(cfg https.Config, s https.State, side int) string {
	a, e := &s.App[side], &s.T.Ep[side]
	switch {
	case a.Released:
		return "socket closed"
	case e.CloseCalled:
		return "CLOSE called"
	case a.CNSent:
		return "close_notify sent"
	case a.CNRead || a.EOF:
		return "peer closed"
	case side == https.Server && a.Closing:
		return "closing"
	case e.State == tcp.CLOSED || e.State == tcp.LISTEN || e.State == tcp.SYN_SENT || e.State == tcp.SYN_RECEIVED:
		return "-"
	case cfg.TLS && a.Hs < 3:
		return "TLS handshake"
	}
	return "HTTP"
}
