package checker

import "math"

// stateSet is one worker's private set of visited states: an open-
// addressing hash table of 64-bit fingerprints with linear probing, split
// into shards that grow independently. Growing one small shard at a time
// keeps the peak memory close to the live table (a single table would
// briefly need its old and new arrays together), and staggering the
// shards' initial sizes spreads their loads evenly between the growth
// thresholds instead of having them all grow at once.
//
// In exact mode the set also keeps each whole state beside its
// fingerprint and compares states, so distinct states that share a
// fingerprint are both kept.
//
// Fingerprint 0 marks an empty slot; the state(s) whose fingerprint is 0
// are remembered on the side.
type stateSet[S comparable] struct {
	shards    []setShard[S]
	shardMask uint64
	exact     bool
	count     uint64
	zero      bool // fingerprint mode: fingerprint 0 seen
	zeroState []S  // exact mode: states with fingerprint 0
	arena     *arena
}

type setShard[S comparable] struct {
	fps    []uint64
	states []S // exact mode only
	n      int
	limit  int
}

const (
	shardBits   = 4
	maxLoad     = 0.8
	growthRatio = 1.5
	minShardCap = 32
)

func newStateSet[S comparable](exact bool) *stateSet[S] {
	t := &stateSet[S]{shards: make([]setShard[S], 1<<shardBits), shardMask: 1<<shardBits - 1, exact: exact, arena: newArena()}
	for i := range t.shards {
		// Initial capacities log-uniform in [minShardCap, minShardCap*growthRatio).
		c := int(minShardCap * math.Pow(growthRatio, float64(i)/float64(len(t.shards))))
		t.shards[i].alloc(t.arena, c, exact)
	}
	return t
}

func (sh *setShard[S]) alloc(a *arena, c int, exact bool) {
	sh.fps = allocArray[uint64](a, c)
	if exact {
		sh.states = allocArray[S](a, c)
	}
	sh.limit = int(float64(c) * maxLoad)
}

// slot maps a fingerprint to its home slot in a shard of capacity c. The
// shard is chosen by the low bits; the slot by bits 10..41, reduced by
// multiply-shift so capacities need not be powers of two.
func slot(fp uint64, c int) int {
	return int(uint64(uint32(fp>>shardBits)) * uint64(c) >> 32)
}

// insert adds a state with fingerprint fp and reports whether it was new.
func (t *stateSet[S]) insert(fp uint64, s *S) bool {
	if fp == 0 {
		return t.insertZero(s)
	}
	sh := &t.shards[fp&t.shardMask]
	c := len(sh.fps)
	i := slot(fp, c)
	for {
		f := sh.fps[i]
		if f == 0 {
			break
		}
		if f == fp && (!t.exact || sh.states[i] == *s) {
			return false
		}
		i++
		if i == c {
			i = 0
		}
	}
	sh.fps[i] = fp
	if t.exact {
		sh.states[i] = *s
	}
	sh.n++
	t.count++
	if sh.n > sh.limit {
		t.grow(sh)
	}
	return true
}

// touch loads the home slot of each fingerprint and returns a value that
// depends on them (so the loads are not optimized away). The loads are
// independent, so the processor overlaps their cache misses; the inserts
// that follow then find the slots in cache.
func (t *stateSet[S]) touch(fps []uint64) uint64 {
	var x uint64
	for _, fp := range fps {
		sh := &t.shards[fp&t.shardMask]
		x += sh.fps[slot(fp, len(sh.fps))]
	}
	return x
}

// touchOwned is touch for the fingerprints owned by worker id of n (see
// bfs.owner).
func (t *stateSet[S]) touchOwned(fps []uint64, n, id int) uint64 {
	var x uint64
	for _, fp := range fps {
		if int((fp>>32)*uint64(n)>>32) != id {
			continue
		}
		sh := &t.shards[fp&t.shardMask]
		x += sh.fps[slot(fp, len(sh.fps))]
	}
	return x
}

func (t *stateSet[S]) insertZero(s *S) bool {
	if !t.exact {
		if t.zero {
			return false
		}
		t.zero = true
		t.count++
		return true
	}
	for i := range t.zeroState {
		if t.zeroState[i] == *s {
			return false
		}
	}
	t.zeroState = append(t.zeroState, *s)
	t.count++
	return true
}

func (t *stateSet[S]) grow(sh *setShard[S]) {
	old, oldStates := sh.fps, sh.states
	sh.alloc(t.arena, int(float64(len(old))*growthRatio)+1, t.exact)
	c := len(sh.fps)
	for j, fp := range old {
		if fp == 0 {
			continue
		}
		i := slot(fp, c)
		for sh.fps[i] != 0 {
			i++
			if i == c {
				i = 0
			}
		}
		sh.fps[i] = fp
		if t.exact {
			sh.states[i] = oldStates[j]
		}
	}
	freeArray(t.arena, old)
	freeArray(t.arena, oldStates)
}

// free returns the table's memory.
func (t *stateSet[S]) free() {
	for i := range t.shards {
		t.shards[i] = setShard[S]{}
	}
	t.arena.release()
}
