// Package checker is a model-agnostic explicit-state model checker.
//
// A model is a transition system described by plain functions over a state
// type S (see Model). States are values: fixed-size structs and arrays of
// integers and booleans, with no pointers, slices, maps, strings or padding,
// so the engine can hash their bytes, store compact fingerprints and copy
// them without allocation. The engine explores the reachable states breadth
// first and decides the model's properties:
//
//   - Always: an invariant that must hold in every reachable state;
//   - Sometimes: some reachable state satisfies the predicate (a witness);
//   - Eventually (leads-to, P ~> Q): every behaviour that reaches a P-state
//     later reaches a Q-state, under weak fairness of named action groups;
//   - AlwaysStep and SometimesStep: the same as Always and Sometimes for a
//     predicate of transitions s -a-> t rather than of states;
//   - deadlock: no reachable state without enabled actions, other than the
//     end states the model allows.
//
// Every counterexample and witness is a shortest path from an initial state.
//
// # Well-formed models
//
// Check, Simulate and Erase validate the model first (Model.Validate) and
// return an error, never panic, when it is malformed. A model needs Name,
// Init, Actions and Next, and a state type as above; every other function
// of Model is optional. Each property needs a name unique in the model and
// exactly the fields its Kind reads (a field a kind does not read must be
// left unset, so that a mistaken kind is caught rather than ignored):
//
//	Kind           Holds     From      Step      Fair
//	Always         required  -         -         -
//	Sometimes      required  -         -         -
//	Eventually     required  optional  -         optional, at most 64 groups,
//	                                             each named, with Member or
//	                                             Action or both
//	AlwaysStep     -         -         required  -
//	SometimesStep  -         -         required  -
//
// Deadlock is not a kind to put in Model.Properties: set
// Model.CheckDeadlock and the engine adds a property named "deadlock".
// Validate reports every problem at once, as a *ModelError whose message is
// one line ("checker: model "tcp": property "x" (sometimes-step): Step is
// nil; ..."); its Problems name the property and the field of each.
// Negative Options are refused too.
//
// What Validate cannot check is that the model's functions are
// deterministic and pure, as Model requires. A model whose functions are
// not may make the engine stop with an internal-invariant panic (a
// counterexample depth that the exact re-search does not reproduce), the
// same panic a 64-bit fingerprint collision would cause.
package checker

import "fmt"

// Action identifies one enabled action of a state. The model chooses the
// encoding (an index into a table of action kinds plus parameters, say); the
// engine only stores actions and hands them back to Next and Label.
type Action uint32

// Model is a transition system over states of type S, given as plain
// functions in the style of porcupine and Stateright.
//
// Actions, Next and the predicates are called on the engine's hot path: they
// must be deterministic and pure, and should not allocate or format strings.
// Label and Format are called only to print traces.
type Model[S comparable] struct {
	// Name identifies the model (for example "tcp").
	Name string

	// Init returns the initial states.
	Init func() []S

	// Actions appends the actions enabled in s to buf, in a deterministic
	// order, and returns the extended slice.
	Actions func(s S, buf []Action) []Action

	// Next returns the successor of s under the enabled action a.
	Next func(s S, a Action) S

	// Label names action a taken in state s, for traces (for example
	// "client: active OPEN" or "deliver client->server <SEQ=100><CTL=SYN>").
	// Nil names actions by number ("action 3").
	Label func(s S, a Action) string

	// Format renders a state for traces. Nil means fmt's %+v.
	Format func(s S) string

	// Properties are the properties to check.
	Properties []Property[S]

	// Within is the state constraint: states for which it returns false
	// are neither counted as distinct nor expanded (they still count as
	// generated). Nil means every state is within.
	Within func(s S) bool

	// Allow is the action constraint: transitions s -a-> t for which it
	// returns false are dropped (they still count as generated). Nil means
	// every transition is allowed.
	Allow func(s S, a Action, t S) bool

	// CheckDeadlock turns on deadlock checking: a reachable state with no
	// enabled action (before the constraints are applied) is a deadlock
	// unless EndState says it is an allowed end state.
	CheckDeadlock bool

	// EndState reports whether a state without enabled actions is a normal
	// end of the protocol rather than a deadlock. Nil means none is.
	EndState func(s S) bool

	// Lanes names the participants of sequence diagrams ("client",
	// "server"; or "client", "attacker", "server").
	Lanes []string

	// Describe explains the transition s -a-> t for sequence diagrams:
	// messages sent and received, state changes per lane. Optional; called
	// only when printing traces.
	Describe func(s S, a Action, t S) []Event

	// DescribeInit gives the diagram events of an initial state (each
	// lane's starting protocol state, say). Optional.
	DescribeInit func(s S) []Event

	// Project maps states onto one lane's protocol state, for state
	// graphs projected onto a role (see Projection). Optional.
	Project *Projection[S]
}

// EventKind is the kind of a diagram event.
type EventKind uint8

const (
	// Send: lane Lane puts message Text on the network towards lane Peer.
	Send EventKind = iota
	// Receive: lane Lane takes message Text, sent by lane Peer.
	Receive
	// Drop: the network loses message Text from Lane to Peer.
	Drop
	// Change: lane Lane's protocol state becomes Text (e.g. "SYN_SENT").
	Change
	// Note: a remark shown beside lane Lane (e.g. "app reads 1 byte").
	Note
)

// Event is one thing a sequence diagram shows for a transition.
type Event struct {
	Kind EventKind
	Lane int
	Peer int
	Text string
}

// Kind is the kind of a property.
type Kind uint8

const (
	// Always: Holds(s) for every reachable state s (an invariant).
	Always Kind = iota
	// Sometimes: Holds(s) for some reachable state s; the witness is a
	// shortest path to such a state.
	Sometimes
	// Eventually: leads-to. Every fair behaviour that passes through a
	// state satisfying From later reaches a state satisfying Holds. With
	// From nil, the behaviour starts at an initial state.
	Eventually
	// Deadlock is reported by the engine for models with CheckDeadlock.
	Deadlock
	// AlwaysStep: Step(s, a, t) for every reachable transition (an action
	// invariant, e.g. "every state change is on the RFC diagram").
	AlwaysStep
	// SometimesStep: Step(s, a, t) for some reachable transition (e.g. "the
	// arrow LISTEN -> SYN_RECEIVED is covered"); the witness ends with it.
	SometimesStep
)

// Existential reports whether a property of kind k is shown by one
// witness (Sometimes, SometimesStep) rather than by the whole state space:
// only such a property can be found to hold by an incomplete run.
func (k Kind) Existential() bool { return k == Sometimes || k == SometimesStep }

// MarshalText writes a kind as its String ("always", "sometimes-step"),
// so that JSON reports show the word.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads a kind written by MarshalText.
func (k *Kind) UnmarshalText(b []byte) error {
	for _, x := range []Kind{Always, Sometimes, Eventually, Deadlock, AlwaysStep, SometimesStep} {
		if string(b) == x.String() {
			*k = x
			return nil
		}
	}
	return fmt.Errorf("unknown property kind %q", b)
}

func (k Kind) String() string {
	switch k {
	case Always:
		return "always"
	case Sometimes:
		return "sometimes"
	case Eventually:
		return "eventually"
	case Deadlock:
		return "deadlock"
	case AlwaysStep:
		return "always-step"
	case SometimesStep:
		return "sometimes-step"
	}
	return "unknown"
}

// Property is a named property of a model.
type Property[S comparable] struct {
	Name string
	Kind Kind
	// Description says in a sentence what the property means, including,
	// for Eventually, the fairness assumption.
	Description string
	// Holds is the invariant (Always), the goal (Sometimes) or Q in P ~> Q
	// (Eventually).
	Holds func(s S) bool
	// From is P in P ~> Q (Eventually only).
	From func(s S) bool
	// Step is the transition predicate of AlwaysStep and SometimesStep.
	Step func(s S, a Action, t S) bool
	// Group is a display heading for reports ("" for ordinary properties,
	// "diagram" for the RFC state diagram arrows, say).
	Group string
	// Fair lists the action groups that are weakly fair for this
	// Eventually property: if a group stays enabled, one of its actions is
	// eventually taken. Unfair actions may be postponed forever, and a
	// behaviour may stutter in a state where no fair group is enabled.
	Fair []Fairness[S]
}

// Fairness is a named group of actions under weak fairness. Action a of
// state s belongs to the group iff Action(a) and Member(s, a) hold; set
// at least one of the two (a nil one counts as true).
type Fairness[S comparable] struct {
	Name string
	// Member is the part of membership that depends on the state.
	Member func(s S, a Action) bool
	// Action is the part that depends on the action alone (its kind and
	// side, say): the search caches it per action (each worker calls it
	// about once per distinct action rather than once per transition) and
	// calls Member only for the actions it accepts. A group that needs no
	// state (a channel's deliveries, a timer's expiry) sets Action only.
	Action func(a Action) bool
}

// Contains reports whether action a of state s belongs to the group.
func (f *Fairness[S]) Contains(s S, a Action) bool {
	return (f.Action == nil || f.Action(a)) && (f.Member == nil || f.Member(s, a))
}

// label names action a of state s with Label, or by number.
func (m *Model[S]) label(s S, a Action) string {
	if m.Label == nil {
		return "action " + utoa(uint64(a))
	}
	return m.Label(s, a)
}

// within reports whether the state constraint keeps s.
func (m *Model[S]) within(s S) bool { return m.Within == nil || m.Within(s) }

// kept reports whether the constraints keep the transition s -a-> t.
func (m *Model[S]) kept(s S, a Action, t S) bool {
	return (m.Within == nil || m.Within(t)) && (m.Allow == nil || m.Allow(s, a, t))
}
