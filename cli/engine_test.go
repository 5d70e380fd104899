package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// These tests run the real engine on the test-only models of
// models_test.go.

// The counter with limit L has the states (N, InFlight) = (n, 0) for
// n = 0..L and (n, 1) for n = 0..L-1: 2L+1 states on one path, so the
// depth (initial state = 1) is 2L+1 and every successor is new: 2L+1
// generated states, the initial one included.
func TestCheckCounterHoldsWithCounts(t *testing.T) {
	code, out, errOut := runCLI(t, "check", "test-counter", "--json", "--set", "limit=5")
	if code != exitHolds {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	v := decodeJSON(t, out)
	const L = 5
	if v.DistinctStates != 2*L+1 || v.GeneratedStates != 2*L+1 || v.Depth != 2*L+1 || !v.Complete {
		t.Errorf("distinct %d generated %d depth %d complete %v; want %d, %d, %d, true",
			v.DistinctStates, v.GeneratedStates, v.Depth, v.Complete, 2*L+1, 2*L+1, 2*L+1)
	}
	for _, p := range v.Properties {
		if p.Status != "holds" {
			t.Errorf("%s: %s, want holds", p.Name, p.Status)
		}
	}
}

func TestCheckCounterWorkersAgree(t *testing.T) {
	var first jsonOut
	for i, w := range []string{"1", "2", "4"} {
		code, out, _ := runCLI(t, "check", "test-counter", "--set", "limit=300", "--workers", w, "--json")
		if code != exitHolds {
			t.Fatalf("--workers %s: exit %d", w, code)
		}
		v := decodeJSON(t, out)
		if i == 0 {
			first = v
			continue
		}
		if v.DistinctStates != first.DistinctStates || v.GeneratedStates != first.GeneratedStates || v.Depth != first.Depth {
			t.Errorf("--workers %s: %d/%d/%d states/generated/depth, --workers 1: %d/%d/%d", w,
				v.DistinctStates, v.GeneratedStates, v.Depth, first.DistinctStates, first.GeneratedStates, first.Depth)
		}
	}
}

// The broken counter claims fewer than three segments are delivered; the
// shortest counterexample sends and delivers three segments: 6 steps.
func TestCheckCounterBrokenShowsDiagram(t *testing.T) {
	out := runExit(t, exitViolated, "check", "test-counter", "--variant", "broken", "--quiet")
	wantIn(t, "output", out,
		"  VIOLATED  fewer-than-three  always          (expected for this variant)\n",
		"counterexample: fewer-than-three (always) is violated, 6 steps\n",
		"6  deliver client->server DATA 3\n",
		" DATA 3 ",
		"[GOT_3]",
		"        N=3 InFlight=0\n",
		"result: VIOLATED: 1 of 4 properties (fewer-than-three)\n",
	)
}

func TestCheckMaxStatesIsIncomplete(t *testing.T) {
	for _, asJSON := range []bool{false, true} {
		args := []string{"check", "test-counter", "--set", "limit=100000", "--max-states", "10", "--quiet"}
		if asJSON {
			args = append(args, "--json")
		}
		code, out, _ := runCLI(t, args...)
		if code != exitIncomplete {
			t.Errorf("%q: exit %d, want %d", args, code, exitIncomplete)
		}
		if !asJSON {
			if strings.Contains(out, "  holds ") || !strings.Contains(out, "search: INCOMPLETE (") {
				t.Errorf("%q: a property holds or the run is not marked incomplete:\n%s", args, out)
			}
			continue
		}
		v := decodeJSON(t, out)
		if v.Complete || v.Reason == "" {
			t.Errorf("complete %v reason %q", v.Complete, v.Reason)
		}
		for _, p := range v.Properties {
			if p.Status == "holds" {
				t.Errorf("incomplete run reports %s as holds", p.Name)
			}
		}
	}
}

// TestInterruptedRunIsIncomplete stands for Ctrl-C: the context is
// cancelled before the run starts.
func TestInterruptedRunIsIncomplete(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	code := runContext(ctx, []string{"check", "test-counter", "--set", "limit=100000", "--json"},
		strings.NewReader(""), &out, &errOut)
	if code != exitIncomplete {
		t.Errorf("exit %d, want %d", code, exitIncomplete)
	}
	v := decodeJSON(t, out.String())
	if v.Complete || !strings.Contains(v.Reason, "interrupt") {
		t.Errorf("complete %v reason %q; want incomplete, interrupted", v.Complete, v.Reason)
	}
	for _, p := range v.Properties {
		if p.Status == "holds" {
			t.Errorf("interrupted run reports %s as holds", p.Name)
		}
	}
}

// The network may lose every copy of the segment: delivery-eventually has
// a lasso counterexample (transmit, lose, transmit, ...).
func TestCheckLivenessLasso(t *testing.T) {
	out := runExit(t, exitViolated, "check", "test-retransmit", "--quiet")
	wantIn(t, "output", out, "counterexample: delivery-eventually (eventually) is violated", "loop")
	_, js, _ := runCLI(t, "check", "test-retransmit", "--json", "--quiet")
	v := decodeJSON(t, js)
	if len(v.Properties) != 1 || v.Properties[0].Loop == nil || len(v.Properties[0].Trace) < 2 {
		t.Errorf("want one violated property with a lasso trace, got %+v", v.Properties)
	}
}

// The counter with limit 2 has one behaviour, of 4 steps: a walk asked
// for 10 steps ends after 4, and one asked for 3 stops after 3.
func TestSimulateCounterWalk(t *testing.T) {
	code, out, _ := runCLI(t, "simulate", "test-counter", "--set", "limit=2", "--steps", "10")
	if code != exitHolds || !strings.Contains(out, "random walk, seed 1, 4 steps (no action enabled after the last)\n") ||
		!strings.Contains(out, "[GOT_2]") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	_, out, _ = runCLI(t, "simulate", "test-counter", "--set", "limit=2", "--steps", "3")
	if !strings.Contains(out, "random walk, seed 1, 3 steps\n") {
		t.Errorf("--steps 3:\n%s", out)
	}
}
