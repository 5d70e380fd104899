package checker

import "sync/atomic"

// graph is a sequential breadth-first exploration that keeps every state
// with its BFS parent and, optionally, every kept transition. It serves
// liveness checking (which needs the whole graph) and the reconstruction
// of shortest traces to states the fast search only fingerprinted. Its
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

func (g *graph[S]) add(s S, parent int32, a Action, pos, d int32) int32 {
	if 2*(len(g.states)+1) > len(g.table) {
		g.rehash()
	}
	fp := fingerprint(&s)
	slot, found := g.lookup(&s, fp)
	if found {
		return -1
	}
	g.table[slot] = int32(len(g.states) + 1)
	g.states = append(g.states, s)
	g.parent = append(g.parent, parent)
	g.act = append(g.act, a)
	g.pos = append(g.pos, pos)
	g.depth = append(g.depth, d)
	return int32(len(g.states) - 1)
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

func (g *graph[S]) rehash() {
	n := 1024
	for n < 4*(len(g.states)+1) {
		n *= 2
	}
	g.table = make([]int32, n)
	for i := range g.states {
		slot, _ := g.lookup(&g.states[i], fingerprint(&g.states[i]))
		g.table[slot] = int32(i + 1)
	}
}

// buildGraph explores m breadth first and keeps every state and every
// kept transition. It stops early, with complete false, when stop is set
// or the state count exceeds maxStates (0: no limit).
func buildGraph[S comparable](m *Model[S], stop *atomic.Bool, maxStates int) *graph[S] {
	g := &graph[S]{m: m}
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
			j := g.add(t, int32(i), a, int32(k), g.depth[i]+1)
			if j < 0 {
				j = int32(g.find(&t))
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
