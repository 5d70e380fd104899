package checker

import (
	"sync"
	"sync/atomic"
	"time"
)

// The exhaustive search is a level-synchronous breadth-first search over
// W workers that partition the state space by fingerprint: worker w owns
// the states whose fingerprint maps to w, keeps them in a private
// stateSet, and expands them. A successor owned by another worker is put
// in an outbox; full outboxes (batches of a few thousand states) are
// handed to their owner's inbox, which the owner drains between chunks of
// its own work. No lock or atomic operation is on the per-state hot path
// (one lock per batch), and the counts (distinct, generated, depth) are
// those of the plain sequential search for any W: the set of states at
// each depth does not depend on who finds them first.
//
// A level ends when every worker has expanded its frontier, flushed its
// outboxes, and drained its inbox. New states go to the owner's next
// frontier. Properties are judged on new states and on every kept
// transition (see judge).

type bfs[S comparable] struct {
	m       *Model[S]
	props   []Property[S]
	opt     Options
	workers []*worker[S]
	active  activeSets
	decided []bool

	stop       atomic.Bool
	stopMu     sync.Mutex
	stopReason string

	distinct  atomic.Uint64 // updated per chunk, for MaxStates and progress
	generated atomic.Uint64
	queue     atomic.Int64
	depth     atomic.Int64
	expanding atomic.Int64 // workers still expanding the current level
}

type worker[S comparable] struct {
	b         *bfs[S]
	id        int
	set       *stateSet[S]
	cur, next []S
	out       [][]S // out[o]: batch being filled for worker o
	inMu      sync.Mutex
	inbox     [][]S         // batches from other workers
	spare     [][]S         // empty batches for reuse
	cursor    atomic.Int64  // next unclaimed index of cur
	woken     chan struct{} // signalled by wake
	acts      []Action
	succ      []S
	succFP    []uint64
	sink      uint64
	judge     *judge[S]
	generated uint64
	_         [64]byte // keep workers' hot fields on separate cache lines
}

const (
	chunk = 512  // states between checks of the stop flag and the inbox
	group = 16   // states per worker whose successors are inserted together
	batch = 4096 // states per batch handed to another worker
)

func (b *bfs[S]) halt(reason string) {
	b.stopMu.Lock()
	if b.stopReason == "" {
		b.stopReason = reason
	}
	b.stopMu.Unlock()
	b.stop.Store(true)
}

func (b *bfs[S]) owner(fp uint64) int {
	return int((fp >> 32) * uint64(len(b.workers)) >> 32)
}

func newBFS[S comparable](m *Model[S], props []Property[S], opt Options) *bfs[S] {
	w := opt.Workers
	if w < 1 {
		w = 1
	}
	b := &bfs[S]{m: m, props: props, opt: opt, decided: make([]bool, len(props))}
	b.active = computeActive(props, b.decided)
	for i := 0; i < w; i++ {
		b.workers = append(b.workers, &worker[S]{
			b: b, id: i, set: newStateSet[S](opt.Exact),
			out:   make([][]S, w),
			judge: newJudge(props),
		})
	}
	return b
}

// run explores until done or stopped and returns the depth reached.
func (b *bfs[S]) run() int {
	// Depth 1: the initial states.
	for _, s := range b.m.Init() {
		b.workers[0].generated++
		if !b.m.within(s) {
			continue
		}
		fp := fingerprint(&s)
		w := b.workers[b.owner(fp)]
		if w.set.insert(fp, &s) {
			w.newState(&s, 1)
		}
	}
	depth := 0
	for {
		var n int
		for _, w := range b.workers {
			w.cur, w.next = w.next, w.cur[:0]
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
		if b.opt.MaxDepth > 0 && depth >= b.opt.MaxDepth && b.frontierCanMove() {
			b.halt("max depth " + itoa(b.opt.MaxDepth) + " reached (states at that depth not expanded)")
			return depth
		}
		b.expanding.Store(int64(len(b.workers)))
		for _, w := range b.workers {
			w.cursor.Store(0)
		}
		b.parallel(func(w *worker[S]) { w.level(depth) })
		if b.stop.Load() {
			b.endLevel()
			return depth
		}
	}
}

// free releases the workers' tables.
func (b *bfs[S]) free() {
	for _, w := range b.workers {
		w.set.free()
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
		d += w.set.count
		g += w.generated
	}
	b.distinct.Store(d)
	b.generated.Store(g)
}

func (w *worker[S]) newState(s *S, d int) {
	if len(w.next) == cap(w.next) {
		w.growNext()
	}
	w.next = append(w.next, *s)
	w.judge.onState(&w.b.active, s, d)
}

// growNext doubles the next frontier's capacity. Frontiers live in the
// worker's arena, like its table, so the Go heap stays small and the
// garbage collector has next to nothing to do.
func (w *worker[S]) growNext() {
	n := allocArray[S](w.set.arena, max(2*cap(w.next), 1024))
	n = n[:copy(n, w.next)]
	freeArray(w.set.arena, w.next[:cap(w.next)])
	w.next = n
}

// expand is phase A for the worker's frontier at depth d. States are
// expanded in small groups: the group's successors are generated first,
// then the table slots of those this worker owns are touched together,
// so that their cache misses overlap, and only then inserted.
func (w *worker[S]) expand(d int) {
	b := w.b
	m := b.m
	act := &b.active
	stepProps := len(act.step) > 0
	var lastDistinct, lastGen uint64 = w.set.count, w.generated
	for {
		if b.stop.Load() {
			return
		}
		src, start, end := w.nextChunk()
		if src == nil {
			return
		}
		// With W workers only about 1/W of a group's successors are this
		// worker's to insert: scale the group so that as many table slots
		// are touched together as with one worker.
		gsize := group * len(b.workers)
		for g := start; g < end; g += gsize {
			w.succ, w.succFP = w.succ[:0], w.succFP[:0]
			for i := g; i < min(g+gsize, end); i++ {
				s := &src[i]
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
				}
			}
			if len(b.workers) == 1 {
				w.sink += w.set.touch(w.succFP)
			} else {
				w.sink += w.set.touchOwned(w.succFP, len(b.workers), w.id)
			}
			for i := range w.succ {
				fp := w.succFP[i]
				o := b.owner(fp)
				if o == w.id {
					if w.set.insert(fp, &w.succ[i]) {
						w.newState(&w.succ[i], d+1)
					}
					continue
				}
				w.send(o, &w.succ[i], d+1)
			}
		}
		b.distinct.Add(w.set.count - lastDistinct)
		b.generated.Add(w.generated - lastGen)
		lastDistinct, lastGen = w.set.count, w.generated
		b.queue.Add(-int64(end - start))
		if len(b.workers) > 1 {
			w.drain(d + 1)
			lastDistinct = w.set.count
		}
		if b.opt.MaxStates > 0 && b.distinct.Load() >= b.opt.MaxStates {
			b.halt("max states " + utoa(b.opt.MaxStates) + " reached")
		}
	}
}

// nextChunk claims the next chunk of frontier states to expand: from the
// worker's own frontier first, then, once that is exhausted, from the
// others' (work stealing: expansion needs no ownership, only insertion
// does). It returns nil when every frontier is exhausted.
func (w *worker[S]) nextChunk() ([]S, int, int) {
	n := len(w.b.workers)
	for k := 0; k < n; k++ {
		v := w.b.workers[(w.id+k)%n]
		if v.cursor.Load() >= int64(len(v.cur)) {
			continue
		}
		start := int(v.cursor.Add(chunk) - chunk)
		if start < len(v.cur) {
			return v.cur, start, min(start+chunk, len(v.cur))
		}
	}
	return nil, 0, 0
}

// level expands the worker's frontier at depth d, exchanging successors
// with the other workers, until every worker is done.
func (w *worker[S]) level(d int) {
	b := w.b
	w.expand(d)
	for o := range w.out {
		if len(w.out[o]) > 0 {
			w.flush(o)
		}
	}
	if b.expanding.Add(-1) == 0 {
		for _, v := range b.workers {
			v.wake()
		}
	}
	if len(b.workers) == 1 {
		return
	}
	// Wait, without spinning (a busy wait would take the processor from
	// a worker that is still expanding), for batches or for the end.
	for !b.stop.Load() {
		last := b.expanding.Load() == 0
		if !w.drain(d+1) && last {
			return
		}
		if !last {
			select {
			case <-w.woken:
			case <-time.After(time.Millisecond):
			}
		}
	}
}

// wake tells w that its inbox has a batch or the level may be over.
func (w *worker[S]) wake() {
	select {
	case w.woken <- struct{}{}:
	default:
	}
}

// send queues state t, owned by worker o, at depth d.
func (w *worker[S]) send(o int, t *S, d int) {
	if w.out[o] == nil {
		if n := len(w.spare); n > 0 {
			w.out[o], w.spare = w.spare[n-1][:0], w.spare[:n-1]
		} else {
			w.out[o] = make([]S, 0, batch)
		}
	}
	w.out[o] = append(w.out[o], *t)
	if len(w.out[o]) == batch {
		w.flush(o)
		w.drain(d)
	}
}

// flush hands the batch for worker o to o's inbox.
func (w *worker[S]) flush(o int) {
	v := w.b.workers[o]
	v.inMu.Lock()
	v.inbox = append(v.inbox, w.out[o])
	v.inMu.Unlock()
	w.out[o] = nil
	v.wake()
}

// drain inserts the batches in w's inbox as states at depth d and reports
// whether there were any.
func (w *worker[S]) drain(d int) bool {
	w.inMu.Lock()
	in := w.inbox
	w.inbox = nil
	w.inMu.Unlock()
	if len(in) == 0 {
		return false
	}
	before := w.set.count
	var fps [128]uint64
	for _, states := range in {
		for i := 0; i < len(states); i += len(fps) {
			part := states[i:min(i+len(fps), len(states))]
			for j := range part {
				fps[j] = fingerprint(&part[j])
			}
			w.sink += w.set.touch(fps[:len(part)])
			for j := range part {
				if w.set.insert(fps[j], &part[j]) {
					w.newState(&part[j], d)
				}
			}
		}
		w.spare = append(w.spare, states[:0])
	}
	w.b.distinct.Add(w.set.count - before)
	return true
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
