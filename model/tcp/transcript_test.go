package tcp

import (
	"strings"
	"testing"

	"github.com/handshake/handshake/checker"
)

// script drives the model by action labels, as a transcript of a
// connection.
type script struct {
	t   *testing.T
	cfg Config
	s   State
}

func newScript(t *testing.T, cfg Config) *script {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return &script{t: t, cfg: cfg, s: Init()}
}

// do takes the enabled action labelled label and returns the segments it
// sent, as diagram text.
func (sc *script) do(label string) []string {
	sc.t.Helper()
	var labels []string
	for _, a := range sc.cfg.Actions(sc.s, nil) {
		l := sc.cfg.Label(sc.s, a)
		if l == label {
			next := sc.cfg.Next(sc.s, a)
			var sent []string
			for _, ev := range sc.cfg.Describe(sc.s, a, next) {
				if ev.Kind == checker.Send {
					sent = append(sent, SideNames[ev.Lane]+" sends "+ev.Text)
				}
			}
			sc.s = next
			return sent
		}
		labels = append(labels, l)
	}
	sc.t.Fatalf("action %q not enabled; enabled:\n  %s\nin state:\n%s", label, strings.Join(labels, "\n  "), Format(sc.s))
	return nil
}

// expectSent checks the segments an action sent.
func (sc *script) expectSent(label string, want ...string) {
	sc.t.Helper()
	got := sc.do(label)
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		sc.t.Fatalf("%s: sent %q, want %q", label, got, want)
	}
}

// expectStates checks both endpoints' states.
func (sc *script) expectStates(client, server Conn) {
	sc.t.Helper()
	if sc.s.Ep[Client].State != client || sc.s.Ep[Server].State != server {
		sc.t.Fatalf("states client %s server %s, want %s %s\n%s", sc.s.Ep[Client].State, sc.s.Ep[Server].State, client, server, Format(sc.s))
	}
}

// enabled reports whether an action labelled label is enabled.
func (sc *script) enabled(label string) bool {
	for _, a := range sc.cfg.Actions(sc.s, nil) {
		if sc.cfg.Label(sc.s, a) == label {
			return true
		}
	}
	return false
}

func fixedISS(client, server uint32) Config {
	c := DefaultConfig()
	c.ISS = [2][]uint32{{client}, {server}}
	return c
}

// handshake runs the three-way handshake of §3.5 Figure 6.
func handshake(t *testing.T, cfg Config) *script {
	t.Helper()
	sc := newScript(t, cfg)
	sc.do("server: passive OPEN")
	sc.do("client: active OPEN (ISS=100)")
	sc.do("deliver client->server <SEQ=100><CTL=SYN> (ISS=300)")
	sc.do("deliver server->client <SEQ=300><ACK=101><CTL=SYN,ACK>")
	sc.do("deliver client->server <SEQ=101><ACK=301><CTL=ACK>")
	sc.expectStates(ESTABLISHED, ESTABLISHED)
	return sc
}
