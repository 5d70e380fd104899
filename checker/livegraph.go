package checker

import (
	"sync"
	"sync/atomic"
)

// Liveness inside the search. When a run checks Eventually properties,
// the parallel search records, as it goes, all that deciding them needs,
// in a compact graph off the Go heap, instead of a second exploration
// that keeps whole states:
//
//   - each state gets an index when it is first inserted (the table keeps
//     it beside the fingerprint, see stateSet.withIDs): workers take
//     indices in blocks, so indices are dense but for a few holes;
//   - per index, the P and Q bits of each Eventually property (P is From,
//     or "initial" without From; Q is Holds), computed once on the new
//     state;
//   - per expanded state, one record in its worker's edge log: the number
//     of kept transitions, their targets' indices, and per transition the
//     fairness groups it belongs to, as one bit mask over the model's
//     distinct fairness lists (properties that share a Fair slice share
//     its bits, and its Member calls);
//   - per index, where its record is.
//
// After a complete search, decide (see liveness.go for the semantics)
// answers each property with an iterative Tarjan over these int32
// indices, stopping at the first fair component it closes. Only when a
// property is violated does the engine build the whole-state graph, to
// print the same shortest lasso as before (checkLeadsTo).

const (
	segBits  = 20
	segLen   = 1 << segBits
	idBlock  = 1024
	maxNodes = 1<<32 - 2*idBlock
)

// liveRec is the recording of the compact graph.
type liveRec[S comparable] struct {
	props    []int          // indices (into the run's properties) of the Eventually ones
	off      []uint         // per recorded property: its first bit in the edge masks
	width    []uint         // per recorded property: its number of groups
	groups   []Fairness[S]  // the distinct groups; bit k of a mask is groups[k]
	maskBits int            // bits of mask per transition: 0, 16, 32 or 64
	stride   int            // bytes of P and Q bits per index
	from     []func(S) bool // per recorded property: P (nil: initial states)
	holds    []func(S) bool // per recorded property: Q

	next  atomic.Uint64 // next block of indices
	mu    sync.Mutex    // guards allocation of node and pq segments
	arena *arena        // node and pq segments
	nodes [][]uint64    // per index: 1 + the position of its record, 0 if none
	pq    [][]uint8     // per index, stride bytes
	logs  []*edgeLog    // per worker
	mem   *memGuard
	full  atomic.Bool // an allocation was refused: the graph is incomplete
}

// edgeLog is one worker's records, in segments that are never moved.
type edgeLog struct {
	arena *arena
	segs  [][]uint32
}

// newLiveRec returns nil when props has no Eventually property, or when
// the fairness groups need more than 64 bits of mask (then liveness is
// decided as before, on the whole-state graph).
func newLiveRec[S comparable](props []Property[S], workers int, mem *memGuard) *liveRec[S] {
	r := &liveRec[S]{arena: newArena(), mem: mem}
	type key struct {
		p *Fairness[S]
		n int
	}
	seen := map[key]uint{}
	for i := range props {
		p := &props[i]
		if p.Kind != Eventually {
			continue
		}
		r.props = append(r.props, i)
		r.from = append(r.from, p.From)
		r.holds = append(r.holds, p.Holds)
		r.width = append(r.width, uint(len(p.Fair)))
		if len(p.Fair) == 0 {
			r.off = append(r.off, 0)
			continue
		}
		k := key{&p.Fair[0], len(p.Fair)}
		if o, ok := seen[k]; ok {
			r.off = append(r.off, o)
			continue
		}
		seen[k] = uint(len(r.groups))
		r.off = append(r.off, uint(len(r.groups)))
		r.groups = append(r.groups, p.Fair...)
	}
	if len(r.props) == 0 || len(r.groups) > 64 {
		return nil
	}
	switch g := len(r.groups); {
	case g == 0:
		r.maskBits = 0
	case g <= 16:
		r.maskBits = 16
	case g <= 32:
		r.maskBits = 32
	default:
		r.maskBits = 64
	}
	r.stride = (2*len(r.props) + 7) / 8
	r.nodes = make([][]uint64, maxNodes/segLen+1)
	r.pq = make([][]uint8, maxNodes/segLen+1)
	for i := 0; i < workers; i++ {
		r.logs = append(r.logs, &edgeLog{arena: newArena()})
	}
	return r
}

// takeBlock returns a new block of indices [lo, lo+idBlock), with their
// node and pq segments allocated, or false if the memory limit or the
// index space refuses it.
func (r *liveRec[S]) takeBlock() (uint32, bool) {
	lo := r.next.Add(idBlock) - idBlock
	if lo+idBlock > maxNodes {
		r.full.Store(true)
		r.mem.halt("liveness graph: more than 4294965248 states")
		return 0, false
	}
	k := lo >> segBits
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.nodes[k] == nil {
		if !r.mem.afford(segLen * uint64(8+r.stride)) {
			r.full.Store(true)
			return 0, false
		}
		r.nodes[k] = allocArray[uint64](r.arena, segLen)
		r.pq[k] = allocArray[uint8](r.arena, segLen*r.stride)
	}
	return uint32(lo), true
}

// nodeCount is an upper bound of the indices given out.
func (r *liveRec[S]) nodeCount() uint64 { return r.next.Load() }

// onState records the P and Q bits of a new state with index id.
func (r *liveRec[S]) onState(id uint32, s *S, initial bool) {
	pq := r.pq[id>>segBits][int(id&(segLen-1))*r.stride:]
	for l := range r.props {
		p := initial
		if r.from[l] != nil {
			p = r.from[l](*s)
		}
		if p {
			pq[(2*l)/8] |= 1 << ((2 * l) % 8)
		}
		if r.holds[l](*s) {
			pq[(2*l+1)/8] |= 1 << ((2*l + 1) % 8)
		}
	}
}

// mask is the fairness groups of transition s -a->.
func (r *liveRec[S]) mask(s *S, a Action) uint64 {
	var m uint64
	for k := range r.groups {
		if r.groups[k].Member(*s, a) {
			m |= 1 << k
		}
	}
	return m
}

// record appends the record of state id (kept transitions to ids with
// masks) to worker w's log.
func (r *liveRec[S]) record(w int, id uint32, to []uint32, masks []uint64) bool {
	lg := r.logs[w]
	need := 1 + len(to) + maskWords(len(to), r.maskBits)
	var seg []uint32
	if n := len(lg.segs); n > 0 {
		seg = lg.segs[n-1]
	}
	if len(seg)+need > cap(seg) {
		size := max(segLen, need)
		if !r.mem.afford(uint64(size) * 4) {
			r.full.Store(true)
			return false
		}
		seg = allocArray[uint32](lg.arena, size)[:0]
		lg.segs = append(lg.segs, seg)
	}
	pos := uint64(w)<<56 | uint64(len(lg.segs)-1)<<32 | uint64(len(seg))
	seg = append(seg, uint32(len(to)))
	seg = append(seg, to...)
	switch r.maskBits {
	case 16:
		for e := 0; e < len(masks); e += 2 {
			w := uint32(masks[e])
			if e+1 < len(masks) {
				w |= uint32(masks[e+1]) << 16
			}
			seg = append(seg, w)
		}
	case 32:
		for _, m := range masks {
			seg = append(seg, uint32(m))
		}
	case 64:
		for _, m := range masks {
			seg = append(seg, uint32(m), uint32(m>>32))
		}
	}
	lg.segs[len(lg.segs)-1] = seg
	r.nodes[id>>segBits][id&(segLen-1)] = pos + 1
	return true
}

// edges returns the targets and the mask words of state id's record
// (nil if it has none: a hole among the indices).
func (r *liveRec[S]) edges(id uint32) ([]uint32, []uint32) {
	p := r.nodes[id>>segBits][id&(segLen-1)]
	if p == 0 {
		return nil, nil
	}
	p--
	seg := r.logs[p>>56].segs[(p>>32)&(1<<24-1)]
	off := int(uint32(p))
	n := int(seg[off])
	return seg[off+1 : off+1+n], seg[off+1+n : off+1+n+maskWords(n, r.maskBits)]
}

// maskWords is the uint32 words that n masks of bits bits take.
func maskWords(n, bits int) int { return (n*bits + 31) / 32 }

// bits returns the P and Q bits of recorded property l in state id.
func (r *liveRec[S]) bits(id uint32, l int) (p, q bool) {
	pq := r.pq[id>>segBits][int(id&(segLen-1))*r.stride:]
	return pq[(2*l)/8]&(1<<((2*l)%8)) != 0, pq[(2*l+1)/8]&(1<<((2*l+1)%8)) != 0
}

// maskOf extracts recorded property l's groups from transition e's mask
// words.
func (r *liveRec[S]) maskOf(words []uint32, e int, l int) uint64 {
	var m uint64
	switch r.maskBits {
	case 0:
		return 0
	case 16:
		m = uint64(words[e/2]>>(16*(e%2))) & 0xffff
	case 32:
		m = uint64(words[e])
	default:
		m = uint64(words[2*e]) | uint64(words[2*e+1])<<32
	}
	m >>= r.off[l]
	if r.width[l] < 64 {
		m &= 1<<r.width[l] - 1
	}
	return m
}

// release frees the recording.
func (r *liveRec[S]) release() {
	if r == nil {
		return
	}
	r.arena.release()
	for _, lg := range r.logs {
		lg.arena.release()
		lg.segs = nil
	}
	r.nodes, r.pq = nil, nil
}

// decideBytes is what deciding one property takes per index.
const decideBytes = 2*4 + 1

// violated decides recorded property l: whether some fair component of
// the not-Q states reachable through not-Q states from a P-and-not-Q state
// exists (see checkLeadsTo, which finds the same components on the
// whole-state graph). stop ends it early (the answer is then unusable).
func (r *liveRec[S]) violated(l int, stop *atomic.Bool) bool {
	n := uint32(r.nodeCount())
	all := uint64(1)<<r.width[l] - 1
	if r.width[l] == 64 {
		all = ^uint64(0)
	}
	// R as a bit set.
	inR := make([]uint64, (n+63)/64)
	in := func(v uint32) bool { return inR[v/64]&(1<<(v%64)) != 0 }
	var stack []uint32
	for v := uint32(0); v < n; v++ {
		if p, q := r.bits(v, l); p && !q && !in(v) {
			inR[v/64] |= 1 << (v % 64)
			stack = append(stack, v)
			for len(stack) > 0 {
				u := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				to, _ := r.edges(u)
				for _, w := range to {
					if _, q := r.bits(w, l); !q && !in(w) {
						inR[w/64] |= 1 << (w % 64)
						stack = append(stack, w)
					}
				}
			}
		}
		if v%(1<<16) == 0 && stop.Load() {
			return false
		}
	}
	// Iterative Tarjan over R. index is 1-based while a state is on the
	// stack (0: unvisited) and becomes -c once the state is in component
	// c (1-based), so that the stack needs no flag and no component
	// array: 8 bytes per index besides R, and each record is decoded once
	// per visit.
	index := make([]int32, n)
	low := make([]int32, n)
	type frame struct {
		v  uint32
		e  int32
		to []uint32
	}
	var calls []frame
	var scc []uint32
	next := int32(1)
	ncomp := int32(0)
	for root := uint32(0); root < n; root++ {
		if !in(root) || index[root] != 0 {
			continue
		}
		if stop.Load() {
			return false
		}
		index[root], low[root] = next, next
		next++
		scc = append(scc, root)
		to, _ := r.edges(root)
		calls = append(calls[:0], frame{root, 0, to})
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			v := f.v
			if int(f.e) < len(f.to) {
				w := f.to[f.e]
				f.e++
				if !in(w) {
					continue
				}
				if index[w] == 0 {
					index[w], low[w] = next, next
					next++
					scc = append(scc, w)
					to, _ := r.edges(w)
					calls = append(calls, frame{w, 0, to})
				} else if index[w] > 0 && index[w] < low[v] {
					low[v] = index[w]
				}
				continue
			}
			if low[v] == index[v] {
				// v is the root of a component: its members are the top
				// of scc down to v.
				k := len(scc) - 1
				for scc[k] != v {
					k--
				}
				members := scc[k:]
				ncomp++
				for _, u := range members {
					index[u] = -ncomp
				}
				var sat uint64
				for _, u := range members {
					to, words := r.edges(u)
					var enabled uint64
					for e, w := range to {
						m := r.maskOf(words, e, l)
						enabled |= m
						if index[w] == -ncomp {
							sat |= m
						}
					}
					sat |= all &^ enabled
				}
				if sat == all {
					return true
				}
				scc = scc[:k]
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
	return false
}
