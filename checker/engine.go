package checker

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Check explores the reachable states of m breadth first and decides its
// properties. It never reports a property as holding on an incomplete
// exploration: a run stopped by a limit, the context or the timeout
// reports Unknown for what it could not decide, while violations and
// witnesses it found stand.
//
// Check first validates the model (see Model.Validate) and the options:
// a malformed model gives a *ModelError, bad options (a name in
// Options.Properties that the model lacks, say) an error naming them,
// and no run. Everything else about the run, incomplete ones
// included, is in the Result.
func Check[S comparable](ctx context.Context, m Model[S], opt Options) (Result[S], error) {
	if err := m.Validate(); err != nil {
		return Result[S]{}, err
	}
	if err := opt.validate(); err != nil {
		return Result[S]{}, err
	}
	if _, err := selectProperties(allProperties(&m), opt.Properties); err != nil {
		return Result[S]{}, err
	}
	return check(ctx, m, opt), nil
}

// check is Check on a model and options already validated (the
// property selection included).
func check[S comparable](ctx context.Context, m Model[S], opt Options) Result[S] {
	resetPeakRSS()
	start := time.Now()
	all := allProperties(&m)
	chosen, _ := selectProperties(all, opt.Properties)
	var props []Property[S]
	for i, p := range all {
		if chosen[i] {
			props = append(props, p)
		}
	}
	b := newBFS(&m, props, opt)
	b.phase.Store(int32(PhaseExploring))

	done := make(chan struct{})
	defer close(done)
	go watch(ctx, opt, b, start, done)

	depth := b.run()
	b.syncCounters()
	b.free() // the tables are not needed for verdicts: give the memory back first
	res := Result[S]{
		Distinct:  b.distinct.Load(),
		Generated: b.generated.Load(),
		Depth:     depth,
		Complete:  !b.stop.Load() && !b.decidedEarly,
	}
	switch {
	case b.stop.Load():
		res.Reason = b.stopReason
	case b.decidedEarly:
		res.Reason = "every property decided"
	}
	res.Fingerprint, res.CollisionProbability = fingerprintMode[S](opt.Exact, res.Distinct, res.Generated)

	// Verdicts. Traces are rebuilt by a second, exact search that keeps
	// parent links, up to the deepest trace only (see rebuildTraces).
	cands := b.workers[0].judge.cands
	b.phase.Store(int32(PhaseTraces))
	compact := decideCompact(b, res.Complete)
	traces := rebuildTraces(&m, props, cands, &b.stop, b.mem)
	b.phase.Store(int32(PhaseLiveness))
	live := leadsTo(&m, props, res, opt, &b.stop, b.mem, compact)
	if compact != nil {
		compact() // done deciding (leadsTo waits for it, unless it had nothing to do)
	}
	b.live.release()
	k := 0 // index into props of the next chosen property
	for idx, p := range all {
		pr := PropertyResult[S]{Property: p}
		if !chosen[idx] {
			pr.Status = NotChecked
			res.Properties = append(res.Properties, pr)
			continue
		}
		i := k
		k++
		c := &cands[i]
		switch p.Kind {
		case Always, AlwaysStep, Deadlock, Sometimes, SometimesStep:
			positive := p.Kind == Sometimes || p.Kind == SometimesStep
			switch {
			case c.found:
				pr.Status = Violated
				if positive {
					pr.Status = Holds
				}
				pr.Trace = traces[i]
			case res.Complete && positive:
				pr.Status = Violated
			case res.Complete:
				pr.Status = Holds
			}
		case Eventually:
			lr := live[i]
			if lr == nil {
				break // incomplete, or stopped while building the graph: unknown
			}
			pr.Status = Holds
			if lr.violated {
				pr.Status = Violated
				t := lr.trace
				pr.Trace = &t
			}
		}
		res.Properties = append(res.Properties, pr)
	}
	if res.Complete && b.stop.Load() {
		// The exploration finished but the run was stopped while it
		// rebuilt traces or analysed liveness: what was decided stands,
		// the rest is unknown.
		res.Complete = false
		res.Reason = b.stopReason + " (after the exploration, before every verdict was reached)"
	}
	res.Duration = time.Since(start)
	res.PeakBytes = peakRSS()
	return res
}

// compactVerdicts waits for the verdicts of the compact graph (each call
// returns the same): live is the recording, violated says per recorded
// property whether it is violated, ok is false if they were not reached
// (run stopped, memory).
type compactVerdicts[S comparable] func() (live *liveRec[S], violated []bool, ok bool)

// decideCompact starts deciding the Eventually properties recorded on the
// compact graph of a complete run (nil without one). With several
// workers it runs beside the reconstruction of the traces, which takes
// one goroutine, and frees the graph when done; with one, it runs when
// its verdicts are asked for.
func decideCompact[S comparable](b *bfs[S], complete bool) compactVerdicts[S] {
	live := b.live
	if live == nil || !complete {
		return nil
	}
	decide := sync.OnceValues(func() ([]bool, bool) {
		v, ok := decideAll(live, b.opt, &b.stop, b.mem)
		live.release()
		return v, ok
	})
	if b.opt.Workers < 2 {
		return func() (*liveRec[S], []bool, bool) {
			v, ok := decide()
			return live, v, ok
		}
	}
	done := make(chan struct{})
	var violated []bool
	var ok bool
	go func() {
		defer close(done)
		violated, ok = decide()
	}()
	return func() (*liveRec[S], []bool, bool) {
		<-done
		return live, violated, ok
	}
}

// leadsTo decides the Eventually properties of a complete run. With the
// compact graph the search recorded, it takes the verdicts reached there
// (compact) and builds the whole-state graph only if some property is
// violated, to rebuild its counterexample: the lasso checkLeadsTo finds,
// the same as without the compact graph. Without it (more than 64
// fairness bits), every property is decided on the whole-state graph. It
// returns nil for a property it did not decide.
func leadsTo[S comparable](m *Model[S], props []Property[S], res Result[S], opt Options, stop *atomic.Bool, mem *memGuard, compact compactVerdicts[S]) []*livenessResult[S] {
	out := make([]*livenessResult[S], len(props))
	var todo []int
	for i := range props {
		if props[i].Kind == Eventually {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 || !res.Complete {
		return out
	}
	fromCompact := map[int]bool{} // the properties the compact graph found violated
	if compact != nil {
		live, violated, ok := compact()
		if !ok {
			return out
		}
		todo = todo[:0]
		for l, i := range live.props {
			if violated[l] {
				todo = append(todo, i)
				fromCompact[i] = true
			} else {
				out[i] = &livenessResult[S]{}
			}
		}
		if len(todo) == 0 {
			return out
		}
	}
	hint := sizeHint{states: res.Distinct, edges: res.Generated}
	// Deciding one property takes about 48 bytes per state and 8 per
	// edge besides the graph (see checkLeadsTo).
	perProperty := 48*hint.states + 8*hint.edges
	workers := min(max(opt.Workers, 1), len(todo))
	for workers > 1 && mem.limit > 0 && residentBytes()+graphBytes[S](hint)+uint64(workers)*perProperty > mem.limit {
		workers--
	}
	if !mem.afford(graphBytes[S](hint) + uint64(workers)*perProperty) {
		return out
	}
	g := buildGraph(m, stop, 0, hint, mem)
	if !g.complete {
		return out
	}
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= len(todo) || stop.Load() {
					return
				}
				i := todo[k]
				lr := checkLeadsTo(g, &props[i])
				if fromCompact[i] && !lr.violated {
					// The compact graph is the fingerprinted image of
					// this one: only a fingerprint collision (or a model
					// whose functions are not deterministic) can make
					// them disagree. As in rebuildTraces, say so rather
					// than report a verdict without its counterexample.
					panic("checker: property " + props[i].Name + ": violated on the fingerprinted graph but not on the exact one (a fingerprint collision, or a nondeterministic model?)")
				}
				out[i] = &lr
			}
		}()
	}
	wg.Wait()
	return out
}

// decideAll decides every property recorded in live, a batch of 8 at a
// time (livedecide.go), up to opt.Workers batches at once (fewer if the
// memory limit requires), and reports per recorded property whether it
// is violated; ok is false if the run was stopped or the memory limit
// refused even one batch at a time.
func decideAll[S comparable](live *liveRec[S], opt Options, stop *atomic.Bool, mem *memGuard) (violated []bool, ok bool) {
	per := live.nodeCount() * decideBytes
	batches := (len(live.props) + batchProps - 1) / batchProps
	workers := min(max(opt.Workers, 1), batches)
	for workers > 1 && mem.limit > 0 && residentBytes()+uint64(workers)*per > mem.limit {
		workers--
	}
	if !mem.afford(uint64(workers) * per) {
		return nil, false
	}
	violated = make([]bool, len(live.props))
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= batches || stop.Load() {
					return
				}
				v := live.decideBatch(k, stop)
				for l := 0; l < batchProps && batchProps*k+l < len(live.props); l++ {
					violated[batchProps*k+l] = v>>l&1 == 1
				}
			}
		}()
	}
	wg.Wait()
	return violated, !stop.Load()
}

// fingerprintMode describes the storage and estimates, as TLC does
// ("optimistic"), the probability that some state was lost to a
// fingerprint collision: each of the generated-minus-distinct lookups of
// an already seen fingerprint could have matched any of the distinct
// states by chance, so P ~ distinct * (generated - distinct) / 2^64.
func fingerprintMode[S comparable](exact bool, distinct, generated uint64) (string, float64) {
	switch {
	case exact:
		return "exact (whole states stored)", 0
	case injective[S]():
		return "exact (states of at most 8 bytes: injective 64-bit fingerprints)", 0
	}
	d := float64(distinct)
	g := float64(generated)
	if g < d {
		g = d
	}
	return "64-bit fingerprints", d * (g - d) / math.Pow(2, 64)
}

// watch stops the search on cancellation or timeout and reports progress.
func watch[S comparable](ctx context.Context, opt Options, b *bfs[S], start time.Time, done chan struct{}) {
	var timeout <-chan time.Time
	if opt.Timeout > 0 {
		t := time.NewTimer(opt.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	var tick <-chan time.Time
	if opt.Progress != nil {
		every := opt.ProgressEvery
		if every <= 0 {
			every = time.Second
		}
		tk := time.NewTicker(every)
		defer tk.Stop()
		tick = tk.C
	}
	for {
		select {
		case <-done:
			return
		case <-ctx.Done():
			b.halt("interrupted")
			return
		case <-timeout:
			b.halt("timeout " + opt.Timeout.String())
			return
		case <-tick:
			opt.Progress(Progress{
				Phase:     Phase(b.phase.Load()),
				Distinct:  b.distinct.Load(),
				Generated: b.generated.Load(),
				Queue:     uint64(max(b.queue.Load(), 0)),
				Depth:     int(b.depth.Load()),
				Elapsed:   time.Since(start),
				Memory:    residentBytes(),
				MaxMemory: b.mem.limit,
			})
		}
	}
}

// Simulate takes one random walk of at most steps steps from a random
// initial state, choosing uniformly among the kept successors, and stops
// early in a state without any. The same seed gives the same walk. With no
// initial state within the state constraint the trace is empty; with
// steps <= 0 it is the initial state alone. Simulate validates the model
// first, as Check does.
func Simulate[S comparable](m Model[S], seed int64, steps int) (Trace[S], error) {
	if err := m.Validate(); err != nil {
		return Trace[S]{Loop: -1}, err
	}
	return simulate(m, seed, steps), nil
}

// simulate is Simulate on a validated model.
func simulate[S comparable](m Model[S], seed int64, steps int) Trace[S] {
	rng := newRand(seed)
	var inits []S
	for _, s := range m.Init() {
		if m.within(s) {
			inits = append(inits, s)
		}
	}
	t := Trace[S]{Loop: -1}
	if len(inits) == 0 {
		return t
	}
	s := inits[rng.intn(len(inits))]
	t.Steps = append(t.Steps, Step[S]{Initial: true, State: s})
	var acts []Action
	var succ []Step[S]
	for i := 0; i < steps; i++ {
		acts = m.Actions(s, acts[:0])
		succ = succ[:0]
		for _, a := range acts {
			n := m.Next(s, a)
			if !m.kept(s, a, n) {
				continue
			}
			succ = append(succ, Step[S]{Action: a, State: n})
		}
		if len(succ) == 0 {
			break
		}
		st := succ[rng.intn(len(succ))]
		t.Steps = append(t.Steps, st)
		s = st.State
	}
	return t
}

func allProperties[S comparable](m *Model[S]) []Property[S] {
	ps := append([]Property[S](nil), m.Properties...)
	if m.CheckDeadlock {
		ps = append(ps, Property[S]{Name: "deadlock", Kind: Deadlock,
			Description: "no reachable state without enabled actions, other than allowed end states"})
	}
	return ps
}
