package checker

// judge evaluates the safety properties (Always, Sometimes, AlwaysStep,
// SometimesStep, deadlock) as one worker meets states and transitions, and
// keeps for each property the smallest depth at which it found a
// violation (or witness). After the search, rebuildTraces finds the trace
// itself: the first one at that depth in breadth-first order, the same for
// any number of workers.
type judge[S comparable] struct {
	props []Property[S]
	cands []candidate
}

// candidate records that a property was decided at some depth: the depth
// of the violating (or witnessing) state, or of the source of the
// violating (or witnessing) transition.
type candidate struct {
	found bool
	depth int
}

func (c *candidate) note(depth int) {
	if !c.found || depth < c.depth {
		c.found, c.depth = true, depth
	}
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
	return &judge[S]{props: props, cands: make([]candidate, len(props))}
}

// onState is called for each new distinct state at depth d.
func (j *judge[S]) onState(act *activeSets, s *S, d int) {
	for _, i := range act.state {
		p := &j.props[i]
		if p.Holds(*s) != (p.Kind == Always) {
			j.cands[i].note(d)
		}
	}
}

// onStep is called for each kept transition s -a-> t, s at depth d.
func (j *judge[S]) onStep(act *activeSets, s *S, a Action, t *S, d int) {
	for _, i := range act.step {
		p := &j.props[i]
		if p.Step(*s, a, *t) != (p.Kind == AlwaysStep) {
			j.cands[i].note(d)
		}
	}
}

// onDeadlock is called for each state at depth d without enabled actions.
func (j *judge[S]) onDeadlock(act *activeSets, m *Model[S], s *S, d int) {
	if act.deadlock < 0 || (m.EndState != nil && m.EndState(*s)) {
		return
	}
	j.cands[act.deadlock].note(d)
}

// merge folds another worker's candidates into j's.
func (j *judge[S]) merge(o *judge[S]) {
	for i := range j.cands {
		if oc := &o.cands[i]; oc.found {
			j.cands[i].note(oc.depth)
		}
	}
}
