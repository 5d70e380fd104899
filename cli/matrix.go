package cli

import (
	"context"
	"io"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/matrix"
)

// runMatrix implements "handshake matrix [MODEL] [flags]": every variant
// of the model (of every model without MODEL), built with its default
// parameters, checked against every property, as a table of verdicts
// compared with the verdicts the variant expects.
func (p *Program) runMatrix(ctx context.Context, o *options, positional []string, stdout, stderr io.Writer) int {
	entries := p.Models.Sorted()
	if len(positional) == 1 {
		e, err := p.Models.Lookup(positional[0])
		if err != nil {
			return p.usageError(stderr, err)
		}
		entries = []*catalog.Entry{e}
	}
	opt := o.limits()
	var progress io.Writer
	if !o.quiet {
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
	case o.json:
		if err := matrix.WriteJSON(stdout, ms); err != nil {
			p.errorf(stderr, "writing JSON: %v\n", err)
		}
	case o.markdown:
		matrix.WriteMarkdown(stdout, ms)
	default:
		matrix.WriteText(stdout, ms)
	}
	return matrix.ExitStatus(ms)
}
