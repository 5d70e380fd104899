package checker

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

// The exhaustive search is a level-synchronous breadth-first search over
// W workers sharing one table of visited states (see stateSet). Each
// worker expands chunks of the current frontier (its own first, then the
// others', so no worker idles while states are left), inserts the
// successors it generates into the table with a compare-and-swap, and
// appends those it added to its own next frontier. No lock is on the
// per-state hot path, no state is handed between workers, and the counts
// (distinct, generated, depth) are those of the plain sequential search
// for any W: the set of states at each depth does not depend on who
// finds them first.
//
// A level ends when every worker has found no chunk left. Properties are
// judged on new states and on every kept transition (see judge).

type bfs[S comparable] struct {
	m       *Model[S]
	props   []Property[S]
	opt     Options
	workers []*worker[S]
	set     *stateSet[S]
	world   world
	active  activeSets
	decided []bool
	mem     *memGuard
	phase   atomic.Int32 // a Phase: what the run is doing, for progress reports
	live    *liveRec[S]  // the compact graph for liveness, nil if none is recorded

	stop       atomic.Bool
	stopMu     sync.Mutex
	stopReason string
	// decidedEarly: the run ended, incomplete, because every property
	// was decided (Options.StopWhenDecided).
	decidedEarly bool

	distinct  atomic.Uint64 // updated per chunk, for MaxStates and progress
	generated atomic.Uint64
	queue     atomic.Int64
	depth     atomic.Int64
}

type worker[S comparable] struct {
	b         *bfs[S]
	id        int
	arena     *arena // the worker's frontiers
	cur, next []S
	// curID and nextID are the liveness indices of cur and next (with
	// live only).
	curID, nextID []uint32
	idNext, idEnd uint32 // the worker's block of liveness indices
	succID        []uint32
	succMask      []uint64
	fair          *actionMasks // the fairness groups of each action (with live only)
	srcStart      []int
	cursor        atomic.Int64   // next unclaimed index of cur
	quota         [numShards]int // per shard: entries the worker may still add (see world)
	added         [numShards]int // per shard: entries added since the last stop
	distinct      uint64         // states this worker added
	acts          []Action
	succ          []S
	succFP        []uint64
	sink          uint64
	judge         *judge[S]
	generated     uint64
	_             [64]byte // keep workers' hot fields on separate cache lines
}

const (
	chunk = 512 // states claimed at once, between checks of the stop flag
	group = 16  // states whose successors are touched, then inserted, together
)

func (b *bfs[S]) halt(reason string) {
	b.stopMu.Lock()
	if b.stopReason == "" {
		b.stopReason = reason
	}
	b.stopMu.Unlock()
	b.stop.Store(true)
}

func newBFS[S comparable](m *Model[S], props []Property[S], opt Options) *bfs[S] {
	w := opt.Workers
	if w < 1 {
		w = 1
	}
	b := &bfs[S]{m: m, props: props, opt: opt, decided: make([]bool, len(props))}
	b.mem = &memGuard{limit: opt.memoryLimit(), halt: b.halt}
	b.active = computeActive(props, b.decided)
	b.live = newLiveRec(props, w, b.mem)
	b.set = newStateSet[S](opt.Exact, w, b.live != nil)
	b.world.cond.L = &b.world.mu
	for i := 0; i < w; i++ {
		wk := &worker[S]{b: b, id: i, arena: newArena(), judge: newJudge(props)}
		if b.live != nil && b.live.actionBits != 0 {
			wk.fair = new(actionMasks)
		}
		b.workers = append(b.workers, wk)
	}
	b.world.mu.Lock()
	b.grow() // shares out the first quotas
	b.world.mu.Unlock()
	return b
}

// run explores until done or stopped and returns the depth reached.
func (b *bfs[S]) run() int {
	// Depth 1: the initial states.
	w0 := b.workers[0]
	b.enter(1)
	for _, s := range b.m.Init() {
		w0.generated++
		if !b.m.within(s) {
			continue
		}
		if id, added := w0.insert(fingerprint(&s), &s); added {
			w0.newState(&s, 1, id)
		}
	}
	b.leave()
	depth := 0
	for {
		var n int
		for _, w := range b.workers {
			w.cur, w.next = w.next, w.cur[:0]
			w.curID, w.nextID = w.nextID, w.curID[:0]
			n += len(w.cur)
		}
		b.syncCounters()
		b.endLevel()
		if n == 0 {
			return depth
		}
		depth++
		b.depth.Store(int64(depth))
		b.queue.Store(int64(n))
		if b.stop.Load() {
			return depth
		}
		if b.opt.StopWhenDecided && b.allDecided() {
			// Not halt: the stop flag would also stop the traces'
			// reconstruction, which is still to come.
			b.decidedEarly = true
			return depth
		}
		if b.opt.MaxDepth > 0 && depth >= b.opt.MaxDepth && b.frontierCanMove() {
			b.halt("max depth " + itoa(b.opt.MaxDepth) + " reached (states at that depth not expanded)")
			return depth
		}
		for _, w := range b.workers {
			w.cursor.Store(0)
		}
		b.enter(len(b.workers))
		b.parallel(func(w *worker[S]) {
			w.expand(depth)
			b.leave()
		})
		if b.stop.Load() {
			b.endLevel()
			return depth
		}
	}
}

// free releases the table and the frontiers.
func (b *bfs[S]) free() {
	b.set.free()
	for _, w := range b.workers {
		w.cur, w.next = nil, nil
		w.curID, w.nextID = nil, nil
		w.arena.release()
	}
}

// endLevel merges the workers' candidates and retires decided properties.
func (b *bfs[S]) endLevel() {
	j0 := b.workers[0].judge
	for _, w := range b.workers[1:] {
		j0.merge(w.judge)
	}
	changed := false
	for i := range b.props {
		if !b.decided[i] && j0.cands[i].found {
			b.decided[i] = true
			changed = true
		}
	}
	if changed {
		b.active = computeActive(b.props, b.decided)
	}
}

// allDecided reports whether every property has its counterexample or
// witness; never with an Eventually property, which the search does not
// decide, nor without properties.
func (b *bfs[S]) allDecided() bool {
	if len(b.props) == 0 {
		return false
	}
	for i := range b.props {
		if !b.decided[i] {
			return false
		}
	}
	return true
}

// frontierCanMove reports whether some frontier state has an enabled action.
func (b *bfs[S]) frontierCanMove() bool {
	var buf []Action
	for _, w := range b.workers {
		for i := range w.cur {
			if buf = b.m.Actions(w.cur[i], buf[:0]); len(buf) > 0 {
				return true
			}
		}
	}
	return false
}

func (b *bfs[S]) parallel(f func(w *worker[S])) {
	if len(b.workers) == 1 {
		f(b.workers[0])
		return
	}
	var wg sync.WaitGroup
	for _, w := range b.workers {
		wg.Add(1)
		go func(w *worker[S]) {
			defer wg.Done()
			f(w)
		}(w)
	}
	wg.Wait()
}

func (b *bfs[S]) syncCounters() {
	var d, g uint64
	for _, w := range b.workers {
		d += w.distinct
		g += w.generated
	}
	b.distinct.Store(d)
	b.generated.Store(g)
}

func (w *worker[S]) newState(s *S, d int, id uint32) {
	if len(w.next) == cap(w.next) && !w.growNext() {
		// The memory limit stopped the run: the state is stored and
		// counted but will not be expanded (the run is incomplete).
		return
	}
	w.next = append(w.next, *s)
	w.judge.onState(&w.b.active, s, d)
	if lr := w.b.live; lr != nil {
		w.nextID = append(w.nextID, id)
		lr.onState(id, s, d == 1)
	}
}

// growNext doubles the next frontier's capacity, unless that would pass
// the memory limit (then it reports false, and the run is stopped).
// Frontiers live in the worker's arena, like its table, so the Go heap
// stays small and the garbage collector has next to nothing to do.
func (w *worker[S]) growNext() bool {
	c := max(2*cap(w.next), 1024)
	if !w.b.mem.afford(uint64(c) * uint64(unsafe.Sizeof(*new(S))+4)) {
		return false
	}
	n := allocArray[S](w.arena, c)
	n = n[:copy(n, w.next)]
	freeArray(w.arena, w.next[:cap(w.next)])
	w.next = n
	if w.b.live != nil {
		ids := allocArray[uint32](w.arena, c)
		ids = ids[:copy(ids, w.nextID)]
		freeArray(w.arena, w.nextID[:cap(w.nextID)])
		w.nextID = ids
	}
	return true
}

// expand expands frontier states at depth d until none is left. States
// are expanded in small groups: the group's successors are generated
// first, then their table slots are touched together, so that their
// cache misses overlap, and only then inserted.
func (w *worker[S]) expand(d int) {
	b := w.b
	m := b.m
	act := &b.active
	stepProps := len(act.step) > 0
	lr := b.live
	var lastDistinct, lastGen uint64 = w.distinct, w.generated
	for {
		if b.stop.Load() {
			return
		}
		owner, start, end := w.nextChunk()
		if owner == nil {
			return
		}
		src := owner.cur
		for g := start; g < end; g += group {
			w.pause()
			w.succ, w.succFP = w.succ[:0], w.succFP[:0]
			w.succID, w.succMask, w.srcStart = w.succID[:0], w.succMask[:0], w.srcStart[:0]
			for i := g; i < min(g+group, end); i++ {
				s := &src[i]
				w.srcStart = append(w.srcStart, len(w.succ))
				w.acts = m.Actions(*s, w.acts[:0])
				if len(w.acts) == 0 {
					w.judge.onDeadlock(act, m, s, d)
					continue
				}
				w.generated += uint64(len(w.acts))
				for _, a := range w.acts {
					t := m.Next(*s, a)
					if !m.kept(*s, a, t) {
						continue
					}
					if stepProps {
						w.judge.onStep(act, s, a, &t, d)
					}
					w.succ = append(w.succ, t)
					w.succFP = append(w.succFP, fingerprint(&t))
					if lr != nil && lr.maskBits > 0 {
						w.succMask = append(w.succMask, lr.mask(w.fair, s, a))
					}
				}
			}
			w.sink += b.set.touch(w.succFP)
			for i := range w.succ {
				id, added := w.insert(w.succFP[i], &w.succ[i])
				if added {
					w.newState(&w.succ[i], d+1, id)
				}
				if lr != nil {
					w.succID = append(w.succID, id)
				}
			}
			if lr != nil {
				w.srcStart = append(w.srcStart, len(w.succ))
				for k := range w.srcStart[:len(w.srcStart)-1] {
					lo, hi := w.srcStart[k], w.srcStart[k+1]
					var masks []uint64
					if lr.maskBits > 0 {
						masks = w.succMask[lo:hi]
					}
					if !lr.record(w.id, owner.curID[g+k], w.succID[lo:hi], masks) {
						break // the memory limit stopped the run
					}
				}
			}
		}
		b.distinct.Add(w.distinct - lastDistinct)
		b.generated.Add(w.generated - lastGen)
		lastDistinct, lastGen = w.distinct, w.generated
		b.queue.Add(-int64(end - start))
		if b.opt.MaxStates > 0 && b.distinct.Load() >= b.opt.MaxStates {
			b.halt("max states " + utoa(b.opt.MaxStates) + " reached")
		}
	}
}

// insert adds state s with fingerprint fp to the table and reports
// whether it was new, and its liveness index (when the run records the
// liveness graph).
func (w *worker[S]) insert(fp uint64, s *S) (uint32, bool) {
	var id uint32
	if w.b.live != nil {
		if w.idNext == w.idEnd {
			lo, ok := w.b.live.takeBlock()
			if !ok {
				return 0, false // the memory limit stopped the run
			}
			w.idNext, w.idEnd = lo, lo+idBlock
		}
		id = w.idNext
	}
	var added bool
	if fp == 0 {
		if id, added = w.b.set.insertZero(s, id); !added {
			return id, false
		}
	} else {
		k := fp & shardMask
		if !w.reserve(k) {
			return 0, false // the memory limit stopped the run
		}
		if id, added = w.b.set.insert(fp, s, id); !added {
			return id, false
		}
		w.quota[k]--
		w.added[k]++
	}
	if w.b.live != nil {
		w.idNext++
	}
	w.distinct++
	return id, true
}

// nextChunk claims the next chunk of frontier states to expand: from the
// worker's own frontier first, then, once that is exhausted, from the
// others' (work stealing). It returns the worker whose frontier it is,
// or nil when every frontier is exhausted.
func (w *worker[S]) nextChunk() (*worker[S], int, int) {
	n := len(w.b.workers)
	for k := 0; k < n; k++ {
		v := w.b.workers[(w.id+k)%n]
		if v.cursor.Load() >= int64(len(v.cur)) {
			continue
		}
		start := int(v.cursor.Add(chunk) - chunk)
		if start < len(v.cur) {
			return v, start, min(start+chunk, len(v.cur))
		}
	}
	return nil, 0, 0
}

func itoa(n int) string { return utoa(uint64(n)) }

func utoa(n uint64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
