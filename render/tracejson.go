package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"

	"github.com/handshake/handshake/checker"
)

// TraceDoc is the JSON form of a trace ("trace --format json"), which
// "replay" reads back: what model and configuration it belongs to, the
// property it is a counterexample or witness of (if any), its path, and
// each step with its index, action label, state and diagram events.
type TraceDoc struct {
	Model    string         `json:"model"`
	Variant  string         `json:"variant"`
	Params   map[string]int `json:"params"`
	Property string         `json:"property,omitempty"`
	Kind     string         `json:"kind,omitempty"`
	// Status is the property's verdict; the trace is a counterexample
	// when it is "violated", a witness when "holds".
	Status  checker.Status `json:"status,omitempty"`
	Path    string         `json:"path"`
	Loop    int            `json:"loop"`
	Stutter bool           `json:"stutter,omitempty"`
	Steps   []StepDoc      `json:"steps"`
	Lanes   []string       `json:"lanes,omitempty"`
}

// StepDoc is one step of a TraceDoc: its index (see checker.TraceStep),
// action, state and diagram events.
type StepDoc struct {
	Index  int        `json:"index"`
	Action string     `json:"action"`
	State  string     `json:"state"`
	Events []EventDoc `json:"events,omitempty"`
}

// EventDoc is a diagram event with its kind (send, receive, drop, change,
// note) and lanes named.
type EventDoc struct {
	Kind string `json:"kind"`
	Lane string `json:"lane"`
	Peer string `json:"peer,omitempty"`
	Text string `json:"text"`
}

var eventKinds = map[checker.EventKind]string{
	checker.Send: "send", checker.Receive: "receive", checker.Drop: "drop",
	checker.Change: "change", checker.Note: "note",
}

// LaneName is lane i's name, or "lane i" when lanes has no such lane.
func LaneName(lanes []string, i int) string {
	if i >= 0 && i < len(lanes) {
		return lanes[i]
	}
	return fmt.Sprintf("lane %d", i)
}

// NewTraceDoc makes the JSON form of trace tr of a model's variant with
// the given parameters and lanes; prop, if not nil, is the property the
// trace is a counterexample (status violated) or witness (holds) of.
func NewTraceDoc(model, variant string, params map[string]int, lanes []string, tr *checker.TraceReport, prop *checker.PropertyInfo, status checker.Status) TraceDoc {
	if params == nil {
		params = map[string]int{}
	}
	d := TraceDoc{
		Model: model, Variant: variant, Params: params,
		Path: checker.FormatPath(checker.PathOf(tr)), Loop: tr.Loop, Stutter: tr.Stutter,
		Steps: []StepDoc{}, Lanes: lanes,
	}
	if prop != nil {
		d.Property, d.Kind, d.Status = prop.Name, prop.Kind.String(), status
	}
	for _, st := range tr.Steps {
		sd := StepDoc{Index: st.Index, Action: st.Action, State: st.State}
		for _, e := range st.Events {
			ed := EventDoc{Kind: eventKinds[e.Kind], Lane: LaneName(lanes, e.Lane), Text: e.Text}
			if e.Kind == checker.Send || e.Kind == checker.Receive || e.Kind == checker.Drop {
				ed.Peer = LaneName(lanes, e.Peer)
			}
			sd.Events = append(sd.Events, ed)
		}
		d.Steps = append(d.Steps, sd)
	}
	return d
}

// WriteTraceJSON prints d as indented JSON.
func WriteTraceJSON(w io.Writer, d TraceDoc) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// ParseTraceDoc reads a trace file strictly: unknown fields, a missing
// model or steps, or trailing data make it malformed.
func ParseTraceDoc(data []byte) (*TraceDoc, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	doc := &TraceDoc{Loop: -1}
	if err := dec.Decode(doc); err != nil {
		return nil, fmt.Errorf("malformed trace file: %s", jsonProblem(err))
	}
	if dec.More() {
		return nil, errors.New("malformed trace file: data after the trace object")
	}
	switch {
	case doc.Model == "":
		return nil, errors.New("malformed trace file: no \"model\"")
	case len(doc.Steps) == 0:
		return nil, errors.New("malformed trace file: no \"steps\"")
	case doc.Loop < -1 || doc.Loop >= len(doc.Steps):
		return nil, fmt.Errorf("malformed trace file: \"loop\" %d out of range", doc.Loop)
	}
	if doc.Path != "" {
		p, err := checker.ParsePath(doc.Path)
		if err != nil {
			return nil, fmt.Errorf("malformed trace file: %v", err)
		}
		if len(p) != len(doc.Steps) {
			return nil, fmt.Errorf("malformed trace file: path %s has %d indices for %d steps", doc.Path, len(p), len(doc.Steps))
		}
		for i, k := range p {
			if doc.Steps[i].Index != k {
				return nil, fmt.Errorf("malformed trace file: path %s says index %d at step %d, the step says %d", doc.Path, k, i, doc.Steps[i].Index)
			}
		}
	}
	return doc, nil
}

// jsonProblem says in the trace file's terms what a decoding error means:
// encoding/json names Go types ("cannot unmarshal array into Go value of
// type main.TraceDoc"), which mean nothing to the file's reader.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te) && te.Field == "":
		return fmt.Sprintf("want a JSON object (a trace written by 'handshake trace --format json'), found %s", jsonArticle(te.Value))
	case errors.As(err, &te):
		return fmt.Sprintf("field %q: want %s, found %s", te.Field, jsonKind(te.Type), jsonArticle(te.Value))
	case errors.As(err, &se):
		return fmt.Sprintf("not JSON at byte %d: %v", se.Offset, err)
	case errors.Is(err, io.EOF):
		return "empty file"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends too early (a cut file?)"
	}
	return err.Error()
}

// jsonKind names the JSON value a Go type decodes from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "another kind of value"
}

// jsonArticle is a JSON value kind as encoding/json reports it ("array",
// "number 1.5", "string") with its article.
func jsonArticle(v string) string {
	if v == "" {
		return "another value"
	}
	switch v[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + v
	}
	return "a " + v
}
