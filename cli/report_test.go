package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/handshake/handshake/checker"
)

// These tests drive the CLI with test-fake, whose reports are made by
// hand, so they test the rendering and the exit statuses on their own.

func TestExitStatusFollowsVerdicts(t *testing.T) {
	for _, c := range []struct {
		variant string
		want    int
	}{
		{"holds", exitHolds},
		{"violated", exitViolated},
		{"incomplete", exitIncomplete},
		{"interrupted-violated", exitViolated}, // a violation is definite
		{"exact", exitHolds},
	} {
		for _, asJSON := range []bool{false, true} {
			args := []string{"check", "test-fake", "--variant", c.variant, "--quiet"}
			if asJSON {
				args = append(args, "--json")
			}
			if code, _, errOut := runCLI(t, args...); code != c.want || errOut != "" {
				t.Errorf("%q: exit %d, stderr %q; want exit %d, no stderr", args, code, errOut, c.want)
			}
		}
	}
}

func TestOptionsReachTheEngine(t *testing.T) {
	code, _, errOut := runCLI(t, "check", "--workers", "3", "test-fake", "--max-states", "77",
		"--max-depth", "5", "--timeout", "1m30s", "--exact", "--set", "n=4", "--quiet")
	if code != exitHolds {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	got := fakeLast
	if got.Progress != nil {
		t.Error("--quiet still set a progress callback")
	}
	got.Progress = nil
	want := checker.Options{Workers: 3, MaxStates: 77, MaxDepth: 5, Timeout: 90 * time.Second, Exact: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
}

// TestProgressOnlyAfterOneSecond: the fake engine reports progress at
// 0.5 s and at 3 s; only the second is printed, on stderr.
func TestProgressOnlyAfterOneSecond(t *testing.T) {
	code, out, errOut := runCLI(t, "check", "test-fake")
	if code != exitHolds {
		t.Fatalf("exit %d", code)
	}
	want := "progress: exploring, 1.2M distinct, queue 340k, 412k states/s, depth 14, 3s\n"
	if errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	if strings.Contains(out, "progress") {
		t.Errorf("progress on stdout:\n%s", out)
	}
}

// TestProgressLineShowsPhaseAndMemory: after the exploration the line
// names the phase and leaves out the queue and the rate; the memory in
// use is shown when known, with the limit when there is one.
func TestProgressLineShowsPhaseAndMemory(t *testing.T) {
	for _, c := range []struct {
		p    checker.Progress
		want string
	}{
		{checker.Progress{Phase: checker.PhaseExploring, Distinct: 2_000_000, Queue: 1000, Depth: 9, Elapsed: 2e9,
			Memory: 300 << 20, MaxMemory: 1 << 30},
			"progress: exploring, 2.0M distinct, queue 1.0k, 1.0M states/s, depth 9, memory 300.0 MiB of 1.0 GiB, 2s"},
		{checker.Progress{Phase: checker.PhaseTraces, Distinct: 2_000_000, Depth: 9, Elapsed: 5e9, Memory: 2 << 30},
			"progress: traces, 2.0M distinct, depth 9, memory 2.0 GiB, 5s"},
		{checker.Progress{Phase: checker.PhaseLiveness, Distinct: 2_000_000, Depth: 9, Elapsed: 65e9, Memory: 1 << 30, MaxMemory: 3 << 30},
			"progress: liveness, 2.0M distinct, depth 9, memory 1.0 GiB of 3.0 GiB, 1m05s"},
	} {
		if got := progressLine(c.p); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
}

func TestTextReportHoldsListsVerdictsAndStatistics(t *testing.T) {
	_, out, _ := runCLI(t, "check", "test-fake", "--quiet")
	wantIn(t, "output", out,
		"model test-fake, variant holds, params n=1\n",
		"  holds     safe                   always\n",
		"  holds     established-reachable  sometimes\n",
		"  holds     deadlock               deadlock\n",
		"diagram: 2 of 2 covered\n  covered:\n    CLOSED->SYN_SENT, LISTEN->SYN_RECEIVED\n",
		"states: 1,234 distinct, 5,678 generated, depth 9\n",
		"time: 0.500 s, 2,468 states/s\n",
		"memory: peak 3.0 MiB, 2.5 KiB per distinct state\n",
		"state storage: 64-bit fingerprints, collision probability 1.5e-13\n",
		"search: complete\n",
		"result: all 5 properties hold\n",
	)
	if strings.Contains(out, "counterexample") || strings.Contains(out, "witness") {
		t.Errorf("a run where all holds printed traces without --witness:\n%s", out)
	}
}

func TestTextReportViolationDrawsCounterexample(t *testing.T) {
	_, out, _ := runCLI(t, "check", "test-fake", "--variant", "violated", "--quiet")
	wantIn(t, "output", out,
		"  VIOLATED  safe                   always          (expected for this variant)\n",
		"  VIOLATED  terminates             eventually      (unexpected: variant violated expects holds)\n",
		"diagram: 1 of 2 covered\n",
		"  NOT covered:\n    LISTEN->SYN_RECEIVED\n",
		"counterexample: safe (always) is violated, 2 steps\n",
		"counterexample: terminates (eventually) is violated, 2 steps\n",
		"          |- - - - - - - - - - - - SYN seq=100 - - - - - - - - - - - >  |\n",
		"          |----------------------- SYN seq=100 ------------------------>|\n",
		"     [SYN_SENT]",
		"1  client: active OPEN   <-- the loop returns here\n",
		"loop: after step 2 the behaviour returns to step 1 and repeats step 2 forever\n",
		"steps:\n  0  initial state\n        client CLOSED, server LISTEN\n  1  client: active OPEN\n",
		"  then loops back to step 1\n",
		"result: VIOLATED: 3 of 6 properties (safe, LISTEN->SYN_RECEIVED, terminates)\n",
	)
	if n := strings.Count(out, "counterexample:"); n != 2 {
		t.Errorf("%d counterexamples printed, want 2 (an uncovered arrow has no trace)", n)
	}
}

// TestIncompleteNeverSaysHolds: after a limit, universal properties are
// unknown even if the engine called them "holds"; a found witness of a
// sometimes-property still holds.
func TestIncompleteNeverSaysHolds(t *testing.T) {
	code, out, _ := runCLI(t, "check", "test-fake", "--variant", "incomplete", "--quiet")
	if code != exitIncomplete {
		t.Errorf("exit %d, want %d", code, exitIncomplete)
	}
	wantIn(t, "output", out,
		"  unknown   safe                   always\n",
		"  unknown   deadlock               deadlock\n",
		"  holds     established-reachable  sometimes\n",
		"diagram: 0 of 2 covered, 2 unknown\n",
		"search: INCOMPLETE (max states 10 reached); properties not decided are unknown\n",
		"result: INCOMPLETE: no violation found, 4 of 5 properties undecided\n",
	)
}

// jsonOut mirrors the JSON shape the issue specifies.
type jsonOut struct {
	Model           string         `json:"model"`
	Variant         string         `json:"variant"`
	Params          map[string]int `json:"params"`
	DistinctStates  uint64         `json:"distinct_states"`
	GeneratedStates uint64         `json:"generated_states"`
	Depth           int            `json:"depth"`
	Seconds         float64        `json:"seconds"`
	Complete        bool           `json:"complete"`
	Reason          string         `json:"reason"`
	Properties      []struct {
		Name   string `json:"name"`
		Kind   string `json:"kind"`
		Status string `json:"status"`
		Trace  []struct {
			Action string `json:"action"`
			State  string `json:"state"`
		} `json:"trace"`
		Loop *int `json:"loop"`
	} `json:"properties"`
}

func decodeJSON(t *testing.T, out string) jsonOut {
	t.Helper()
	return decodeOne[jsonOut](t, out, false)
}

func TestJSONViolationHasTraceList(t *testing.T) {
	out := runExit(t, exitViolated, "check", "test-fake", "--variant", "violated", "--json", "--set", "n=7", "--quiet")
	v := decodeJSON(t, out)
	if v.Model != "test-fake" || v.Variant != "violated" || v.Params["n"] != 7 || v.DistinctStates != 1234 ||
		v.GeneratedStates != 5678 || v.Depth != 9 || v.Seconds != 0.5 || !v.Complete {
		t.Errorf("header fields wrong: %+v", v)
	}
	status := map[string]string{}
	for _, p := range v.Properties {
		status[p.Name] = p.Status
		switch p.Name {
		case "safe":
			want := []string{"", "client: active OPEN", "deliver client->server SYN"}
			var got []string
			for _, st := range p.Trace {
				got = append(got, st.Action)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("safe trace actions (-want +got):\n%s", diff)
			}
			if p.Trace[0].State != "client CLOSED, server LISTEN" {
				t.Errorf("safe trace state 0 = %q", p.Trace[0].State)
			}
		case "terminates":
			if p.Loop == nil || *p.Loop != 1 || len(p.Trace) != 3 {
				t.Errorf("terminates: loop %v, %d steps; want loop 1, 3 steps", p.Loop, len(p.Trace))
			}
		default:
			if p.Trace != nil {
				t.Errorf("%s (%s) has a trace without --witness", p.Name, p.Status)
			}
		}
	}
	want := map[string]string{"safe": "violated", "established-reachable": "holds", "CLOSED->SYN_SENT": "holds",
		"LISTEN->SYN_RECEIVED": "violated", "deadlock": "holds", "terminates": "violated"}
	if diff := cmp.Diff(want, status); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

func TestJSONWitnessesOnlyWithFlag(t *testing.T) {
	_, out, _ := runCLI(t, "check", "test-fake", "--json", "--witness", "--quiet")
	v := decodeJSON(t, out)
	withTrace := 0
	for _, p := range v.Properties {
		if len(p.Trace) > 0 {
			withTrace++
		}
	}
	if withTrace != 3 {
		t.Errorf("%d properties with traces, want the 3 witnesses", withTrace)
	}
}

func TestJSONIncomplete(t *testing.T) {
	out := runExit(t, exitIncomplete, "check", "test-fake", "--variant", "incomplete", "--json", "--quiet")
	v := decodeJSON(t, out)
	if v.Complete || v.Reason != "max states 10 reached" {
		t.Errorf("complete %v reason %q", v.Complete, v.Reason)
	}
	for _, p := range v.Properties {
		if p.Status == "holds" && p.Kind != "sometimes" && p.Kind != "sometimes-step" {
			t.Errorf("incomplete run reports %s (%s) as holds", p.Name, p.Kind)
		}
	}
}

func TestSimulateDrawsWalk(t *testing.T) {
	code, out, errOut := runCLI(t, "simulate", "test-fake", "--seed", "7")
	if code != exitHolds || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	wantIn(t, "output", out, "random walk, seed 7, 2 steps", "[SYN_RECEIVED]", "steps:\n")
}
