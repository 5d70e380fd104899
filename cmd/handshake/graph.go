package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/handshake/handshake/checker"
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
func runGraph(ctx context.Context, args []string, stdout, stderr io.Writer) int {
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
		fmt.Fprint(stdout, usage)
		return exitHolds
	}
	if err == nil {
		err = checkFormat(format, "dot", "json")
	}
	if err != nil {
		return usageError(stderr, err)
	}
	t, err := openTarget(positional, variant, sets)
	if err != nil {
		return usageError(stderr, err)
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
			return usageError(stderr, fmt.Errorf("--project: model %s has no projection onto roles", t.entry.Name))
		case opt.Lane < 0:
			return usageError(stderr, fmt.Errorf("--project %q: unknown role of model %s (known: %s)", project, t.entry.Name, strings.Join(lanes, ", ")))
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
		return usageError(stderr, fmt.Errorf("%s: the graph has more than %d states; raise --max-states (or use --project ROLE, or smaller parameters)", t.title(), big.Limit))
	}
	if err != nil {
		return usageError(stderr, err)
	}
	if format == "json" {
		err = writeGraphJSON(stdout, t, g)
	} else {
		writeDot(stdout, t, g)
	}
	if err != nil {
		fmt.Fprintf(stderr, "handshake: writing JSON: %v\n", err)
	}
	return exitHolds
}

// graphDoc is the JSON form of a graph.
type graphDoc struct {
	Model   string         `json:"model"`
	Variant string         `json:"variant"`
	Params  map[string]int `json:"params"`
	*checker.StateGraph
}

func writeGraphJSON(w io.Writer, t *target, g *checker.StateGraph) error {
	params := t.params
	if params == nil {
		params = map[string]int{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(graphDoc{Model: t.entry.Name, Variant: t.variant.Name, Params: params, StateGraph: g})
}

// writeDot writes a graph in Graphviz's dot language. Initial states have
// an arrow from a point; in a full graph, deadlocks are red octagons and
// end states double circles; in a projected graph, edges the reference
// figure lacks are red and dashed, and the figure's arrows no behaviour
// takes are grey and dotted.
func writeDot(w io.Writer, t *target, g *checker.StateGraph) {
	title := t.title()
	if g.Lane != "" {
		title += ": projected onto the " + g.Lane
		if g.Figure != "" {
			title += ", compared with " + g.Figure
		}
	}
	title += fmt.Sprintf(" (%s reachable %s)", grouped(uint64(g.States)), pluralWord(g.States, "state"))
	fmt.Fprintln(w, "digraph handshake {")
	fmt.Fprintf(w, "  label=%s;\n  labelloc=t;\n", dotString(title))
	if g.Lane != "" {
		fmt.Fprintln(w, "  node [shape=box, style=rounded, fontname=\"Helvetica\"];")
		fmt.Fprintln(w, "  edge [fontname=\"Helvetica\", fontsize=10];")
	} else {
		fmt.Fprintln(w, "  node [shape=box, fontname=\"Courier\", fontsize=9];")
		fmt.Fprintln(w, "  edge [fontname=\"Courier\", fontsize=8];")
	}
	ids := map[string]int{}
	for _, n := range g.Nodes {
		ids[n.Label] = n.ID
		attrs := []string{"label=" + dotLabel(n.Label, g.Lane == "")}
		switch {
		case n.Deadlock:
			attrs = append(attrs, "shape=octagon", "color=red")
		case n.End:
			attrs = append(attrs, "peripheries=2")
		}
		if n.Path != "" {
			attrs = append(attrs, "tooltip="+dotString("path "+n.Path))
		}
		fmt.Fprintf(w, "  n%d [%s];\n", n.ID, strings.Join(attrs, ", "))
		if n.Initial {
			fmt.Fprintf(w, "  init%d [shape=point, label=\"\"];\n  init%d -> n%d;\n", n.ID, n.ID, n.ID)
		}
	}
	for _, e := range dotEdges(g) {
		attrs := []string{"label=" + dotString(e.Label)}
		if e.OffFigure && g.Figure != "" {
			attrs = append(attrs, "style=dashed", "color=red", "fontcolor=red")
		}
		fmt.Fprintf(w, "  n%d -> n%d [%s];\n", e.From, e.To, strings.Join(attrs, ", "))
	}
	for i, a := range g.Missing {
		from, okF := ids[a.From]
		to, okT := ids[a.To]
		if !okF {
			fmt.Fprintf(w, "  m%df [label=%s, color=grey, fontcolor=grey];\n", i, dotString(a.From))
		}
		if !okT {
			fmt.Fprintf(w, "  m%dt [label=%s, color=grey, fontcolor=grey];\n", i, dotString(a.To))
		}
		src, dst := fmt.Sprintf("n%d", from), fmt.Sprintf("n%d", to)
		if !okF {
			src = fmt.Sprintf("m%df", i)
		}
		if !okT {
			dst = fmt.Sprintf("m%dt", i)
		}
		fmt.Fprintf(w, "  %s -> %s [label=%s, style=dotted, color=grey, fontcolor=grey];\n", src, dst, dotString(a.Event+" (never taken)"))
	}
	if g.Lane != "" && g.Figure != "" {
		legend := "black: arrows of " + g.Figure + "; red dashed: changes the figure lacks"
		if len(g.Missing) > 0 {
			legend += "; grey dotted: arrows of the figure no behaviour takes"
		}
		fmt.Fprintf(w, "  legend [shape=plaintext, style=\"\", label=%s];\n", dotString(legend))
	}
	fmt.Fprintln(w, "}")
}

// dotString quotes s for dot.
func dotString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// dotLabel quotes a node label; multi-line labels are left-aligned.
func dotLabel(s string, left bool) string {
	if !left || !strings.Contains(s, "\n") {
		return dotString(s)
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\l`)
	return `"` + r.Replace(s) + `\l"`
}

// dotEdges are the edges to draw: in a projected graph, the edges the
// figure lacks between the same two states are drawn as one, their
// events one a line, so that the figure's arrows stay readable.
func dotEdges(g *checker.StateGraph) []checker.GraphEdge {
	if g.Lane == "" || g.Figure == "" {
		return g.Edges
	}
	var out []checker.GraphEdge
	merged := map[[2]int]int{}
	for _, e := range g.Edges {
		if !e.OffFigure {
			out = append(out, e)
			continue
		}
		k := [2]int{e.From, e.To}
		if i, ok := merged[k]; ok {
			out[i].Label += "\n" + e.Label
			out[i].Count += e.Count
			continue
		}
		merged[k] = len(out)
		out = append(out, e)
	}
	return out
}

// pluralWord is word, with an s unless n is 1.
func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
