package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/render"
)

// runCheck implements "handshake check MODEL [flags]".
func (p *Program) runCheck(ctx context.Context, o *options, positional []string, stdout, stderr io.Writer) int {
	t, err := p.build(positional, o.variant, o.sets)
	if err != nil {
		return p.usageError(stderr, err)
	}
	e, v, params, sys := t.entry, t.variant, t.params, t.sys
	groups := map[string]bool{}
	for _, pi := range sys.Properties() {
		groups[pi.Group] = pi.Group != ""
	}
	for _, name := range o.checkProps {
		if groups[name] {
			continue
		}
		if err := unknownProperty(sys, name, "'"+p.Name+" list "+e.Name+"' lists them"); err != nil {
			return p.usageError(stderr, fmt.Errorf("--property: %v", err))
		}
	}
	opt := o.limits()
	opt.Exact = o.exact
	// Only these properties (names or group names); the others are
	// reported as not checked.
	opt.Properties = o.checkProps
	if !o.quiet {
		opt.Progress = progressPrinter(stderr)
	}
	rep := sys.Check(ctx, opt)
	rep.DistrustIncomplete()
	run := render.Run{Model: e.Name, Variant: v, Params: params, Lanes: sys.Lanes(), Report: rep,
		Witness: o.witness, Width: o.width, Workers: o.workers}
	if o.json {
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
// property undecided, else 0. A property left out by --property counts
// neither way: exit 0 says every property checked holds.
func exitStatus(r *checker.Report) int {
	unknown := !r.Complete
	for _, p := range r.Properties {
		switch p.Status {
		case checker.Violated:
			return render.ExitViolated
		case checker.Holds, checker.NotChecked:
		default:
			unknown = true
		}
	}
	if unknown {
		return render.ExitIncomplete
	}
	return render.ExitHolds
}
