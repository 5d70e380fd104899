package spec

import (
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
)

// TCPProjection projects the TCP model onto one endpoint's connection
// state, so that the quotient of the reachable state graph regenerates RFC
// 9293 §3.3.2 Figure 5: an arrow of the figure is labelled with the
// figure's event text, a change the figure omits with the documented
// event and its RFC section, and any other change with the action label.
func TCPProjection(cfg tcp.Config) *checker.Projection[tcp.State] {
	p := &checker.Projection[tcp.State]{
		Figure: "RFC 9293 Figure 5",
		State:  func(s tcp.State, lane int) string { return s.Ep[lane].State.String() },
		Event: func(s tcp.State, a checker.Action, t tcp.State, lane int) (string, bool) {
			if ev, on, ok := tcpEvent(s, a, t, lane); ok {
				return ev, on
			}
			return cfg.Label(s, a), false
		},
	}
	for _, tr := range TCPDiagram {
		p.Arrows = append(p.Arrows, checker.Arrow{From: tr.From.String(), To: tr.To.String(), Event: tr.Event})
	}
	return p
}

// tcpEvent names the event of s -a-> t that changes lane's state, if it
// is an arrow of the figure or a documented change.
func tcpEvent(s tcp.State, a checker.Action, t tcp.State, lane int) (event string, onFigure, ok bool) {
	for i := range TCPDiagram {
		if TCPDiagram[i].matches(s, a, t, lane) {
			return TCPDiagram[i].Event, true, true
		}
	}
	for i := range TCPDocumented {
		if tr := &TCPDocumented[i]; tr.matches(s, a, t, lane) {
			return tr.Event + " (§" + tr.Section + ")", false, true
		}
	}
	return "", false, false
}
