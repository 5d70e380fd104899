package checker

import (
	"math/bits"
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
//   - per index, two bits of each Eventually property, computed once on
//     the new state: not-Q, and P-and-not-Q (P is From, or "initial"
//     without From; Q is Holds), each kind in bytes of 8 properties;
//   - per expanded state, one record in its worker's edge log: the number
//     of kept transitions, their targets' indices, and per transition the
//     fairness groups it belongs to, as one bit mask over the model's
//     distinct fairness lists (properties that share a Fair slice share
//     its bits, and its Member calls);
//   - per index, where its record is.
//
// After a complete search, decide (livedecide.go; see liveness.go for the
// semantics) answers the properties, 8 at a time, with one iterative
// Tarjan over these indices. Only when a property is violated does the
// engine build the whole-state graph, to print the same shortest lasso as
// before (checkLeadsTo).

const (
	segBits  = 20
	segLen   = 1 << segBits
	idBlock  = 1024
	maxNodes = 1<<32 - 2*idBlock
)

// liveRec is the recording of the compact graph.
type liveRec[S comparable] struct {
	props  []int         // indices (into the run's properties) of the Eventually ones
	off    []uint        // per recorded property: its first bit in the edge masks
	width  []uint        // per recorded property: its number of groups
	groups []Fairness[S] // the distinct groups; bit k of a mask is groups[k]
	// actionBits are the groups with Action (whose part of membership
	// each worker caches per action, see actionMasks), memberBits those
	// with Member (called per transition, if Action accepts it).
	actionBits, memberBits uint64
	allBits                uint64         // every group
	maskBits               int            // bits of mask per transition: 0, 16, 32 or 64
	bytes                  int            // bytes of bits of each kind per index: one per 8 properties
	stride                 int            // bytes of bits per index: 2*bytes
	from                   []func(S) bool // per recorded property: P (nil: initial states)
	holds                  []func(S) bool // per recorded property: Q

	next  atomic.Uint64 // next block of indices
	mu    sync.Mutex    // guards allocation of node and pq segments
	arena *arena        // node and pq segments
	nodes [][]uint64    // per index: 1 + the position of its record, 0 if none
	pq    [][]uint8     // per index, stride bytes
	logs  []*edgeLog    // per worker
	mem   *memGuard
	full  atomic.Bool   // an allocation was refused: the graph is incomplete
	sink  atomic.Uint64 // keeps decide's touching loads
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
	r.allBits = ^uint64(0) >> (64 - len(r.groups))
	for k, g := range r.groups {
		if g.Action != nil {
			r.actionBits |= 1 << k
		}
		if g.Member != nil {
			r.memberBits |= 1 << k
		}
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
	r.bytes = (len(r.props) + 7) / 8
	r.stride = 2 * r.bytes
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

// onState records the bits of a new state with index id: per property,
// not-Q, and P-and-not-Q (P is only evaluated where Q does not hold).
func (r *liveRec[S]) onState(id uint32, s *S, initial bool) {
	pq := r.pq[id>>segBits][int(id&(segLen-1))*r.stride:]
	st := *s // one copy: the calls copy it again, and would copy *s twice
	for l := range r.props {
		if r.holds[l](st) {
			continue
		}
		bit := uint8(1) << (l % 8)
		pq[r.bytes+l/8] |= bit
		if r.from[l] == nil && initial || r.from[l] != nil && r.from[l](st) {
			pq[l/8] |= bit
		}
	}
}

// startBits and notQBits are byte k of a state's P-and-not-Q and not-Q
// bits (properties 8k to 8k+7).
func (r *liveRec[S]) startBits(id uint32, k int) uint8 {
	return r.pq[id>>segBits][int(id&(segLen-1))*r.stride+k]
}

func (r *liveRec[S]) notQBits(id uint32, k int) uint8 {
	return r.pq[id>>segBits][int(id&(segLen-1))*r.stride+r.bytes+k]
}

// mask is the fairness groups of transition s -a->: the groups whose
// Action accepts a (from the worker's cache c), less those whose Member
// rejects s -a->.
func (r *liveRec[S]) mask(c *actionMasks, s *S, a Action) uint64 {
	m := r.allBits &^ r.actionBits // groups without Action accept every action
	if r.actionBits != 0 {
		m = c.get(a, r.actionMask)
	}
	for b := m & r.memberBits; b != 0; b &= b - 1 {
		k := bits.TrailingZeros64(b)
		if !r.groups[k].Member(*s, a) {
			m &^= 1 << k
		}
	}
	return m
}

// actionMask is the groups whose Action accepts a, and those without
// Action.
func (r *liveRec[S]) actionMask(a Action) uint64 {
	m := r.allBits &^ r.actionBits
	for b := r.actionBits; b != 0; b &= b - 1 {
		k := bits.TrailingZeros64(b)
		if r.groups[k].Action(a) {
			m |= 1 << k
		}
	}
	return m
}

// actionMasks is a worker's cache of actionMask: direct-mapped, by
// action. A model has few distinct actions (kinds times sides times
// message slots), so nearly every transition finds its action there.
type actionMasks [1 << 12]struct{ tag, mask uint64 }

func (c *actionMasks) get(a Action, compute func(Action) uint64) uint64 {
	e := &c[uint32(a)*0x9e3779b1>>20]
	if e.tag != uint64(a)+1 {
		e.tag, e.mask = uint64(a)+1, compute(a)
	}
	return e.mask
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
