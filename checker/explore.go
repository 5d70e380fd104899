package checker

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
)

// This file gives tools type-erased access to a model's state space for
// exploring it by hand, drawing its state graph and replaying recorded
// traces. Every position is addressed by a path of indices from an
// initial state, the addressing TraceStep.Index uses: the first index is
// the initial state's position in Init(), each later index the position of
// the action taken among the actions Actions returned in the state before.

// Explorer is implemented by every System Erase makes.
type Explorer interface {
	// Walk follows path from an initial state. The empty path is the
	// start, where the choices are the initial states.
	Walk(path []int) (Position, error)
	// Find checks the model for one property (by name) and returns the
	// property's counterexample or witness, if any, as a path.
	Find(ctx context.Context, property string, opt Options) (Found, error)
	// Graph explores the reachable states and returns the state graph,
	// or its quotient onto one lane's protocol state (lane >= 0).
	Graph(ctx context.Context, opt GraphOptions) (*StateGraph, error)
	// Replay matches recorded steps (action labels and state texts as
	// rendered) against the model and returns the path they follow.
	Replay(steps []TraceStep) (Replayed, error)
	// Judge re-decides, on the trace at the end of path, whether it
	// still shows what a counterexample (or witness) of the property
	// shows: see Judgement.
	Judge(property string, path []int) (Judgement, error)
	// Projects reports whether the model can project states onto lanes.
	Projects() bool
}

// Projection maps a model's states onto one lane's protocol state (such
// as a TCP endpoint's "SYN_SENT"), for state graphs projected onto one
// role: the quotient of the reachable state graph by that map. It is an
// optional hook of Model (Model.Project).
type Projection[S comparable] struct {
	// Figure names the reference diagram the lanes follow ("RFC 9293
	// Figure 5"), "" if none.
	Figure string
	// State names lane's protocol state in s.
	State func(s S, lane int) string
	// Event names the event of s -a-> t that changes lane's protocol
	// state as the reference diagram labels its arrows ("rcv SYN / snd
	// SYN,ACK"), and reports whether the diagram has that arrow. Nil: the
	// action's Label, and no arrow is on a figure.
	Event func(s S, a Action, t S, lane int) (event string, onFigure bool)
	// Arrows lists the reference diagram's arrows, so that a projected
	// graph can show those no behaviour takes. Optional.
	Arrows []Arrow
}

// Arrow is an arrow of a reference state diagram.
type Arrow struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Event string `json:"event"`
}

// Choice is one action enabled at a position (or one initial state at
// the start).
type Choice struct {
	Index  int    `json:"index"`
	Action string `json:"action"`
	// Pruned is set when the model's state or action constraint drops
	// the transition: the checker never takes it, and Walk refuses it.
	Pruned bool `json:"pruned,omitempty"`
}

// Position is the end of a path: the trace that leads there and the
// choices from there.
type Position struct {
	Path  []int
	Trace TraceReport
	// Raw is the current state as Go prints it (every field), "" at the
	// start.
	Raw string
	// Choices are the enabled actions of the current state in the
	// model's order, or the initial states at the start.
	Choices []Choice
	// End is set when no action is enabled and the model calls the state
	// a normal end (Model.EndState); Deadlock when none is enabled and
	// the model checks deadlocks and does not call it an end.
	End, Deadlock bool
}

// PathError is a path that does not lead anywhere in the model.
type PathError struct {
	Step   int    // the step (0: the initial state) that fails
	Index  int    // the index asked for
	Reason string // why it fails
}

func (e *PathError) Error() string {
	return fmt.Sprintf("step %d (index %d): %s", e.Step, e.Index, e.Reason)
}

// Found is what Find returns.
type Found struct {
	Property PropertyInfo
	// Status is the property's verdict.
	Status Status
	// Trace is the counterexample (or witness) and Path its path; nil
	// when the check found none.
	Trace *TraceReport
	Path  []int
	// Complete and Reason tell whether the exploration was complete.
	Complete bool
	Reason   string
	Distinct uint64
}

// GraphOptions tunes Graph.
type GraphOptions struct {
	// MaxStates refuses graphs of more distinct states (0: no limit).
	MaxStates int
	// Lane, if >= 0, projects the graph onto that lane's protocol state
	// (the model must have Project); -1 keeps the full state graph.
	Lane int
}

// TooLargeError is returned by Graph when the reachable states exceed
// GraphOptions.MaxStates.
type TooLargeError struct{ Limit int }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("graph has more than %d states", e.Limit)
}

// StateGraph is a reachable state graph, full or projected.
type StateGraph struct {
	// Lane is the lane projected onto ("" for the full graph) and Figure
	// the reference diagram of the projection.
	Lane   string `json:"lane,omitempty"`
	Figure string `json:"figure,omitempty"`
	// States is the number of distinct reachable states explored.
	States int         `json:"states"`
	Nodes  []GraphNode `json:"nodes"`
	Edges  []GraphEdge `json:"edges"`
	// Missing lists the reference diagram's arrows no behaviour takes
	// (projected graphs only).
	Missing []Arrow `json:"missing,omitempty"`
}

// GraphNode is a state (full graph) or a protocol state (projected).
type GraphNode struct {
	ID      int    `json:"id"`
	Label   string `json:"label"`
	Initial bool   `json:"initial,omitempty"`
	// Path is a shortest path to the node (full graph only).
	Path string `json:"path,omitempty"`
	// End: no action is enabled and the model calls it an end state;
	// Deadlock: no action is enabled and it is not (full graph only).
	End      bool `json:"end,omitempty"`
	Deadlock bool `json:"deadlock,omitempty"`
}

// GraphEdge is a transition (full graph) or a change of the projected
// lane's protocol state (projected graph), with its label.
type GraphEdge struct {
	From  int    `json:"from"`
	To    int    `json:"to"`
	Label string `json:"label"`
	// Index is the action's position among the enabled actions of From
	// (full graph only).
	Index int `json:"index,omitempty"`
	// Count is the number of transitions of the full graph merged into
	// this projected edge.
	Count int `json:"count,omitempty"`
	// OffFigure marks a projected edge the reference diagram lacks.
	OffFigure bool `json:"off_figure,omitempty"`
}

// Replayed is a recorded trace matched against the model.
type Replayed struct {
	Path  []int
	Trace TraceReport
	// Moved lists the steps whose recorded index differs from the
	// action's index in the current model (same label and state).
	Moved []int
}

// ReplayError is a recorded step the model cannot take.
type ReplayError struct {
	Step   int
	Reason string
}

func (e *ReplayError) Error() string { return fmt.Sprintf("step %d: %s", e.Step, e.Reason) }

// Judgement is a property re-decided on a trace.
type Judgement struct {
	Property PropertyInfo
	// Decided is false when the property cannot be decided on one trace
	// (eventually: it depends on fairness over the whole graph).
	Decided bool
	// Shows is true when the trace still shows what it claims: for a
	// universal property (always, always-step, deadlock) that its end
	// violates it, for a sometimes-property that its end satisfies it.
	Shows bool
	// Why says it in words.
	Why string
}

// FormatPath writes a path as "0.2.1" ("" for the empty path).
func FormatPath(path []int) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = strconv.Itoa(p)
	}
	return strings.Join(parts, ".")
}

// ParsePath reads "0.2.1". The empty string is the empty path.
func ParsePath(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var out []int
	for _, part := range strings.Split(s, ".") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 || strings.HasPrefix(part, "+") {
			return nil, fmt.Errorf("path %q: %q is not an index (want non-negative integers separated by dots, e.g. 0.2.1)", s, part)
		}
		out = append(out, n)
	}
	return out, nil
}

// PathOf is the path of a rendered trace (its steps' indices).
func PathOf(t *TraceReport) []int {
	out := make([]int, len(t.Steps))
	for i, st := range t.Steps {
		out[i] = st.Index
	}
	return out
}

// walk follows path and returns the trace's steps.
func walk[S comparable](m *Model[S], path []int) ([]Step[S], error) {
	if len(path) == 0 {
		return nil, nil
	}
	inits := m.Init()
	if path[0] < 0 || path[0] >= len(inits) {
		return nil, &PathError{0, path[0], fmt.Sprintf("out of range: the model has %s", countOf(len(inits), "initial state"))}
	}
	s := inits[path[0]]
	if !m.within(s) {
		return nil, &PathError{0, path[0], "the initial state is outside the model's state constraint"}
	}
	steps := []Step[S]{{Initial: true, State: s}}
	var buf []Action
	for i, k := range path[1:] {
		buf = m.Actions(s, buf[:0])
		if k < 0 || k >= len(buf) {
			return nil, &PathError{i + 1, k, fmt.Sprintf("out of range: %s enabled", countOf(len(buf), "action"))}
		}
		a := buf[k]
		t := m.Next(s, a)
		if !m.kept(s, a, t) {
			return nil, &PathError{i + 1, k, fmt.Sprintf("%q is pruned by the model's constraints", m.label(s, a))}
		}
		steps = append(steps, Step[S]{Action: a, State: t})
		s = t
	}
	return steps, nil
}

func countOf(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func (e erased[S]) Projects() bool { return e.m.Project != nil && e.m.Project.State != nil }

func (e erased[S]) Walk(path []int) (Position, error) {
	m := &e.m
	steps, err := walk(m, path)
	if err != nil {
		return Position{}, err
	}
	pos := Position{Path: append([]int(nil), path...), Trace: RenderTrace(m, Trace[S]{Steps: steps, Loop: -1})}
	if len(steps) == 0 {
		for j, s0 := range m.Init() {
			first, _, _ := strings.Cut(formatState(m, s0), "\n")
			pos.Choices = append(pos.Choices, Choice{Index: j, Action: "initial state: " + first,
				Pruned: !m.within(s0)})
		}
		return pos, nil
	}
	s := steps[len(steps)-1].State
	pos.Raw = fmt.Sprintf("%+v", s)
	for j, a := range m.Actions(s, nil) {
		pos.Choices = append(pos.Choices, Choice{Index: j, Action: m.label(s, a), Pruned: !m.kept(s, a, m.Next(s, a))})
	}
	if len(pos.Choices) == 0 {
		pos.End = m.EndState != nil && m.EndState(s)
		pos.Deadlock = m.CheckDeadlock && !pos.End
	}
	return pos, nil
}

// property finds a property (the deadlock property included) by name.
func (e erased[S]) property(name string) (Property[S], error) {
	var names []string
	for _, p := range allProperties(&e.m) {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Property[S]{}, fmt.Errorf("unknown property %q of model %s (known: %s)", name, e.m.Name, strings.Join(names, ", "))
}

func (e erased[S]) Find(ctx context.Context, name string, opt Options) (Found, error) {
	p, err := e.property(name)
	if err != nil {
		return Found{}, err
	}
	// Check the one property: the exploration is the same, the verdicts
	// of the others are not needed.
	m := e.m
	m.Properties = nil
	m.CheckDeadlock = p.Kind == Deadlock && e.m.CheckDeadlock
	if p.Kind != Deadlock {
		m.Properties = []Property[S]{p}
	}
	if err := opt.validate(); err != nil {
		return Found{}, err
	}
	opt.Properties = nil // the model has the one property
	r := check(ctx, m, opt)
	f := Found{Property: infoOf(p), Complete: r.Complete, Reason: r.Reason, Distinct: r.Distinct}
	pr := r.Properties[0]
	f.Status = pr.Status
	if !r.Complete && pr.Status == Holds && p.Kind != Sometimes && p.Kind != SometimesStep {
		f.Status = Unknown
	}
	if pr.Trace != nil {
		t := RenderTrace(&e.m, *pr.Trace)
		f.Trace = &t
		f.Path = PathOf(&t)
	}
	return f, nil
}

func (e erased[S]) Replay(rec []TraceStep) (Replayed, error) {
	m := &e.m
	if len(rec) == 0 {
		return Replayed{}, &ReplayError{0, "the trace has no steps"}
	}
	var out Replayed
	inits := m.Init()
	var s S
	found := false
	for j, s0 := range inits {
		if formatState(m, s0) == rec[0].State && m.within(s0) {
			s, found = s0, true
			out.Path = append(out.Path, j)
			if j != rec[0].Index {
				out.Moved = append(out.Moved, 0)
			}
			break
		}
	}
	if !found {
		return Replayed{}, &ReplayError{0, "the recorded initial state is not an initial state of the model"}
	}
	steps := []Step[S]{{Initial: true, State: s}}
	var buf []Action
	for i := 1; i < len(rec); i++ {
		buf = m.Actions(s, buf[:0])
		// The recorded index first, then any other action with the same
		// label and successor.
		order := make([]int, 0, len(buf))
		if k := rec[i].Index; k >= 0 && k < len(buf) {
			order = append(order, k)
		}
		for k := range buf {
			if k != rec[i].Index {
				order = append(order, k)
			}
		}
		matched, labelled := -1, false
		for _, k := range order {
			a := buf[k]
			if m.label(s, a) != rec[i].Action {
				continue
			}
			labelled = true
			t := m.Next(s, a)
			if m.kept(s, a, t) && formatState(m, t) == rec[i].State {
				matched = k
				break
			}
		}
		switch {
		case matched < 0 && labelled:
			return Replayed{}, &ReplayError{i, fmt.Sprintf("action %q is enabled but does not lead to the recorded state", rec[i].Action)}
		case matched < 0:
			return Replayed{}, &ReplayError{i, fmt.Sprintf("no enabled action is %q", rec[i].Action)}
		}
		if matched != rec[i].Index {
			out.Moved = append(out.Moved, i)
		}
		a := buf[matched]
		s = m.Next(s, a)
		steps = append(steps, Step[S]{Action: a, State: s})
		out.Path = append(out.Path, matched)
	}
	out.Trace = RenderTrace(m, Trace[S]{Steps: steps, Loop: -1})
	return out, nil
}

func (e erased[S]) Judge(name string, path []int) (Judgement, error) {
	p, err := e.property(name)
	if err != nil {
		return Judgement{}, err
	}
	m := &e.m
	steps, err := walk(m, path)
	if err != nil {
		return Judgement{}, err
	}
	j := Judgement{Property: infoOf(p), Decided: true}
	if len(steps) == 0 {
		return Judgement{}, &PathError{0, 0, "empty path"}
	}
	last := steps[len(steps)-1]
	switch p.Kind {
	case Always:
		j.Shows = !p.Holds(last.State)
		j.Why = "the last state violates the invariant"
		if !j.Shows {
			j.Why = "the last state satisfies the invariant"
		}
	case Sometimes:
		j.Shows = p.Holds(last.State)
		j.Why = "the last state satisfies the goal"
		if !j.Shows {
			j.Why = "the last state does not satisfy the goal"
		}
	case AlwaysStep, SometimesStep:
		if len(steps) < 2 {
			j.Why = "the trace has no step"
			break
		}
		prev := steps[len(steps)-2].State
		ok := p.Step(prev, last.Action, last.State)
		if p.Kind == AlwaysStep {
			j.Shows = !ok
			j.Why = "the last step violates the step invariant"
			if ok {
				j.Why = "the last step satisfies the step invariant"
			}
		} else {
			j.Shows = ok
			j.Why = "the last step is the step sought"
			if !ok {
				j.Why = "the last step is not the step sought"
			}
		}
	case Deadlock:
		n := len(m.Actions(last.State, nil))
		end := m.EndState != nil && m.EndState(last.State)
		j.Shows = n == 0 && !end
		switch {
		case j.Shows:
			j.Why = "no action is enabled in the last state and it is not an end state"
		case n == 0:
			j.Why = "no action is enabled in the last state, but it is an allowed end state"
		default:
			j.Why = fmt.Sprintf("%s enabled in the last state", countOf(n, "action"))
		}
	default:
		j.Decided = false
		j.Why = "an eventually-property is decided on the whole state graph under fairness, not on one trace"
	}
	return j, nil
}

func (e erased[S]) Graph(ctx context.Context, opt GraphOptions) (*StateGraph, error) {
	m := &e.m
	if opt.Lane >= 0 && !e.Projects() {
		return nil, fmt.Errorf("model %s cannot project its states onto a lane", m.Name)
	}
	if opt.Lane >= len(m.Lanes) {
		return nil, fmt.Errorf("lane %d out of range", opt.Lane)
	}
	g, err := exploreGraph(ctx, m, opt.MaxStates)
	if err != nil {
		return nil, err
	}
	if opt.Lane >= 0 {
		return project(g, opt.Lane), nil
	}
	sg := &StateGraph{States: len(g.states), Nodes: []GraphNode{}, Edges: []GraphEdge{}}
	var buf []Action
	for i, s := range g.states {
		n := GraphNode{ID: i, Label: formatState(m, s), Initial: g.parent[i] < 0, Path: FormatPath(g.posPath(i))}
		buf = m.Actions(s, buf[:0])
		if len(buf) == 0 {
			n.End = m.EndState != nil && m.EndState(s)
			n.Deadlock = m.CheckDeadlock && !n.End
		}
		sg.Nodes = append(sg.Nodes, n)
		for e := g.edgeStart[i]; e < g.edgeStart[i+1]; e++ {
			sg.Edges = append(sg.Edges, GraphEdge{From: i, To: int(g.edgeTo[e]), Label: m.label(s, g.edgeAct[e]), Index: int(g.edgePos[e])})
		}
	}
	return sg, nil
}

// exploreGraph builds the whole graph for drawing, refusing more than
// maxStates states (0: no limit).
func exploreGraph[S comparable](ctx context.Context, m *Model[S], maxStates int) (*graph[S], error) {
	var stop atomic.Bool
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			stop.Store(true)
		case <-done:
		}
	}()
	g := buildGraph(m, &stop, maxStates, sizeHint{}, nil)
	switch {
	case maxStates > 0 && len(g.states) > maxStates:
		return nil, &TooLargeError{Limit: maxStates}
	case !g.complete:
		return nil, fmt.Errorf("interrupted after %d states", len(g.states))
	}
	return g, nil
}

// project is the quotient of g onto lane's protocol state.
func project[S comparable](g *graph[S], lane int) *StateGraph {
	m := g.m
	p := m.Project
	sg := &StateGraph{Lane: m.Lanes[lane], Figure: p.Figure, States: len(g.states), Nodes: []GraphNode{}, Edges: []GraphEdge{}}
	ids := map[string]int{}
	node := func(name string) int {
		if id, ok := ids[name]; ok {
			return id
		}
		ids[name] = len(sg.Nodes)
		sg.Nodes = append(sg.Nodes, GraphNode{ID: len(sg.Nodes), Label: name})
		return ids[name]
	}
	type key struct {
		from, to int
		label    string
	}
	edges := map[key]int{}
	for i, s := range g.states {
		from := node(p.State(s, lane))
		if g.parent[i] < 0 {
			sg.Nodes[from].Initial = true
		}
		for e := g.edgeStart[i]; e < g.edgeStart[i+1]; e++ {
			a, t := g.edgeAct[e], g.states[g.edgeTo[e]]
			name := p.State(t, lane)
			if name == sg.Nodes[from].Label {
				continue // the lane's protocol state does not change
			}
			dst := node(name)
			label, on := m.label(s, a), false
			if p.Event != nil {
				label, on = p.Event(s, a, t, lane)
			}
			kk := key{from, dst, label}
			if e, ok := edges[kk]; ok {
				sg.Edges[e].Count++
				continue
			}
			edges[kk] = len(sg.Edges)
			sg.Edges = append(sg.Edges, GraphEdge{From: from, To: dst, Label: label, Count: 1, OffFigure: !on})
		}
	}
	for _, ar := range p.Arrows {
		taken := false
		for _, e := range sg.Edges {
			if !e.OffFigure && sg.Nodes[e.From].Label == ar.From && sg.Nodes[e.To].Label == ar.To && e.Label == ar.Event {
				taken = true
			}
		}
		if !taken {
			sg.Missing = append(sg.Missing, ar)
		}
	}
	return sg
}
