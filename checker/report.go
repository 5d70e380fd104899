package checker

import (
	"context"
	"fmt"
)

// System is a model with its state type erased, so that tools (the CLI,
// the variant matrix) can handle models of different state types alike.
// Erase makes one from a Model.
type System interface {
	// Name is the model's name.
	Name() string
	// Lanes names the participants of sequence diagrams.
	Lanes() []string
	// Properties describes the properties Check decides, in report order.
	Properties() []PropertyInfo
	// Check explores the model and renders the result. Options that
	// checker.Check would refuse (a negative Workers, or a property
	// name the model lacks, say) give an incomplete Report whose Reason
	// names them, with every property unknown.
	Check(ctx context.Context, opt Options) Report
	// Simulate takes one random walk of at most steps steps.
	Simulate(seed int64, steps int) TraceReport
}

// PropertyInfo describes a property without its functions.
type PropertyInfo struct {
	Name        string `json:"name"`
	Kind        Kind   `json:"kind"`
	Group       string `json:"group,omitempty"`
	Description string `json:"description,omitempty"`
}

// Report is a Result with states and actions rendered as text.
type Report struct {
	Distinct             uint64           `json:"distinct_states"`
	Generated            uint64           `json:"generated_states"`
	Depth                int              `json:"depth"`
	Seconds              float64          `json:"seconds"`
	StatesPerSecond      float64          `json:"states_per_second"`
	Complete             bool             `json:"complete"`
	Reason               string           `json:"reason,omitempty"`
	Fingerprint          string           `json:"fingerprint"`
	CollisionProbability float64          `json:"collision_probability"`
	PeakBytes            uint64           `json:"peak_bytes"`
	BytesPerState        float64          `json:"bytes_per_state"`
	Properties           []PropertyReport `json:"properties"`
}

// PropertyReport is the verdict of one property, rendered.
type PropertyReport struct {
	PropertyInfo
	Status Status       `json:"status"`
	Trace  *TraceReport `json:"trace,omitempty"`
}

// TraceReport is a trace rendered as text, with diagram events.
type TraceReport struct {
	Steps []TraceStep `json:"steps"`
	// Loop is the index of the step the lasso returns to, -1 if none.
	Loop    int  `json:"loop"`
	Stutter bool `json:"stutter,omitempty"`
}

// TraceStep is one rendered step. Action is empty for an initial state.
// Index is the action's position among the actions enabled in the previous
// state (the path addressing used across the tool), -1 for initial states
// where it is the initial state's index instead.
type TraceStep struct {
	Index  int     `json:"index"`
	Action string  `json:"action"`
	State  string  `json:"state"`
	Events []Event `json:"events,omitempty"`
}

// Erase validates a model (see Model.Validate) and wraps it as a System.
// The System's methods then run the validated model: they report bad
// Options (see System.Check) but never a malformed model.
func Erase[S comparable](m Model[S]) (System, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return erased[S]{m}, nil
}

type erased[S comparable] struct{ m Model[S] }

func (e erased[S]) Name() string    { return e.m.Name }
func (e erased[S]) Lanes() []string { return e.m.Lanes }

func (e erased[S]) Properties() []PropertyInfo {
	var out []PropertyInfo
	for _, p := range allProperties(&e.m) {
		out = append(out, infoOf(p))
	}
	return out
}

func infoOf[S comparable](p Property[S]) PropertyInfo {
	return PropertyInfo{Name: p.Name, Kind: p.Kind, Group: p.Group, Description: p.Description}
}

func (e erased[S]) Check(ctx context.Context, opt Options) Report {
	err := opt.validate()
	if err == nil {
		_, err = selectProperties(allProperties(&e.m), opt.Properties)
	}
	if err != nil {
		rep := Report{Reason: err.Error()}
		for _, p := range allProperties(&e.m) {
			rep.Properties = append(rep.Properties, PropertyReport{PropertyInfo: infoOf(p), Status: Unknown})
		}
		return rep
	}
	r := check(ctx, e.m, opt)
	rep := Report{
		Distinct:             r.Distinct,
		Generated:            r.Generated,
		Depth:                r.Depth,
		Seconds:              r.Duration.Seconds(),
		StatesPerSecond:      r.StatesPerSecond(),
		Complete:             r.Complete,
		Reason:               r.Reason,
		Fingerprint:          r.Fingerprint,
		CollisionProbability: r.CollisionProbability,
		PeakBytes:            r.PeakBytes,
	}
	if r.Distinct > 0 {
		rep.BytesPerState = float64(r.PeakBytes) / float64(r.Distinct)
	}
	for _, pr := range r.Properties {
		out := PropertyReport{PropertyInfo: infoOf(pr.Property), Status: pr.Status}
		if pr.Trace != nil {
			t := RenderTrace(&e.m, *pr.Trace)
			out.Trace = &t
		}
		rep.Properties = append(rep.Properties, out)
	}
	return rep
}

func (e erased[S]) Simulate(seed int64, steps int) TraceReport {
	return RenderTrace(&e.m, simulate(e.m, seed, steps))
}

// RenderTrace renders a trace with the model's Label, Format and Describe.
func RenderTrace[S comparable](m *Model[S], t Trace[S]) TraceReport {
	out := TraceReport{Loop: t.Loop, Stutter: t.Stutter}
	var buf []Action
	for i, st := range t.Steps {
		ts := TraceStep{Index: -1, State: formatState(m, st.State)}
		if i == 0 || st.Initial {
			for j, s0 := range m.Init() {
				if s0 == st.State {
					ts.Index = j
					break
				}
			}
			if m.DescribeInit != nil {
				ts.Events = m.DescribeInit(st.State)
			}
		} else {
			prev := t.Steps[i-1].State
			ts.Action = m.label(prev, st.Action)
			buf = m.Actions(prev, buf[:0])
			for j, a := range buf {
				if a == st.Action {
					ts.Index = j
					break
				}
			}
			if m.Describe != nil {
				ts.Events = m.Describe(prev, st.Action, st.State)
			}
		}
		out.Steps = append(out.Steps, ts)
	}
	return out
}

func formatState[S comparable](m *Model[S], s S) string {
	if m.Format != nil {
		return m.Format(s)
	}
	return fmt.Sprintf("%+v", s)
}

// DistrustIncomplete makes sure an incomplete report never claims that a
// universal property (always, eventually, deadlock, always-step) holds:
// only a complete exploration can show that, so such a verdict becomes
// unknown and loses its trace. A witness found for a sometimes-property
// stays a definite "holds". The engine's own reports already follow this
// rule; the tools apply it to every System's report, whoever wrote it.
func (r *Report) DistrustIncomplete() {
	if r.Complete {
		return
	}
	for i := range r.Properties {
		p := &r.Properties[i]
		if p.Status == Holds && !p.Kind.Existential() {
			p.Status = Unknown
			p.Trace = nil
		}
	}
}
