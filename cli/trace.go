package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
	"github.com/handshake/handshake/render"
	"github.com/handshake/handshake/seqdiagram"
)

// Exit statuses of trace beyond the common ones: there is no trace to show
// (the property holds and has no counterexample, a sometimes-property has
// no witness, or no property is violated).
const exitNoTrace = 1

// runTrace implements "handshake trace MODEL [--property P | --path PATH]
// --format text|mermaid|json": the counterexample or witness of P, the
// behaviour at PATH, or (with neither) the counterexample of the first
// violated property.
func (p *Program) runTrace(ctx context.Context, o *options, positional []string, stdout, stderr io.Writer) int {
	t, err := p.openTarget(positional, o.variant, o.sets)
	if err != nil {
		return p.usageError(stderr, err)
	}
	opt := checker.Options{MaxStates: o.maxStates, Timeout: o.timeout.d}

	var (
		tr     *checker.TraceReport
		prop   *checker.PropertyInfo
		status checker.Status
		what   string
	)
	switch {
	case o.path != "":
		path, err := checker.ParsePath(o.path)
		if err == nil && len(path) == 0 {
			err = errors.New("--path: empty path")
		}
		if err != nil {
			return p.usageError(stderr, err)
		}
		pos, err := t.ex.Walk(path)
		if err != nil {
			return p.usageError(stderr, fmt.Errorf("--path %s: %w", o.path, err))
		}
		tr = &pos.Trace
		what = "path " + checker.FormatPath(path)
	case o.property != "":
		if err := unknownProperty(t.sys, o.property, "'"+p.Name+" list "+t.entry.Name+"' lists them"); err != nil {
			return p.usageError(stderr, err)
		}
		f, err := t.ex.Find(ctx, o.property, opt)
		if err != nil {
			return p.usageError(stderr, err)
		}
		if f.Trace == nil {
			return p.noTrace(stderr, t, f.Property, f.Status, f.Complete, f.Reason)
		}
		tr, prop, status = f.Trace, &f.Property, f.Status
		what = traceKind(status) + " of " + prop.Name + " (" + prop.Kind.String() + ")"
	default:
		rep := t.sys.Check(ctx, opt)
		for i := range rep.Properties {
			p := &rep.Properties[i]
			if p.Status == checker.Violated && p.Trace != nil {
				tr, prop, status = p.Trace, &p.PropertyInfo, p.Status
				break
			}
		}
		if tr == nil {
			if !rep.Complete {
				p.errorf(stderr, "%s: no violation found before the search stopped (%s)\n", t.title(), rep.Reason)
				return render.ExitIncomplete
			}
			p.errorf(stderr, "%s: no property is violated, so there is no counterexample (use --property P for a witness, or --path PATH)\n", t.title())
			return exitNoTrace
		}
		what = traceKind(status) + " of " + prop.Name + " (" + prop.Kind.String() + ")"
	}

	switch o.format {
	case "json":
		if err := render.WriteTraceJSON(stdout, render.NewTraceDoc(t.entry.Name, t.variant.Name, t.params, t.sys.Lanes(), tr, prop, status)); err != nil {
			p.errorf(stderr, "writing JSON: %v\n", err)
		}
	case "mermaid":
		title := fmt.Sprintf("%s: %s, path %s", t.title(), what, checker.FormatPath(checker.PathOf(tr)))
		if o.path != "" { // what is the path already
			title = fmt.Sprintf("%s: %s", t.title(), what)
		}
		render.Mermaid(stdout, title, t.sys.Lanes(), tr)
	default:
		fmt.Fprintf(stdout, "%s\n%s, %s\n", t.title(), what, humanize.Plural(len(tr.Steps)-1, "step"))
		if prop != nil && prop.Description != "" {
			fmt.Fprintf(stdout, "  %s\n", prop.Description)
		}
		fmt.Fprintf(stdout, "path: %s\n\n", checker.FormatPath(checker.PathOf(tr)))
		seqdiagram.Render(stdout, t.sys.Lanes(), *tr, seqdiagram.Options{Width: o.width, Legend: true})
		fmt.Fprintln(stdout)
		render.Steps(stdout, tr)
	}
	return render.ExitHolds
}

// traceKind names a property's trace after its verdict.
func traceKind(status checker.Status) string {
	if status == checker.Holds {
		return "witness"
	}
	return "counterexample"
}

// noTrace explains on one line why a property has no trace to show.
func (p *Program) noTrace(stderr io.Writer, t *target, prop checker.PropertyInfo, status checker.Status, complete bool, reason string) int {
	var why string
	switch {
	case !complete && status == checker.Unknown:
		p.errorf(stderr, "%s: %s is undecided: the search stopped (%s) before finding a trace\n", t.title(), prop.Name, reason)
		return render.ExitIncomplete
	case prop.Kind.Existential():
		why = "has no witness: no reachable state or step satisfies it"
	case status == checker.Holds:
		why = "holds, so there is no counterexample"
	default:
		why = statusPhrase(status) + ", but the checker reports no trace"
	}
	p.errorf(stderr, "%s: %s (%s) %s\n", t.title(), prop.Name, prop.Kind, why)
	return exitNoTrace
}

// statusPhrase is a status as the predicate of a sentence: "holds", "is
// violated", "is undecided".
func statusPhrase(status checker.Status) string {
	switch status {
	case checker.Holds:
		return "holds"
	case checker.Violated:
		return "is violated"
	case checker.Unknown:
		return "is undecided"
	}
	return "is " + status.String()
}

// checkFormat accepts one of the known formats.
func checkFormat(format string, known ...string) error {
	for _, k := range known {
		if format == k {
			return nil
		}
	}
	return fmt.Errorf("--format %q: want %s", format, strings.Join(known, ", "))
}
