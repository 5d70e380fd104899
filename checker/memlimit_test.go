package checker

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// tree is an infinite binary tree of states: every level doubles, so a
// search of it can only end by a limit.
type tree struct{ X uint64 }

func treeModel() Model[tree] {
	return Model[tree]{
		Name: "tree",
		Init: func() []tree { return []tree{{}} },
		Actions: func(s tree, buf []Action) []Action {
			return append(buf, 1, 2)
		},
		Next: func(s tree, a Action) tree { return tree{2*s.X + uint64(a)} },
		Properties: []Property[tree]{
			{Name: "no-overflow", Kind: Always, Holds: func(s tree) bool { return s.X < 1<<62 }},
		},
	}
}

// TestMemoryLimitStopsTheSearch: with a limit a few tens of MiB above the
// test process's resident memory, the search of an infinite tree stops on
// its own (not by the timeout), incomplete, with reason "memory limit",
// having stored states, and its peak resident memory stays under the
// limit plus a small margin.
func TestMemoryLimitStopsTheSearch(t *testing.T) {
	if residentBytes() == 0 {
		t.Skip("no /proc/self/statm: the limit cannot be measured here")
	}
	for _, workers := range []int{2} {
		limit := residentBytes() + 24<<20
		r := mustCheck(t, context.Background(), treeModel(), Options{Workers: workers, MaxMemory: limit, Timeout: time.Minute})
		if r.Complete || !strings.HasPrefix(r.Reason, "memory limit ") {
			t.Fatalf("workers %d: complete %v, reason %q; want stopped by the memory limit", workers, r.Complete, r.Reason)
		}
		if raceDetector {
			continue // see raceDetector
		}
		if r.Distinct < 100_000 {
			t.Errorf("workers %d: only %d states stored under a limit 24 MiB above the start", workers, r.Distinct)
		}
		if r.PeakBytes > limit+8<<20 {
			t.Errorf("workers %d: peak resident memory %s, limit %s", workers, formatBytes(r.PeakBytes), formatBytes(limit))
		}
		if st := statusOf(r, "no-overflow"); st != Unknown {
			t.Errorf("workers %d: invariant %v on a stopped run, want unknown", workers, st)
		}
	}
}

// wideState is a finite model of about a million states of 64 bytes whose
// liveness graph needs far more memory than its exploration.
type wideState struct {
	A, B uint32
	Pad  [14]uint32
}

func wideModel() Model[wideState] {
	const n = 400
	return Model[wideState]{
		Name: "wide",
		Init: func() []wideState { return []wideState{{}} },
		Actions: func(s wideState, buf []Action) []Action {
			if s.A < n {
				buf = append(buf, 1)
			}
			if s.B < n {
				buf = append(buf, 2)
			}
			return buf
		},
		Next: func(s wideState, a Action) wideState {
			if a == 1 {
				s.A++
			} else {
				s.B++
			}
			return s
		},
		Properties: []Property[wideState]{
			{Name: "bounded", Kind: Always, Holds: func(s wideState) bool { return s.A <= n && s.B <= n }},
			// Violated (nothing is fair: a behaviour may stop anywhere), so
			// the whole-state graph is needed for the counterexample.
			{Name: "ends", Kind: Eventually, Holds: func(s wideState) bool { return s.A == n && s.B == n }},
		},
	}
}

// TestMemoryLimitBeforeTheLivenessGraph: an exploration that fits under
// the limit is complete and its invariant holds, and the compact graph
// finds the leads-to property violated, but the whole-state graph its
// counterexample needs (about 30 MiB here) does not fit: the run says so,
// and the property stays unknown.
func TestMemoryLimitBeforeTheLivenessGraph(t *testing.T) {
	if residentBytes() == 0 {
		t.Skip("no /proc/self/statm: the limit cannot be measured here")
	}
	if raceDetector {
		// The shadow memory of the race detector is several times the
		// graph's, and varies: no limit separates the exploration from
		// the graph reliably. The run has one worker: nothing for the
		// detector to find that the plain run does not test.
		t.Skip("memory measurements are meaningless under the race detector")
	}
	// The limit sits above what the exploration alone takes, measured by
	// a first run that checks only the invariant, so that the test does
	// not depend on how much the process held before it (run alone or
	// after the package's other tests).
	explore := mustCheck(t, context.Background(), wideModel(), Options{Properties: []string{"bounded"}})
	limit := max(explore.PeakBytes, residentBytes()) + 12<<20
	r := mustCheck(t, context.Background(), wideModel(), Options{MaxMemory: limit})
	if r.Distinct != 401*401 {
		t.Fatalf("distinct %d, want %d (the exploration should fit)", r.Distinct, 401*401)
	}
	if r.Complete || !strings.HasPrefix(r.Reason, "memory limit ") || !strings.Contains(r.Reason, "after the exploration") {
		t.Fatalf("complete %v, reason %q; want the memory limit after the exploration", r.Complete, r.Reason)
	}
	if st := statusOf(r, "bounded"); st != Holds {
		t.Errorf("invariant %v, want holds (decided by the complete exploration)", st)
	}
	if st := statusOf(r, "ends"); st != Unknown {
		t.Errorf("leads-to %v, want unknown", st)
	}
	if r.PeakBytes > limit+8<<20 {
		t.Errorf("peak resident memory %s, limit %s", formatBytes(r.PeakBytes), formatBytes(limit))
	}
	// Without the limit the same run decides it.
	r = mustCheck(t, context.Background(), wideModel(), Options{MaxMemory: ^uint64(0)})
	if !r.Complete || statusOf(r, "ends") != Violated {
		t.Errorf("unlimited: complete %v (%s), ends %v; want complete, violated", r.Complete, r.Reason, statusOf(r, "ends"))
	}
}

func TestDefaultMaxMemory(t *testing.T) {
	info := meminfo()
	total, ok := info["MemTotal"]
	if !ok {
		t.Skip("no /proc/meminfo")
	}
	d := DefaultMaxMemory()
	if d == 0 || d > total {
		t.Fatalf("default limit %d with MemTotal %d", d, total)
	}
	if (Options{}).memoryLimit() == 0 {
		t.Errorf("zero Options have no memory limit")
	}
	if (Options{MaxMemory: ^uint64(0)}).memoryLimit() != 0 {
		t.Errorf("MaxUint64 should mean no limit")
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]uint64{"1GiB": 1 << 30, "1g": 1 << 30, "512MiB": 512 << 20, "1.5G": 3 << 29, "4096": 4096, " 2 KiB ": 2048, "7B": 7} {
		got, err := ParseBytes(in)
		if err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "GiB", "-1GiB", "0", "1 furlong", "1e3", "0.1B"} {
		if _, err := ParseBytes(in); err == nil {
			t.Errorf("ParseBytes(%q) accepted", in)
		}
	}
	if s := formatBytes(3 << 29); s != "1.5 GiB" {
		t.Errorf("formatBytes(1.5 GiB) = %q", s)
	}
}

// TestSelectedProperties: only the selected properties (by name and by
// group) are checked; the others are "not checked", and their predicates
// are never called; without a selected leads-to property no liveness
// graph is built. An unknown name is an error.
func TestSelectedProperties(t *testing.T) {
	var calls [4]atomic.Int64
	m := counterModel(20)
	count := func(i int, f func(counter) bool) func(counter) bool {
		return func(s counter) bool { calls[i].Add(1); return f(s) }
	}
	m.Properties = []Property[counter]{
		{Name: "below-limit", Kind: Always, Holds: count(0, func(s counter) bool { return s.N <= 20 })},
		{Name: "reaches-limit", Kind: Sometimes, Group: "goals", Holds: count(1, func(s counter) bool { return s.N == 20 })},
		{Name: "reaches-ten", Kind: Sometimes, Group: "goals", Holds: count(2, func(s counter) bool { return s.N == 10 })},
		{Name: "ends", Kind: Eventually, Holds: count(3, func(s counter) bool { return s.N == 20 }), Fair: fairAll[counter]()},
	}
	m.CheckDeadlock = true
	r := mustCheck(t, context.Background(), m, Options{Properties: []string{"goals", "below-limit"}})
	want := map[string]Status{"below-limit": Holds, "reaches-limit": Holds, "reaches-ten": Holds, "ends": NotChecked, "deadlock": NotChecked}
	if len(r.Properties) != 5 {
		t.Fatalf("%d verdicts, want 5 (every property listed)", len(r.Properties))
	}
	for name, st := range want {
		if got := statusOf(r, name); got != st {
			t.Errorf("%s: %v, want %v", name, got, st)
		}
	}
	if calls[3].Load() != 0 {
		t.Errorf("the unselected leads-to property's predicate was called %d times", calls[3].Load())
	}
	if calls[0].Load() == 0 || calls[2].Load() == 0 {
		t.Errorf("selected predicates not called: %d, %d", calls[0].Load(), calls[2].Load())
	}
	if NotChecked.String() != "not checked" {
		t.Errorf("NotChecked prints %q", NotChecked.String())
	}
	// Deadlock by its name: the counter ends at 20 without an end state.
	r = mustCheck(t, context.Background(), m, Options{Properties: []string{"deadlock", "ends"}})
	if statusOf(r, "deadlock") != Violated || statusOf(r, "ends") != Holds || statusOf(r, "below-limit") != NotChecked {
		t.Errorf("deadlock %v, ends %v, below-limit %v", statusOf(r, "deadlock"), statusOf(r, "ends"), statusOf(r, "below-limit"))
	}
	_, err := Check(context.Background(), m, Options{Properties: []string{"below-limit", "nope"}})
	if err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "groups: goals") {
		t.Errorf("unknown name: %v", err)
	}
	sys, _ := Erase(m)
	rep := sys.Check(context.Background(), Options{Properties: []string{"ends"}})
	for _, p := range rep.Properties {
		if want := NotChecked; p.Name != "ends" && p.Status != want {
			t.Errorf("report: %s is %q, want %q", p.Name, p.Status, want)
		}
	}
	if rep = sys.Check(context.Background(), Options{Properties: []string{"nope"}}); rep.Complete || !strings.Contains(rep.Reason, "nope") {
		t.Errorf("report with an unknown name: complete %v, reason %q", rep.Complete, rep.Reason)
	}
}

// TestProgressPhases: progress reports name the phase and the memory in
// use. The leads-to property is violated (nothing is fair), so the
// liveness phase builds the whole-state graph for its counterexample and
// calls the predicate again: slow on its first call after the
// exploration's, it makes that phase long enough to be seen.
func TestProgressPhases(t *testing.T) {
	m := counterModel(300)
	distinct := mustCheck(t, context.Background(), m, Options{}).Distinct
	var calls atomic.Uint64
	m.Properties = append(m.Properties, Property[counter]{Name: "ends", Kind: Eventually,
		Holds: func(s counter) bool {
			if calls.Add(1) == distinct+1 {
				time.Sleep(50 * time.Millisecond)
			}
			return s.N == 300
		}})
	var mu sync.Mutex
	seen := map[Phase]bool{}
	var mem uint64
	opt := Options{ProgressEvery: time.Millisecond, Progress: func(p Progress) {
		mu.Lock()
		seen[p.Phase] = true
		mem = max(mem, p.Memory)
		mu.Unlock()
	}}
	r := mustCheck(t, context.Background(), m, opt)
	if statusOf(r, "ends") != Violated {
		t.Fatalf("ends: %v", statusOf(r, "ends"))
	}
	mu.Lock()
	defer mu.Unlock()
	if !seen[PhaseLiveness] {
		t.Errorf("no progress report in the liveness phase (saw %v)", seen)
	}
	if residentBytes() > 0 && mem == 0 {
		t.Errorf("progress reports no memory in use")
	}
	if PhaseExploring.String() != "exploring" || PhaseTraces.String() != "traces" || PhaseLiveness.String() != "liveness" {
		t.Errorf("phase names: %v %v %v", PhaseExploring, PhaseTraces, PhaseLiveness)
	}
}

// fairAll is one fairness group of every action.
func fairAll[S comparable]() []Fairness[S] {
	return []Fairness[S]{{Name: "all", Member: func(S, Action) bool { return true }}}
}
