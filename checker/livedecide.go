package checker

import (
	"math/bits"
	"sync/atomic"
)

// Deciding the leads-to properties on the compact graph the search
// recorded (livegraph.go); liveness.go gives the semantics. Property l is
// violated iff some strongly connected component of R_l is fair, where
// R_l is the set of not-Q_l states reachable through not-Q_l states from
// a P_l-and-not-Q_l state.
//
// The properties are decided 8 at a time (a batch), in one pass over the
// graph for the whole batch rather than one per property:
//
//  1. Per index, one byte whose bit l says that the state is in R_l. A
//     sweep in index order propagates the bits along the edges (indices
//     follow the breadth-first order, so most edges lead forward); a bit
//     that reaches an index already swept is propagated at once from a
//     stack.
//  2. One iterative Tarjan over the states of some R_l, through the edges
//     whose two ends share a bit. Every component of R_l lies inside one
//     component C of that graph, and is C itself when every state of C is
//     in R_l (the edges of C then all join states of R_l). A C of which
//     only some states are in R_l (a cycle through Q_l states) is split
//     again, on its own, into the components of its part in R_l.
//  3. A component is fair for property l when every fairness group of l
//     is taken on an edge inside it or is disabled in one of its states
//     (a single state without an edge to itself is fair only if no group
//     of l is enabled in it: it stutters). The first fair component
//     violates l, which the rest of the pass then ignores.

// batchProps is the number of properties decided together.
const batchProps = 8

// decideBytes is what deciding one batch takes per index: the R byte and
// Tarjan's index.
const decideBytes = 1 + 4

// closed and inC mark, in Tarjan's index, a state whose component is
// closed, and one of the component being judged.
const (
	closed = ^uint32(0)
	inC    = closed - 1
)

// decideBatch decides recorded properties 8k to 8k+7 (those that exist)
// and returns their violations as bits (bit l: property 8k+l). stop ends
// it early; the answer is then unusable.
func (r *liveRec[S]) decideBatch(k int, stop *atomic.Bool) uint8 {
	n := uint32(r.nodeCount())
	live := uint8(1)<<min(batchProps, len(r.props)-batchProps*k) - 1
	if live == 0 {
		live = 0xff // 8 properties: the shift overflowed
	}
	R := r.reach(k, n, stop)
	if R == nil {
		return 0
	}
	// Tarjan. index is 0 for a state not yet visited, 1 + its visit
	// order while it is on the stack, inC while its component is judged
	// and closed after; the low link lives in the frame, as long as it is
	// read. Each record is decoded once per visit, and kept in the frame
	// for the component of a single state.
	index := make([]uint32, n)
	type frame struct {
		v, low    uint32
		e         int
		to, words []uint32
	}
	var calls []frame
	var scc []uint32
	next := uint32(1)
	var violated uint8
	var sink uint64
	defer func() { r.sink.Add(sink) }()
	in := func(w uint32) bool { return index[w] == inC }
	for root := uint32(0); root < n && live != 0; root++ {
		if R[root]&live == 0 || index[root] != 0 {
			continue
		}
		if stop.Load() {
			return 0
		}
		index[root] = next
		scc = append(scc, root)
		to, words := r.edges(root)
		calls = append(calls[:0], frame{root, next, 0, to, words})
		next++
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			v := f.v
			if f.e < len(f.to) {
				w := f.to[f.e]
				f.e++
				if R[v]&R[w] == 0 {
					continue
				}
				switch iw := index[w]; {
				case iw == 0:
					if next%(1<<16) == 0 && stop.Load() {
						return 0
					}
					index[w] = next
					scc = append(scc, w)
					to, words := r.edges(w)
					calls = append(calls, frame{w, next, 0, to, words})
					next++
					sink += r.touch(to, index)
				case iw != closed && iw < f.low:
					f.low = iw
				}
				continue
			}
			low := f.low
			if low == index[v] {
				// v is the root of a component: its members are the top
				// of scc down to v.
				j := len(scc) - 1
				for scc[j] != v {
					j--
				}
				members := scc[j:]
				if len(members) == 1 {
					// The common case: no second decoding.
					sat := r.satSelf(v, f.to, f.words)
					for b := R[v] & live; b != 0; b &= b - 1 {
						if l := bits.TrailingZeros8(b); r.fair(batchProps*k+l, sat) {
							violated |= 1 << l
						}
					}
				} else {
					for _, u := range members {
						index[u] = inC
					}
					violated |= r.judge(k, members, R, live, r.sat(members, in), in)
				}
				for _, u := range members {
					index[u] = closed
				}
				if live &^= violated; live == 0 {
					return violated
				}
				scc = scc[:j]
			}
			calls = calls[:len(calls)-1]
			if len(calls) > 0 && index[v] != closed {
				if p := &calls[len(calls)-1]; low < p.low {
					p.low = low
				}
			}
		}
	}
	return violated
}

// touch loads what the visits of states to will read first (their
// Tarjan index and where their records are), all at once, so that the
// processor overlaps the cache misses that the depth-first order would
// otherwise take one after the other.
func (r *liveRec[S]) touch(to []uint32, index []uint32) uint64 {
	var x uint64
	for _, w := range to {
		x += uint64(index[w]) + r.nodes[w>>segBits][w&(segLen-1)]
	}
	return x
}

// reach computes the R bytes of batch k: bit l of R[v] says that state v
// is in R_l. It returns nil if stopped.
func (r *liveRec[S]) reach(k int, n uint32, stop *atomic.Bool) []uint8 {
	R := make([]uint8, n)
	for v := uint32(0); v < n; v++ {
		R[v] = r.startBits(v, k)
	}
	var stack []uint32
	for v := uint32(0); v < n; v++ {
		if v%(1<<16) == 0 && stop.Load() {
			return nil
		}
		if R[v] == 0 {
			continue
		}
		// Propagate from v; a state at or before v whose bits grow is
		// pushed (it has been swept), the others will be swept later.
		stack = append(stack[:0], v)
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			ru := R[u]
			to, _ := r.edges(u)
			for _, w := range to {
				if add := ru & r.notQBits(w, k) &^ R[w]; add != 0 {
					R[w] |= add
					if w <= v {
						stack = append(stack, w)
					}
				}
			}
		}
	}
	return R
}

// judge returns the properties of the batch (among live) that component
// C (members, in) violates: sat is the groups C satisfies (see sat), for
// the properties whose R holds all of C; for a property whose R holds
// only part of C, that part is split into its own components.
func (r *liveRec[S]) judge(k int, members []uint32, R []uint8, live uint8, sat uint64, in func(uint32) bool) uint8 {
	all, any := live, uint8(0)
	for _, u := range members {
		all &= R[u]
		any |= R[u]
	}
	any &= live
	var violated uint8
	for b := all; b != 0; b &= b - 1 {
		l := bits.TrailingZeros8(b)
		if r.fair(batchProps*k+l, sat) {
			violated |= 1 << l
		}
	}
	for b := any &^ all; b != 0; b &= b - 1 {
		l := bits.TrailingZeros8(b)
		bit := uint8(1) << l
		var part []uint32
		for _, u := range members {
			if R[u]&bit != 0 {
				part = append(part, u)
			}
		}
		sccsWithin(r, part, func(w uint32) bool { return in(w) && R[w]&bit != 0 }, func(c []uint32, inC func(uint32) bool) bool {
			if r.fair(batchProps*k+l, r.sat(c, inC)) {
				violated |= bit
				return true
			}
			return false
		})
	}
	return violated
}

// fair reports whether groups sat (a mask over every recorded group)
// include every fairness group of recorded property l.
func (r *liveRec[S]) fair(l int, sat uint64) bool {
	w := r.width[l]
	all := ^uint64(0)
	if w < 64 {
		all = 1<<w - 1
	}
	return (sat>>r.off[l])&all == all
}

// sat is the fairness groups (a mask over every recorded group) that a
// component (members, in) satisfies: those taken on an edge inside it,
// and those disabled in one of its states.
func (r *liveRec[S]) sat(members []uint32, in func(uint32) bool) uint64 {
	var sat uint64
	for _, u := range members {
		to, words := r.edges(u)
		sat |= r.satOf(u, to, words, in)
	}
	return sat
}

// satOf is sat's part for one member u with its record (to, words).
func (r *liveRec[S]) satOf(u uint32, to, words []uint32, in func(uint32) bool) uint64 {
	var enabled, taken uint64
	for e, w := range to {
		m := r.edgeMask(words, e)
		enabled |= m
		if in(w) {
			taken |= m
		}
	}
	return taken | ^enabled
}

// satSelf is sat for the component of state v alone, with its record
// (to, words).
func (r *liveRec[S]) satSelf(v uint32, to, words []uint32) uint64 {
	var enabled, taken uint64
	for e, w := range to {
		m := r.edgeMask(words, e)
		enabled |= m
		if w == v {
			taken |= m
		}
	}
	return taken | ^enabled
}

// edgeMask is transition e's fairness groups, from its record's mask
// words.
func (r *liveRec[S]) edgeMask(words []uint32, e int) uint64 {
	switch r.maskBits {
	case 16:
		return uint64(words[e/2]>>(16*(e%2))) & 0xffff
	case 32:
		return uint64(words[e])
	case 64:
		return uint64(words[2*e]) | uint64(words[2*e+1])<<32
	}
	return 0
}

// sccsWithin calls emit with each strongly connected component of the
// subgraph induced by nodes (in tells whether a state is one of them),
// and the membership test of the component, until emit returns true. It
// serves the parts of components, which are small: its indices are kept
// in a map.
func sccsWithin[S comparable](r *liveRec[S], nodes []uint32, in func(uint32) bool, emit func([]uint32, func(uint32) bool) bool) {
	index := make(map[uint32]uint32, len(nodes))
	low := make(map[uint32]uint32, len(nodes))
	type frame struct {
		v  uint32
		e  int
		to []uint32
	}
	var calls []frame
	var stack []uint32
	next := uint32(1)
	comp := uint32(0)
	for _, root := range nodes {
		if index[root] != 0 {
			continue
		}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		to, _ := r.edges(root)
		calls = append(calls[:0], frame{root, 0, to})
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			v := f.v
			if f.e < len(f.to) {
				w := f.to[f.e]
				f.e++
				if !in(w) {
					continue
				}
				switch iw := index[w]; {
				case iw == 0:
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					to, _ := r.edges(w)
					calls = append(calls, frame{w, 0, to})
				case iw != closed && iw < low[v]:
					low[v] = iw
				}
				continue
			}
			if low[v] == index[v] {
				j := len(stack) - 1
				for stack[j] != v {
					j--
				}
				members := stack[j:]
				comp++
				for _, u := range members {
					index[u], low[u] = closed, comp
				}
				c := comp
				if emit(members, func(w uint32) bool { return index[w] == closed && low[w] == c }) {
					return
				}
				stack = stack[:j]
			}
			calls = calls[:len(calls)-1]
			if len(calls) > 0 && index[v] != closed {
				u := calls[len(calls)-1].v
				if low[v] < low[u] {
					low[u] = low[v]
				}
			}
		}
	}
}
