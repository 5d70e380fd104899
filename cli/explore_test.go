package cli

import (
	"strings"
	"testing"
)

// A scripted session through stdin: the three-way handshake by hand
// (server passive OPEN, client active OPEN, then the three deliveries),
// the path as a diagram, back, a wrong command and a wrong number, goto,
// help; end of input ends the session. (find is in the next test:
// which of several shortest traces the checker picks depends on state
// fingerprints, which change with the TCP model's layout.)
func TestExploreScriptedSessionGolden(t *testing.T) {
	script := strings.Join([]string{
		"3", "1", "5", "4", "5", // the handshake
		"path",
		"back",
		"bogus",
		"42",
		"goto 0.1",
		"goto 0.99",
		"reset",
		"find no-such-property",
		"goto 0.3.1.5.4.5",
		"help",
	}, "\n") + "\n"
	code, out, errOut := runWithInput(t, script, args("explore", "tcp", smallTCP)...)
	if code != exitHolds || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	golden(t, "explore_session.txt", out)
}

// find jumps to the counterexample; path draws it; back and a number
// branch off it.
func TestExploreFindGolden(t *testing.T) {
	script := "find fewer-than-three\npath\nback\nstate\nfind at-most-limit\nfind reaches-limit\nfind deadlock\nfind\n"
	code, out, errOut := runWithInput(t, script, "explore", "test-counter", "--variant", "broken", "--set", "limit=4")
	if code != exitHolds || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	golden(t, "explore_find.txt", out)
}

// find on TCP lands where the property's trace ends: the end of the
// data-after-fin counterexample violates no-data-after-fin, the end of
// the three-way-handshake witness has both sides ESTABLISHED.
func TestExploreFindTCP(t *testing.T) {
	_, out, _ := runWithInput(t, "find no-data-after-fin\n", args("explore", "tcp", "--variant", "data-after-fin", smallTCP)...)
	if !strings.Contains(out, "counterexample of no-data-after-fin (always, VIOLATED), ") {
		t.Errorf("no counterexample:\n%s", out)
	}
	_, out, _ = runWithInput(t, "find three-way-handshake\n", args("explore", "tcp", smallTCP)...)
	_, after, ok := strings.Cut(out, "witness of three-way-handshake (sometimes-step, holds), 5 steps")
	if !ok || strings.Count(after, ": ESTABLISHED ") != 2 {
		t.Errorf("witness does not end with both sides ESTABLISHED:\n%s", out)
	}
}

// Walking the handshake by hand ends with both sides ESTABLISHED, the
// client's IRS the server's ISS and vice versa (RFC 9293 §3.5 Figure 6).
func TestExploreThreeWayHandshakeByHand_3_5(t *testing.T) {
	_, out, _ := runWithInput(t, "3\n1\n5\n4\n5\nquit\n", args("explore", "tcp", smallTCP)...)
	i := strings.LastIndex(out, "path 0.3.1.5.4.5 (5 steps)")
	if i < 0 {
		t.Fatalf("no position 0.3.1.5.4.5 in:\n%s", out)
	}
	last := out[i:]
	wantIn(t, "final position", last,
		"client: ESTABLISHED ISS=100 SND.UNA=101 SND.NXT=101 IRS=300 RCV.NXT=301",
		"server: ESTABLISHED ISS=300 SND.UNA=301 SND.NXT=301 IRS=100 RCV.NXT=101",
		"server receives ACK seq=101 ack=301 from client",
	)
}

// Unknown input gets a one-line hint and the session goes on; quit and
// end of input end it with status 0.
func TestExploreUnknownInputNeverExits(t *testing.T) {
	for _, in := range []string{"frobnicate\n0\nquit\n", "frobnicate\n0\n", "frobnicate\n0"} {
		code, out, errOut := runWithInput(t, in, "explore", "test-counter")
		if code != exitHolds || errOut != "" {
			t.Errorf("%q: exit %d, stderr %q", in, code, errOut)
		}
		hint := 0
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, `unknown command "frobnicate"`) {
				hint++
			}
		}
		if hint != 1 {
			t.Errorf("%q: %d hint lines, want 1:\n%s", in, hint, out)
		}
		if !strings.Contains(out, "path 0.0 (1 step)\nlast step: client: send DATA 1") {
			t.Errorf("%q: the command after the unknown one was not run:\n%s", in, out)
		}
	}
}

// A model with two initial states starts at the choice between them.
func TestExploreChoosesAmongInitialStates(t *testing.T) {
	_, out, _ := runWithInput(t, "back\n1\nstate\n", "explore", "tcp-abstract", "--variant", "mc")
	if !strings.Contains(out, "path (start) (0 steps)\ninitial states:\n  0  initial state: ") {
		t.Errorf("no choice of initial states:\n%s", out)
	}
	if !strings.Contains(out, "already at the start") || !strings.Contains(out, "path 1 (0 steps)") {
		t.Errorf("back at the start or choosing initial state 1 failed:\n%s", out)
	}
}

func TestExploreBadStartIsExit2(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"explore", "test-counter", "--path", "0.7"}, "out of range"},
		{[]string{"explore", "test-counter", "--path", "x"}, "not an index"},
		{[]string{"explore"}, "missing MODEL"},
	} {
		code, out, errOut := runWithInput(t, "", c.args...)
		if code != exitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and one line naming %q", c.args, code, out, errOut, c.want)
		}
	}
}

// simulate prints the path of its walk; trace --path draws the same walk.
func TestSimulatePathFeedsTracePath(t *testing.T) {
	_, sim, _ := runCLI(t, args("simulate", "tcp", smallTCP, "--seed", "7", "--steps", "12")...)
	_, rest, ok := strings.Cut(sim, "\npath: ")
	if !ok {
		t.Fatalf("simulate prints no path:\n%s", sim)
	}
	path, _, _ := strings.Cut(rest, " ")
	code, tr, errOut := runCLI(t, args("trace", "tcp", smallTCP, "--path", path)...)
	if code != exitHolds {
		t.Fatalf("trace --path %s: exit %d, %s", path, code, errOut)
	}
	_, simDiagram, _ := strings.Cut(sim, "\n\n")
	_, trDiagram, _ := strings.Cut(tr, "\n\n")
	if simDiagram != trDiagram {
		t.Errorf("trace --path %s differs from the simulated walk:\n%s\n---\n%s", path, simDiagram, trDiagram)
	}
}

// An unknown property gets a one-line hint of the closest names, not the
// model's whole list (a thousand characters for tcp, which a terminal
// wrapped into a line starting with "> " like a prompt).
func TestExploreUnknownPropertyHintIsShort(t *testing.T) {
	_, out, _ := runWithInput(t, "find nonexistent\nfind stream\nfind three-way\n", args("explore", "tcp", smallTCP)...)
	var hints []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "find: ") {
			hints = append(hints, l)
		}
	}
	want := []string{
		`find: no property "nonexistent" in model tcp (props lists them)`,
		`find: no property "stream" in model tcp; closest: stream-integrity (props lists them)`,
		`find: no property "three-way" in model tcp; closest: three-way-handshake (props lists them)`,
	}
	if strings.Join(hints, "\n") != strings.Join(want, "\n") {
		t.Errorf("hints:\n%s\nwant:\n%s", strings.Join(hints, "\n"), strings.Join(want, "\n"))
	}
	for _, h := range hints {
		if len(h) > 120 {
			t.Errorf("hint of %d characters: %q", len(h), h)
		}
	}
	// trace --property says the same on stderr.
	code, _, errOut := runCLI(t, args("trace", "tcp", smallTCP, "--property", "stream-integ")...)
	if code != exitUsage || errOut != "handshake: no property \"stream-integ\" in model tcp; closest: stream-integrity ('handshake list tcp' lists them)\n" {
		t.Errorf("trace --property stream-integ: exit %d, stderr %q", code, errOut)
	}
}

// help names every explore command, props included.
func TestHelpNamesEveryExploreCommand(t *testing.T) {
	_, out, _ := runCLI(t, "help")
	_, rest, _ := strings.Cut(out, "handshake explore MODEL [flags]")
	desc, _, _ := strings.Cut(rest, "handshake trace")
	desc = strings.Join(strings.Fields(desc), " ")
	for _, cmd := range []string{"back", "reset", "path", "goto PATH", "find PROPERTY", "props", "state", "help", "quit"} {
		if !strings.Contains(desc, " "+cmd+",") && !strings.Contains(desc, " "+cmd+")") {
			t.Errorf("help's explore entry lacks %q: %s", cmd, desc)
		}
	}
	// and exploreHelp, the session's own help, too.
	for _, cmd := range []string{"back", "reset", "path", "goto PATH", "find PROP", "props", "state", "help", "quit"} {
		if !strings.Contains(exploreHelp, "\n  "+cmd+" ") {
			t.Errorf("exploreHelp lacks %q", cmd)
		}
	}
}
