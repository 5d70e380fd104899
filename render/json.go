package render

import (
	"encoding/json"
	"io"

	"github.com/handshake/handshake/checker"
)

// jsonReport is the one JSON object "check --json" prints. The fields the
// issue names come first; the others are extras.
type jsonReport struct {
	Model           string         `json:"model"`
	Variant         string         `json:"variant"`
	Params          map[string]int `json:"params"`
	DistinctStates  uint64         `json:"distinct_states"`
	GeneratedStates uint64         `json:"generated_states"`
	Depth           int            `json:"depth"`
	Seconds         float64        `json:"seconds"`
	Complete        bool           `json:"complete"`
	Properties      []jsonProperty `json:"properties"`

	Reason               string  `json:"reason,omitempty"`
	StatesPerSecond      float64 `json:"states_per_second"`
	PeakBytes            uint64  `json:"peak_bytes"`
	BytesPerState        float64 `json:"bytes_per_state"`
	Fingerprint          string  `json:"fingerprint"`
	CollisionProbability float64 `json:"collision_probability"`
	Workers              int     `json:"workers"`
}

// jsonProperty is one verdict. Trace is present for a violation with a
// counterexample, and for a witness when --witness is given.
type jsonProperty struct {
	Name        string         `json:"name"`
	Kind        checker.Kind   `json:"kind"`
	Status      checker.Status `json:"status"`
	Trace       []JSONStep     `json:"trace,omitempty"`
	Group       string         `json:"group,omitempty"`
	Description string         `json:"description,omitempty"`
	Expected    checker.Status `json:"expected"`
	Loop        *int           `json:"loop,omitempty"`
	Stutter     bool           `json:"stutter,omitempty"`
}

// JSONStep is one step of a trace; Action is "" for the initial state.
type JSONStep struct {
	Action string `json:"action"`
	State  string `json:"state"`
}

// JSON prints a finished check as one JSON object (the form of "check
// --json").
func JSON(w io.Writer, r *Run) error {
	rep := &r.Report
	params := r.Params
	if params == nil {
		params = map[string]int{}
	}
	out := jsonReport{
		Model:                r.Model,
		Variant:              r.Variant.Name,
		Params:               params,
		DistinctStates:       rep.Distinct,
		GeneratedStates:      rep.Generated,
		Depth:                rep.Depth,
		Seconds:              rep.Seconds,
		Complete:             rep.Complete,
		Properties:           []jsonProperty{},
		Reason:               rep.Reason,
		StatesPerSecond:      rep.StatesPerSecond,
		PeakBytes:            rep.PeakBytes,
		BytesPerState:        rep.BytesPerState,
		Fingerprint:          rep.Fingerprint,
		CollisionProbability: rep.CollisionProbability,
		Workers:              r.Workers,
	}
	for _, p := range rep.Properties {
		jp := jsonProperty{
			Name:        p.Name,
			Kind:        p.Kind,
			Status:      p.Status,
			Group:       p.Group,
			Description: p.Description,
			Expected:    r.Variant.Expected(p.Name),
		}
		show := p.Status == checker.Violated ||
			(r.Witness && p.Status == checker.Holds)
		if p.Trace != nil && show {
			jp.Trace = JSONSteps(p.Trace)
			if p.Trace.Loop >= 0 {
				loop := p.Trace.Loop
				jp.Loop = &loop
				jp.Stutter = p.Trace.Stutter
			}
		}
		out.Properties = append(out.Properties, jp)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // keep "CLOSED->LISTEN" readable
	return enc.Encode(out)
}

// JSONSteps is a trace's steps in the form of the JSON report.
func JSONSteps(t *checker.TraceReport) []JSONStep {
	steps := make([]JSONStep, len(t.Steps))
	for i, st := range t.Steps {
		steps[i] = JSONStep{Action: st.Action, State: st.State}
	}
	return steps
}
