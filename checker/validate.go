package checker

import (
	"fmt"
	"strconv"
	"strings"
)

// A model is plain data: a struct of functions and properties that a
// library user fills in by hand. A missing function or a property of the
// wrong shape would otherwise surface as a nil-function panic deep inside
// the engine (on the first state a predicate is evaluated on, perhaps
// minutes into a run), or, worse, as a field that is silently ignored.
// Validate finds all of these before anything runs; Check, Simulate and
// Erase call it first and return its error.

// ModelError lists everything Validate found wrong with a model, not just
// the first problem, so that one run shows every fix needed. Its message
// is one line: the model's name, then each problem, separated by "; ".
type ModelError struct {
	// Model is the model's name ("" if the model has none).
	Model string
	// Problems are the problems in the model's order: the model's own
	// fields first, then each property's.
	Problems []Problem
}

// Problem is one thing wrong with a model.
type Problem struct {
	// Property names the property at fault, "" for a problem of the
	// model itself. A property without a name is named by its index in
	// Model.Properties ("#2").
	Property string
	// Kind is the property's kind (meaningful only with Property).
	Kind Kind
	// Field is the field at fault: "Init", "Step", "Fair[1].Member",
	// "state type", "Workers" (Options), ...
	Field string
	// Reason says what is wrong with it ("is nil").
	Reason string
}

func (p Problem) String() string {
	if p.Property == "" {
		return p.Field + " " + p.Reason
	}
	name := p.Property
	if !strings.HasPrefix(name, "#") {
		name = strconv.Quote(name)
	}
	return fmt.Sprintf("property %s (%s): %s %s", name, p.Kind, p.Field, p.Reason)
}

func (e *ModelError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return fmt.Sprintf("checker: model %q: %s", e.Model, strings.Join(parts, "; "))
}

// Validate reports what would make the model panic or misbehave in the
// engine, as a *ModelError listing every problem (nil if there is none):
//
//   - Name, Init, Actions and Next must be set; Label, Format, Within,
//     Allow, EndState, Lanes, Describe, DescribeInit and Project are
//     optional;
//   - the state type S must be hashable by its bytes (see the package
//     doc): booleans and integers in arrays and structs, without padding;
//   - every property needs a name, unique among the model's properties
//     (the engine's own "deadlock" property included when CheckDeadlock
//     is set), and a known Kind other than Deadlock (the engine adds the
//     deadlock property itself when CheckDeadlock is set);
//   - each property needs the predicates its kind uses, and must leave the
//     others unset, since a predicate set on a kind that ignores it (a
//     Step on an Always property, meant as AlwaysStep, say) would be
//     silently ignored: see the table in the package doc;
//   - an Eventually property has at most 64 fairness groups, each with a
//     name, unique within the property, and a Member function.
//
// Validate does not call any of the model's functions: whether they are
// deterministic and pure, as Model requires, cannot be checked up front.
func (m *Model[S]) Validate() error {
	var probs []Problem
	model := func(field, reason string) { probs = append(probs, Problem{Field: field, Reason: reason}) }
	if m.Name == "" {
		model("Name", "is empty")
	}
	if m.Init == nil {
		model("Init", "is nil")
	}
	if m.Actions == nil {
		model("Actions", "is nil")
	}
	if m.Next == nil {
		model("Next", "is nil")
	}
	if err := stateTypeError[S](); err != nil {
		model("state type", err.Error())
	}
	seen := map[string]bool{}
	if m.CheckDeadlock {
		seen["deadlock"] = true
	}
	for i := range m.Properties {
		probs = append(probs, validateProperty(&m.Properties[i], i, seen)...)
	}
	if len(probs) == 0 {
		return nil
	}
	return &ModelError{Model: m.Name, Problems: probs}
}

// uses says which of a property's fields each kind reads.
var uses = map[Kind]struct{ holds, from, step, fair bool }{
	Always:        {holds: true},
	Sometimes:     {holds: true},
	Eventually:    {holds: true, from: true, fair: true},
	AlwaysStep:    {step: true},
	SometimesStep: {step: true},
}

func validateProperty[S comparable](p *Property[S], i int, seen map[string]bool) []Problem {
	var probs []Problem
	name := p.Name
	if name == "" {
		name = "#" + strconv.Itoa(i)
	}
	add := func(field, reason string) {
		probs = append(probs, Problem{Property: name, Kind: p.Kind, Field: field, Reason: reason})
	}
	switch {
	case p.Name == "":
		add("Name", "is empty")
	case seen[p.Name] && p.Name == "deadlock":
		add("Name", `is taken by the engine's deadlock property (the model sets CheckDeadlock)`)
	case seen[p.Name]:
		add("Name", "is used by an earlier property")
	}
	seen[p.Name] = true
	if p.Kind == Deadlock {
		add("Kind", "is deadlock: the engine adds the deadlock property itself when Model.CheckDeadlock is set")
		return probs
	}
	u, ok := uses[p.Kind]
	if !ok {
		add("Kind", fmt.Sprintf("%d is not a property kind", p.Kind))
		return probs
	}
	field := func(name string, set, used, required bool) {
		switch {
		case used && required && !set:
			add(name, "is nil")
		case !used && set:
			add(name, fmt.Sprintf("is set but %s properties do not use it", p.Kind))
		}
	}
	field("Holds", p.Holds != nil, u.holds, true)
	field("From", p.From != nil, u.from, false)
	field("Step", p.Step != nil, u.step, true)
	field("Fair", len(p.Fair) > 0, u.fair, false)
	if !u.fair {
		return probs
	}
	if len(p.Fair) > 64 {
		add("Fair", fmt.Sprintf("has %d groups, more than the 64 the engine supports", len(p.Fair)))
	}
	groups := map[string]bool{}
	for k, f := range p.Fair {
		switch {
		case f.Name == "":
			add(fmt.Sprintf("Fair[%d].Name", k), "is empty")
		case groups[f.Name]:
			add(fmt.Sprintf("Fair[%d].Name", k), fmt.Sprintf("%q is used by an earlier group", f.Name))
		}
		groups[f.Name] = true
		if f.Member == nil && f.Action == nil {
			add(fmt.Sprintf("Fair[%d].Member", k), "and Action are nil")
		}
	}
	return probs
}

// validate reports Options that make no sense. Zero values are defaults
// (see Options); negative ones are refused rather than read as "none".
func (o Options) validate() error {
	var bad []string
	if o.Workers < 0 {
		bad = append(bad, fmt.Sprintf("Workers %d is negative", o.Workers))
	}
	if o.Workers > MaxWorkers {
		bad = append(bad, fmt.Sprintf("Workers %d is more than %d", o.Workers, MaxWorkers))
	}
	if o.MaxDepth < 0 {
		bad = append(bad, fmt.Sprintf("MaxDepth %d is negative", o.MaxDepth))
	}
	if o.Timeout < 0 {
		bad = append(bad, fmt.Sprintf("Timeout %s is negative", o.Timeout))
	}
	if o.ProgressEvery < 0 {
		bad = append(bad, fmt.Sprintf("ProgressEvery %s is negative", o.ProgressEvery))
	}
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("checker: options: %s", strings.Join(bad, "; "))
}

// MaxWorkers bounds Options.Workers: each worker has its own frontiers and
// cache-line-padded counters, and more workers than this would only cost
// memory on any machine the engine is meant for.
const MaxWorkers = 1024
