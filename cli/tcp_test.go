package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
	"github.com/handshake/handshake/matrix"
	"github.com/handshake/handshake/spec"
)

// The real TCP model (spec.TCP, "tcp"), checked through the
// CLI: every verdict must be the one the variant expects (spec's Expect,
// holds where not listed), and the exit status must follow.

func expectedOf(t *testing.T, model, variant string) map[string]checker.Status {
	t.Helper()
	e, err := testProgram().Models.Lookup(model)
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.Variant(variant)
	if err != nil {
		t.Fatal(err)
	}
	return v.Expect
}

func checkVerdictsAsExpected(t *testing.T, v jsonOut, expect map[string]checker.Status) {
	t.Helper()
	if !v.Complete {
		t.Fatalf("%s %s: incomplete (%s)", v.Model, v.Variant, v.Reason)
	}
	for _, p := range v.Properties {
		want := checker.Holds
		if st, ok := expect[p.Name]; ok {
			want = st
		}
		if p.Status != want.String() {
			t.Errorf("%s %s: %s is %s, the variant expects %s", v.Model, v.Variant, p.Name, p.Status, want)
		}
	}
}

// TestCheckTCPHolds is the first run: "handshake check tcp". Its
// verdicts and counts are those of the matrix's rfc9293 run; the JSON output and the independence of the
// counts from the number of workers are checked on the small
// configuration.
func TestCheckTCPHolds(t *testing.T) {
	code, out, errOut := runCLI(t, "check", "tcp", "--quiet")
	if code != exitHolds {
		t.Fatalf("check tcp: exit %d, stderr %q:\n%s", code, errOut, out)
	}
	wantIn(t, "check tcp output", out, "model tcp, variant rfc9293", "states: ", "time: ", " states/s", "memory: ",
		"state storage: ", "search: complete", "result: all ")
	e := spec.TCP()
	e.Variants = e.Variants[:1]
	m, err := matrix.Compute(context.Background(), e, checker.Options{Workers: defaultWorkers}, nil)
	if err != nil || e.Variants[0].Name != "rfc9293" {
		t.Fatalf("matrix of %s: %v", e.Variants[0].Name, err)
	}
	rep := &m.Rows[0].Report
	if !strings.Contains(out, "states: "+humanize.Grouped(rep.Distinct)+" distinct, "+humanize.Grouped(rep.Generated)+" generated") {
		t.Errorf("check tcp and the matrix's rfc9293 run disagree on the counts (matrix: %d distinct, %d generated)", rep.Distinct, rep.Generated)
	}
	for _, p := range rep.Properties {
		if p.Status != checker.Holds {
			t.Errorf("matrix rfc9293: %s is %s", p.Name, p.Status)
		}
		if p.Group == "" && !strings.Contains(out, "  holds     "+p.Name+" ") {
			t.Errorf("check tcp: %s does not hold", p.Name)
		}
	}
	// JSON, and counts that do not depend on the number of workers.
	_, js1, _ := runCLI(t, args("check", "tcp", smallTCP, "--json", "--quiet", "--workers", "1")...)
	_, js2, _ := runCLI(t, args("check", "tcp", smallTCP, "--json", "--quiet", "--workers", "2")...)
	v1, v2 := decodeJSON(t, js1), decodeJSON(t, js2)
	checkVerdictsAsExpected(t, v1, expectedOf(t, "tcp", "rfc9293"))
	if v1.DistinctStates < 1000 || v2.DistinctStates != v1.DistinctStates || v2.GeneratedStates != v1.GeneratedStates || v2.Depth != v1.Depth {
		t.Errorf("--workers 2: %d/%d/%d distinct/generated/depth, --workers 1: %d/%d/%d",
			v2.DistinctStates, v2.GeneratedStates, v2.Depth, v1.DistinctStates, v1.GeneratedStates, v1.Depth)
	}
}

// TestCheckTCPDataAfterFinShowsCounterexample: the broken variant sends
// data after its FIN (against RFC 9293 section 3.10.2); the check fails
// with the counterexample drawn between the client and server lanes.
//
// It runs on the small configuration (data=1 cap=2, 14,046 states), which
// gets the variant's expected verdicts too; the matrix checks the default
// one (spec.TestTCPVariantsGetTheirExpectedVerdicts, through package matrix).
func TestCheckTCPDataAfterFinShowsCounterexample(t *testing.T) {
	code, js, _ := runCLI(t, args("check", "tcp", "--variant", "data-after-fin", smallTCP, "--json", "--quiet")...)
	if code != exitViolated {
		t.Fatalf("exit %d, want %d", code, exitViolated)
	}
	v := decodeJSON(t, js)
	checkVerdictsAsExpected(t, v, expectedOf(t, "tcp", "data-after-fin"))

	out := runExit(t, exitViolated, args("check", "tcp", "--variant", "data-after-fin", smallTCP, "--quiet")...)
	for _, p := range v.Properties {
		if p.Status != "violated" {
			continue
		}
		if len(p.Trace) < 2 {
			t.Errorf("%s violated without a counterexample trace", p.Name)
			continue
		}
		if !strings.Contains(out, "counterexample: "+p.Name+" ("+p.Kind+") is violated") {
			t.Errorf("no counterexample heading for %s", p.Name)
		}
		// Every step of the JSON trace is in the diagram and the list.
		for i, st := range p.Trace[1:] {
			if !strings.Contains(out, st.Action) {
				t.Errorf("%s: step %d %q not shown", p.Name, i+1, st.Action)
			}
		}
	}
	if !strings.Contains(out, "client") || !strings.Contains(out, "server") || !strings.Contains(out, "legend: ") {
		t.Errorf("no two-lane diagram in:\n%s", out)
	}
	if !strings.Contains(out, ">  |") && !strings.Contains(out, "->|") {
		t.Errorf("no arrow in the diagram:\n%s", out)
	}
}

// TestCheckPropertySelection: --property checks only the named properties
// (or groups); the others are reported as not checked, never as holding,
// and do not make the run incomplete; an unknown name is a usage error
// naming the closest; --max-memory takes a size and refuses nonsense.
func TestCheckPropertySelection(t *testing.T) {
	code, out, errOut := runCLI(t, "check", "tcp", "--variant", "data-after-fin", "--property", "no-data-after-fin", "--quiet")
	if code != exitViolated || errOut != "" {
		t.Fatalf("exit %d, stderr %q; want 1", code, errOut)
	}
	wantIn(t, "output", out, "  VIOLATED     no-data-after-fin", "  not checked  stream-integrity", "result: VIOLATED: 1 of 1 checked property (no-data-after-fin); ")
	if strings.Contains(out, "holds  ") {
		t.Errorf("a property not checked is shown as holding:\n%s", out)
	}
	code, out, _ = runCLI(t, "check", "tcp", "--property", "diagram", "--property", "stream-integrity", "--quiet")
	if code != exitHolds || !strings.Contains(out, "result: all 22 checked properties hold; ") {
		t.Errorf("group selection: exit %d:\n%s", code, out)
	}
	code, _, errOut = runCLI(t, "check", "tcp", "--property", "stream")
	if code != exitUsage || !strings.Contains(errOut, "closest: stream-integrity") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("unknown property: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "check", "tcp", "--max-memory", "lots")
	if code != exitUsage || !strings.Contains(errOut, "want a size above 0") {
		t.Errorf("--max-memory lots: exit %d, stderr %q", code, errOut)
	}
	code, out, _ = runCLI(t, "check", "tcp", "--max-memory", "1KiB", "--quiet")
	if code != exitIncomplete || !strings.Contains(out, "memory limit") {
		t.Errorf("--max-memory 1KiB: exit %d, want 3 and the memory limit named:\n%.400s", code, out)
	}
}
