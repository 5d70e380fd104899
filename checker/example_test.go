package checker_test

import (
	"context"
	"fmt"

	"github.com/handshake/handshake/checker"
)

// counter is the state of a small model: a counter a client increments
// up to 3 and may reset.
type counter struct{ N uint8 }

func counterModel() checker.Model[counter] {
	const inc, reset = 0, 1
	return checker.Model[counter]{
		Name: "counter",
		Init: func() []counter { return []counter{{}} },
		Actions: func(s counter, buf []checker.Action) []checker.Action {
			if s.N < 3 {
				buf = append(buf, inc)
			}
			return append(buf, reset)
		},
		Next: func(s counter, a checker.Action) counter {
			if a == inc {
				s.N++
			} else {
				s.N = 0
			}
			return s
		},
		Label: func(s counter, a checker.Action) string { return [...]string{"inc", "reset"}[a] },
		Properties: []checker.Property[counter]{
			{Name: "below-three", Kind: checker.Always, Holds: func(s counter) bool { return s.N < 3 }},
			{Name: "reaches-two", Kind: checker.Sometimes, Holds: func(s counter) bool { return s.N == 2 }},
			{Name: "reaches-three", Kind: checker.Eventually, Holds: func(s counter) bool { return s.N == 3 },
				Fair: []checker.Fairness[counter]{{Name: "inc", Action: func(a checker.Action) bool { return a == inc }}}},
		},
	}
}

// A small model checked: each property's verdict, with the shortest
// counterexample of the invariant, and the lasso that violates the
// liveness property: inc is weakly fair and is taken again and again,
// but a reset after every inc keeps the counter from reaching 3.
func ExampleCheck() {
	r, err := checker.Check(context.Background(), counterModel(), checker.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d states, complete %v\n", r.Distinct, r.Complete)
	for _, p := range r.Properties {
		fmt.Printf("%s (%s): %s\n", p.Property.Name, p.Property.Kind, p.Status)
		if p.Trace != nil && p.Status == checker.Violated {
			for _, st := range p.Trace.Steps {
				fmt.Printf("  N=%d\n", st.State.N)
			}
			if p.Trace.Loop >= 0 {
				fmt.Printf("  then back to step %d\n", p.Trace.Loop)
			}
		}
	}
	// Output:
	// 4 states, complete true
	// below-three (always): violated
	//   N=0
	//   N=1
	//   N=2
	//   N=3
	// reaches-two (sometimes): holds
	// reaches-three (eventually): violated
	//   N=0
	//   N=1
	//   N=0
	//   then back to step 0
}
