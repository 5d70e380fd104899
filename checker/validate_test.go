package checker

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Each malformed model gets an error naming the model, the property and
// the field, from Validate and from every entry point that runs a model
// (Check, Simulate, Erase), and none of them panics. Without Validate,
// the nil predicates below panic inside the engine (judge.go, trace.go,
// liveness.go) on the first state or transition they are evaluated on.
func TestMalformedModelsAreRefusedWithTheirProblem(t *testing.T) {
	always := func(s counter) bool { return true }
	step := func(s counter, a Action, u counter) bool { return true }
	member := func(s counter, a Action) bool { return true }
	prop := func(p Property[counter]) func(*Model[counter]) {
		return func(m *Model[counter]) { m.Properties = append(m.Properties, p) }
	}
	var many []Fairness[counter]
	for i := 0; i < 65; i++ {
		many = append(many, Fairness[counter]{Name: "g" + itoa(i), Member: member})
	}
	cases := []struct {
		name   string
		break_ func(*Model[counter])
		want   []string // the problems, in order
	}{
		{"no name", func(m *Model[counter]) { m.Name = "" }, []string{"Name is empty"}},
		{"no Init", func(m *Model[counter]) { m.Init = nil }, []string{"Init is nil"}},
		{"no Actions", func(m *Model[counter]) { m.Actions = nil }, []string{"Actions is nil"}},
		{"no Next", func(m *Model[counter]) { m.Next = nil }, []string{"Next is nil"}},
		{"sometimes-step without Step", prop(Property[counter]{Name: "x", Kind: SometimesStep}),
			[]string{`property "x" (sometimes-step): Step is nil`}},
		{"always-step without Step", prop(Property[counter]{Name: "x", Kind: AlwaysStep}),
			[]string{`property "x" (always-step): Step is nil`}},
		{"always without Holds", prop(Property[counter]{Name: "x", Kind: Always}),
			[]string{`property "x" (always): Holds is nil`}},
		{"sometimes without Holds", prop(Property[counter]{Name: "x", Kind: Sometimes}),
			[]string{`property "x" (sometimes): Holds is nil`}},
		{"eventually without Holds", prop(Property[counter]{Name: "x", Kind: Eventually, From: always}),
			[]string{`property "x" (eventually): Holds is nil`}},
		{"always with a Step (meant always-step)", prop(Property[counter]{Name: "x", Kind: Always, Step: step}),
			[]string{`property "x" (always): Holds is nil`, `property "x" (always): Step is set but always properties do not use it`}},
		{"sometimes with From", prop(Property[counter]{Name: "x", Kind: Sometimes, Holds: always, From: always}),
			[]string{`property "x" (sometimes): From is set but sometimes properties do not use it`}},
		{"always-step with Holds", prop(Property[counter]{Name: "x", Kind: AlwaysStep, Step: step, Holds: always}),
			[]string{`property "x" (always-step): Holds is set but always-step properties do not use it`}},
		{"always with fairness", prop(Property[counter]{Name: "x", Kind: Always, Holds: always,
			Fair: []Fairness[counter]{{Name: "g", Member: member}}}),
			[]string{`property "x" (always): Fair is set but always properties do not use it`}},
		{"property without a name", prop(Property[counter]{Kind: Always, Holds: always}),
			[]string{`property #2 (always): Name is empty`}},
		{"duplicate name", prop(Property[counter]{Name: "below-limit", Kind: Always, Holds: always}),
			[]string{`property "below-limit" (always): Name is used by an earlier property`}},
		{"the engine's deadlock name", func(m *Model[counter]) {
			m.CheckDeadlock = true
			m.Properties = append(m.Properties, Property[counter]{Name: "deadlock", Kind: Always, Holds: always})
		}, []string{`property "deadlock" (always): Name is taken by the engine's deadlock property (the model sets CheckDeadlock)`}},
		{"kind deadlock", prop(Property[counter]{Name: "x", Kind: Deadlock}),
			[]string{`property "x" (deadlock): Kind is deadlock: the engine adds the deadlock property itself when Model.CheckDeadlock is set`}},
		{"unknown kind", prop(Property[counter]{Name: "x", Kind: 42, Holds: always}),
			[]string{`property "x" (unknown): Kind 42 is not a property kind`}},
		{"65 fairness groups", prop(Property[counter]{Name: "x", Kind: Eventually, Holds: always, Fair: many}),
			[]string{`property "x" (eventually): Fair has 65 groups, more than the 64 the engine supports`}},
		{"fairness group without Member or Action", prop(Property[counter]{Name: "x", Kind: Eventually, Holds: always,
			Fair: []Fairness[counter]{{Name: "g", Member: member}, {Name: "h"}}}),
			[]string{`property "x" (eventually): Fair[1].Member and Action are nil`}},
		{"fairness groups without a name or twice", prop(Property[counter]{Name: "x", Kind: Eventually, Holds: always,
			Fair: []Fairness[counter]{{Name: "g", Member: member}, {Member: member}, {Name: "g", Member: member}}}),
			[]string{`property "x" (eventually): Fair[1].Name is empty`, `property "x" (eventually): Fair[2].Name "g" is used by an earlier group`}},
		{"every problem at once", func(m *Model[counter]) {
			m.Next, m.Init = nil, nil
			m.Properties = append(m.Properties, Property[counter]{Name: "x", Kind: SometimesStep},
				Property[counter]{Name: "y", Kind: Eventually})
		}, []string{"Init is nil", "Next is nil", `property "x" (sometimes-step): Step is nil`, `property "y" (eventually): Holds is nil`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := counterModel(3)
			tc.break_(&m)
			err := m.Validate()
			var me *ModelError
			if !errors.As(err, &me) {
				t.Fatalf("Validate: %v, want a *ModelError", err)
			}
			var got []string
			for _, p := range me.Problems {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, `checker: model "`+m.Name+`": `) {
				t.Errorf("message %q: want one line starting with the model's name", msg)
			}
			if _, err := Check(context.Background(), m, Options{}); err == nil || err.Error() != msg {
				t.Errorf("Check: %v, want %q", err, msg)
			}
			if _, err := Simulate(m, 1, 10); err == nil || err.Error() != msg {
				t.Errorf("Simulate: %v, want %q", err, msg)
			}
			if sys, err := Erase(m); err == nil || sys != nil || err.Error() != msg {
				t.Errorf("Erase: %v, %v; want no system and %q", sys, err, msg)
			}
		})
	}
}

func TestBadStateTypeIsAProblemOfTheModel(t *testing.T) {
	m := Model[padded]{
		Name:    "padded",
		Init:    func() []padded { return []padded{{}} },
		Actions: func(s padded, buf []Action) []Action { return buf },
		Next:    func(s padded, a Action) padded { return s },
		Label:   func(s padded, a Action) string { return "" },
	}
	_, err := Check(context.Background(), m, Options{})
	want := `checker: model "padded": state type checker.padded has 3 padding bytes before field B (reorder or size the fields)`
	if err == nil || err.Error() != want {
		t.Fatalf("Check: %v, want %q", err, want)
	}
}

func TestBadOptionsAreRefused(t *testing.T) {
	m := counterModel(3)
	for _, tc := range []struct {
		opt  Options
		want string
	}{
		{Options{Workers: -1}, "checker: options: Workers -1 is negative"},
		{Options{Workers: MaxWorkers + 1}, "checker: options: Workers 1025 is more than 1024"},
		{Options{MaxDepth: -2, Timeout: -1}, "checker: options: MaxDepth -2 is negative; Timeout -1ns is negative"},
		{Options{ProgressEvery: -1}, "checker: options: ProgressEvery -1ns is negative"},
	} {
		if _, err := Check(context.Background(), m, tc.opt); err == nil || err.Error() != tc.want {
			t.Errorf("Check %+v: %v, want %q", tc.opt, err, tc.want)
		}
		sys, err := Erase(m)
		if err != nil {
			t.Fatal(err)
		}
		rep := sys.Check(context.Background(), tc.opt)
		if rep.Complete || rep.Reason != tc.want || rep.Distinct != 0 || len(rep.Properties) != 2 || rep.Properties[0].Status != Unknown {
			t.Errorf("System.Check %+v: complete=%v reason=%q distinct=%d properties=%+v; want no run, the reason and every property unknown",
				tc.opt, rep.Complete, rep.Reason, rep.Distinct, rep.Properties)
		}
		if _, err := sys.(Explorer).Find(context.Background(), "below-limit", tc.opt); err == nil || err.Error() != tc.want {
			t.Errorf("Find %+v: %v, want %q", tc.opt, err, tc.want)
		}
	}
}

// A well-formed model with every kind of property, fairness and deadlock
// checking passes Validate and checks as before.
func TestWellFormedModelValidatesAndChecks(t *testing.T) {
	m := counterModel(4)
	m.CheckDeadlock = true
	m.EndState = func(s counter) bool { return s.N == 4 }
	m.Properties = append(m.Properties,
		Property[counter]{Name: "steps-by-one-or-two", Kind: AlwaysStep,
			Step: func(s counter, a Action, u counter) bool { return u.N-s.N == uint32(a) }},
		Property[counter]{Name: "two-at-once", Kind: SometimesStep,
			Step: func(s counter, a Action, u counter) bool { return a == 2 }},
		Property[counter]{Name: "reaches-four", Kind: Eventually, Holds: func(s counter) bool { return s.N == 4 },
			Fair: []Fairness[counter]{{Name: "add", Member: func(s counter, a Action) bool { return true }}}},
	)
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	r := mustCheck(t, context.Background(), m, Options{})
	for _, name := range []string{"below-limit", "reaches-limit", "steps-by-one-or-two", "two-at-once", "reaches-four", "deadlock"} {
		if s := statusOf(r, name); s != Holds {
			t.Errorf("%s: %s, want holds", name, s)
		}
	}
	// Without Label, traces name actions by number.
	m.Label = nil
	sys, err := Erase(m)
	if err != nil {
		t.Fatal(err)
	}
	if pos, err := sys.(Explorer).Walk([]int{0}); err != nil || len(pos.Choices) != 2 || pos.Choices[1].Action != "action 2" {
		t.Errorf("walk without Label: %+v, %v; want choices named action 1 and action 2", pos.Choices, err)
	}
	// Without fairness the counter may stop adding: reaches-four fails.
	m.Properties[len(m.Properties)-1].Fair = nil
	if s := statusOf(mustCheck(t, context.Background(), m, Options{}), "reaches-four"); s != Violated {
		t.Errorf("reaches-four without fairness: %s, want violated", s)
	}
}
