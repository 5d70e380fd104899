package checker_test

import (
	"context"
	"fmt"
	"math/bits"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/handshake/handshake/checker"
)

// Property-based cross-checks of the engine: gopter generates small random
// transition systems, and the engine's counts and verdicts must equal
// those of a plain reference search written here, with no cleverness, and
// must not depend on the number of workers.

// randomSystem is a transition system over nodes 0..N-1. Edge e goes from
// From[e] to To[e] and belongs to fairness group Group[e] (0: none, 1, 2).
// Its two leads-to properties share their fairness groups, so that the
// engine decides them in one pass (a cycle may pass through the Q-states
// of one and not of the other).
type randomSystem struct {
	N      int
	Init   []uint8
	From   []uint8
	To     []uint8
	Group  []uint8
	Inv    uint16 // invariant holds at node i iff bit i
	Goal   uint16 // Sometimes goal
	Within uint16 // state constraint
	Drop   uint64 // action constraint: edge e dropped iff bit e
	End    uint16 // allowed end states
	P, Q   uint16 // P ~> Q
	P2, Q2 uint16 // P2 ~> Q2
	Fair   uint8  // fairness groups in force: bit 0 group 1, bit 1 group 2
}

func genSystem() gopter.Gen {
	return gen.IntRange(1, 9).FlatMap(func(v interface{}) gopter.Gen {
		n := v.(int)
		return gopter.CombineGens(
			gen.SliceOfN(2, gen.IntRange(0, n-1)),
			gen.SliceOfN(3*n, gen.IntRange(0, n-1)),
			gen.SliceOfN(3*n, gen.IntRange(0, n-1)),
			gen.SliceOfN(3*n, gen.IntRange(0, 2)),
			gen.UInt16(), gen.UInt16(), gen.UInt16(), gen.UInt64(), gen.UInt16(),
			gen.UInt16(), gen.UInt16(), gen.UInt8Range(0, 3),
			gen.IntRange(0, 3*n),
			gen.UInt16(), gen.UInt16(),
		).Map(func(vs []interface{}) randomSystem {
			ints := func(i int) []uint8 {
				var out []uint8
				for _, x := range vs[i].([]int) {
					out = append(out, uint8(x))
				}
				return out
			}
			m := vs[12].(int) // number of edges used
			r := randomSystem{N: n, Init: ints(0), From: ints(1)[:m], To: ints(2)[:m], Group: ints(3)[:m],
				Inv: vs[4].(uint16) | vs[4].(uint16)>>3, Goal: vs[5].(uint16) & vs[6].(uint16), Within: vs[6].(uint16) | 0xff00>>n<<n | 0x5555,
				Drop: vs[7].(uint64) & vs[7].(uint64) >> 7, End: vs[8].(uint16), P: vs[9].(uint16), Q: vs[10].(uint16), Fair: vs[11].(uint8),
				P2: vs[13].(uint16), Q2: vs[14].(uint16)}
			r.Init = r.Init[:1+int(vs[4].(uint16))%2]
			return r
		})
	}, nil)
}

// node is 12 bytes wide so that states go through the general
// fingerprint (states of up to 8 bytes are fingerprinted by a bijection).
type node struct {
	ID   uint8
	Wide [11]uint8
}

func bit16(m uint16, i uint8) bool { return m>>i&1 == 1 }

// model turns the system into an engine model; deadlock checking and
// every property kind are on.
func (r randomSystem) model() checker.Model[node] {
	// Group 1 is given by Action (cached per action), group 2 by Member
	// (called per transition).
	fair := []checker.Fairness[node]{}
	if r.Fair&1 == 1 {
		fair = append(fair, checker.Fairness[node]{Name: "group1",
			Action: func(a checker.Action) bool { return r.Group[a] == 1 }})
	}
	if r.Fair&2 == 2 {
		fair = append(fair, checker.Fairness[node]{Name: "group2",
			Member: func(s node, a checker.Action) bool { return r.Group[a] == 2 }})
	}
	return checker.Model[node]{
		Name: "random",
		Init: func() []node {
			var out []node
			for _, i := range r.Init {
				out = append(out, node{ID: i})
			}
			return out
		},
		Actions: func(s node, buf []checker.Action) []checker.Action {
			for e := range r.From {
				if r.From[e] == s.ID {
					buf = append(buf, checker.Action(e))
				}
			}
			return buf
		},
		Next:          func(s node, a checker.Action) node { return node{ID: r.To[a]} },
		Label:         func(s node, a checker.Action) string { return fmt.Sprint("e", a) },
		Within:        func(s node) bool { return bit16(r.Within, s.ID) },
		Allow:         func(s node, a checker.Action, t node) bool { return r.Drop>>a&1 == 0 },
		CheckDeadlock: true,
		EndState:      func(s node) bool { return bit16(r.End, s.ID) },
		Properties: []checker.Property[node]{
			{Name: "inv", Kind: checker.Always, Holds: func(s node) bool { return bit16(r.Inv, s.ID) }},
			{Name: "goal", Kind: checker.Sometimes, Holds: func(s node) bool { return bit16(r.Goal, s.ID) }},
			{Name: "step", Kind: checker.AlwaysStep, Step: func(s node, a checker.Action, t node) bool { return s.ID <= t.ID || a%3 != 0 }},
			{Name: "leads-to", Kind: checker.Eventually, From: func(s node) bool { return bit16(r.P, s.ID) },
				Holds: func(s node) bool { return bit16(r.Q, s.ID) }, Fair: fair},
			{Name: "leads-to-2", Kind: checker.Eventually, From: func(s node) bool { return bit16(r.P2, s.ID) },
				Holds: func(s node) bool { return bit16(r.Q2, s.ID) }, Fair: fair},
		},
	}
}

// verdicts is what the engine and the reference must agree on.
type verdicts struct {
	Error               string // Check's error: none for a random system, which is well formed
	Distinct, Generated uint64
	Depth               int
	Status              map[string]string
	TraceLen            map[string]int // counterexample or witness length in states (lassos excluded)
}

// reference computes the verdicts by a plain search over the graph.
func (r randomSystem) reference() verdicts {
	v := verdicts{Status: map[string]string{}, TraceLen: map[string]int{}}
	kept := func(e int) bool { return r.Drop>>e&1 == 0 && bit16(r.Within, r.To[e]) }
	dist := map[uint8]int{}
	var level []uint8
	for _, i := range r.Init {
		v.Generated++
		if bit16(r.Within, i) {
			if _, ok := dist[i]; !ok {
				dist[i] = 1
				level = append(level, i)
			}
		}
	}
	for len(level) > 0 {
		v.Depth++
		var next []uint8
		for _, s := range level {
			for e := range r.From {
				if r.From[e] != s {
					continue
				}
				v.Generated++
				if _, ok := dist[r.To[e]]; !ok && kept(e) {
					dist[r.To[e]] = dist[s] + 1
					next = append(next, r.To[e])
				}
			}
		}
		level = next
	}
	v.Distinct = uint64(len(dist))
	// Safety: the shortest distance to a bad state or transition.
	first := func(bad func(s uint8) (int, bool)) (int, bool) {
		best, found := 0, false
		for s := range dist {
			if l, ok := bad(s); ok && (!found || l < best) {
				best, found = l, true
			}
		}
		return best, found
	}
	outDeg := func(s uint8) int {
		n := 0
		for e := range r.From {
			if r.From[e] == s {
				n++
			}
		}
		return n
	}
	set := func(name string, violated bool, l int, positive bool) {
		switch {
		case violated && !positive, !violated && positive:
			v.Status[name] = "violated"
		default:
			v.Status[name] = "holds"
		}
		if violated {
			v.TraceLen[name] = l
		}
	}
	l, bad := first(func(s uint8) (int, bool) { return dist[s], !bit16(r.Inv, s) })
	set("inv", bad, l, false)
	l, bad = first(func(s uint8) (int, bool) { return dist[s], bit16(r.Goal, s) })
	set("goal", bad, l, true)
	l, bad = first(func(s uint8) (int, bool) {
		for e := range r.From {
			if r.From[e] == s && kept(e) && !(s <= r.To[e] || e%3 != 0) {
				return dist[s] + 1, true
			}
		}
		return 0, false
	})
	set("step", bad, l, false)
	l, bad = first(func(s uint8) (int, bool) { return dist[s], outDeg(s) == 0 && !bit16(r.End, s) })
	set("deadlock", bad, l, false)
	for name, pq := range map[string][2]uint16{"leads-to": {r.P, r.Q}, "leads-to-2": {r.P2, r.Q2}} {
		if r.leadsToViolated(dist, kept, pq[0], pq[1]) {
			v.Status[name] = "violated"
		} else {
			v.Status[name] = "holds"
		}
	}
	return v
}

// leadsToViolated decides P ~> Q by brute force over sets of states: it
// is violated iff some set C of reachable not-Q states, strongly
// connected by kept edges inside C (or a single state, which may stutter),
// is reachable through not-Q states from a reachable P-and-not-Q state,
// and every fairness group in force labels an edge inside C or is not
// enabled (no kept edge of the group) in some state of C.
func (r randomSystem) leadsToViolated(dist map[uint8]int, kept func(int) bool, P, Q uint16) bool {
	notQ := func(s uint8) bool { _, ok := dist[s]; return ok && !bit16(Q, s) }
	// reach[s]: not-Q states reachable from s through not-Q states.
	reachFrom := func(s uint8, inside func(uint8) bool) uint16 {
		seen := uint16(1) << s
		stack := []uint8{s}
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for e := range r.From {
				if r.From[e] == u && kept(e) && inside(r.To[e]) && !bit16(seen, r.To[e]) {
					seen |= 1 << r.To[e]
					stack = append(stack, r.To[e])
				}
			}
		}
		return seen
	}
	var start uint16
	for s := range dist {
		if bit16(P, s) && notQ(s) {
			start |= reachFrom(s, notQ)
		}
	}
	for c := uint16(1); c < 1<<r.N; c++ {
		if c&^start != 0 {
			continue
		}
		in := func(s uint8) bool { return bit16(c, s) }
		// Strongly connected inside C.
		ok := true
		for s := uint8(0); s < uint8(r.N) && ok; s++ {
			if in(s) && bits.OnesCount16(c) > 1 && reachFrom(s, in)&c != c {
				ok = false
			}
		}
		if !ok {
			continue
		}
		fair := true
		for g := uint8(1); g <= 2; g++ {
			if r.Fair>>(g-1)&1 == 0 {
				continue
			}
			taken, disabled := false, false
			for s := uint8(0); s < uint8(r.N); s++ {
				if !in(s) {
					continue
				}
				enabled := false
				for e := range r.From {
					if r.From[e] == s && kept(e) && r.Group[e] == g {
						enabled = true
						if in(r.To[e]) {
							taken = true
						}
					}
				}
				if !enabled {
					disabled = true
				}
			}
			if !taken && !disabled {
				fair = false
			}
		}
		if fair {
			return true
		}
	}
	return false
}

func engineVerdicts(m checker.Model[node], workers int) verdicts {
	res, err := checker.Check(context.Background(), m, checker.Options{Workers: workers})
	if err != nil {
		return verdicts{Error: err.Error()}
	}
	v := verdicts{Distinct: res.Distinct, Generated: res.Generated, Depth: res.Depth,
		Status: map[string]string{}, TraceLen: map[string]int{}}
	for _, p := range res.Properties {
		v.Status[p.Property.Name] = p.Status.String()
		if p.Trace != nil && p.Property.Kind != checker.Eventually {
			v.TraceLen[p.Property.Name] = len(p.Trace.Steps)
		}
	}
	return v
}

// TestEngineAgreesWithReferenceSearch runs the cross-checks on 600 random
// systems per property (about 3 s of CPU, 1.5 s per 1000 with the race
// detector off); TestLongEngineAgreesWithReferenceSearch (go test -tags
// long) on 6000 others.
func TestEngineAgreesWithReferenceSearch(t *testing.T) {
	engineCrossChecks(t, 600, 1)
}

// engineCrossChecks checks n random systems, drawn from seed, per property.
func engineCrossChecks(t *testing.T, n int, seed int64) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = n
	params.Rng.Seed(seed)
	props := gopter.NewProperties(params)
	props.Property("engine verdicts and counts equal the reference search's", prop.ForAll(
		func(r randomSystem) string {
			want := r.reference()
			got := engineVerdicts(r.model(), 1)
			if d := cmp.Diff(want, got); d != "" {
				return "engine differs from reference (-want +got):\n" + d
			}
			return ""
		}, genSystem()))
	props.Property("N workers and exact storage equal one worker, traces included", prop.ForAll(
		func(r randomSystem) string {
			one, err := checker.Check(context.Background(), r.model(), checker.Options{Workers: 1})
			if err != nil {
				return err.Error()
			}
			for _, o := range []checker.Options{{Workers: 2}, {Workers: 3}, {Workers: 1, Exact: true}, {Workers: 2, Exact: true}} {
				other, err := checker.Check(context.Background(), r.model(), o)
				if err != nil {
					return err.Error()
				}
				if d := cmp.Diff(summary(one), summary(other)); d != "" {
					return fmt.Sprintf("%+v differs from workers=1 (-1 +other):\n%s", o, d)
				}
			}
			return ""
		}, genSystem()))
	props.Property("liveness counterexamples are fair lassos along which Q never holds", prop.ForAll(
		func(r randomSystem) string {
			res, err := checker.Check(context.Background(), r.model(), checker.Options{})
			if err != nil {
				return err.Error()
			}
			for _, p := range res.Properties {
				if p.Property.Kind != checker.Eventually || p.Status != checker.Violated {
					continue
				}
				pq := map[string][2]uint16{"leads-to": {r.P, r.Q}, "leads-to-2": {r.P2, r.Q2}}[p.Property.Name]
				if msg := r.checkLasso(p.Trace, pq[0], pq[1]); msg != "" {
					return p.Property.Name + ": " + msg
				}
			}
			return ""
		}, genSystem()))
	props.TestingRun(t)
}

// checkLasso verifies a leads-to counterexample against the definition.
func (r randomSystem) checkLasso(tr *checker.Trace[node], P, Q uint16) string {
	if tr == nil || len(tr.Steps) == 0 || tr.Loop < 0 || tr.Loop >= len(tr.Steps) {
		return fmt.Sprintf("malformed lasso %+v", tr)
	}
	st := tr.Steps
	for i := 1; i < len(st); i++ {
		e := st[i].Action
		if int(e) >= len(r.From) || r.From[e] != st[i-1].State.ID || r.To[e] != st[i].State.ID {
			return fmt.Sprintf("step %d is not an edge", i)
		}
	}
	// Some position p <= Loop has P and not Q, and Q never holds after
	// it. Not necessarily the first P-and-not-Q position: the prefix may
	// pass through one, then through a Q-state, to the trigger (the
	// shortest way to the trigger need not avoid Q before it).
	p := -1
	for i := tr.Loop; i >= 0 && !bit16(Q, st[i].State.ID); i-- {
		if bit16(P, st[i].State.ID) {
			p = i // the earliest P-state after the last Q-state
		}
	}
	if p < 0 {
		return "no P-and-not-Q state after the last Q-state before the loop"
	}
	for i := p; i < len(st); i++ {
		if bit16(Q, st[i].State.ID) {
			return fmt.Sprintf("Q holds at step %d after the trigger at %d", i, p)
		}
	}
	cycle := st[tr.Loop:]
	if tr.Stutter {
		if tr.Loop != len(st)-1 {
			return "stutter lasso must end at its loop state"
		}
	} else if st[len(st)-1].State != st[tr.Loop].State || len(cycle) < 2 {
		return "loop does not return to its start"
	}
	// Weak fairness: each group in force is taken in the cycle or disabled
	// in one of its states.
	for g := uint8(1); g <= 2; g++ {
		if r.Fair>>(g-1)&1 == 0 {
			continue
		}
		ok := false
		for i := 1; i < len(cycle) && !tr.Stutter; i++ {
			if r.Group[cycle[i].Action] == g {
				ok = true
			}
		}
		for _, s := range cycle {
			enabled := false
			for e := range r.From {
				if r.From[e] == s.State.ID && r.Group[e] == g && r.Drop>>e&1 == 0 && bit16(r.Within, r.To[e]) {
					enabled = true
				}
			}
			if !enabled {
				ok = true
			}
		}
		if !ok {
			return fmt.Sprintf("group %d is enabled throughout the cycle and never taken", g)
		}
	}
	return ""
}

// summary renders a result without its timings.
func summary(r checker.Result[node]) string {
	s := fmt.Sprintf("distinct=%d generated=%d depth=%d complete=%v\n", r.Distinct, r.Generated, r.Depth, r.Complete)
	for _, p := range r.Properties {
		s += fmt.Sprintf("%s %s", p.Property.Name, p.Status)
		if p.Trace != nil {
			s += fmt.Sprintf(" loop=%d stutter=%v", p.Trace.Loop, p.Trace.Stutter)
			for _, st := range p.Trace.Steps {
				s += fmt.Sprintf(" %d:%d", st.Action, st.State.ID)
			}
		}
		s += "\n"
	}
	return s
}
