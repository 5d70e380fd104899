package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/render"
)

// Default limits of "graph": a full state graph is drawn node by node, so
// it is refused beyond what Graphviz lays out readably; a projected graph
// is small whatever the state space, but needs the whole reachable set.
const (
	defaultGraphStates     = 2000
	defaultProjectedStates = 1_000_000
)

// runGraph implements "handshake graph MODEL [--project ROLE] --format
// dot|json": the reachable state graph, or its quotient onto one role's
// protocol state.
func (p *Program) runGraph(ctx context.Context, o *options, positional []string, stdout, stderr io.Writer) int {
	t, err := p.openTarget(positional, o.variant, o.sets)
	if err != nil {
		return p.usageError(stderr, err)
	}
	opt := checker.GraphOptions{Lane: -1, MaxStates: o.graphStates}
	if o.project != "" {
		lanes := t.sys.Lanes()
		opt.Lane = slices.Index(lanes, o.project)
		switch {
		case !t.ex.Projects():
			return p.usageError(stderr, fmt.Errorf("--project: model %s has no projection onto roles", t.entry.Name))
		case opt.Lane < 0:
			return p.usageError(stderr, fmt.Errorf("--project %q: unknown role of model %s (known: %s)", o.project, t.entry.Name, strings.Join(lanes, ", ")))
		}
	}
	if o.graphStates < 0 {
		opt.MaxStates = defaultGraphStates
		if opt.Lane >= 0 {
			opt.MaxStates = defaultProjectedStates
		}
	}
	g, err := t.ex.Graph(ctx, opt)
	var big *checker.TooLargeError
	if errors.As(err, &big) {
		return p.usageError(stderr, fmt.Errorf("%s: the graph has more than %d states; raise --max-states (or use --project ROLE, or smaller parameters)", t.title(), big.Limit))
	}
	if err != nil {
		return p.usageError(stderr, err)
	}
	if o.format == "json" {
		err = render.GraphJSON(stdout, t.entry.Name, t.variant.Name, t.params, g)
	} else {
		render.Dot(stdout, t.title(), g)
	}
	if err != nil {
		p.errorf(stderr, "writing JSON: %v\n", err)
	}
	return render.ExitHolds
}
