package render_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/render"
	"github.com/handshake/handshake/spec"
)

// svgBox is a rectangle of the SVG, with what it belongs to.
type svgBox struct {
	what           string
	x0, y0, x1, y1 float64
}

func (a svgBox) overlaps(b svgBox) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

// parsedGraph is what a GraphSVG image holds: its view box, the edges
// (class "edge"), the label boxes (class "label-box", one per
// edge-label group) and the nodes' boxes.
type parsedGraph struct {
	view          svgBox
	edges, labels []svgBox // edges: only what is counted
	nodes         []svgBox
}

// parseGraphSVG decodes the image as XML (failing on any error: it must
// be well-formed) and collects its boxes.
func parseGraphSVG(t *testing.T, svg string) parsedGraph {
	t.Helper()
	var p parsedGraph
	dec := xml.NewDecoder(strings.NewReader(svg))
	var stack []string // the class of each open element
	group := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range el.Attr {
				attr[a.Name.Local] = a.Value
			}
			num := func(k string) float64 {
				f, err := strconv.ParseFloat(attr[k], 64)
				if err != nil {
					t.Fatalf("<%s %s=%q>: %v", el.Name.Local, k, attr[k], err)
				}
				return f
			}
			class := attr["class"]
			stack = append(stack, class)
			switch {
			case el.Name.Local == "svg":
				var v [4]float64
				if _, err := fmt.Sscanf(attr["viewBox"], "%g %g %g %g", &v[0], &v[1], &v[2], &v[3]); err != nil {
					t.Fatalf("viewBox %q: %v", attr["viewBox"], err)
				}
				p.view = svgBox{"view", v[0], v[1], v[0] + v[2], v[1] + v[3]}
			case el.Name.Local == "g":
				group = attr["data-from"] + " -> " + attr["data-to"] + " " + attr["data-label"]
				if class == "edge" || strings.HasPrefix(class, "edge ") {
					p.edges = append(p.edges, svgBox{what: group})
				}
			case el.Name.Local == "rect" && class == "label-box":
				p.labels = append(p.labels, svgBox{"label of " + group, num("x"), num("y"), num("x") + num("width"), num("y") + num("height")})
			case el.Name.Local == "rect" && len(stack) > 1 && stack[len(stack)-2] == "node":
				p.nodes = append(p.nodes, svgBox{"node" + group, num("x"), num("y"), num("x") + num("width"), num("y") + num("height")})
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	return p
}

// checkPlacement: one label per edge, no two labels overlap, no label
// overlaps a node, and everything lies in the view box.
func checkPlacement(t *testing.T, p parsedGraph) {
	t.Helper()
	if len(p.edges) == 0 || len(p.labels) != len(p.edges) {
		t.Errorf("%d label boxes for %d edges", len(p.labels), len(p.edges))
	}
	for i, a := range p.labels {
		for _, b := range p.labels[i+1:] {
			if a.overlaps(b) {
				t.Errorf("%s %v overlaps %s %v", a.what, a, b.what, b)
			}
		}
		for _, n := range p.nodes {
			if a.overlaps(n) {
				t.Errorf("%s %v overlaps %s %v", a.what, a, n.what, n)
			}
		}
	}
	for _, b := range append(p.labels, p.nodes...) {
		if b.x0 < p.view.x0 || b.y0 < p.view.y0 || b.x1 > p.view.x1 || b.y1 > p.view.y1 {
			t.Errorf("%s %v outside the view box %v", b.what, b, p.view)
		}
	}
}

// TestGraphSVGFigure5: tcp's state graph projected onto the client (RFC
// 9293 Figure 5 with the changes it lacks: dozens of labels, several
// between the same two states) is well-formed XML whose labels overlap
// neither each other nor the states.
func TestGraphSVGFigure5(t *testing.T) {
	for _, variant := range []string{"rfc9293", "two-way-handshake"} {
		sys, _, _, err := spec.TCP().BuildVariant(variant, nil)
		if err != nil {
			t.Fatal(err)
		}
		g, err := sys.(checker.Explorer).Graph(context.Background(), checker.GraphOptions{Lane: 0})
		if err != nil {
			t.Fatal(err)
		}
		if g.Lane != "client" || len(g.Nodes) < 9 {
			t.Fatalf("%s: projected onto %q, %d nodes", variant, g.Lane, len(g.Nodes))
		}
		var b bytes.Buffer
		if err := render.GraphSVG(&b, "model tcp, variant "+variant, g); err != nil {
			t.Fatal(err)
		}
		p := parseGraphSVG(t, b.String())
		if len(p.nodes) != 11 {
			t.Errorf("%s: %d nodes drawn, want Figure 5's 11", variant, len(p.nodes))
		}
		checkPlacement(t, p)
	}
}

// TestGraphSVGCrowded: labels stay apart where they crowd most: many
// long labels from one state, parallel edges of every kind between the
// same two states (figure, off the figure, missing), self-loops, and
// edges back up.
func TestGraphSVGCrowded(t *testing.T) {
	g := &checker.StateGraph{Lane: "client", Figure: "Figure X", Nodes: []checker.GraphNode{{ID: 0, Label: "A & <B>", Initial: true}}}
	long := "a rather long label for an edge, " + strings.Repeat("x", 30)
	for i := 1; i <= 12; i++ {
		g.Nodes = append(g.Nodes, checker.GraphNode{ID: i, Label: fmt.Sprintf("S%d", i)})
		g.Edges = append(g.Edges, checker.GraphEdge{From: 0, To: i, Label: fmt.Sprintf("%s %d", long, i)})
		g.Edges = append(g.Edges, checker.GraphEdge{From: i, To: 0, Label: fmt.Sprintf("back %d", i), OffFigure: true})
		g.Edges = append(g.Edges, checker.GraphEdge{From: i, To: i, Label: fmt.Sprintf("self %d", i), OffFigure: i%2 == 0})
	}
	for k := 0; k < 4; k++ { // stacked: the same pair and kind
		g.Edges = append(g.Edges, checker.GraphEdge{From: 1, To: 2, Label: fmt.Sprintf("sideways %d", k), OffFigure: k%2 == 0})
	}
	g.Missing = []checker.Arrow{{From: "S1", To: "S2", Event: "never"}, {From: "S3", To: "ELSEWHERE", Event: "never either"}}
	var b bytes.Buffer
	if err := render.GraphSVG(&b, "crowded <graph>", g); err != nil {
		t.Fatal(err)
	}
	p := parseGraphSVG(t, b.String())
	if len(p.nodes) != 14 {
		t.Errorf("%d nodes drawn, want 14 (13 and a missing arrow's end)", len(p.nodes))
	}
	// 12 down, 12 back, 12 self-loops, S1 -> S2 figure and off, 2 missing.
	if len(p.edges) != 40 {
		t.Errorf("%d edges drawn, want 40", len(p.edges))
	}
	checkPlacement(t, p)
}

// TestGraphSVGEmpty: a graph without nodes is still an image.
func TestGraphSVGEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := render.GraphSVG(&b, "nothing", &checker.StateGraph{}); err != nil {
		t.Fatal(err)
	}
	p := parseGraphSVG(t, b.String())
	if len(p.nodes) != 0 || len(p.labels) != 0 || p.view.x1 <= p.view.x0 {
		t.Errorf("empty graph: %+v", p)
	}
}
