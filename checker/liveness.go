package checker

// Liveness: P ~> Q under weak fairness. The verdict is reached on the
// compact graph the search records (livegraph.go); checkLeadsTo, on the
// whole-state graph (graph with edges), builds the counterexample of a
// violated property, and decides the properties of models whose fairness
// groups do not fit the compact graph's 64-bit masks.
//
// Semantics, as in TLA+: a behaviour is an infinite path of the graph in
// which any state may also repeat (stutter) forever. A fairness group g is
// enabled in a state if some action of g has a kept transition there; weak
// fairness of g rules out behaviours in which g is enabled in every state
// from some point on but never taken. P ~> Q is violated by a fair
// behaviour that reaches a state satisfying P and not Q and never satisfies
// Q from then on.
//
// Such a behaviour eventually stays inside one strongly connected
// component C of the graph restricted to not-Q states (a single state with
// its stutter step counts as a component). Conversely, a component C is
// the tail of a fair behaviour iff every group g either labels an edge
// inside C or is disabled in some state of C: the behaviour that runs
// through every state and edge of C forever is then fair. So the check
// is: find the components of the not-Q subgraph reachable from a P-and-
// not-Q state, keep the fair ones, and build the shortest lasso to one.

type livenessResult[S comparable] struct {
	violated bool
	trace    Trace[S]
}

func checkLeadsTo[S comparable](g *graph[S], p *Property[S]) livenessResult[S] {
	n := len(g.states)
	if len(p.Fair) > 64 {
		// Validate refuses such a property before any run.
		panic("checker: more than 64 fairness groups in property " + p.Name)
	}
	all := uint64(1)<<len(p.Fair) - 1
	if len(p.Fair) == 64 {
		all = ^uint64(0)
	}
	q := make([]bool, n)
	from := make([]bool, n)
	enabled := make([]uint64, n)
	edgeMask := make([]uint64, len(g.edgeTo))
	for i := 0; i < n; i++ {
		s := g.states[i]
		q[i] = p.Holds(s)
		if p.From != nil {
			from[i] = p.From(s)
		} else {
			from[i] = g.parent[i] < 0
		}
		lo, hi := g.edgeStart[i], g.edgeStart[i+1]
		for e := lo; e < hi; e++ {
			var mask uint64
			for k := range p.Fair {
				f := &p.Fair[k]
				if f.Contains(s, g.edgeAct[e]) {
					mask |= 1 << k
				}
			}
			edgeMask[e] = mask
			enabled[i] |= mask
		}
	}

	// R: not-Q states reachable through not-Q states from a P-and-not-Q state.
	inR := make([]bool, n)
	var stack []int32
	for i := 0; i < n; i++ {
		if from[i] && !q[i] && !inR[i] {
			inR[i] = true
			stack = append(stack, int32(i))
		}
	}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		to, _ := g.succ(int(u))
		for _, v := range to {
			if !q[v] && !inR[v] {
				inR[v] = true
				stack = append(stack, v)
			}
		}
	}

	comp, ncomp := tarjan(g, inR)
	// Fairness of each component.
	sat := make([]uint64, ncomp)
	for i := 0; i < n; i++ {
		c := comp[i]
		if c < 0 {
			continue
		}
		sat[c] |= all &^ enabled[i]
		lo, hi := g.edgeStart[i], g.edgeStart[i+1]
		for e := lo; e < hi; e++ {
			if comp[g.edgeTo[e]] == c {
				sat[c] |= edgeMask[e]
			}
		}
	}
	fairNode := func(i int32) bool { c := comp[i]; return c >= 0 && sat[c] == all }

	// Shortest prefix: BFS over (state, phase); phase 1 once P-and-not-Q
	// has been met, then only through not-Q states.
	type node struct{ s, ph int32 }
	par := make([][2]int32, 2*n) // parent node index (s*2+ph), -1 for roots; [1] = edge index or -1
	for i := range par {
		par[i] = [2]int32{-2, -1}
	}
	var queue []node
	push := func(v node, parent int32, edge int32) {
		k := v.s*2 + v.ph
		if par[k][0] != -2 {
			return
		}
		par[k] = [2]int32{parent, edge}
		queue = append(queue, v)
	}
	for i := 0; i < n; i++ {
		if g.parent[i] >= 0 {
			break // initial states come first
		}
		push(node{int32(i), 0}, -1, -1)
		if from[i] && !q[i] {
			push(node{int32(i), 1}, int32(i*2), -1)
		}
	}
	target := int32(-1)
	for h := 0; h < len(queue) && target < 0; h++ {
		u := queue[h]
		k := u.s*2 + u.ph
		if u.ph == 1 && fairNode(u.s) {
			target = u.s
			break
		}
		lo, hi := g.edgeStart[u.s], g.edgeStart[u.s+1]
		for e := lo; e < hi; e++ {
			v := g.edgeTo[e]
			if u.ph == 0 {
				push(node{v, 0}, k, e)
				if from[v] && !q[v] {
					push(node{v, 1}, v*2, -1)
				}
			} else if !q[v] {
				push(node{v, 1}, k, e)
			}
		}
	}
	if target < 0 {
		return livenessResult[S]{}
	}
	// Rebuild the prefix from (target, 1).
	var rev []Step[S]
	for k := target*2 + 1; k >= 0; {
		pk, e := par[k][0], par[k][1]
		s := k / 2
		if pk == s*2 && e < 0 && k%2 == 1 {
			k = pk // switch of phase in the same state
			continue
		}
		if e < 0 {
			rev = append(rev, Step[S]{Initial: true, State: g.states[s]})
			break
		}
		rev = append(rev, Step[S]{Action: g.edgeAct[e], State: g.states[s]})
		k = pk
	}
	steps := make([]Step[S], len(rev))
	for i := range rev {
		steps[i] = rev[len(rev)-1-i]
	}
	return livenessResult[S]{violated: true, trace: fairCycle(g, comp, enabled, edgeMask, all, target, steps)}
}

// fairCycle extends a prefix ending in state c0 of a fair component with
// a cycle through the component that meets every fairness group, or with
// stuttering in a state where no group is enabled.
func fairCycle[S comparable](g *graph[S], comp []int32, enabled, edgeMask []uint64, all uint64, c0 int32, steps []Step[S]) Trace[S] {
	c := comp[c0]
	in := func(i int32) bool { return comp[i] == c }
	// A state of C where every group is disabled: stutter there.
	var members []int32
	for i := range g.states {
		if comp[i] == c {
			members = append(members, int32(i))
		}
	}
	for _, u := range members {
		if enabled[u]&all == 0 {
			steps = append(steps, bfsWithin(g, in, c0, u)...)
			return Trace[S]{Steps: steps, Loop: len(steps) - 1, Stutter: true}
		}
	}
	loop := len(steps) - 1
	cur := c0
	need := all
	for k := 0; k < 64 && need != 0; k++ {
		bit := uint64(1) << k
		if need&bit == 0 {
			continue
		}
		// Prefer a state of C where group k is disabled, else an edge of k.
		done := false
		for _, u := range members {
			if enabled[u]&bit == 0 {
				steps = append(steps, bfsWithin(g, in, cur, u)...)
				cur = u
				need &^= all &^ enabled[u]
				done = true
				break
			}
		}
		if done {
			continue
		}
		for _, u := range members {
			lo, hi := g.edgeStart[u], g.edgeStart[u+1]
			for e := lo; e < hi && !done; e++ {
				if edgeMask[e]&bit != 0 && in(g.edgeTo[e]) {
					steps = append(steps, bfsWithin(g, in, cur, u)...)
					steps = append(steps, Step[S]{Action: g.edgeAct[e], State: g.states[g.edgeTo[e]]})
					cur = g.edgeTo[e]
					need &^= edgeMask[e]
					done = true
				}
			}
			if done {
				break
			}
		}
	}
	back := bfsWithin(g, in, cur, c0)
	steps = append(steps, back...)
	if len(steps)-1 == loop {
		// No step taken yet: go round once (C has an edge, or a group
		// would be enabled everywhere and c0 would have stuttered).
		steps = append(steps, cycleFrom(g, in, c0)...)
	}
	return Trace[S]{Steps: steps, Loop: loop}
}

// bfsWithin returns the steps of a shortest path from a to b inside the
// states accepted by in (empty if a == b).
func bfsWithin[S comparable](g *graph[S], in func(int32) bool, a, b int32) []Step[S] {
	if a == b {
		return nil
	}
	prev := map[int32][2]int32{a: {-1, -1}}
	queue := []int32{a}
	for h := 0; h < len(queue); h++ {
		u := queue[h]
		lo, hi := g.edgeStart[u], g.edgeStart[u+1]
		for e := lo; e < hi; e++ {
			v := g.edgeTo[e]
			if _, seen := prev[v]; seen || !in(v) {
				continue
			}
			prev[v] = [2]int32{u, e}
			if v == b {
				var rev []Step[S]
				for x := b; x != a; x = prev[x][0] {
					rev = append(rev, Step[S]{Action: g.edgeAct[prev[x][1]], State: g.states[x]})
				}
				out := make([]Step[S], len(rev))
				for i := range rev {
					out[i] = rev[len(rev)-1-i]
				}
				return out
			}
			queue = append(queue, v)
		}
	}
	// a and b are in the same component of the stored graph, so a path
	// exists: reaching this is a bug of tarjan, whatever the model.
	panic("checker: no path inside a strongly connected component")
}

// cycleFrom returns a shortest nonempty cycle from a back to a within in.
func cycleFrom[S comparable](g *graph[S], in func(int32) bool, a int32) []Step[S] {
	lo, hi := g.edgeStart[a], g.edgeStart[a+1]
	var best []Step[S]
	for e := lo; e < hi; e++ {
		v := g.edgeTo[e]
		if !in(v) {
			continue
		}
		p := append([]Step[S]{{Action: g.edgeAct[e], State: g.states[v]}}, bfsWithin(g, in, v, a)...)
		if best == nil || len(p) < len(best) {
			best = p
		}
	}
	return best
}

// tarjan labels the strongly connected components of the subgraph induced
// by the states in sub (iteratively) from 0 to the number of components
// (returned too); states outside get -1.
func tarjan[S comparable](g *graph[S], sub []bool) ([]int32, int) {
	n := len(g.states)
	index := make([]int32, n)
	low := make([]int32, n)
	comp := make([]int32, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
		comp[i] = -1
	}
	var stack []int32
	type frame struct{ v, e int32 }
	var calls []frame
	next := int32(0)
	ncomp := int32(0)
	for root := 0; root < n; root++ {
		if !sub[root] || index[root] >= 0 {
			continue
		}
		calls = append(calls[:0], frame{int32(root), g.edgeStart[root]})
		index[root], low[root] = next, next
		next++
		stack = append(stack, int32(root))
		onStack[root] = true
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			v := f.v
			if f.e < g.edgeStart[v+1] {
				w := g.edgeTo[f.e]
				f.e++
				if !sub[w] {
					continue
				}
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					calls = append(calls, frame{w, g.edgeStart[w]})
				} else if onStack[w] && index[w] < low[v] {
					low[v] = index[w]
				}
				continue
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = ncomp
					if w == v {
						break
					}
				}
				ncomp++
			}
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				u := calls[len(calls)-1].v
				if low[v] < low[u] {
					low[u] = low[v]
				}
			}
		}
	}
	return comp, int(ncomp)
}
