package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
	"github.com/handshake/handshake/render"

	"github.com/handshake/handshake/seqdiagram"
)

// runSimulate implements "handshake simulate MODEL [flags]": one random
// walk through the model, drawn as a sequence diagram (or, with --json,
// printed as {"model", "variant", "params", "seed", "trace"}).
func (p *Program) runSimulate(args []string, stdout, stderr io.Writer) int {
	var (
		variant string
		sets    stringList
		seed    int64
		steps   int
		width   int
		asJSON  bool
	)
	fs := newFlagSet("simulate")
	fs.StringVar(&variant, "variant", "", "variant")
	fs.Var(&sets, "set", "key=value")
	int64Var(fs, &seed, "seed", 1, math.MinInt64, math.MaxInt64, "want a whole number (an int64)")
	intVar(fs, &steps, "steps", 30, 0, 1_000_000, "want a whole number from 0 to 1000000")
	WidthVar(fs, &width)
	fs.BoolVar(&asJSON, "json", false, "JSON output")
	positional, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, p.usage())
		return render.ExitHolds
	}
	if err != nil {
		return p.usageError(stderr, err)
	}
	e, err := p.lookup(positional)
	if err != nil {
		return p.usageError(stderr, err)
	}
	sys, v, params, err := e.BuildVariant(variant, sets)
	if err != nil {
		return p.usageError(stderr, err)
	}
	t := sys.Simulate(seed, steps)
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err := enc.Encode(map[string]any{
			"model": e.Name, "variant": v.Name, "params": params, "seed": seed, "trace": render.JSONSteps(&t),
		})
		if err != nil {
			p.errorf(stderr, "writing JSON: %v\n", err)
		}
		return render.ExitHolds
	}
	taken := max(len(t.Steps)-1, 0)
	ended := ""
	if taken < steps {
		ended = " (no action enabled after the last)"
	}
	fmt.Fprintf(stdout, "model %s, variant %s, params %s: random walk, seed %d, %s%s\n",
		e.Name, v.Name, humanize.Params(params), seed, humanize.Plural(taken, "step"), ended)
	fmt.Fprintf(stdout, "path: %s (explore --path, trace --path)\n\n", checker.FormatPath(checker.PathOf(&t)))
	seqdiagram.Render(stdout, sys.Lanes(), t, seqdiagram.Options{Width: width, Legend: true})
	fmt.Fprintln(stdout)
	render.Steps(stdout, &t)
	return render.ExitHolds
}
