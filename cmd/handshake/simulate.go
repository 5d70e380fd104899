package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"

	"github.com/handshake/handshake/checker"

	"github.com/handshake/handshake/seqdiagram"
)

// runSimulate implements "handshake simulate MODEL [flags]": one random
// walk through the model, drawn as a sequence diagram (or, with --json,
// printed as {"model", "variant", "params", "seed", "trace"}).
func runSimulate(args []string, stdout, stderr io.Writer) int {
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
	intVar(fs, &width, "width", seqdiagram.DefaultWidth, 40, 1000, ruleWidth)
	fs.BoolVar(&asJSON, "json", false, "JSON output")
	positional, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitHolds
	}
	if err != nil {
		return usageError(stderr, err)
	}
	e, err := lookup(positional)
	if err != nil {
		return usageError(stderr, err)
	}
	sys, v, params, err := e.BuildVariant(variant, sets)
	if err != nil {
		return usageError(stderr, err)
	}
	t := sys.Simulate(seed, steps)
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err := enc.Encode(map[string]any{
			"model": e.Name, "variant": v.Name, "params": params, "seed": seed, "trace": jsonTrace(&t),
		})
		if err != nil {
			fmt.Fprintf(stderr, "handshake: writing JSON: %v\n", err)
		}
		return exitHolds
	}
	taken := max(len(t.Steps)-1, 0)
	ended := ""
	if taken < steps {
		ended = " (no action enabled after the last)"
	}
	fmt.Fprintf(stdout, "model %s, variant %s, params %s: random walk, seed %d, %s%s\n",
		e.Name, v.Name, paramsText(params), seed, plural(taken, "step"), ended)
	fmt.Fprintf(stdout, "path: %s (explore --path, trace --path)\n\n", checker.FormatPath(checker.PathOf(&t)))
	seqdiagram.Render(stdout, sys.Lanes(), t, seqdiagram.Options{Width: width, Legend: true})
	fmt.Fprintln(stdout)
	writeSteps(stdout, &t)
	return exitHolds
}
