package checker

import (
	"context"
	"strings"
	"testing"
	"time"
)

// counter is a tiny model: a counter that may add 1 or 2 up to limit.
type counter struct {
	N     uint32
	Steps uint32
}

func counterModel(limit uint32) Model[counter] {
	return Model[counter]{
		Name: "counter",
		Init: func() []counter { return []counter{{}} },
		Actions: func(s counter, buf []Action) []Action {
			if s.N+1 <= limit {
				buf = append(buf, 1)
			}
			if s.N+2 <= limit {
				buf = append(buf, 2)
			}
			return buf
		},
		Next:  func(s counter, a Action) counter { return counter{N: s.N + uint32(a), Steps: s.Steps + 1} },
		Label: func(s counter, a Action) string { return "add " + itoa(int(a)) },
		Properties: []Property[counter]{
			{Name: "below-limit", Kind: Always, Holds: func(s counter) bool { return s.N <= limit }},
			{Name: "reaches-limit", Kind: Sometimes, Holds: func(s counter) bool { return s.N == limit }},
		},
	}
}

// mustCheck is Check on a model the test means to be well formed.
func mustCheck[S comparable](t testing.TB, ctx context.Context, m Model[S], opt Options) Result[S] {
	t.Helper()
	r, err := Check(ctx, m, opt)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return r
}

func mustSimulate[S comparable](t testing.TB, m Model[S], seed int64, steps int) Trace[S] {
	t.Helper()
	tr, err := Simulate(m, seed, steps)
	if err != nil {
		t.Fatalf("Simulate: %v", err)
	}
	return tr
}

func statusOf[S comparable](r Result[S], name string) Status {
	for _, p := range r.Properties {
		if p.Property.Name == name {
			return p.Status
		}
	}
	return 255
}

func TestIncompleteRunsNeverHold(t *testing.T) {
	m := counterModel(60) // states (N, Steps): 60*61/2-ish, depth 61
	for _, opt := range []Options{{MaxStates: 50}, {MaxDepth: 5}} {
		r := mustCheck(t, context.Background(), m, opt)
		if r.Complete || r.Reason == "" {
			t.Fatalf("%+v: complete=%v reason=%q, want incomplete with a reason", opt, r.Complete, r.Reason)
		}
		if s := statusOf(r, "below-limit"); s != Unknown {
			t.Errorf("%+v: below-limit is %s on an incomplete run, want unknown", opt, s)
		}
		if s := statusOf(r, "reaches-limit"); s != Unknown {
			t.Errorf("%+v: reaches-limit is %s without a witness on an incomplete run, want unknown", opt, s)
		}
	}
	full := mustCheck(t, context.Background(), m, Options{})
	if !full.Complete || statusOf(full, "below-limit") != Holds || statusOf(full, "reaches-limit") != Holds {
		t.Fatalf("full run: complete=%v below-limit=%s reaches-limit=%s", full.Complete,
			statusOf(full, "below-limit"), statusOf(full, "reaches-limit"))
	}
	if full.Depth != 61 {
		t.Errorf("depth %d, want 61 (N from 0 to 60 by ones, initial state at depth 1)", full.Depth)
	}
	// The witness of reaches-limit is a shortest path: 30 steps of 2.
	for _, p := range full.Properties {
		if p.Property.Name == "reaches-limit" && len(p.Trace.Steps) != 31 {
			t.Errorf("witness has %d states, want 31", len(p.Trace.Steps))
		}
	}
}

func TestCancelledContextStopsTheRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := mustCheck(t, ctx, counterModel(3000), Options{})
	// The run may finish level 1 before it notices; it must not complete
	// 3000*3001/2 states.
	if r.Complete {
		t.Fatalf("complete after cancellation (%d states)", r.Distinct)
	}
	if r.Reason != "interrupted" {
		t.Errorf("reason %q, want interrupted", r.Reason)
	}
}

func TestTimeoutStopsTheRun(t *testing.T) {
	r := mustCheck(t, context.Background(), counterModel(5000), Options{Timeout: time.Millisecond})
	if r.Complete || !strings.HasPrefix(r.Reason, "timeout") {
		t.Fatalf("complete=%v reason=%q, want a timeout", r.Complete, r.Reason)
	}
}

func TestSometimesWithoutWitnessIsViolated(t *testing.T) {
	m := counterModel(4)
	m.Properties = append(m.Properties, Property[counter]{Name: "never", Kind: Sometimes,
		Holds: func(s counter) bool { return s.N == 5 }})
	r := mustCheck(t, context.Background(), m, Options{})
	if s := statusOf(r, "never"); s != Violated {
		t.Errorf("never: %s, want violated (no witness in a complete run)", s)
	}
}

func TestDeadlockUnlessEndState(t *testing.T) {
	m := counterModel(3)
	m.CheckDeadlock = true
	r := mustCheck(t, context.Background(), m, Options{})
	if s := statusOf(r, "deadlock"); s != Violated {
		t.Fatalf("deadlock: %s, want violated (N=3 has no action)", s)
	}
	for _, p := range r.Properties {
		if p.Property.Kind == Deadlock {
			if last := p.Trace.Steps[len(p.Trace.Steps)-1].State; last.N != 3 {
				t.Errorf("deadlock trace ends in %+v, want N=3", last)
			}
		}
	}
	m.EndState = func(s counter) bool { return s.N == 3 }
	if s := statusOf(mustCheck(t, context.Background(), m, Options{}), "deadlock"); s != Holds {
		t.Errorf("deadlock with N=3 an end state: %s, want holds", s)
	}
}

func TestConstraintsDropButCountAsGenerated(t *testing.T) {
	m := counterModel(10)
	m.Within = func(s counter) bool { return s.N <= 4 }
	m.Allow = func(s counter, a Action, t counter) bool { return a == 1 }
	r := mustCheck(t, context.Background(), m, Options{})
	// Only +1 steps, N = 0..4: 5 states. Generated: the initial state plus
	// every successor of the 5 states (N=0..3 have two actions, N=4 two).
	if r.Distinct != 5 || r.Generated != 1+2*5 {
		t.Errorf("distinct=%d generated=%d, want 5 and 11", r.Distinct, r.Generated)
	}
}

func TestSimulateIsReproducibleAndValid(t *testing.T) {
	m := counterModel(50)
	a, b := mustSimulate(t, m, 7, 20), mustSimulate(t, m, 7, 20)
	if len(a.Steps) != 21 {
		t.Fatalf("walk of %d states, want 21 (the counter never stops before 50)", len(a.Steps))
	}
	for i := range a.Steps {
		if a.Steps[i] != b.Steps[i] {
			t.Fatalf("step %d differs between two walks with seed 7", i)
		}
		if i > 0 {
			prev, cur := a.Steps[i-1].State, a.Steps[i].State
			if m.Next(prev, a.Steps[i].Action) != cur {
				t.Fatalf("step %d is not a transition of the model", i)
			}
		}
	}
	c := mustSimulate(t, m, 8, 20)
	same := true
	for i := range a.Steps {
		same = same && a.Steps[i] == c.Steps[i]
	}
	if same {
		t.Errorf("seeds 7 and 8 gave the same walk")
	}
}

type padded struct {
	A uint8
	B uint32
}

type withPointer struct{ P *int }

func TestStateTypesMustBeHashableBytes(t *testing.T) {
	if err := stateTypeError[padded](); err == nil || !strings.Contains(err.Error(), "padding") {
		t.Errorf("padded struct: err = %v, want a padding error", err)
	}
	if err := stateTypeError[withPointer](); err == nil {
		t.Errorf("struct with a pointer accepted")
	}
	if err := stateTypeError[counter](); err != nil {
		t.Errorf("counter: %v", err)
	}
	if err := stateTypeError[float64](); err == nil {
		t.Errorf("float64 accepted")
	}
}

func TestFingerprintsOfSmallStatesAreInjective(t *testing.T) {
	seen := map[uint64]uint64{}
	for x := uint64(0); x < 1<<16; x++ {
		v := x * 0x9e3779b97f4a7c15
		fp := fingerprint(&v)
		if y, dup := seen[fp]; dup {
			t.Fatalf("states %d and %d share fingerprint %x", y, v, fp)
		}
		seen[fp] = v
	}
}

// A run stopped after its exploration, while it builds the graph for
// liveness, reports the exploration's verdicts and leaves the liveness
// property unknown, incomplete.
func TestStopDuringLivenessAnalysisLeavesItUnknown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := counterModel(1500) // about 1.1M states
	var calls int
	expected := uint64(0)
	next := m.Next
	m.Next = func(s counter, a Action) counter {
		calls++
		if expected > 0 && uint64(calls) > expected {
			cancel() // the second exploration (for liveness) has begun
		}
		return next(s, a)
	}
	m.Properties = append(m.Properties, Property[counter]{Name: "reaches-end", Kind: Eventually,
		Holds: func(s counter) bool { return s.N >= 1499 }})
	// First learn how many successors the exploration computes.
	full := mustCheck(t, context.Background(), counterModel(1500), Options{})
	expected = full.Generated
	r := mustCheck(t, ctx, m, Options{})
	if r.Complete {
		t.Fatalf("complete, want incomplete (stopped during liveness)")
	}
	if r.Distinct != full.Distinct {
		t.Errorf("distinct %d, want the full exploration's %d", r.Distinct, full.Distinct)
	}
	if s := statusOf(r, "below-limit"); s != Holds {
		t.Errorf("below-limit %s, want holds (decided by the complete exploration)", s)
	}
	if s := statusOf(r, "reaches-end"); s != Unknown {
		t.Errorf("reaches-end %s, want unknown", s)
	}
}

// StopWhenDecided ends the run at the level where the last property is
// decided, with the verdicts and traces of the full run, and never ends
// it early while some property could still hold.
func TestStopWhenDecided(t *testing.T) {
	m := counterModel(40)
	m.Properties = []Property[counter]{
		{Name: "below-ten", Kind: Always, Holds: func(s counter) bool { return s.N < 10 }},
		{Name: "reaches-six", Kind: Sometimes, Holds: func(s counter) bool { return s.N == 6 }},
	}
	full := mustCheck(t, context.Background(), m, Options{})
	early := mustCheck(t, context.Background(), m, Options{StopWhenDecided: true, Workers: 2})
	if early.Complete || early.Reason != "every property decided" || early.Distinct >= full.Distinct {
		t.Fatalf("complete=%v reason=%q distinct=%d (full run %d): want an early, incomplete stop",
			early.Complete, early.Reason, early.Distinct, full.Distinct)
	}
	for i := range full.Properties {
		f, e := full.Properties[i], early.Properties[i]
		if f.Status != e.Status || len(f.Trace.Steps) != len(e.Trace.Steps) {
			t.Errorf("%s: %s with %d steps, want the full run's %s with %d", f.Property.Name,
				e.Status, len(e.Trace.Steps), f.Status, len(f.Trace.Steps))
		}
	}
	// below-limit holds: nothing to stop for.
	m.Properties = append(m.Properties, counterModel(40).Properties[0])
	if r := mustCheck(t, context.Background(), m, Options{StopWhenDecided: true}); !r.Complete || r.Distinct != full.Distinct {
		t.Errorf("with a property that holds: complete=%v distinct=%d, want the full run", r.Complete, r.Distinct)
	}
	// Nor does an Eventually property, decided on the complete graph only.
	m.Properties = append(m.Properties[:2], Property[counter]{Name: "reaches-forty", Kind: Eventually,
		Holds: func(s counter) bool { return s.N == 40 }})
	if r := mustCheck(t, context.Background(), m, Options{StopWhenDecided: true}); !r.Complete {
		t.Errorf("with an eventually property: incomplete (%s), want the full run", r.Reason)
	}
}
