package checker

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// stateSet is the set of visited states, one table shared by every
// worker: an open-addressing hash table of 64-bit fingerprints with
// linear probing, split into shards by the fingerprint's low bits.
//
// With several workers, a fingerprint is added by a compare-and-swap on
// its empty slot, so inserts take no lock and the workers never exchange
// states: each inserts the successors it generates. A slot, once set,
// never changes until the shard grows, and a shard grows only while the
// world is stopped (see growth.go): between two stops, the number of
// entries each worker may add to each shard is bounded by a quota that
// keeps every shard below maxLoad, so a probe always finds an empty slot.
//
// Shards grow one at a time, not the whole table, which keeps the peak
// memory close to the live table (growing needs the old and the new array
// together), and their initial sizes are staggered so that they reach
// their limits at different times.
//
// In exact mode the set also keeps each whole state beside its
// fingerprint and compares states, so distinct states that share a
// fingerprint are both kept. With several workers a state is written
// after its fingerprint, so exact inserts hold their shard's lock.
//
// Fingerprint 0 marks an empty slot; the state(s) whose fingerprint is 0
// are kept on the side.
type stateSet[S comparable] struct {
	shards     []setShard[S]
	locks      []sync.Mutex // exact mode with several workers: one per shard
	exact      bool
	concurrent bool
	arena      *arena // the shards' arrays; allocated only while the world is stopped

	// withIDs: the set keeps beside each fingerprint the state's index
	// in the liveness graph (see liveGraph), plus 1 (0: not yet written).
	withIDs bool

	zeroMu    sync.Mutex
	zero      bool     // fingerprint mode: fingerprint 0 seen
	zeroID    uint32   // its index (withIDs)
	zeroState []S      // exact mode: states with fingerprint 0
	zeroIDs   []uint32 // and their indices (withIDs)
}

type setShard[S comparable] struct {
	fps    []uint64
	states []S      // exact mode only
	ids    []uint32 // withIDs only
	n      int      // entries, as of the last stop of the world

	oldFPs    []uint64 // while the shard grows: the arrays it replaces
	oldStates []S
	oldIDs    []uint32
}

const (
	shardBits   = 6
	shardMask   = 1<<shardBits - 1
	numShards   = 1 << shardBits
	maxLoad     = 0.8 // quotas never let a shard's load exceed this
	growLoad    = 0.7 // a stop grows every shard loaded at least this much
	growthRatio = 1.5
)

// Tunables, variables only so that tests can make the table tiny and its
// stops frequent.
var (
	// minShardCap is the initial capacity of a shard. It is small so
	// that checking a small model costs little (64 shards of 256
	// fingerprints: 128 KiB); large runs outgrow it in a few stops.
	minShardCap = 256
	minQuota    = 64 // a stop grows a shard until each worker may add this many
)

func newStateSet[S comparable](exact bool, workers int, withIDs bool) *stateSet[S] {
	t := &stateSet[S]{
		shards:     make([]setShard[S], numShards),
		exact:      exact,
		concurrent: workers > 1,
		arena:      newArena(),
		withIDs:    withIDs,
	}
	if exact && t.concurrent {
		t.locks = make([]sync.Mutex, numShards)
	}
	for i := range t.shards {
		// Initial capacities log-uniform in [minShardCap, minShardCap*growthRatio).
		c := int(float64(minShardCap) * math.Pow(growthRatio, float64(i)/numShards))
		t.alloc(&t.shards[i], c)
	}
	return t
}

func (t *stateSet[S]) alloc(sh *setShard[S], c int) {
	sh.fps = allocArray[uint64](t.arena, c)
	if t.exact {
		sh.states = allocArray[S](t.arena, c)
	}
	if t.withIDs {
		sh.ids = allocArray[uint32](t.arena, c)
	}
}

// bytesPerSlot is what one slot of a shard costs.
func (t *stateSet[S]) bytesPerSlot() uint64 {
	per := uint64(8)
	if t.exact {
		per += uint64(unsafe.Sizeof(*new(S)))
	}
	if t.withIDs {
		per += 4
	}
	return per
}

// slot maps a fingerprint to its home slot in a shard of capacity c. The
// shard is chosen by the low bits; the slot by the next 32 bits, reduced
// by multiply-shift so capacities need not be powers of two.
func slot(fp uint64, c int) int {
	return int(uint64(uint32(fp>>shardBits)) * uint64(c) >> 32)
}

// insert adds a state with fingerprint fp (not 0) and reports whether it
// was new. The caller holds a quota for the shard fp&shardMask. With
// withIDs, a new state gets index id, and the index of the state (new or
// not) is returned: a worker that finds the fingerprint just set by
// another waits for the other to write the index, which it does at once.
func (t *stateSet[S]) insert(fp uint64, s *S, id uint32) (uint32, bool) {
	k := fp & shardMask
	if t.locks != nil {
		t.locks[k].Lock()
		defer t.locks[k].Unlock()
	}
	sh := &t.shards[k]
	fps := sh.fps
	c := len(fps)
	i := slot(fp, c)
	for {
		f := atomic.LoadUint64(&fps[i])
		if f == 0 {
			switch {
			case !t.concurrent:
				fps[i] = fp
			case t.locks != nil:
				atomic.StoreUint64(&fps[i], fp) // touch reads it without the lock
			case !atomic.CompareAndSwapUint64(&fps[i], 0, fp):
				continue // another worker took the slot: look at it again
			}
			if t.exact {
				sh.states[i] = *s
			}
			if t.withIDs {
				atomic.StoreUint32(&sh.ids[i], id+1)
			}
			return id, true
		}
		if f == fp && (!t.exact || sh.states[i] == *s) {
			if !t.withIDs {
				return 0, false
			}
			for {
				if v := atomic.LoadUint32(&sh.ids[i]); v != 0 {
					return v - 1, false
				}
				runtime.Gosched()
			}
		}
		i++
		if i == c {
			i = 0
		}
	}
}

// touch loads the home slot of each fingerprint (and of its index, with
// withIDs) and returns a value that depends on them (so the loads are
// not optimized away). The loads are independent, so the processor
// overlaps their cache misses; the inserts that follow then find the
// slots in cache.
func (t *stateSet[S]) touch(fps []uint64) uint64 {
	var x uint64
	if t.withIDs {
		for _, fp := range fps {
			sh := &t.shards[fp&shardMask]
			i := slot(fp, len(sh.fps))
			x += atomic.LoadUint64(&sh.fps[i]) + uint64(atomic.LoadUint32(&sh.ids[i]))
		}
		return x
	}
	for _, fp := range fps {
		sh := &t.shards[fp&shardMask]
		x += atomic.LoadUint64(&sh.fps[slot(fp, len(sh.fps))])
	}
	return x
}

// insertZero is insert for the fingerprint 0.
func (t *stateSet[S]) insertZero(s *S, id uint32) (uint32, bool) {
	t.zeroMu.Lock()
	defer t.zeroMu.Unlock()
	if !t.exact {
		if t.zero {
			return t.zeroID, false
		}
		t.zero, t.zeroID = true, id
		return id, true
	}
	for i := range t.zeroState {
		if t.zeroState[i] == *s {
			if t.withIDs {
				return t.zeroIDs[i], false
			}
			return 0, false
		}
	}
	t.zeroState = append(t.zeroState, *s)
	if t.withIDs {
		t.zeroIDs = append(t.zeroIDs, id)
	}
	return id, true
}

// rehash moves entries [from, to) of a growing shard's old arrays into
// its new ones. Several workers may rehash parts of the same shard at once: an
// entry claims its slot by compare-and-swap, and nothing else reads the
// shard until the world restarts.
func (t *stateSet[S]) rehash(sh *setShard[S], from, to int) {
	fps, oldFPs := sh.fps, sh.oldFPs
	c := len(fps)
	for j := from; j < to; j++ {
		fp := oldFPs[j]
		if fp == 0 {
			continue
		}
		i := slot(fp, c)
		for {
			if atomic.LoadUint64(&fps[i]) == 0 {
				if !t.concurrent {
					fps[i] = fp
					break
				}
				if atomic.CompareAndSwapUint64(&fps[i], 0, fp) {
					break
				}
				continue
			}
			i++
			if i == c {
				i = 0
			}
		}
		if t.exact {
			sh.states[i] = sh.oldStates[j]
		}
		if t.withIDs {
			sh.ids[i] = sh.oldIDs[j]
		}
	}
}

// free returns the table's memory.
func (t *stateSet[S]) free() {
	for i := range t.shards {
		t.shards[i] = setShard[S]{}
	}
	t.arena.release()
}
