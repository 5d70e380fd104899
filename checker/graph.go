package checker

import (
	"sync/atomic"
	"unsafe"
)

// graph is a sequential breadth-first exploration that keeps every state
// with its BFS parent and, optionally, every kept transition. It serves
// the counterexamples of violated leads-to properties (the lassos need
// whole states; the verdicts come from the compact graph, livegraph.go),
// the reconstruction of shortest traces to states the fast search only
// fingerprinted, and the state graphs drawn for tools. Its
// successor rules (constraints included) are exactly those of the fast
// search.
type graph[S comparable] struct {
	m      *Model[S]
	states []S
	parent []int32
	act    []Action
	// pos is each state's path index: its initial state's position in
	// Init, or its action's position among its parent's enabled actions.
	pos   []int32
	depth []int32
	table []int32 // open addressing over states: index+1, 0 = empty
	// The kept transitions of state i are edgeTo/edgeAct/edgePos
	// [edgeStart[i]:edgeStart[i+1]] (edgePos: the action's position among
	// the enabled actions).
	edgeStart []int32
	edgeTo    []int32
	edgeAct   []Action
	edgePos   []int32
	complete  bool
	// mem, if set, is asked before the state arrays grow; full is set
	// when it refused (the graph then takes no more states).
	mem  *memGuard
	full bool
}

func (g *graph[S]) lookup(s *S, fp uint64) (int, bool) {
	mask := uint64(len(g.table) - 1)
	for i := fp & mask; ; i = (i + 1) & mask {
		v := g.table[i]
		if v == 0 {
			return int(i), false
		}
		if g.states[v-1] == *s {
			return int(v - 1), true
		}
	}
}

// add adds s and returns its index, or -1 if the graph has it already.
func (g *graph[S]) add(s S, parent int32, a Action, pos, d int32) int32 {
	if j, added := g.addOrFind(s, parent, a, pos, d); added {
		return j
	}
	return -1
}

// addOrFind adds s unless the graph has it already, and returns its index
// and whether it was added.
func (g *graph[S]) addOrFind(s S, parent int32, a Action, pos, d int32) (int32, bool) {
	if g.full {
		return -1, false
	}
	if n := len(g.states); n == cap(g.states) && g.mem != nil {
		// Appending doubles the five state arrays, and the table grows
		// to at least 4 entries per state: count it all.
		c := uint64(2*n + 1)
		if !g.mem.afford(c*(uint64(unsafe.Sizeof(s))+4*4) + 4*4*c) {
			g.full = true
			return -1, false
		}
	}
	if 2*(len(g.states)+1) > len(g.table) {
		g.rehash()
	}
	fp := fingerprint(&s)
	slot, found := g.lookup(&s, fp)
	if found {
		return int32(slot), false // lookup gives the state's index
	}
	g.table[slot] = int32(len(g.states) + 1)
	g.states = append(g.states, s)
	g.parent = append(g.parent, parent)
	g.act = append(g.act, a)
	g.pos = append(g.pos, pos)
	g.depth = append(g.depth, d)
	return int32(len(g.states) - 1), true
}

func (g *graph[S]) find(s *S) int {
	if len(g.table) == 0 {
		return -1
	}
	i, ok := g.lookup(s, fingerprint(s))
	if !ok {
		return -1
	}
	return i
}

func (g *graph[S]) rehash() { g.rehashFor(len(g.states) + 1) }

// rehashFor sizes the table for n states without another rehash.
func (g *graph[S]) rehashFor(n int) {
	size := 1024
	for size < 4*n {
		size *= 2
	}
	g.table = make([]int32, size)
	for i := range g.states {
		slot, _ := g.lookup(&g.states[i], fingerprint(&g.states[i]))
		g.table[slot] = int32(i + 1)
	}
}

// graphBytes estimates the memory of a graph presized for hint: the
// state arrays, the table (at most 8 int32 entries per state) and the
// edge arrays.
func graphBytes[S comparable](hint sizeHint) uint64 {
	per := uint64(unsafe.Sizeof(*new(S))) + 5*4 + 8*4
	return hint.states*per + hint.edges*(4+4+4)
}

// sizeHint is what a graph will hold, when a search has already counted
// it: states and kept transitions (an upper bound will do). With it the
// graph allocates its arrays once instead of growing them by appending,
// which for large states costs more than the search itself (every growth
// copies the whole array). The zero hint means unknown.
type sizeHint struct{ states, edges uint64 }

// newGraph makes an empty graph sized for hint.
func newGraph[S comparable](m *Model[S], hint sizeHint) *graph[S] {
	g := &graph[S]{m: m}
	const maxHint = 1 << 31 // int32 indices: larger graphs fail anyway
	if n := hint.states; n > 0 && n < maxHint {
		g.states = make([]S, 0, n)
		g.parent = make([]int32, 0, n)
		g.act = make([]Action, 0, n)
		g.pos = make([]int32, 0, n)
		g.depth = make([]int32, 0, n)
		g.edgeStart = make([]int32, 0, n+1)
		g.rehashFor(int(n))
	}
	if e := hint.edges; e > 0 && e < maxHint {
		g.edgeTo = make([]int32, 0, e)
		g.edgeAct = make([]Action, 0, e)
		g.edgePos = make([]int32, 0, e)
	}
	return g
}

// buildGraph explores m breadth first and keeps every state and every
// kept transition. It stops early, with complete false, when stop is set
// or the state count exceeds maxStates (0: no limit).
func buildGraph[S comparable](m *Model[S], stop *atomic.Bool, maxStates int, hint sizeHint, mem *memGuard) *graph[S] {
	g := newGraph(m, hint)
	g.mem = mem
	for j, s := range m.Init() {
		if !m.within(s) {
			continue
		}
		g.add(s, -1, 0, int32(j), 1)
	}
	var buf []Action
	for i := 0; i < len(g.states); i++ {
		if stop != nil && i%1024 == 0 && stop.Load() {
			return g
		}
		if maxStates > 0 && len(g.states) > maxStates {
			return g
		}
		s := g.states[i]
		buf = m.Actions(s, buf[:0])
		g.edgeStart = append(g.edgeStart, int32(len(g.edgeTo)))
		for k, a := range buf {
			t := m.Next(s, a)
			if !m.kept(s, a, t) {
				continue
			}
			j, _ := g.addOrFind(t, int32(i), a, int32(k), g.depth[i]+1)
			if j < 0 {
				return g // the memory limit stopped the run
			}
			g.edgeTo = append(g.edgeTo, j)
			g.edgeAct = append(g.edgeAct, a)
			g.edgePos = append(g.edgePos, int32(k))
		}
	}
	g.edgeStart = append(g.edgeStart, int32(len(g.edgeTo)))
	g.complete = true
	return g
}

// path returns the BFS path from an initial state to state i.
func (g *graph[S]) path(i int) []Step[S] {
	var rev []Step[S]
	for j := int32(i); j >= 0; j = g.parent[j] {
		rev = append(rev, Step[S]{Initial: g.parent[j] < 0, Action: g.act[j], State: g.states[j]})
	}
	out := make([]Step[S], len(rev))
	for k := range rev {
		out[k] = rev[len(rev)-1-k]
	}
	return out
}

// posPath is the path of indices (see Explorer) to state i.
func (g *graph[S]) posPath(i int) []int {
	var rev []int
	for j := int32(i); j >= 0; j = g.parent[j] {
		rev = append(rev, int(g.pos[j]))
	}
	out := make([]int, len(rev))
	for k := range rev {
		out[k] = rev[len(rev)-1-k]
	}
	return out
}

// succ returns the kept transitions of state i.
func (g *graph[S]) succ(i int) ([]int32, []Action) {
	a, b := g.edgeStart[i], g.edgeStart[i+1]
	return g.edgeTo[a:b], g.edgeAct[a:b]
}
