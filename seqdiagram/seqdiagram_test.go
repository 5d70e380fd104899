package seqdiagram

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/handshake/handshake/checker"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func send(from, to int, text string) checker.Event {
	return checker.Event{Kind: checker.Send, Lane: from, Peer: to, Text: text}
}
func recv(at, from int, text string) checker.Event {
	return checker.Event{Kind: checker.Receive, Lane: at, Peer: from, Text: text}
}
func drop(from, to int, text string) checker.Event {
	return checker.Event{Kind: checker.Drop, Lane: from, Peer: to, Text: text}
}
func change(lane int, state string) checker.Event {
	return checker.Event{Kind: checker.Change, Lane: lane, Text: state}
}
func note(lane int, text string) checker.Event {
	return checker.Event{Kind: checker.Note, Lane: lane, Text: text}
}

var tcpLanes = []string{"client", "server"}

// threeWayHandshake is the exchange of RFC 9293 section 3.5, figure 6,
// with every segment first put on the network and later delivered.
func threeWayHandshake() checker.TraceReport {
	return checker.TraceReport{Loop: -1, Steps: []checker.TraceStep{
		{Index: 0, State: "client CLOSED, server LISTEN"},
		{Action: "client: active OPEN", State: "s1", Events: []checker.Event{
			send(0, 1, "SYN seq=100"), change(0, "SYN_SENT")}},
		{Action: "deliver client->server <SEQ=100><CTL=SYN>", State: "s2", Events: []checker.Event{
			recv(1, 0, "SYN seq=100"), change(1, "SYN_RECEIVED"), send(1, 0, "SYN,ACK seq=300 ack=101")}},
		{Action: "deliver server->client <SEQ=300><ACK=101><CTL=SYN,ACK>", State: "s3", Events: []checker.Event{
			recv(0, 1, "SYN,ACK seq=300 ack=101"), change(0, "ESTABLISHED"), send(0, 1, "ACK seq=101 ack=301")}},
		{Action: "deliver client->server <SEQ=101><ACK=301><CTL=ACK>", State: "s4", Events: []checker.Event{
			recv(1, 0, "ACK seq=101 ack=301"), change(1, "ESTABLISHED"), note(1, "app may read")}},
	}}
}

// lossyClose loses a FIN and ends in a lasso: the retransmission is lost
// again and again (RFC 9293 section 3.8.1: retransmission without bound
// only under fairness).
func lossyClose() checker.TraceReport {
	return checker.TraceReport{Loop: 1, Steps: []checker.TraceStep{
		{State: "both ESTABLISHED"},
		{Action: "client: CLOSE", State: "a", Events: []checker.Event{
			send(0, 1, "FIN,ACK seq=101 ack=301"), change(0, "FIN_WAIT_1")}},
		{Action: "network loses client->server FIN", State: "b", Events: []checker.Event{
			drop(0, 1, "FIN,ACK seq=101 ack=301")}},
		{Action: "client: retransmit FIN", State: "a", Events: []checker.Event{
			send(0, 1, "FIN,ACK seq=101 ack=301")}},
	}}
}

// oneStepLoop repeats its last step forever: the server retransmits its
// SYN,ACK, which is lost each time.
func oneStepLoop() checker.TraceReport {
	return checker.TraceReport{Loop: 1, Steps: []checker.TraceStep{
		{State: "SYN_RECEIVED"},
		{Action: "server: retransmit SYN,ACK", State: "a", Events: []checker.Event{
			send(1, 0, "SYN,ACK seq=300 ack=101")}},
		{Action: "network loses server->client SYN,ACK", State: "b", Events: []checker.Event{
			drop(1, 0, "SYN,ACK seq=300 ack=101")}},
	}}
}

// stutterTrace ends in a state where no fair action is enabled.
func stutterTrace() checker.TraceReport {
	return checker.TraceReport{Loop: 1, Stutter: true, Steps: []checker.TraceStep{
		{State: "CLOSED/LISTEN"},
		{Action: "client: active OPEN", State: "x", Events: []checker.Event{
			send(0, 1, "SYN seq=100"), change(0, "SYN_SENT")}},
	}}
}

// attackerTrace has three lanes, a message crossing the middle lane, a
// synchronous exchange (send and receive in one step) and a right-to-left
// arrow.
func attackerTrace() checker.TraceReport {
	return checker.TraceReport{Loop: -1, Steps: []checker.TraceStep{
		{State: "start"},
		{Action: "client sends ClientHello", State: "1", Events: []checker.Event{
			send(0, 1, "ClientHello"), change(0, "WAIT_SERVER_HELLO")}},
		{Action: "attacker forwards ClientHello to server", State: "2", Events: []checker.Event{
			recv(1, 0, "ClientHello"), send(1, 2, "ClientHello"), recv(2, 1, "ClientHello"),
			change(2, "NEGOTIATED")}},
		{Action: "server answers directly", State: "3", Events: []checker.Event{
			send(2, 0, "ServerHello"), recv(0, 2, "ServerHello"), change(0, "WAIT_CERT"), change(2, "WAIT_FINISHED"),
			note(1, "attacker learns server_random")}},
		{Action: "client sends Finished, lost on the way", State: "4", Events: []checker.Event{
			send(0, 2, "Finished"), drop(0, 2, "Finished"), send(2, 0, "Alert")}},
	}}
}

// awkward has events a careless renderer would crash on: lanes out of
// range, a message to oneself, an unknown event kind, a label too long for
// the arrow, and a step without events.
func awkward() checker.TraceReport {
	return checker.TraceReport{Loop: -1, Steps: []checker.TraceStep{
		{State: "s"},
		{Action: "odd events", State: "t", Events: []checker.Event{
			send(0, 5, "to nowhere"), recv(-1, 0, "from nowhere"), send(1, 1, "to itself"),
			change(7, "GHOST"), note(9, "far away"), {Kind: 42, Lane: 0, Text: "strange kind"},
			send(0, 1, strings.TrimSpace(strings.Repeat("a very long segment description ", 3))),
		}},
		{Action: "silent step", State: "u"},
		{Action: "long note on the right lane", State: "v", Events: []checker.Event{
			note(1, "the application on this side reads all the bytes it was sent")}},
	}}
}

func TestGolden(t *testing.T) {
	cases := []struct {
		name  string
		lanes []string
		trace checker.TraceReport
		opt   Options
	}{
		{"handshake", tcpLanes, threeWayHandshake(), Options{Legend: true}},
		{"handshake_width100", tcpLanes, threeWayHandshake(), Options{Width: 100}},
		{"lasso", tcpLanes, lossyClose(), Options{}},
		{"stutter", tcpLanes, stutterTrace(), Options{}},
		{"lasso_one_step", tcpLanes, oneStepLoop(), Options{}},
		{"attacker", []string{"client", "attacker", "server"}, attackerTrace(), Options{Legend: true}},
		{"awkward", tcpLanes, awkward(), Options{}},
		{"no_lanes", nil, threeWayHandshake(), Options{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := String(c.lanes, c.trace, c.opt)
			path := filepath.Join("testdata", c.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./seqdiagram -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("diagram differs from %s (-want +got):\n%s", path, diff)
			}
		})
	}
}

// TestLinesFitWidth checks that the rows with lanes, arrows and states
// stay within the requested width (step headers and the text lines used
// when something does not fit beside a lane may run past it).
func TestLinesFitWidth(t *testing.T) {
	for _, w := range []int{40, 60, 80, 100} {
		for _, lanes := range [][]string{tcpLanes, {"client", "attacker", "server"}} {
			tr := threeWayHandshake()
			if len(lanes) == 3 {
				tr = attackerTrace()
			}
			out := String(lanes, tr, Options{Width: w})
			for _, l := range strings.Split(out, "\n") {
				if isHeader(l) || !strings.Contains(l, "|") {
					continue // step headers and text lines may wrap
				}
				if n := utf8.RuneCountInString(l); n > w {
					t.Errorf("width %d, %d lanes: line of %d columns: %q", w, len(lanes), n, l)
				}
			}
		}
	}
}

// isHeader reports whether l is a step header ("  3  action").
func isHeader(l string) bool {
	f := strings.Fields(l)
	if len(f) == 0 {
		return false
	}
	for _, c := range f[0] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// TestEveryMessageAndStateShown checks that the text of every event
// appears in the diagram, so nothing a model describes is lost.
func TestEveryMessageAndStateShown(t *testing.T) {
	for _, tr := range []checker.TraceReport{threeWayHandshake(), lossyClose(), attackerTrace(), awkward()} {
		lanes := []string{"client", "attacker", "server"}[:2]
		if len(tr.Steps) > 0 && tr.Steps[1].Action == "client sends ClientHello" {
			lanes = []string{"client", "attacker", "server"}
		}
		out := String(lanes, tr, Options{})
		for i, st := range tr.Steps {
			if st.Action != "" && !strings.Contains(out, st.Action) {
				t.Errorf("step %d action %q missing", i, st.Action)
			}
			for _, e := range st.Events {
				if !strings.Contains(out, e.Text) {
					t.Errorf("step %d event %q missing", i, e.Text)
				}
			}
		}
	}
}

// TestDeliveredArrowReachesReceiver checks the arrow styles: a delivered
// segment ends at the receiver's line, an in-flight one stops short, a
// lost one ends in X.
func TestDeliveredArrowReachesReceiver(t *testing.T) {
	tr := checker.TraceReport{Loop: -1, Steps: []checker.TraceStep{{}, {Action: "a", Events: []checker.Event{
		send(0, 1, "SYN"), recv(1, 0, "SYN"), send(1, 0, "RST"), drop(0, 1, "ACK"), recv(0, 1, "FIN"),
	}}}}
	lines := strings.Split(String(tcpLanes, tr, Options{}), "\n")
	find := func(text string) string {
		for _, l := range lines {
			if strings.Contains(l, " "+text+" ") {
				return strings.TrimSpace(l)
			}
		}
		t.Fatalf("no arrow with %q", text)
		return ""
	}
	if l := find("SYN"); !strings.HasSuffix(l, "->|") || !strings.HasPrefix(l, "|-") {
		t.Errorf("synchronous send+receive of SYN should be one delivered arrow: %q", l)
	}
	if l := find("RST"); !strings.HasPrefix(l, "|  <") || !strings.HasSuffix(l, "-|") {
		t.Errorf("in-flight RST should stop short of the client: %q", l)
	}
	if l := find("ACK"); !strings.Contains(l, "X  |") {
		t.Errorf("lost ACK should end in X: %q", l)
	}
	if l := find("FIN"); !strings.HasPrefix(l, "|<-") {
		t.Errorf("delivered FIN should reach the client: %q", l)
	}
}
