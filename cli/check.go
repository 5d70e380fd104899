package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"runtime"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/render"
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
	WidthVar(fs, &c.width)
	fs.BoolVar(&c.quiet, "quiet", false, "no progress")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, nil, err
	}
	return c, positional, nil
}

// runCheck implements "handshake check MODEL [flags]".
func (p *Program) runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, positional, err := parseCheck(args)
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
	sys, v, params, err := e.BuildVariant(c.variant, c.sets)
	if err != nil {
		return p.usageError(stderr, err)
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
	rep.DistrustIncomplete()
	run := render.Run{Model: e.Name, Variant: v, Params: params, Lanes: sys.Lanes(), Report: rep,
		Witness: c.witness, Width: c.width, Workers: c.workers}
	if c.json {
		if err := render.JSON(stdout, &run); err != nil {
			p.errorf(stderr, "writing JSON: %v\n", err)
		}
	} else {
		render.Text(stdout, &run)
	}
	return exitStatus(&rep)
}

// exitStatus is 1 when a property is violated (a violation is definite
// even in an incomplete run), else 3 when the run is incomplete or some
// property undecided, else 0.
func exitStatus(r *checker.Report) int {
	unknown := !r.Complete
	for _, p := range r.Properties {
		switch p.Status {
		case checker.Violated.String():
			return render.ExitViolated
		case checker.Holds.String():
		default:
			unknown = true
		}
	}
	if unknown {
		return render.ExitIncomplete
	}
	return render.ExitHolds
}
