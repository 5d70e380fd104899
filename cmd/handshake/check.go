package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"runtime"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/seqdiagram"
	"github.com/handshake/handshake/spec"
)

// defaultWorkers is the default of --workers: one per processor the Go
// runtime may use. Counts, verdicts and traces do not depend on it.
var defaultWorkers = runtime.GOMAXPROCS(0)

// checkConfig is what "handshake check" was asked to do.
type checkConfig struct {
	variant   string
	sets      stringList
	workers   int
	maxStates uint64
	maxDepth  int
	timeout   durationFlag
	exact     bool
	json      bool
	witness   bool
	width     int
	quiet     bool
}

func parseCheck(args []string) (*checkConfig, []string, error) {
	c := &checkConfig{}
	fs := newFlagSet("check")
	fs.StringVar(&c.variant, "variant", "", "variant")
	fs.Var(&c.sets, "set", "key=value")
	intVar(fs, &c.workers, "workers", defaultWorkers, 1, 1<<20, ruleWorkers)
	uint64Var(fs, &c.maxStates, "max-states", 0, ruleMaxStates)
	intVar(fs, &c.maxDepth, "max-depth", 0, 0, math.MaxInt32, ruleMaxDepth)
	fs.Var(&c.timeout, "timeout", "timeout")
	fs.BoolVar(&c.exact, "exact", false, "exact state storage")
	fs.BoolVar(&c.json, "json", false, "JSON output")
	fs.BoolVar(&c.witness, "witness", false, "print witnesses")
	intVar(fs, &c.width, "width", seqdiagram.DefaultWidth, 40, 1000, ruleWidth)
	fs.BoolVar(&c.quiet, "quiet", false, "no progress")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, nil, err
	}
	return c, positional, nil
}

// runCheck implements "handshake check MODEL [flags]".
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, positional, err := parseCheck(args)
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
	sys, v, params, err := e.BuildVariant(c.variant, c.sets)
	if err != nil {
		return usageError(stderr, err)
	}
	opt := checker.Options{
		Workers:   c.workers,
		MaxStates: c.maxStates,
		MaxDepth:  c.maxDepth,
		Timeout:   c.timeout.d,
		Exact:     c.exact,
	}
	if !c.quiet {
		opt.Progress = progressPrinter(stderr)
	}
	rep := sys.Check(ctx, opt)
	distrustIncomplete(&rep)
	run := checkRun{entry: e, variant: v, params: params, lanes: sys.Lanes(), report: rep, config: c}
	if c.json {
		if err := writeJSON(stdout, &run); err != nil {
			fmt.Fprintf(stderr, "handshake: writing JSON: %v\n", err)
		}
	} else {
		writeText(stdout, &run)
	}
	return exitStatus(&rep)
}

// checkRun is one finished check with what it was asked.
type checkRun struct {
	entry   *spec.Entry
	variant *spec.Variant
	params  map[string]int
	lanes   []string
	report  checker.Report
	config  *checkConfig
}

// distrustIncomplete makes sure an incomplete run never claims that a
// universal property (always, eventually, deadlock, always-step) holds:
// only a complete exploration can show that. A found witness of a
// sometimes-property stays a definite "holds".
func distrustIncomplete(r *checker.Report) {
	if r.Complete {
		return
	}
	for i := range r.Properties {
		p := &r.Properties[i]
		if p.Status == checker.Holds.String() && !existential(p.Kind) {
			p.Status = checker.Unknown.String()
			p.Trace = nil
		}
	}
}

// existential reports whether a property of this kind is shown by one
// witness, not by the whole state space.
func existential(kind string) bool {
	return kind == checker.Sometimes.String() || kind == checker.SometimesStep.String()
}

// exitStatus is 1 when a property is violated (a violation is definite
// even in an incomplete run), else 3 when the run is incomplete or some
// property undecided, else 0.
func exitStatus(r *checker.Report) int {
	unknown := !r.Complete
	for _, p := range r.Properties {
		switch p.Status {
		case checker.Violated.String():
			return exitViolated
		case checker.Holds.String():
		default:
			unknown = true
		}
	}
	if unknown {
		return exitIncomplete
	}
	return exitHolds
}
