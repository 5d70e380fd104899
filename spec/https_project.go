package spec

import (
	"strconv"
	"strings"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/https"
	"github.com/handshake/handshake/model/tcp"
)

// HTTPSProjection projects the composed model onto one lane: a TCP lane
// ("client TCP", "server TCP") onto its connection state (RFC 9293
// §3.3.2), an application lane ("client app", "server app") onto the
// phase of the layers above TCP ("TLS handshake", "HTTP", "close_notify
// sent", ...), the attacker lane onto the number of its actions taken; so
// that `graph https --project "server app"` draws the server
// application's life.
func HTTPSProjection(cfg https.Config, lanes []string) *checker.Projection[https.State] {
	m := https.Model(cfg)
	return &checker.Projection[https.State]{
		State: func(s https.State, lane int) string {
			name := lanes[lane]
			side := https.Client
			if strings.HasPrefix(name, "server") {
				side = https.Server
			}
			switch {
			case name == "attacker":
				return "attacker actions " + strconv.Itoa(int(s.Attacks))
			case strings.HasSuffix(name, "TCP"):
				return s.T.Ep[side].State.String()
			}
			return httpsPhase(cfg, s, side)
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
		return "not connected"
	case cfg.TLS && a.Hs < 3:
		return "TLS handshake"
	}
	return "HTTP"
}
