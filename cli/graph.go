package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
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
func (p *Program) runGraph(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var (
		variant, format, project string
		sets                     stringList
		maxStates                int
	)
	fs := newFlagSet("graph")
	fs.StringVar(&variant, "variant", "", "variant")
	fs.Var(&sets, "set", "key=value")
	fs.StringVar(&format, "format", "dot", "dot or json")
	fs.StringVar(&project, "project", "", "role")
	intVar(fs, &maxStates, "max-states", -1, 1, math.MaxInt32, "want a whole number, at least 1")
	positional, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, p.usage())
		return render.ExitHolds
	}
	if err == nil {
		err = checkFormat(format, "dot", "json")
	}
	if err != nil {
		return p.usageError(stderr, err)
	}
	t, err := p.openTarget(positional, variant, sets)
	if err != nil {
		return p.usageError(stderr, err)
	}
	opt := checker.GraphOptions{Lane: -1, MaxStates: maxStates}
	if project != "" {
		lanes := t.sys.Lanes()
		for i, l := range lanes {
			if l == project {
				opt.Lane = i
			}
		}
		switch {
		case !t.ex.Projects():
			return p.usageError(stderr, fmt.Errorf("--project: model %s has no projection onto roles", t.entry.Name))
		case opt.Lane < 0:
			return p.usageError(stderr, fmt.Errorf("--project %q: unknown role of model %s (known: %s)", project, t.entry.Name, strings.Join(lanes, ", ")))
		}
	}
	if maxStates < 0 {
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
	if format == "json" {
		err = render.GraphJSON(stdout, t.entry.Name, t.variant.Name, t.params, g)
	} else {
		render.Dot(stdout, t.title(), g)
	}
	if err != nil {
		p.errorf(stderr, "writing JSON: %v\n", err)
	}
	return render.ExitHolds
}
