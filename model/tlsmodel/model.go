package tlsmodel

import "github.com/handshake/handshake/checker"

// Model builds the checker model of configuration c, without properties
// (package spec adds them). It panics if c is invalid; call Validate
// first.
func Model(c Config) checker.Model[State] {
	if err := c.Validate(); err != nil {
		panic(err)
	}
	cfg := &c
	return checker.Model[State]{
		Name:         "tls",
		Init:         func() []State { return []State{cfg.Init()} },
		Actions:      cfg.Actions,
		Next:         cfg.Next,
		Label:        cfg.Label,
		Format:       cfg.Format,
		Lanes:        LaneNames,
		Describe:     cfg.Describe,
		DescribeInit: cfg.DescribeInit,
	}
}
