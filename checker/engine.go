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
// a malformed model gives a *ModelError, bad options an error naming
// them, and no run. Everything else about the run, incomplete ones
// included, is in the Result.
func Check[S comparable](ctx context.Context, m Model[S], opt Options) (Result[S], error) {
	if err := m.Validate(); err != nil {
		return Result[S]{}, err
	}
	if err := opt.validate(); err != nil {
		return Result[S]{}, err
	}
	return check(ctx, m, opt), nil
}

// check is Check on a model and options already validated.
func check[S comparable](ctx context.Context, m Model[S], opt Options) Result[S] {
	resetPeakRSS()
	start := time.Now()
	props := allProperties(&m)
	b := newBFS(&m, props, opt)

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
	traces := rebuildTraces(&m, props, cands, &b.stop)
	live := leadsTo(&m, props, res, opt, &b.stop)
	for i, p := range props {
		pr := PropertyResult[S]{Property: p}
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

// leadsTo decides the Eventually properties of a complete run on the
// state graph, which it builds once for all of them. The properties are
// independent given the graph, so up to opt.Workers of them are decided
// at once (the predicates are already called concurrently by the search).
// It returns nil for a property it did not decide.
func leadsTo[S comparable](m *Model[S], props []Property[S], res Result[S], opt Options, stop *atomic.Bool) []*livenessResult[S] {
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
	g := buildGraph(m, stop, 0, sizeHint{states: res.Distinct, edges: res.Generated})
	if !g.complete {
		return out
	}
	workers := min(max(opt.Workers, 1), len(todo))
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= len(todo) {
					return
				}
				i := todo[k]
				lr := checkLeadsTo(g, &props[i])
				out[i] = &lr
			}
		}()
	}
	wg.Wait()
	return out
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
				Distinct:  b.distinct.Load(),
				Generated: b.generated.Load(),
				Queue:     uint64(max(b.queue.Load(), 0)),
				Depth:     int(b.depth.Load()),
				Elapsed:   time.Since(start),
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
