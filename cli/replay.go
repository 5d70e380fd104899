package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
	"github.com/handshake/handshake/render"
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
func (p *Program) runReplay(o *options, positional []string, stdout, stderr io.Writer) int {
	file := positional[0]
	data, err := os.ReadFile(file)
	if err != nil {
		return p.usageError(stderr, err)
	}
	doc, err := render.ParseTraceDoc(data)
	if err != nil {
		return p.usageError(stderr, fmt.Errorf("%s: %w", file, err))
	}
	t, err := p.openTarget([]string{doc.Model}, doc.Variant, setsOf(doc.Params))
	if err != nil {
		return p.usageError(stderr, fmt.Errorf("%s: %w", file, err))
	}
	rec := make([]checker.TraceStep, len(doc.Steps))
	for i, s := range doc.Steps {
		rec[i] = checker.TraceStep{Index: s.Index, Action: s.Action, State: s.State}
	}
	notBehaviour := func(why string) int {
		p.errorf(stderr, "%s: not a behaviour of %s: %s\n", file, t.title(), why)
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
	fmt.Fprintf(stdout, "%s: a behaviour of %s, %s\n", file, t.title(), humanize.Plural(len(tr.Steps)-1, "step"))
	fmt.Fprintf(stdout, "path: %s\n", checker.FormatPath(r.Path))
	if len(r.Moved) > 0 {
		fmt.Fprintf(stdout, "  (recorded path %s: the model now orders the actions of %s differently)\n", doc.Path, humanize.Plural(len(r.Moved), "step"))
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
	seqdiagram.Render(stdout, t.sys.Lanes(), tr, seqdiagram.Options{Width: o.width, Legend: true})
	fmt.Fprintln(stdout)
	render.Steps(stdout, &tr)
	return render.ExitHolds
}
