package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/matrix"
	"github.com/handshake/handshake/render"
)

// matrixConfig is what "handshake matrix" was asked to do.
type matrixConfig struct {
	workers   int
	maxStates uint64
	timeout   durationFlag
	json      bool
	markdown  bool
	quiet     bool
}

func parseMatrix(args []string) (*matrixConfig, []string, error) {
	c := &matrixConfig{}
	fs := newFlagSet("matrix")
	intVar(fs, &c.workers, "workers", defaultWorkers, 1, 1<<20, ruleWorkers)
	uint64Var(fs, &c.maxStates, "max-states", 0, ruleMaxStates)
	fs.Var(&c.timeout, "timeout", "timeout per variant")
	fs.BoolVar(&c.json, "json", false, "JSON output")
	fs.BoolVar(&c.markdown, "markdown", false, "Markdown output")
	fs.BoolVar(&c.quiet, "quiet", false, "no progress")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case c.json && c.markdown:
		return nil, nil, errors.New("--json and --markdown: choose one")
	case len(positional) > 1:
		return nil, nil, fmt.Errorf("unexpected argument %q after MODEL %s", positional[1], positional[0])
	}
	return c, positional, nil
}

// runMatrix implements "handshake matrix [MODEL] [flags]": every variant
// of the model (of every model without MODEL), built with its default
// parameters, checked against every property, as a table of verdicts
// compared with the verdicts the variant expects.
func (p *Program) runMatrix(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, positional, err := parseMatrix(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, p.usage())
		return render.ExitHolds
	}
	if err != nil {
		return p.usageError(stderr, err)
	}
	entries := p.Models.Sorted()
	if len(positional) == 1 {
		e, err := p.Models.Lookup(positional[0])
		if err != nil {
			return p.usageError(stderr, err)
		}
		entries = []*catalog.Entry{e}
	}
	opt := checker.Options{Workers: c.workers, MaxStates: c.maxStates, Timeout: c.timeout.d}
	var progress io.Writer
	if !c.quiet {
		progress = stderr
	}
	var ms []*matrix.Matrix
	for _, e := range entries {
		m, err := matrix.Compute(ctx, e, opt, progress)
		if err != nil {
			return p.usageError(stderr, err)
		}
		ms = append(ms, m)
	}
	switch {
	case c.json:
		if err := matrix.WriteJSON(stdout, ms); err != nil {
			p.errorf(stderr, "writing JSON: %v\n", err)
		}
	case c.markdown:
		matrix.WriteMarkdown(stdout, ms)
	default:
		matrix.WriteText(stdout, ms)
	}
	return matrix.ExitStatus(ms)
}
