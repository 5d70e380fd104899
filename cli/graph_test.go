package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
	"github.com/handshake/handshake/render"
	"github.com/handshake/handshake/spec"
)

func graphJSON(t *testing.T, a ...string) render.GraphDoc {
	t.Helper()
	code, out, errOut := runCLI(t, append(append([]string{"graph"}, a...), "--format", "json")...)
	if code != exitHolds {
		t.Fatalf("graph %q: exit %d, stderr %q", a, code, errOut)
	}
	var g render.GraphDoc
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// The TCP model projected onto either endpoint regenerates RFC 9293
// §3.3.2 Figure 5: its eleven states, every arrow of the figure with the
// figure's event, and besides them only changes documented with an RFC
// section (RST handling, ABORT, note 2), marked off the figure.
func TestProjectedTCPGraphIsFigure5_3_3_2(t *testing.T) {
	_, out, _ := runCLI(t, args("check", "tcp", smallTCP, "--json", "--quiet")...)
	check := decodeJSON(t, out)
	for _, role := range []string{"client", "server"} {
		g := graphJSON(t, args("tcp", smallTCP, "--project", role)...)
		if g.Lane != role || g.Figure != "RFC 9293 Figure 5" || uint64(g.States) != check.DistinctStates {
			t.Errorf("%s: lane %q figure %q states %d (check: %d distinct)", role, g.Lane, g.Figure, g.States, check.DistinctStates)
		}
		if len(g.Nodes) != int(tcp.NumConn) {
			t.Errorf("%s: %d nodes, want the %d connection states", role, len(g.Nodes), tcp.NumConn)
		}
		name := func(id int) string { return g.Nodes[id].Label }
		if !g.Nodes[0].Initial || name(0) != "CLOSED" {
			t.Errorf("%s: the initial node is %+v, want CLOSED", role, g.Nodes[0])
		}
		on := map[checker.Arrow]bool{}
		for _, e := range g.Edges {
			a := checker.Arrow{From: name(e.From), To: name(e.To), Event: e.Label}
			if e.From == e.To {
				t.Errorf("%s: self-loop %v in a projection", role, a)
			}
			if !e.OffFigure {
				on[a] = true
				continue
			}
			if !strings.Contains(e.Label, "(§3.10.") {
				t.Errorf("%s: off-figure edge %v without an RFC section", role, a)
			}
		}
		for _, tr := range spec.TCPDiagram {
			a := checker.Arrow{From: tr.From.String(), To: tr.To.String(), Event: tr.Event}
			if !on[a] {
				t.Errorf("%s: Figure 5 arrow %v missing from the projection", role, a)
			}
		}
		if len(on) != len(spec.TCPDiagram) || len(g.Missing) != 0 {
			t.Errorf("%s: %d figure edges (want %d), missing %v", role, len(on), len(spec.TCPDiagram), g.Missing)
		}
	}
}

// In dot, edges off the figure are red and dashed; the figure's are not.
func TestProjectedDotMarksOffFigureEdges(t *testing.T) {
	_, out, _ := runCLI(t, args("graph", "tcp", smallTCP, "--project", "client")...)
	for _, l := range strings.Split(out, "\n") {
		if !strings.Contains(l, " -> n") || strings.HasPrefix(strings.TrimSpace(l), "init") {
			continue
		}
		red := strings.Contains(l, "style=dashed, color=red")
		if documented := strings.Contains(l, "(§3.10."); red != documented {
			t.Errorf("edge marked red=%v but documented=%v: %s", red, documented, l)
		}
	}
	if !strings.Contains(out, `label="rcv SYN / snd SYN,ACK"]`) {
		t.Errorf("no plain Figure 5 arrow in:\n%s", out)
	}
}

// The full graph of the counter with limit n has 2n+1 states in a line.
func TestFullGraphCounter(t *testing.T) {
	g := graphJSON(t, "test-counter", "--set", "limit=3")
	if g.States != 7 || len(g.Nodes) != 7 || len(g.Edges) != 6 {
		t.Fatalf("states %d nodes %d edges %d, want 7, 7, 6", g.States, len(g.Nodes), len(g.Edges))
	}
	last := g.Nodes[6]
	if last.Label != "N=3 InFlight=0" || !last.End || last.Deadlock || last.Path != "0.0.0.0.0.0.0" {
		t.Errorf("last node %+v", last)
	}
}

// Graphs beyond the limit are refused with one line naming the flag;
// raising the limit draws them.
func TestGraphTooLargeIsRefused(t *testing.T) {
	code, out, errOut := runCLI(t, "graph", "test-counter", "--set", "limit=1000")
	if code != exitUsage || out != "" || strings.Count(errOut, "\n") != 1 ||
		!strings.Contains(errOut, "more than 2000 states; raise --max-states") {
		t.Errorf("exit %d, stdout %d bytes, stderr %q", code, len(out), errOut)
	}
	code, _, errOut = runCLI(t, "graph", "test-counter", "--set", "limit=10", "--max-states", "20")
	if code != exitUsage || !strings.Contains(errOut, "more than 20 states") {
		t.Errorf("limit 20 on 21 states: exit %d, stderr %q", code, errOut)
	}
	code, out, _ = runCLI(t, "graph", "test-counter", "--set", "limit=10", "--max-states", "21")
	if code != exitHolds || strings.Count(out, "];\n") < 21 {
		t.Errorf("limit 21 on 21 states: exit %d\n%s", code, out)
	}
}

func TestGraphBadInputIsExit2(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"graph", "tcp", "--project", "router"}, `unknown role of model tcp (known: client, server)`},
		{[]string{"graph", "test-counter", "--project", "client"}, "no projection"},
		{[]string{"graph", "test-counter", "--format", "png"}, `--format "png": want dot, json`},
		{[]string{"graph", "test-counter", "--max-states", "0"}, "max-states"},
		{[]string{"trace", "test-counter", "--format", "svg"}, "want text, mermaid, json"},
		{[]string{"trace", "test-counter", "--path", "0.5"}, "out of range"},
		{[]string{"trace", "test-counter", "--path", "0", "--property", "x"}, "exclude each other"},
		{[]string{"trace", "test-counter", "--property", "nope"}, `no property "nope" in model test-counter`},
	} {
		code, out, errOut := runCLI(t, c.args...)
		if code != exitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 naming %q", c.args, code, out, errOut, c.want)
		}
	}
}

// trace says why there is nothing to show, on one line, exit 1.
func TestTraceWithoutTrace(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"trace", "test-counter"}, "no property is violated"},
		{[]string{"trace", "test-counter", "--property", "at-most-limit"}, ": at-most-limit (always) holds, so there is no counterexample\n"},
		{[]string{"trace", "test-matrix", "--variant", "short", "--property", "step: 2 -> 3"}, ": step: 2 -> 3 (sometimes-step) has no witness: no reachable state or step satisfies it\n"},
	} {
		code, out, errOut := runCLI(t, c.args...)
		if code != exitNoTrace || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) || strings.Contains(errOut, "is holds") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", c.args, code, out, errOut)
		}
	}
	code, _, errOut := runCLI(t, "trace", "test-counter", "--set", "limit=1000", "--max-states", "10")
	if code != exitIncomplete || !strings.Contains(errOut, "stopped") {
		t.Errorf("incomplete: exit %d, stderr %q", code, errOut)
	}
}

// Every status reads as a sentence: "holds", never "is holds".
func TestStatusPhraseIsGrammatical(t *testing.T) {
	for status, want := range map[checker.Status]string{checker.Holds: "holds", checker.Violated: "is violated", checker.Unknown: "is undecided"} {
		if got := statusPhrase(status); got != want {
			t.Errorf("statusPhrase(%q) = %q, want %q", status, got, want)
		}
	}
}

// The Mermaid header names the path once, whether the trace was asked for
// by its path or by a property.
func TestMermaidHeaderNamesPathOnce(t *testing.T) {
	for _, a := range [][]string{
		args("trace", "tcp", smallTCP, "--path", "0.3.1.5.4.5", "--format", "mermaid"),
		args("trace", "test-counter", "--variant", "broken", "--set", "limit=3", "--format", "mermaid"),
	} {
		code, out, errOut := runCLI(t, a...)
		header, _, _ := strings.Cut(strings.TrimPrefix(out, "sequenceDiagram\n"), "\n")
		if code != exitHolds || strings.Count(header, " path ") != 1 || !strings.HasPrefix(header, "    %% model ") {
			t.Errorf("%q: exit %d, stderr %q, header %q; want one path", a, code, errOut, header)
		}
	}
}
