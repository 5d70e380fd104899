package checker

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"testing"
)

// randGraph is a random transition system over n states (a small int in
// a 12-byte state, so that fingerprints are not injective) with 5 to 12
// leads-to properties (so that some are decided in a second batch of 8):
// two or more share one Fair slice (their groups share mask bits), one has
// its own, and one has none, 20 or 40 groups (so that the masks take 16,
// 32 or 64 bits). Groups are given by Member, by Action, or by both (then
// Member depends on the state).
type rgState struct {
	ID  uint32
	Pad [2]uint32
}

func randGraphModel(rng *rand.Rand) Model[rgState] {
	n := 1 + rng.Intn(40)
	edges := rng.Intn(3 * n)
	from := make([]uint32, edges)
	to := make([]uint32, edges)
	grp := make([]uint8, edges)
	for e := range from {
		from[e], to[e], grp[e] = uint32(rng.Intn(n)), uint32(rng.Intn(n)), uint8(rng.Intn(45))
	}
	set := func() []bool {
		b := make([]bool, n)
		for i := range b {
			b[i] = rng.Intn(3) == 0
		}
		return b
	}
	group := func(g uint8) Fairness[rgState] {
		return Fairness[rgState]{Name: fmt.Sprint("g", g), Member: func(s rgState, a Action) bool { return grp[a]%uint8(g+2) == 0 }}
	}
	split := func(name string, in func(Action) bool) Fairness[rgState] {
		switch rng.Intn(3) {
		case 0:
			return Fairness[rgState]{Name: name, Member: func(s rgState, a Action) bool { return in(a) }}
		case 1:
			return Fairness[rgState]{Name: name, Action: in}
		}
		odd := rng.Intn(2) == 0
		return Fairness[rgState]{Name: name, Action: in, Member: func(s rgState, a Action) bool { return (s.ID%2 == 1) == odd }}
	}
	shared := []Fairness[rgState]{group(0), group(1)}
	own := []Fairness[rgState]{split("own", func(a Action) bool { return grp[a]%4 == 1 })}
	var many []Fairness[rgState]
	for g := uint8(0); g < []uint8{0, 20, 40}[rng.Intn(3)]; g++ {
		many = append(many, split(fmt.Sprint("m", g), func(a Action) bool { return grp[a] == g }))
	}
	fairs := [][]Fairness[rgState]{shared, shared, own, many, nil}
	for extra := rng.Intn(8); extra > 0; extra-- {
		fairs = append(fairs, [][]Fairness[rgState]{shared, own, many}[rng.Intn(3)])
	}
	var props []Property[rgState]
	for k, fair := range fairs {
		p, q := set(), set()
		pr := Property[rgState]{Name: fmt.Sprint("leads-to-", k), Kind: Eventually,
			Holds: func(s rgState) bool { return q[s.ID] }, Fair: fair}
		if k != 4 {
			pr.From = func(s rgState) bool { return p[s.ID] }
		}
		props = append(props, pr)
	}
	props = append(props, Property[rgState]{Name: "inv", Kind: Always, Holds: func(s rgState) bool { return s.ID != uint32(n-1) }})
	within := set()
	return Model[rgState]{
		Name: "random-graph",
		Init: func() []rgState { return []rgState{{ID: 0}, {ID: uint32(n / 2)}} },
		Actions: func(s rgState, buf []Action) []Action {
			for e := range from {
				if from[e] == s.ID {
					buf = append(buf, Action(e))
				}
			}
			return buf
		},
		Next:       func(s rgState, a Action) rgState { return rgState{ID: to[a]} },
		Within:     func(s rgState) bool { return s.ID == 0 || !within[s.ID] },
		Properties: props,
	}
}

// TestCompactLivenessAgreesWithWholeStateGraph: on random systems with
// cycles, several leads-to properties (shared, separate and 40 fairness
// groups), 1 to 3 workers and both storage modes, every leads-to verdict
// of the compact graph recorded by the search equals checkLeadsTo's on
// the whole-state graph, and every counterexample is the one checkLeadsTo
// builds.
func TestCompactLivenessAgreesWithWholeStateGraph(t *testing.T) {
	rng := rand.New(rand.NewSource(17))
	violated, held := 0, 0
	for i := 0; i < 400; i++ {
		m := randGraphModel(rng)
		g := buildGraph(&m, nil, 0, sizeHint{}, nil)
		opt := Options{Workers: 1 + i%3, Exact: i%2 == 1}
		r := mustCheck(t, context.Background(), m, opt)
		if !r.Complete {
			t.Fatalf("system %d: incomplete: %s", i, r.Reason)
		}
		for _, pr := range r.Properties {
			if pr.Property.Kind != Eventually {
				continue
			}
			want := checkLeadsTo(g, &pr.Property)
			switch {
			case want.violated && pr.Status == Violated:
				violated++
				if !reflect.DeepEqual(*pr.Trace, want.trace) {
					t.Fatalf("system %d %s: trace %+v, want %+v", i, pr.Property.Name, *pr.Trace, want.trace)
				}
			case !want.violated && pr.Status == Holds:
				held++
			default:
				t.Fatalf("system %d (%+v) %s: %v, whole-state graph says violated=%v", i, opt, pr.Property.Name, pr.Status, want.violated)
			}
		}
	}
	if violated < 100 || held < 100 {
		t.Errorf("only %d violated and %d holding verdicts: the systems test too little", violated, held)
	}
}

// TestActionMasksCache: actions that share a slot of the cache each get
// their own mask, computed once per stay in the slot.
func TestActionMasksCache(t *testing.T) {
	var c actionMasks
	slot := func(a Action) uint32 { return uint32(a) * 0x9e3779b1 >> 20 }
	a := Action(7)
	b := a + 1
	for slot(b) != slot(a) {
		b++
	}
	calls := 0
	mask := func(x Action) uint64 { calls++; return uint64(x) * 3 }
	for i, x := range []Action{a, a, b, b, a, 0, 0} {
		if got := c.get(x, mask); got != uint64(x)*3 {
			t.Fatalf("step %d: action %d: mask %d, want %d", i, x, got, uint64(x)*3)
		}
	}
	if calls != 4 {
		t.Errorf("%d computations, want 4 (a, b, a again after b took its slot, 0)", calls)
	}
}
