package checker

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ring: a counter modulo 4 that may step by one or two; the state
// constraint keeps it below 3, so from 1 the step by two (to 3) is pruned;
// "below-two" is violated at 2.
type ring struct{ N uint32 }

func ringModel() Model[ring] {
	return Model[ring]{
		Name:    "ring",
		Init:    func() []ring { return []ring{{0}, {1}} },
		Actions: func(s ring, buf []Action) []Action { return append(buf, 1, 2) },
		Next:    func(s ring, a Action) ring { return ring{(s.N + uint32(a)) % 4} },
		Label:   func(s ring, a Action) string { return fmt.Sprintf("add %d", a) },
		Format:  func(s ring) string { return fmt.Sprintf("N=%d", s.N) },
		Within:  func(s ring) bool { return s.N < 3 },
		Lanes:   []string{"a"},
		Properties: []Property[ring]{
			{Name: "below-two", Kind: Always, Holds: func(s ring) bool { return s.N < 2 }},
			{Name: "reaches-zero-again", Kind: SometimesStep, Step: func(s ring, a Action, t ring) bool { return t.N == 0 && s.N != 0 }},
		},
	}
}

func explorer(t *testing.T) Explorer {
	sys, err := Erase(ringModel())
	if err != nil {
		t.Fatal(err)
	}
	ex, ok := sys.(Explorer)
	if !ok {
		t.Fatal("an erased system is not an Explorer")
	}
	return ex
}

func TestWalkFollowsIndicesAndRefusesPrunedSteps(t *testing.T) {
	ex := explorer(t)
	start, err := ex.Walk(nil)
	if err != nil || len(start.Choices) != 2 || start.Choices[1].Action != "initial state: N=1" {
		t.Fatalf("start: %+v, %v", start, err)
	}
	pos, err := ex.Walk([]int{1, 0})
	if err != nil {
		t.Fatal(err)
	}
	if got := pos.Trace.Steps[1].State; got != "N=2" || pos.Raw != "{N:2}" {
		t.Errorf("path 1.0 ends in %q (raw %q), want N=2", got, pos.Raw)
	}
	want := []Choice{{Index: 0, Action: "add 1"}, {Index: 1, Action: "add 2", Pruned: true}}
	if diff := cmp.Diff(want, (mustWalk(t, ex, []int{0, 0})).Choices); diff != "" {
		t.Errorf("choices at N=1 (-want +got):\n%s", diff)
	}
	var pe *PathError
	if _, err := ex.Walk([]int{0, 0, 1}); !errors.As(err, &pe) || pe.Step != 2 || pe.Index != 1 {
		t.Errorf("pruned step: %v", err)
	}
	if _, err := ex.Walk([]int{0, 2}); !errors.As(err, &pe) || pe.Step != 1 {
		t.Errorf("out of range: %v", err)
	}
	if _, err := ex.Walk([]int{2}); !errors.As(err, &pe) || pe.Step != 0 {
		t.Errorf("no initial state 2: %v", err)
	}
}

func mustWalk(t *testing.T, ex Explorer, path []int) Position {
	t.Helper()
	pos, err := ex.Walk(path)
	if err != nil {
		t.Fatal(err)
	}
	return pos
}

// Find's path leads to the trace Find returns.
func TestFindPathReproducesTrace(t *testing.T) {
	ex := explorer(t)
	for _, name := range []string{"below-two", "reaches-zero-again"} {
		f, err := ex.Find(context.Background(), name, Options{})
		if err != nil || f.Trace == nil {
			t.Fatalf("%s: %+v %v", name, f, err)
		}
		pos := mustWalk(t, ex, f.Path)
		if diff := cmp.Diff(*f.Trace, pos.Trace); diff != "" {
			t.Errorf("%s: walking %v differs from the found trace:\n%s", name, f.Path, diff)
		}
		j, err := ex.Judge(name, f.Path)
		if err != nil || !j.Decided || !j.Shows {
			t.Errorf("%s: judged %+v %v", name, j, err)
		}
	}
	if _, err := ex.Find(context.Background(), "nope", Options{}); err == nil {
		t.Error("unknown property found")
	}
	// below-two: the shortest counterexamples are one step long, and
	// breadth first meets initial N=0, add 2 (path 0.1) before initial
	// N=1, add 1 (path 1.0).
	f, _ := ex.Find(context.Background(), "below-two", Options{})
	if FormatPath(f.Path) != "0.1" || f.Status != Violated {
		t.Errorf("below-two: path %s status %s, want 0.1 violated", FormatPath(f.Path), f.Status)
	}
	if j, _ := ex.Judge("below-two", []int{0, 0}); j.Shows {
		t.Errorf("N=1 judged a counterexample of below-two: %+v", j)
	}
}

func TestReplayMatchesLabelsAndStates(t *testing.T) {
	ex := explorer(t)
	pos := mustWalk(t, ex, []int{0, 0, 0})
	r, err := ex.Replay(pos.Trace.Steps)
	if err != nil || FormatPath(r.Path) != "0.0.0" || len(r.Moved) != 0 {
		t.Fatalf("replay: %+v %v", r, err)
	}
	// A recorded index that is wrong but whose label and state match
	// another action is found and reported as moved.
	steps := append([]TraceStep(nil), pos.Trace.Steps...)
	steps[1].Index = 1
	r, err = ex.Replay(steps)
	if err != nil || FormatPath(r.Path) != "0.0.0" || !cmp.Equal(r.Moved, []int{1}) {
		t.Errorf("moved index: %+v %v", r, err)
	}
	steps[2].State = "N=7"
	var re *ReplayError
	if _, err := ex.Replay(steps); !errors.As(err, &re) || re.Step != 2 {
		t.Errorf("wrong state: %v", err)
	}
}

func TestParsePath(t *testing.T) {
	for in, want := range map[string][]int{"": nil, "0": {0}, "0.2.1": {0, 2, 1}, " 3.10 ": {3, 10}} {
		got, err := ParsePath(in)
		if err != nil || !cmp.Equal(got, want) {
			t.Errorf("ParsePath(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"0..1", "a", "-1", "1.+2", "0.1."} {
		if _, err := ParsePath(bad); err == nil {
			t.Errorf("ParsePath(%q) accepted", bad)
		}
	}
}

func TestGraphLimitAndProjectionRequired(t *testing.T) {
	ex := explorer(t)
	g, err := ex.Graph(context.Background(), GraphOptions{Lane: -1})
	if err != nil || g.States != 3 || len(g.Edges) != 4 {
		// N=0 -> 1, 2; N=1 -> 2 (-> 3 pruned); N=2 -> 0 (-> 3 pruned).
		t.Fatalf("graph: %+v %v", g, err)
	}
	var big *TooLargeError
	if _, err := ex.Graph(context.Background(), GraphOptions{Lane: -1, MaxStates: 2}); !errors.As(err, &big) {
		t.Errorf("limit 2: %v", err)
	}
	if _, err := ex.Graph(context.Background(), GraphOptions{Lane: 0}); err == nil {
		t.Error("projection without Model.Project accepted")
	}
}
