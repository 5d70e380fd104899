package checker

// judge evaluates the safety properties (Always, Sometimes, AlwaysStep,
// SometimesStep, deadlock) as one worker meets states and transitions, and
// keeps for each property its best candidate: the violating state (or
// witness) at the smallest depth, ties broken by the smallest key, so that
// the reported trace is shortest and the same for any number of workers.
type judge[S comparable] struct {
	props []Property[S]
	// active property indices per hook, shared by all workers and updated
	// between levels as properties get decided.
	cands []candidate[S]
}

// candidate is a state (for step properties, the transition's source and
// the action) whose shortest path makes a trace.
type candidate[S comparable] struct {
	found bool
	depth int // depth of State (the step's target is one deeper)
	key   uint64
	key2  uint32
	state S
	step  bool
	act   Action
	next  S
}

func (c *candidate[S]) better(depth int, key uint64, key2 uint32) bool {
	if !c.found || depth < c.depth {
		return true
	}
	return depth == c.depth && (key < c.key || key == c.key && key2 < c.key2)
}

// activeSets lists, per hook, the properties still undecided.
type activeSets struct {
	state    []int // Always and Sometimes: evaluated on each new state
	step     []int // AlwaysStep and SometimesStep: on each transition
	deadlock int   // index of the deadlock property, -1 if none/decided
}

func computeActive[S comparable](props []Property[S], decided []bool) activeSets {
	a := activeSets{deadlock: -1}
	for i, p := range props {
		if decided[i] {
			continue
		}
		switch p.Kind {
		case Always, Sometimes:
			a.state = append(a.state, i)
		case AlwaysStep, SometimesStep:
			a.step = append(a.step, i)
		case Deadlock:
			a.deadlock = i
		}
	}
	return a
}

func newJudge[S comparable](props []Property[S]) *judge[S] {
	return &judge[S]{props: props, cands: make([]candidate[S], len(props))}
}

// onState is called for each new distinct state at depth d.
func (j *judge[S]) onState(act *activeSets, s *S, fp uint64, d int) {
	for _, i := range act.state {
		p := &j.props[i]
		h := p.Holds(*s)
		if (p.Kind == Always) != h {
			if c := &j.cands[i]; c.better(d, fp, 0) {
				*c = candidate[S]{found: true, depth: d, key: fp, state: *s}
			}
		}
	}
}

// onStep is called for each kept transition s -a-> t, a being the ai-th
// enabled action of s, s at depth d.
func (j *judge[S]) onStep(act *activeSets, s *S, fpS uint64, a Action, ai int, t *S, d int) {
	for _, i := range act.step {
		p := &j.props[i]
		h := p.Step(*s, a, *t)
		if (p.Kind == AlwaysStep) != h {
			if c := &j.cands[i]; c.better(d, fpS, uint32(ai)) {
				*c = candidate[S]{found: true, depth: d, key: fpS, key2: uint32(ai), state: *s, step: true, act: a, next: *t}
			}
		}
	}
}

// onDeadlock is called for each state at depth d without enabled actions.
func (j *judge[S]) onDeadlock(act *activeSets, m *Model[S], s *S, fp uint64, d int) {
	if act.deadlock < 0 || (m.EndState != nil && m.EndState(*s)) {
		return
	}
	if c := &j.cands[act.deadlock]; c.better(d, fp, 0) {
		*c = candidate[S]{found: true, depth: d, key: fp, state: *s}
	}
}

// merge folds another worker's candidates into j's.
func (j *judge[S]) merge(o *judge[S]) {
	for i := range j.cands {
		oc := &o.cands[i]
		if oc.found && j.cands[i].better(oc.depth, oc.key, oc.key2) {
			j.cands[i] = *oc
		}
	}
}
