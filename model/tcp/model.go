// Package tcp models the opening and closing of a TCP connection per RFC
// 9293: two endpoints, "client" and "server", either of which may open
// actively or passively, and a network of one channel per direction
// (package network). The endpoints follow the user calls of §3.10.1-5,
// SEGMENT ARRIVES of §3.10.7 step by step, and the TIME-WAIT timeout of
// §3.10.8. The application above each endpoint sends a bounded number of
// one-octet segments, receives data in order, and sees end-of-stream.
//
// The properties the model must satisfy live in package spec.
package tcp

import (
	"github.com/handshake/handshake/checker"
)

// Init returns the initial state: both endpoints CLOSED (no TCB), the
// network empty.
func Init() State {
	var s State
	for i := range s.Ep {
		s.Ep[i].enter(CLOSED)
	}
	return s
}

// EndState reports whether s is a normal end: both endpoints CLOSED and
// nothing in flight.
func EndState(s State) bool {
	return s.Ep[0].State == CLOSED && s.Ep[1].State == CLOSED && s.InFlight() == 0
}

// Model builds the checker model of configuration c, without properties
// (package spec adds them). It panics if c is invalid; call Validate first.
func Model(c Config) checker.Model[State] {
	if err := c.Validate(); err != nil {
		panic(err)
	}
	cfg := &c
	return checker.Model[State]{
		Name:          "tcp",
		Init:          func() []State { return []State{Init()} },
		Actions:       cfg.Actions,
		Next:          cfg.Next,
		Label:         cfg.Label,
		Format:        Format,
		CheckDeadlock: true,
		EndState:      EndState,
		Lanes:         []string{SideNames[Client], SideNames[Server]},
		Describe:      cfg.Describe,
	}
}
