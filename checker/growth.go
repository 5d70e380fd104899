package checker

import (
	"sync"
	"sync/atomic"
)

// Growing the shared table (see stateSet) replaces a shard's array, so no
// worker may be inside the table meanwhile: the workers stop the world.
//
// Between two stops, each worker may add at most quota[k] entries to
// shard k, its share of the room left below maxLoad. A worker that has
// spent a quota asks for a stop: it waits until every other worker has
// parked (workers look for a pending stop after each group of states, see
// expand, and a worker whose own quota runs out parks at once), then,
// alone in the table, it adds up the entries every worker made, replaces
// the arrays of the shards loaded at least growLoad, and shares out new
// quotas. Rehashing the old arrays into the new is split into jobs that
// the parked workers take too, so a stop uses every processor.
//
// The quotas make the table safe whatever the workers do between stops:
// a shard can never be fuller than maxLoad, so a probe always ends. They
// cost nothing on the hot path (a decrement of the worker's own counter),
// and stops are rare: a stop grows by half every shard near its limit, so
// the 31.7M states of tcp-abstract with k=5 take about 70 stops (69 in
// each of two runs with 2 workers; the first few, while shards hold a few
// hundred entries, cost microseconds).
type world struct {
	req atomic.Bool // a stop is wanted: workers park after their group
	_   [56]byte    // req is read by every worker after every group: its own cache line

	mu      sync.Mutex
	cond    sync.Cond
	running int    // workers that may insert (guarded by mu)
	parked  int    // workers waiting for the world to restart
	epoch   uint64 // odd while the stopped world rehashes
	jobs    []rehashJob
	next    atomic.Int64            // next job to take
	left    [numShards]atomic.Int32 // per shard: its jobs not yet finished
	done    int                     // jobs finished
	helpers int                     // parked workers running jobs
	stops   int
}

// rehashJob moves entries [from, to) of shard k's old arrays.
type rehashJob struct{ shard, from, to int }

const rehashChunk = 1 << 16 // old entries per rehash job

// reserve makes sure w may add an entry to shard k, stopping the world if
// its quota is spent. It reports false when the quota is spent and the
// table may not grow: the memory limit stopped the run.
func (w *worker[S]) reserve(k uint64) bool {
	for w.quota[k] == 0 {
		if w.b.mem.hit.Load() {
			return false
		}
		w.b.stopWorld()
	}
	return true
}

// pause parks the worker if a stop is pending.
func (w *worker[S]) pause() {
	wd := &w.b.world
	if !wd.req.Load() {
		return
	}
	wd.mu.Lock()
	if wd.req.Load() {
		w.b.park()
		return
	}
	wd.mu.Unlock()
}

// enter and leave count the workers that may insert.
func (b *bfs[S]) enter(n int) {
	b.world.mu.Lock()
	b.world.running += n
	b.world.mu.Unlock()
}

func (b *bfs[S]) leave() {
	wd := &b.world
	wd.mu.Lock()
	wd.running--
	wd.cond.Broadcast()
	wd.mu.Unlock()
}

// stopWorld stops the world, grows the table as needed and restarts it;
// if another worker is already stopping it, it parks instead.
func (b *bfs[S]) stopWorld() {
	wd := &b.world
	wd.mu.Lock()
	if wd.req.Load() {
		b.park()
		return
	}
	wd.req.Store(true)
	for wd.parked < wd.running-1 {
		wd.cond.Wait()
	}
	b.grow()
	wd.stops++
	wd.epoch += 2 // a new even epoch: running
	wd.req.Store(false)
	wd.cond.Broadcast()
	wd.mu.Unlock()
}

// park waits, with wd.mu held, for the world to restart, helping with the
// rehash jobs of any stop it sees, and releases wd.mu. A parked worker
// stays counted as parked until it has seen the world running (an even
// epoch): a stop that begins before it wakes relies on that.
func (b *bfs[S]) park() {
	wd := &b.world
	wd.parked++
	wd.cond.Broadcast()
	e := wd.epoch
	for {
		for wd.epoch == e {
			wd.cond.Wait()
		}
		e = wd.epoch
		if e%2 == 0 {
			break
		}
		wd.helpers++
		wd.mu.Unlock()
		n := b.rehashJobs()
		wd.mu.Lock()
		wd.helpers--
		wd.done += n
		wd.cond.Broadcast()
	}
	wd.parked--
	wd.mu.Unlock()
}

// grow runs with the world stopped and wd.mu held: it counts the
// entries, grows the shards that need it, and shares out new quotas.
func (b *bfs[S]) grow() {
	wd := &b.world
	t := b.set
	nw := len(b.workers)
	for _, w := range b.workers {
		for k := range w.added {
			t.shards[k].n += w.added[k]
			w.added[k] = 0
		}
	}
	// The new capacities, and what they cost: the new arrays are counted
	// whole against the memory limit (the old ones are already resident).
	var newCap [numShards]int
	var need uint64
	per := t.bytesPerSlot()
	for k := range t.shards {
		sh := &t.shards[k]
		nc := len(sh.fps)
		for float64(sh.n) >= growLoad*float64(nc) || room(nc, sh.n) < nw*minQuota {
			nc = int(float64(nc)*growthRatio) + 1
		}
		newCap[k] = nc
		if nc != len(sh.fps) {
			need += uint64(nc) * per
		}
	}
	if need > 0 && !b.mem.afford(need) {
		// Stopped: no shard grows, and the quotas share out what room
		// is left below maxLoad (workers whose quota is spent stop
		// inserting, see reserve).
		newCap = [numShards]int{}
		for k := range t.shards {
			newCap[k] = len(t.shards[k].fps)
		}
	}
	var jobs []rehashJob
	for k := range t.shards {
		sh := &t.shards[k]
		c := len(sh.fps)
		nc := newCap[k]
		if nc == c {
			continue
		}
		sh.oldFPs, sh.oldStates, sh.oldIDs = sh.fps, sh.states, sh.ids
		t.alloc(sh, nc) // address space only: pages are committed as the rehash fills them
		for from := 0; from < c; from += rehashChunk {
			jobs = append(jobs, rehashJob{k, from, min(from+rehashChunk, c)})
			wd.left[k].Add(1)
		}
	}
	if len(jobs) > 0 {
		wd.jobs = jobs
		wd.next.Store(0)
		wd.done = 0
		wd.epoch++ // odd: rehashing
		wd.cond.Broadcast()
		wd.mu.Unlock()
		n := b.rehashJobs()
		wd.mu.Lock()
		wd.done += n
		for wd.done < len(jobs) || wd.helpers > 0 {
			wd.cond.Wait()
		}
		for k := range t.shards {
			t.shards[k].oldFPs, t.shards[k].oldStates, t.shards[k].oldIDs = nil, nil, nil
		}
		wd.jobs = nil
		// Even again. stopWorld would restore the parity too, but the
		// first grow, in newBFS, has no stopWorld around it: it left the
		// epoch odd when the first quotas needed bigger shards (more
		// than 25 workers, or a small minShardCap), and every later
		// rehash then ran at an even epoch, which parked workers take
		// for "running": they went back to inserting while shards were
		// still being rehashed, and a state not yet moved to the new
		// array was inserted again (a duplicate, expanded twice).
		wd.epoch++
	}
	for k := range t.shards {
		q := room(len(t.shards[k].fps), t.shards[k].n) / nw
		for _, w := range b.workers {
			w.quota[k] = q
		}
	}
}

// room is how many entries a shard of capacity c holding n may still take.
func room(c, n int) int { return int(maxLoad*float64(c)) - n }

// rehashJobs takes and runs rehash jobs until none is left and returns
// how many it ran.
func (b *bfs[S]) rehashJobs() int {
	wd := &b.world
	n := 0
	for {
		j := int(wd.next.Add(1) - 1)
		if j >= len(wd.jobs) {
			return n
		}
		job := wd.jobs[j]
		sh := &b.set.shards[job.shard]
		b.set.rehash(sh, job.from, job.to)
		if wd.left[job.shard].Add(-1) == 0 {
			// The shard's last job: its old arrays can go now, not at
			// the end of the stop, so that a stop that grows many
			// shards never holds all their old arrays at once.
			freeArray(b.set.arena, sh.oldFPs)
			freeArray(b.set.arena, sh.oldStates)
			freeArray(b.set.arena, sh.oldIDs)
		}
		n++
	}
}
