package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/handshake/handshake/checker"
)

// traceDoc is the JSON form of a trace ("trace --format json"), which
// "replay" reads back: what model and configuration it belongs to, the
// property it is a counterexample or witness of (if any), its path, and
// each step with its index, action label, state and diagram events.
type traceDoc struct {
	Model    string         `json:"model"`
	Variant  string         `json:"variant"`
	Params   map[string]int `json:"params"`
	Property string         `json:"property,omitempty"`
	Kind     string         `json:"kind,omitempty"`
	// Status is the property's verdict; the trace is a counterexample
	// when it is "violated", a witness when "holds".
	Status  string    `json:"status,omitempty"`
	Path    string    `json:"path"`
	Loop    int       `json:"loop"`
	Stutter bool      `json:"stutter,omitempty"`
	Steps   []stepDoc `json:"steps"`
	Lanes   []string  `json:"lanes,omitempty"`
}

type stepDoc struct {
	Index  int        `json:"index"`
	Action string     `json:"action"`
	State  string     `json:"state"`
	Events []eventDoc `json:"events,omitempty"`
}

type eventDoc struct {
	Kind string `json:"kind"`
	Lane string `json:"lane"`
	Peer string `json:"peer,omitempty"`
	Text string `json:"text"`
}

var eventKinds = map[checker.EventKind]string{
	checker.Send: "send", checker.Receive: "receive", checker.Drop: "drop",
	checker.Change: "change", checker.Note: "note",
}

func laneName(lanes []string, i int) string {
	if i >= 0 && i < len(lanes) {
		return lanes[i]
	}
	return fmt.Sprintf("lane %d", i)
}

// newTraceDoc makes the JSON form of trace tr of target t.
func newTraceDoc(t *target, tr *checker.TraceReport, prop *checker.PropertyInfo, status string) traceDoc {
	params := t.params
	if params == nil {
		params = map[string]int{}
	}
	lanes := t.sys.Lanes()
	d := traceDoc{
		Model: t.entry.Name, Variant: t.variant.Name, Params: params,
		Path: checker.FormatPath(checker.PathOf(tr)), Loop: tr.Loop, Stutter: tr.Stutter,
		Steps: []stepDoc{}, Lanes: lanes,
	}
	if prop != nil {
		d.Property, d.Kind, d.Status = prop.Name, prop.Kind, status
	}
	for _, st := range tr.Steps {
		sd := stepDoc{Index: st.Index, Action: st.Action, State: st.State}
		for _, e := range st.Events {
			ed := eventDoc{Kind: eventKinds[e.Kind], Lane: laneName(lanes, e.Lane), Text: e.Text}
			if e.Kind == checker.Send || e.Kind == checker.Receive || e.Kind == checker.Drop {
				ed.Peer = laneName(lanes, e.Peer)
			}
			sd.Events = append(sd.Events, ed)
		}
		d.Steps = append(d.Steps, sd)
	}
	return d
}

func writeTraceJSON(w io.Writer, d traceDoc) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}
