package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/seqdiagram"
)

// Exit status of replay when the file is well formed but is not (or no
// longer) a behaviour of the model.
const exitNotBehaviour = 1

// runReplay implements "handshake replay FILE": it reads a trace written
// by "trace --format json" ("-" for stdin is not supported: FILE is a
// path), checks that every step is still a step of the current model
// (same action label, same resulting state), and draws it. When the file
// names a property, it also says whether the trace still shows it.
func runReplay(args []string, stdout, stderr io.Writer) int {
	var width int
	fs := newFlagSet("replay")
	intVar(fs, &width, "width", seqdiagram.DefaultWidth, 40, 1000, ruleWidth)
	positional, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitHolds
	}
	if err == nil && len(positional) != 1 {
		err = errors.New("replay wants one FILE (a trace written by 'handshake trace --format json')")
	}
	if err != nil {
		return usageError(stderr, err)
	}
	file := positional[0]
	data, err := os.ReadFile(file)
	if err != nil {
		return usageError(stderr, err)
	}
	doc, err := parseTraceDoc(data)
	if err != nil {
		return usageError(stderr, fmt.Errorf("%s: %w", file, err))
	}
	t, err := openTarget([]string{doc.Model}, doc.Variant, setsOf(doc.Params))
	if err != nil {
		return usageError(stderr, fmt.Errorf("%s: %w", file, err))
	}
	rec := make([]checker.TraceStep, len(doc.Steps))
	for i, s := range doc.Steps {
		rec[i] = checker.TraceStep{Index: s.Index, Action: s.Action, State: s.State}
	}
	notBehaviour := func(why string) int {
		fmt.Fprintf(stderr, "handshake: %s: not a behaviour of %s: %s\n", file, t.title(), why)
		return exitNotBehaviour
	}
	r, err := t.ex.Replay(rec)
	if err != nil {
		return notBehaviour(err.Error())
	}
	tr := r.Trace
	if doc.Loop >= 0 {
		last := len(tr.Steps) - 1
		if doc.Loop > last || tr.Steps[doc.Loop].State != tr.Steps[last].State {
			return notBehaviour(fmt.Sprintf("the lasso does not close: the last state is not the state of step %d", doc.Loop))
		}
		tr.Loop, tr.Stutter = doc.Loop, doc.Stutter
	}
	fmt.Fprintf(stdout, "%s: a behaviour of %s, %s\n", file, t.title(), plural(len(tr.Steps)-1, "step"))
	fmt.Fprintf(stdout, "path: %s\n", checker.FormatPath(r.Path))
	if len(r.Moved) > 0 {
		fmt.Fprintf(stdout, "  (recorded path %s: the model now orders the actions of %s differently)\n", doc.Path, plural(len(r.Moved), "step"))
	}
	if doc.Property != "" {
		j, err := t.ex.Judge(doc.Property, r.Path)
		switch {
		case err != nil:
			fmt.Fprintf(stdout, "property %s: %v\n", doc.Property, err)
		case !j.Decided:
			fmt.Fprintf(stdout, "property %s (%s): not re-judged: %s\n", doc.Property, j.Property.Kind, j.Why)
		case j.Shows:
			fmt.Fprintf(stdout, "property %s (%s): still a %s: %s\n", doc.Property, j.Property.Kind, traceKind(doc.Status), j.Why)
		default:
			fmt.Fprintf(stdout, "property %s (%s): NO LONGER a %s: %s\n", doc.Property, j.Property.Kind, traceKind(doc.Status), j.Why)
		}
	}
	fmt.Fprintln(stdout)
	seqdiagram.Render(stdout, t.sys.Lanes(), tr, seqdiagram.Options{Width: width, Legend: true})
	fmt.Fprintln(stdout)
	writeSteps(stdout, &tr)
	return exitHolds
}

// parseTraceDoc reads a trace file strictly: unknown fields, a missing
// model or steps, or trailing data make it malformed.
func parseTraceDoc(data []byte) (*traceDoc, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	doc := &traceDoc{Loop: -1}
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
// type main.traceDoc"), which mean nothing to the file's reader.
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
