package checker

import "context"

// Check explores m and decides its properties. (Implementation in progress.)
func Check[S comparable](ctx context.Context, m Model[S], opt Options) Result[S] {
	panic("not yet")
}

// Simulate takes one random walk.
func Simulate[S comparable](m Model[S], seed int64, steps int) Trace[S] {
	panic("not yet")
}

func allProperties[S comparable](m *Model[S]) []Property[S] {
	ps := append([]Property[S](nil), m.Properties...)
	if m.CheckDeadlock {
		ps = append(ps, Property[S]{Name: "deadlock", Kind: Deadlock,
			Description: "no reachable state without enabled actions, other than allowed end states"})
	}
	return ps
}
