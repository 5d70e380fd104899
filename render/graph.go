package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
)

// GraphDoc is the JSON form of a graph (what GraphJSON prints): the
// configuration drawn and the graph.
type GraphDoc struct {
	Model   string         `json:"model"`
	Variant string         `json:"variant"`
	Params  map[string]int `json:"params"`
	*checker.StateGraph
}

// GraphJSON prints the graph of a model's variant with the given
// parameters as one JSON object.
func GraphJSON(w io.Writer, model, variant string, params map[string]int, g *checker.StateGraph) error {
	if params == nil {
		params = map[string]int{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(GraphDoc{Model: model, Variant: variant, Params: params, StateGraph: g})
}

// Dot writes a graph in Graphviz's dot language. Initial states have
// an arrow from a point; in a full graph, deadlocks are red octagons and
// end states double circles; in a projected graph, edges the reference
// figure lacks are red and dashed, and the figure's arrows no behaviour
// takes are grey and dotted.
// The title names what is drawn ("model tcp, variant rfc9293, params
// cap=2 data=1").
func Dot(w io.Writer, title string, g *checker.StateGraph) {
	title = graphTitle(title, g)
	title += fmt.Sprintf(" (%s reachable %s)", humanize.Grouped(uint64(g.States)), humanize.PluralWord(g.States, "state"))
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
