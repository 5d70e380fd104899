package checker

// rng is a small deterministic generator (splitmix64) so that simulations
// are reproducible from their seed across Go versions.
type rng struct{ x uint64 }

func newRand(seed int64) *rng { return &rng{uint64(seed)} }

func (r *rng) next() uint64 {
	r.x += 0x9e3779b97f4a7c15
	return mix64(r.x)
}

func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }
