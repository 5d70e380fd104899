package checker

import "sync/atomic"

// rebuildTraces finds, for each property the fingerprint search decided
// with a candidate, the trace to report: among the shortest ones, the
// first in breadth-first order, that is the path whose action indices are
// lexicographically least (initial state index first). It replays the
// search sequentially with parent links, judging only those properties,
// and stops once each has its trace. The fingerprint search only tells it
// how deep each trace is; the states are compared exactly here.
//
// If stop is set before it is done, the traces not yet found stay nil.
//
// mem, if set, is asked before the search's arrays grow: when it refuses,
// the run is stopped and the traces not yet found stay nil too.
func rebuildTraces[S comparable](m *Model[S], props []Property[S], cands []candidate, stop *atomic.Bool, mem *memGuard) []*Trace[S] {
	out := make([]*Trace[S], len(props))
	pending := 0
	maxDepth := 0
	for i := range cands {
		if cands[i].found {
			pending++
			maxDepth = max(maxDepth, cands[i].depth)
		}
	}
	if pending == 0 {
		return out
	}
	g := &graph[S]{m: m, mem: mem}
	settle := func(i int, t *Trace[S]) {
		if out[i] == nil {
			out[i] = t
			pending--
		}
	}
	// State properties on a new state at depth d.
	onState := func(j int32, d int) {
		s := g.states[j]
		for i, p := range props {
			c := &cands[i]
			if !c.found || out[i] != nil || c.depth != d || (p.Kind != Always && p.Kind != Sometimes) {
				continue
			}
			if p.Holds(s) != (p.Kind == Always) {
				settle(i, &Trace[S]{Steps: g.path(int(j)), Loop: -1})
			}
		}
	}
	for k, s := range m.Init() {
		if !m.within(s) {
			continue
		}
		if j := g.add(s, -1, 0, int32(k), 1); j >= 0 {
			onState(j, 1)
		}
	}
	var buf []Action
	for i := 0; i < len(g.states) && pending > 0; i++ {
		if (i%1024 == 0 && stop.Load()) || g.full {
			return out
		}
		s := g.states[i]
		d := int(g.depth[i])
		if d > maxDepth {
			break
		}
		buf = m.Actions(s, buf[:0])
		if len(buf) == 0 {
			for k, p := range props {
				if c := &cands[k]; p.Kind == Deadlock && c.found && out[k] == nil && c.depth == d &&
					(m.EndState == nil || !m.EndState(s)) {
					settle(k, &Trace[S]{Steps: g.path(i), Loop: -1})
				}
			}
		}
		for ai, a := range buf {
			t := m.Next(s, a)
			if !m.kept(s, a, t) {
				continue
			}
			for k, p := range props {
				c := &cands[k]
				if !c.found || out[k] != nil || c.depth != d || (p.Kind != AlwaysStep && p.Kind != SometimesStep) {
					continue
				}
				if p.Step(s, a, t) != (p.Kind == AlwaysStep) {
					steps := append(g.path(i), Step[S]{Action: a, State: t})
					settle(k, &Trace[S]{Steps: steps, Loop: -1})
				}
			}
			if j := g.add(t, int32(i), a, int32(ai), int32(d+1)); j >= 0 {
				onState(j, d+1)
			}
		}
	}
	if stop.Load() || g.full {
		return out
	}
	for i := range cands {
		if cands[i].found && out[i] == nil {
			// The fingerprint search met a state at this depth that the
			// exact search does not: only a fingerprint collision, or a
			// model whose functions are not deterministic (which Model
			// forbids and Validate cannot detect), could cause it. Say so
			// rather than report a wrong trace. A well-formed model never
			// reaches this: it is an invariant of the engine, not an
			// error of its input.
			panic("checker: property " + props[i].Name + ": no trace at the depth the fingerprint search found (a fingerprint collision, or a nondeterministic model?)")
		}
	}
	return out
}
