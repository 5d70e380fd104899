package checker

import (
	"context"
	"math/rand"
	"sync"
	"testing"
)

// wide is a state of more than 8 bytes, so it is hashed, not mapped
// one-to-one, to its fingerprint.
type wide struct{ A, B, C uint32 }

// TestConcurrentInsertsAddEachStateOnce has four goroutines insert the same
// states, each in its own order, into one table, with fingerprints forced
// to collide in groups of four: in exact mode every distinct state must be
// added exactly once (by one of the goroutines), in fingerprint mode every
// distinct fingerprint once. With liveness indices, every goroutine gets
// back, for each state, the index of the goroutine that added it.
func TestConcurrentInsertsAddEachStateOnce(t *testing.T) {
	const n, workers = 20000, 4
	fpOf := func(s wide) uint64 { return mix64(uint64(s.A/4)) | 1 }
	for _, mode := range []struct{ exact, ids bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		exact := mode.exact
		set := newStateSet[wide](exact, workers, mode.ids)
		got := make([][]uint32, workers)
		for k := range set.shards { // room for every state: growth is not tested here
			set.alloc(&set.shards[k], 2*n/numShards+minShardCap)
		}
		added := make([]int, workers)
		var wg sync.WaitGroup
		for g := 0; g < workers; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				order := rand.New(rand.NewSource(int64(g))).Perm(n)
				got[g] = make([]uint32, n)
				for _, i := range order {
					s := wide{A: uint32(i), B: 7}
					id, ok := set.insert(fpOf(s), &s, uint32(g*n+i))
					if ok {
						added[g]++
					}
					got[g][i] = id
				}
			}(g)
		}
		wg.Wait()
		total := 0
		for _, a := range added {
			total += a
		}
		want := n / 4
		if exact {
			want = n
		}
		if total != want {
			t.Errorf("exact=%v: %d states added, want %d", exact, total, want)
		}
		for i := 0; mode.ids && i < n; i++ {
			key := i // the state that owns the fingerprint in fingerprint mode is one of its group of four
			if !exact {
				key = i &^ 3
			}
			id := got[0][i]
			g, j := int(id)/n, int(id)%n
			if g >= workers || (exact && j != i) || (!exact && j&^3 != key) {
				t.Fatalf("exact=%v: state %d got index %d, not one given for its fingerprint", exact, i, id)
			}
			for w := 1; w < workers; w++ {
				if got[w][i] != id {
					t.Fatalf("exact=%v: state %d: index %d for goroutine 0, %d for %d", exact, i, id, got[w][i], w)
				}
			}
		}
		set.free()
	}
}

// grid is a model of about 40,000 states with many paths to each: a walk
// on a 200x200 torus that also jumps, so the search meets most states
// several times and at several depths.
func gridModel() Model[wide] {
	const size = 200
	return Model[wide]{
		Name: "grid",
		Init: func() []wide { return []wide{{A: 0, B: 0}, {A: 17, B: 3}} },
		Actions: func(s wide, buf []Action) []Action {
			return append(buf, 0, 1, 2)
		},
		Next: func(s wide, a Action) wide {
			switch a {
			case 0:
				s.A = (s.A + 1) % size
			case 1:
				s.B = (s.B + 1) % size
			default:
				s.A, s.B = (s.A*7+s.B)%size, (s.B*3+1)%size
			}
			return s
		},
		Properties: []Property[wide]{
			{Name: "not-corner", Kind: Always, Holds: func(s wide) bool { return s.A != size-1 || s.B != size-1 }},
		},
	}
}

// referenceCounts searches m with a map of whole states and nothing else.
func referenceCounts[S comparable](m Model[S]) (distinct, generated uint64, depth int) {
	seen := map[S]bool{}
	var level []S
	for _, s := range m.Init() {
		generated++
		if !seen[s] {
			seen[s] = true
			level = append(level, s)
		}
	}
	for len(level) > 0 {
		depth++
		var next []S
		for _, s := range level {
			for _, a := range m.Actions(s, nil) {
				generated++
				t := m.Next(s, a)
				if !seen[t] {
					seen[t] = true
					next = append(next, t)
				}
			}
		}
		level = next
	}
	return uint64(len(seen)), generated, depth
}

// TestTableGrowsUnderContention starts the table tiny, with quotas of one
// entry, so that the workers stop the world and rehash shards together
// hundreds of times during the search: the counts must still be those of
// the plain search, for any number of workers, in both storage modes.
func TestTableGrowsUnderContention(t *testing.T) {
	defer func(c, q int) { minShardCap, minQuota = c, q }(minShardCap, minQuota)
	minShardCap, minQuota = 4, 1
	m := gridModel()
	wantD, wantG, wantDepth := referenceCounts(m)
	if wantD < 30000 {
		t.Fatalf("grid model has %d states, want a larger one", wantD)
	}
	for _, exact := range []bool{false, true} {
		for w := 1; w <= 4; w++ {
			b := newBFS(&m, allProperties(&m), Options{Workers: w, Exact: exact})
			depth := b.run()
			b.syncCounters()
			d, g, stops := b.distinct.Load(), b.generated.Load(), b.world.stops
			b.free()
			if d != wantD || g != wantG || depth != wantDepth {
				t.Errorf("exact=%v workers=%d: %d distinct, %d generated, depth %d; want %d, %d, %d",
					exact, w, d, g, depth, wantD, wantG, wantDepth)
			}
			if stops < 20 {
				t.Errorf("exact=%v workers=%d: the world stopped %d times, want the table to grow often", exact, w, stops)
			}
		}
	}
	r := mustCheck(t, context.Background(), m, Options{Workers: 3})
	if s := statusOf(r, "not-corner"); s != Violated {
		t.Errorf("not-corner: %s, want violated (the corner is reachable)", s)
	}
}

// The first quotas, shared out before the search, may already need bigger
// shards (here: quotas of 8 entries for 3 workers in shards of 4). That
// first rehash runs outside any stop, and must leave the epoch even
// ("running"), as every stop does; an odd epoch made every later rehash
// look like a running world to parked workers, which then inserted
// states during the rehash and counted some twice.
func TestFirstGrowthLeavesTheWorldRunning(t *testing.T) {
	defer func(c, q int) { minShardCap, minQuota = c, q }(minShardCap, minQuota)
	minShardCap, minQuota = 4, 8
	m := gridModel()
	wantD, wantG, wantDepth := referenceCounts(m)
	for w := 1; w <= 3; w++ {
		b := newBFS(&m, allProperties(&m), Options{Workers: w})
		if e := b.world.epoch; e%2 != 0 {
			t.Errorf("workers=%d: epoch %d after the first quotas, want even (running)", w, e)
		}
		if w < 3 {
			b.free()
			continue // one search, the most contended, is enough for the counts
		}
		depth := b.run()
		b.syncCounters()
		d, g := b.distinct.Load(), b.generated.Load()
		b.free()
		if d != wantD || g != wantG || depth != wantDepth {
			t.Errorf("workers=%d: %d distinct, %d generated, depth %d; want %d, %d, %d", w, d, g, depth, wantD, wantG, wantDepth)
		}
	}
}
