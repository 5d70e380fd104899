package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
	"github.com/handshake/handshake/render"

	"github.com/handshake/handshake/seqdiagram"
)

// runSimulate implements "handshake simulate MODEL [flags]": one random
// walk through the model, drawn as a sequence diagram (or, with --json,
// printed as {"model", "variant", "params", "seed", "trace"}).
func (p *Program) runSimulate(o *options, positional []string, stdout, stderr io.Writer) int {
	tg, err := p.build(positional, o.variant, o.sets)
	if err != nil {
		return p.usageError(stderr, err)
	}
	e, v, params, sys := tg.entry, tg.variant, tg.params, tg.sys
	t := sys.Simulate(o.seed, o.steps)
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err := enc.Encode(map[string]any{
			"model": e.Name, "variant": v.Name, "params": params, "seed": o.seed, "trace": render.JSONSteps(&t),
		})
		if err != nil {
			p.errorf(stderr, "writing JSON: %v\n", err)
		}
		return render.ExitHolds
	}
	taken := max(len(t.Steps)-1, 0)
	ended := ""
	if taken < o.steps {
		ended = " (no action enabled after the last)"
	}
	fmt.Fprintf(stdout, "%s: random walk, seed %d, %s%s\n",
		humanize.Target(e.Name, v.Name, params), o.seed, humanize.Plural(taken, "step"), ended)
	fmt.Fprintf(stdout, "path: %s (explore --path, trace --path)\n\n", checker.FormatPath(checker.PathOf(&t)))
	seqdiagram.Render(stdout, sys.Lanes(), t, seqdiagram.Options{Width: o.width, Legend: true})
	fmt.Fprintln(stdout)
	render.Steps(stdout, &t)
	return render.ExitHolds
}
