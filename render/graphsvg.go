package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/handshake/handshake/checker"
)

// Geometry of GraphSVG, in pixels.
const (
	gsLayerGap = 150 // between two layers' centres
	gsNodeGap  = 150 // between two nodes of a layer
	gsNodeH    = 30
	gsMargin   = 30
	gsLineH    = 12  // a line of an edge's label (10px text)
	gsCharW    = 6.2 // a character of 10px text, at most about
	// gsMaxPlaced is the most edges whose labels are placed clear of
	// each other; a bigger graph's go at their curves' midpoints.
	gsMaxPlaced = 400
)

// GraphSVG draws a (small) state graph as an SVG image without Graphviz:
// a layered layout computed here. Nodes are layered by their distance
// from the initial nodes and ordered within a layer by the mean position
// of their predecessors (a few sweeps of the barycentre heuristic); an
// edge to the next layer is straight, one to a node further down or back
// up is a curve bowing to the side; parallel edges spread apart. Parallel
// edges with the same colour are drawn once, their labels stacked. Each
// label sits on a white box along its edge, where it overlaps no node and
// no other label (the figure's edges placed first, closest to their
// arrows; a label moved away from its edge gets a dotted leader). As in Dot, edges the reference
// figure lacks are red and dashed (class "off"), and the figure's arrows
// no behaviour takes grey and dotted (class "missing"). Meant for
// projected graphs (tens of nodes); a full graph of thousands of nodes is
// laid out too, but not readably.
func GraphSVG(w io.Writer, title string, g *checker.StateGraph) error {
	n := len(g.Nodes)
	labels := make([]string, n)
	ids := map[string]int{}
	for i, nd := range g.Nodes {
		labels[i] = nd.Label
		ids[nd.Label] = i
	}
	type edge struct {
		from, to int
		labels   []string
		off      bool // not on the reference figure
		missing  bool // on the figure, taken by no behaviour
	}
	var edges []*edge
	group := map[[3]int]*edge{}
	addEdge := func(from, to int, label string, off, missing bool) {
		kind := 0
		switch {
		case off:
			kind = 1
		case missing:
			kind = 2
		}
		k := [3]int{from, to, kind}
		if e, ok := group[k]; ok {
			e.labels = append(e.labels, label)
			return
		}
		e := &edge{from: from, to: to, labels: []string{label}, off: off, missing: missing}
		group[k] = e
		edges = append(edges, e)
	}
	for _, e := range g.Edges {
		if e.From >= 0 && e.From < n && e.To >= 0 && e.To < n {
			addEdge(e.From, e.To, e.Label, g.Lane != "" && e.OffFigure, false)
		}
	}
	for _, a := range g.Missing {
		for _, name := range []string{a.From, a.To} {
			if _, ok := ids[name]; !ok {
				ids[name] = len(labels)
				labels = append(labels, name)
			}
		}
		addEdge(ids[a.From], ids[a.To], a.Event, false, true)
	}
	n = len(labels)

	// Layers: breadth-first distance from the initial nodes.
	layer := make([]int, n)
	for i := range layer {
		layer[i] = -1
	}
	var queue []int
	for i, nd := range g.Nodes {
		if nd.Initial {
			layer[i] = 0
			queue = append(queue, i)
		}
	}
	succ := make([][]int, n)
	for _, e := range edges {
		succ[e.from] = append(succ[e.from], e.to)
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, j := range succ[i] {
			if layer[j] < 0 {
				layer[j] = layer[i] + 1
				queue = append(queue, j)
			}
		}
	}
	depth := 0
	for i := range layer {
		if layer[i] < 0 {
			layer[i] = 0 // unreachable from an initial node (a missing arrow's end)
		}
		depth = max(depth, layer[i])
	}
	layers := make([][]int, depth+1)
	for i := range n {
		layers[layer[i]] = append(layers[layer[i]], i)
	}
	// Order within layers: barycentre of the neighbours in the layer
	// above, then below, a few times.
	pos := make([]float64, n)
	for _, l := range layers {
		for k, i := range l {
			pos[i] = float64(k)
		}
	}
	pred := make([][]int, n)
	for _, e := range edges {
		pred[e.to] = append(pred[e.to], e.from)
	}
	sweep := func(l []int, nbrs [][]int, from int) {
		bary := map[int]float64{}
		for _, i := range l {
			sum, cnt := 0.0, 0
			for _, j := range nbrs[i] {
				if layer[j] == from {
					sum += pos[j]
					cnt++
				}
			}
			if cnt > 0 {
				bary[i] = sum / float64(cnt)
			} else {
				bary[i] = pos[i]
			}
		}
		sort.SliceStable(l, func(a, b int) bool { return bary[l[a]] < bary[l[b]] })
		for k, i := range l {
			pos[i] = float64(k)
		}
	}
	for range 4 {
		for d := 1; d <= depth; d++ {
			sweep(layers[d], pred, d-1)
		}
		for d := depth - 1; d >= 0; d-- {
			sweep(layers[d], succ, d+1)
		}
	}

	// Coordinates: layers centred on the widest.
	nodeW := func(i int) float64 { return float64(max(utf8.RuneCountInString(labels[i])*8+24, 90)) }
	layerW := make([]float64, len(layers))
	width := 0.0
	for d, l := range layers {
		for _, i := range l {
			layerW[d] += nodeW(i) + gsNodeGap
		}
		width = max(width, layerW[d])
	}
	x := make([]float64, n)
	y := make([]float64, n)
	top := float64(gsMargin + 40)
	for d, l := range layers {
		cx := (width - layerW[d]) / 2
		for _, i := range l {
			x[i] = cx + (nodeW(i)+gsNodeGap)/2
			y[i] = top + float64(d*gsLayerGap) + gsNodeH/2
			cx += nodeW(i) + gsNodeGap
		}
	}
	nodeBox := func(i int) gsBox {
		return gsBox{x[i] - nodeW(i)/2, y[i] - gsNodeH/2, x[i] + nodeW(i)/2, y[i] + gsNodeH/2}
	}

	// Edges: their curves.
	curves := make([]gsCurve, len(edges))
	perPair := map[[2]int]int{}
	for k, e := range edges {
		pair := [2]int{min(e.from, e.to), max(e.from, e.to)}
		nth := perPair[pair]
		perPair[pair]++
		x1, y1, x2, y2 := x[e.from], y[e.from], x[e.to], y[e.to]
		bend := float64(nth) * 28 // parallel edges spread apart
		var c gsCurve
		switch {
		case e.from == e.to:
			r := x1 + nodeW(e.from)/2
			loop := 50 + bend
			c = gsCurve{{r, y1 - 6}, {r + loop, y1 - 40}, {r + loop, y1 + 40}, {r, y1 + 6}}
		case layer[e.to] == layer[e.from]+1 && nth == 0:
			c = gsCurve{{x1, y1 + gsNodeH/2}, {x2, y2 - gsNodeH/2}}
		case layer[e.to] == layer[e.from]:
			// Within a layer: an arc above (left to right) or below.
			dy := -gsNodeH/2 - 30 - bend
			sy := y1 - gsNodeH/2
			if x2 < x1 {
				dy = gsNodeH/2 + 30 + bend
				sy = y1 + gsNodeH/2
			}
			c = gsCurve{{x1, sy}, {(x1 + x2) / 2, y1 + dy*1.6}, {x2, sy}}
		default:
			// A curve bowing away from the graph's centre line.
			dir := 1.0
			if (x1+x2)/2 < width/2 || (layer[e.to] < layer[e.from] && (x1+x2)/2 == width/2) {
				dir = -1
			}
			span := math.Abs(float64(layer[e.to] - layer[e.from]))
			out := 60 + 40*span + bend
			sx, sy := x1+dir*nodeW(e.from)/2, y1
			tx, ty := x2+dir*nodeW(e.to)/2, y2
			if layer[e.to] > layer[e.from] {
				sx, sy = x1, y1+gsNodeH/2
				tx, ty = x2, y2-gsNodeH/2
				out = 30 + 30*span + bend
			}
			c = gsCurve{{sx, sy}, {(sx+tx)/2 + dir*out, (sy + ty) / 2}, {tx, ty}}
		}
		curves[k] = c
	}

	// Labels: each edge's in a box, placed along its curve where it
	// overlaps no node and no label placed before; the figure's edges
	// are placed first, so that theirs sit closest to their arrows.
	boxes := make([]gsBox, len(edges))
	anchors := make([][2]float64, len(edges))
	var placed []gsBox
	for i := range n {
		placed = append(placed, nodeBox(i).grow(2))
	}
	order := make([]int, len(edges))
	for k := range order {
		order[k] = k
	}
	rank := func(e *edge) int {
		switch {
		case e.off:
			return 2
		case e.missing:
			return 1
		}
		return 0
	}
	sort.SliceStable(order, func(a, b int) bool { return rank(edges[order[a]]) < rank(edges[order[b]]) })
	search := len(edges) <= gsMaxPlaced
	for _, k := range order {
		e := edges[k]
		w, h := 8.0, float64(len(e.labels))*gsLineH+4
		for _, l := range e.labels {
			w = max(w, float64(utf8.RuneCountInString(l))*gsCharW+8)
		}
		ts := []float64{0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8}
		if e.from == e.to {
			ts = []float64{0.5}
		}
		b, anchor := gsPlace(curves[k], ts, w, h, placed, search)
		boxes[k], anchors[k] = b, anchor
		placed = append(placed, b)
	}

	// The picture's bounds: nodes, labels and curves, and the title.
	var bounds gsBox // from the origin, where the title starts
	for i := range n {
		bounds = bounds.union(nodeBox(i))
	}
	for k := range edges {
		bounds = bounds.union(boxes[k])
		for _, p := range curves[k] {
			bounds = bounds.union(gsBox{p[0], p[1], p[0], p[1]})
		}
	}
	bounds = bounds.grow(gsMargin)
	bounds.y0 = min(bounds.y0, 0)
	bounds.x1 = max(bounds.x1, bounds.x0+float64(utf8.RuneCountInString(graphTitle(title, g))*8+2*gsMargin))
	bounds.y0 = min(bounds.y0, top-40-gsMargin)

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="%.0f" height="%.0f" viewBox="%.0f %.0f %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n",
		bounds.x1-bounds.x0, bounds.y1-bounds.y0, bounds.x0, bounds.y0, bounds.x1-bounds.x0, bounds.y1-bounds.y0)
	b.WriteString(`<defs>`)
	for _, m := range []struct{ id, colour string }{{"gh", "#333"}, {"gh-off", "#c62828"}, {"gh-missing", "#999"}} {
		fmt.Fprintf(&b, `<marker id="%s" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="%s"/></marker>`, m.id, m.colour)
	}
	b.WriteString("</defs>\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="14" font-weight="bold">%s</text>`+"\n", bounds.x0+gsMargin, bounds.y0+gsMargin, svgEsc(graphTitle(title, g)))

	style := func(e *edge) (class, colour, marker, dash string) {
		switch {
		case e.off:
			return "off", "#c62828", "gh-off", ` stroke-dasharray="6 4"`
		case e.missing:
			return "missing", "#999", "gh-missing", ` stroke-dasharray="2 3"`
		}
		return "", "#333", "gh", ""
	}
	// Edges first, under the labels and the nodes.
	for k, e := range edges {
		class, colour, marker, dash := style(e)
		fmt.Fprintf(&b, `<g class="%s" data-from="%s" data-to="%s"><path d="%s" fill="none" stroke="%s" stroke-width="1.3"%s marker-end="url(#%s)"/></g>`+"\n",
			strings.TrimSpace("edge "+class), svgEsc(labels[e.from]), svgEsc(labels[e.to]), curves[k].path(), colour, dash, marker)
	}
	// Labels above every edge, each on a white box (with a faint leader
	// to its curve when it had to move away from it).
	for k, e := range edges {
		class, colour, _, _ := style(e)
		bx := boxes[k]
		fmt.Fprintf(&b, `<g class="%s" data-from="%s" data-to="%s">`, strings.TrimSpace("edge-label "+class), svgEsc(labels[e.from]), svgEsc(labels[e.to]))
		if ax, ay := anchors[k][0], anchors[k][1]; !bx.grow(4).contains(ax, ay) {
			cx, cy := bx.clamp(ax, ay)
			fmt.Fprintf(&b, `<line class="leader" x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="%s" stroke-width="0.8" stroke-dasharray="1 2"/>`, ax, ay, cx, cy, colour)
		}
		fmt.Fprintf(&b, `<rect class="label-box" x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="3" fill="#fff" fill-opacity="0.92"/>`, bx.x0, bx.y0, bx.x1-bx.x0, bx.y1-bx.y0)
		mid := (bx.x0 + bx.x1) / 2
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="10" fill="%s">`, mid, bx.y0+2+gsLineH-3, colour)
		for i, l := range e.labels {
			dy := "0"
			if i > 0 {
				dy = strconv.Itoa(gsLineH)
			}
			fmt.Fprintf(&b, `<tspan x="%.1f" dy="%s">%s</tspan>`, mid, dy, svgEsc(l))
		}
		b.WriteString("</text></g>\n")
	}
	for i := range n {
		stroke, sw := "#6b86b3", "1.2"
		if i < len(g.Nodes) && g.Nodes[i].Initial {
			sw = "3"
		}
		fill := "#e8eef8"
		if i < len(g.Nodes) && g.Nodes[i].Deadlock {
			fill, stroke = "#fde2e2", "#c62828"
		}
		fmt.Fprintf(&b, `<g class="node" data-label="%s"><rect x="%.0f" y="%.0f" width="%.0f" height="%d" rx="12" fill="%s" stroke="%s" stroke-width="%s"/><text x="%.0f" y="%.0f" text-anchor="middle" font-weight="bold">%s</text></g>`+"\n",
			svgEsc(labels[i]), x[i]-nodeW(i)/2, y[i]-gsNodeH/2, nodeW(i), gsNodeH, fill, stroke, sw, x[i], y[i]+4, svgEsc(labels[i]))
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// graphTitle is the title Dot gives a graph.
func graphTitle(title string, g *checker.StateGraph) string {
	if g.Lane != "" {
		title += ": projected onto the " + g.Lane
		if g.Figure != "" {
			title += ", compared with " + g.Figure
		}
	}
	return title
}

// svgEsc escapes s for SVG text and attributes.
func svgEsc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s)) // a bytes.Buffer does not fail
	return b.String()
}
