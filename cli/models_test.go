package cli

import (
	"fmt"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
)

// Test-only models, registered in the test binary alone, so the CLI can
// be tested on violations and limits whatever the real models do.

// counterState: the client has sent N data segments; InFlight is 1 while
// segment N+1 is on the network.
type counterState struct {
	N        uint32
	InFlight uint32
}

const (
	actSend checker.Action = iota
	actDeliver
)

// counterModel sends limit segments one at a time. The "broken" variant
// adds the invariant "fewer than three segments delivered", violated at
// the third delivery (when limit >= 3).
func counterModel(variant string, limit int) checker.Model[counterState] {
	lim := uint32(limit)
	m := checker.Model[counterState]{
		Name:  "test-counter",
		Init:  func() []counterState { return []counterState{{}} },
		Lanes: []string{"client", "server"},
		Actions: func(s counterState, buf []checker.Action) []checker.Action {
			if s.InFlight == 1 {
				return append(buf, actDeliver)
			}
			if s.N < lim {
				return append(buf, actSend)
			}
			return buf
		},
		Next: func(s counterState, a checker.Action) counterState {
			if a == actSend {
				s.InFlight = 1
			} else {
				s.N++
				s.InFlight = 0
			}
			return s
		},
		Label: func(s counterState, a checker.Action) string {
			if a == actSend {
				return fmt.Sprintf("client: send DATA %d", s.N+1)
			}
			return fmt.Sprintf("deliver client->server DATA %d", s.N+1)
		},
		Format: func(s counterState) string { return fmt.Sprintf("N=%d InFlight=%d", s.N, s.InFlight) },
		Describe: func(s counterState, a checker.Action, t counterState) []checker.Event {
			msg := fmt.Sprintf("DATA %d", s.N+1)
			if a == actSend {
				return []checker.Event{{Kind: checker.Send, Lane: 0, Peer: 1, Text: msg}}
			}
			return []checker.Event{
				{Kind: checker.Receive, Lane: 1, Peer: 0, Text: msg},
				{Kind: checker.Change, Lane: 1, Text: fmt.Sprintf("GOT_%d", t.N)},
			}
		},
		CheckDeadlock: true,
		EndState:      func(s counterState) bool { return s.N == lim },
		Properties: []checker.Property[counterState]{
			{Name: "at-most-limit", Kind: checker.Always, Description: "never more than limit segments",
				Holds: func(s counterState) bool { return s.N <= lim }},
			{Name: "reaches-limit", Kind: checker.Sometimes, Description: "all segments can be delivered",
				Holds: func(s counterState) bool { return s.N == lim }},
		},
	}
	if variant == "broken" {
		m.Properties = append(m.Properties, checker.Property[counterState]{
			Name: "fewer-than-three", Kind: checker.Always, Description: "fewer than three segments delivered",
			Holds: func(s counterState) bool { return s.N < 3 }})
	}
	return m
}

func init() {
	testModels = append(testModels, &catalog.Entry{
		Name:        "test-counter",
		Description: "test only: a client sends segments one at a time",
		Params: []catalog.Param{{Name: "limit", Default: 5, Min: 1, Max: 100000,
			Description: "segments to send"}},
		Variants: []catalog.Variant{
			{Name: "sound", Description: "every property holds"},
			{Name: "broken", Description: "claims fewer than three segments are delivered",
				Expect: map[string]checker.Status{"fewer-than-three": checker.Violated}},
		},
		Build: func(variant string, params map[string]int) (checker.System, error) {
			return checker.Erase(counterModel(variant, params["limit"]))
		},
	})
}

// retransmitState: Sent is 1 while the client's segment is on the
// network, Acked is 1 once it was delivered.
type retransmitState struct {
	Sent  uint32
	Acked uint32
}

const (
	actTransmit checker.Action = iota
	actLose
	actArrive
)

// retransmitModel: the client (re)transmits a segment the network may
// lose. "delivery eventually" fails even with retransmission and the
// network weakly fair: the network may lose every copy (a lasso).
func retransmitModel() checker.Model[retransmitState] {
	return checker.Model[retransmitState]{
		Name:  "test-retransmit",
		Init:  func() []retransmitState { return []retransmitState{{}} },
		Lanes: []string{"client", "server"},
		Actions: func(s retransmitState, buf []checker.Action) []checker.Action {
			switch {
			case s.Acked == 1:
				return buf
			case s.Sent == 0:
				return append(buf, actTransmit)
			}
			return append(buf, actLose, actArrive)
		},
		Next: func(s retransmitState, a checker.Action) retransmitState {
			switch a {
			case actTransmit:
				s.Sent = 1
			case actLose:
				s.Sent = 0
			case actArrive:
				s.Sent, s.Acked = 0, 1
			}
			return s
		},
		Label: func(s retransmitState, a checker.Action) string {
			return [...]string{"client: transmit DATA", "network loses DATA", "deliver client->server DATA"}[a]
		},
		Describe: func(s retransmitState, a checker.Action, t retransmitState) []checker.Event {
			switch a {
			case actTransmit:
				return []checker.Event{{Kind: checker.Send, Lane: 0, Peer: 1, Text: "DATA"}}
			case actLose:
				return []checker.Event{{Kind: checker.Drop, Lane: 0, Peer: 1, Text: "DATA"}}
			}
			return []checker.Event{{Kind: checker.Receive, Lane: 1, Peer: 0, Text: "DATA"},
				{Kind: checker.Change, Lane: 1, Text: "GOT_DATA"}}
		},
		Properties: []checker.Property[retransmitState]{{
			Name: "delivery-eventually", Kind: checker.Eventually,
			Description: "the segment is eventually delivered; retransmission and the network weakly fair",
			Holds:       func(s retransmitState) bool { return s.Acked == 1 },
			Fair: []checker.Fairness[retransmitState]{
				{Name: "transmit", Member: func(s retransmitState, a checker.Action) bool { return a == actTransmit }},
				{Name: "network", Member: func(s retransmitState, a checker.Action) bool { return a != actTransmit }},
			},
		}},
	}
}

func init() {
	testModels = append(testModels, &catalog.Entry{
		Name:        "test-retransmit",
		Description: "test only: a segment the network may lose forever",
		Variants:    []catalog.Variant{{Name: "lossy", Expect: map[string]checker.Status{"delivery-eventually": checker.Violated}}},
		Build: func(variant string, params map[string]int) (checker.System, error) {
			return checker.Erase(retransmitModel())
		},
	})
}
