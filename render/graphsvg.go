package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"sort"
	"unicode/utf8"

	"github.com/handshake/handshake/checker"
)

// Geometry of GraphSVG, in pixels.
const (
	gsLayerGap = 150 // between two layers' centres
	gsNodeGap  = 150 // between two nodes of a layer
	gsNodeH    = 30
	gsMargin   = 30
)

// GraphSVG draws a (small) state graph as an SVG image without Graphviz:
// a layered layout computed here. Nodes are layered by their distance
// from the initial nodes and ordered within a layer by the mean position
// of their predecessors (a few sweeps of the barycentre heuristic); an
// edge to the next layer is straight, one to a node further down or back
// up is a curve bowing to the side. Parallel edges with the same colour
// are drawn once, their labels stacked. As in Dot, edges the reference
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
	side := 300.0 // room for curves and labels on both sides
	width += 2 * side
	width = max(width, float64(utf8.RuneCountInString(graphTitle(title, g))*8+2*gsMargin))
	x := make([]float64, n)
	y := make([]float64, n)
	for d, l := range layers {
		cx := (width - layerW[d]) / 2
		for _, i := range l {
			x[i] = cx + (nodeW(i)+gsNodeGap)/2
			y[i] = float64(gsMargin+40+d*gsLayerGap) + gsNodeH/2
			cx += nodeW(i) + gsNodeGap
		}
	}
	height := float64(gsMargin+40+(depth+1)*gsLayerGap) + gsMargin

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	b.WriteString(`<defs>`)
	for _, m := range []struct{ id, colour string }{{"gh", "#333"}, {"gh-off", "#c62828"}, {"gh-missing", "#999"}} {
		fmt.Fprintf(&b, `<marker id="%s" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="%s"/></marker>`, m.id, m.colour)
	}
	b.WriteString("</defs>\n")
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="14" font-weight="bold">%s</text>`+"\n", gsMargin, gsMargin, svgEsc(graphTitle(title, g)))

	// Edges first, under the nodes.
	perPair := map[[2]int]int{}
	band := map[int]int{} // edges drawn so far from each layer to the next
	for _, e := range edges {
		k := [2]int{min(e.from, e.to), max(e.from, e.to)}
		nth := perPair[k]
		perPair[k]++
		x1, y1, x2, y2 := x[e.from], y[e.from], x[e.to], y[e.to]
		var path string
		var lx, ly float64
		bend := float64(nth) * 28
		switch {
		case e.from == e.to:
			path = fmt.Sprintf("M%.0f,%.0f C%.0f,%.0f %.0f,%.0f %.0f,%.0f", x1+nodeW(e.from)/2, y1-6, x1+nodeW(e.from)/2+50, y1-40, x1+nodeW(e.from)/2+50, y1+40, x1+nodeW(e.from)/2, y1+6)
			lx, ly = x1+nodeW(e.from)/2+54, y1
		case layer[e.to] == layer[e.from]+1 && nth == 0:
			sy, ty := y1+gsNodeH/2, y2-gsNodeH/2
			path = fmt.Sprintf("M%.0f,%.0f L%.0f,%.0f", x1, sy, x2, ty)
			// Labels of the edges crossing a band alternate between a
			// third and two thirds of the way, so that fewer overlap.
			f := 0.35
			if band[layer[e.from]]%2 == 1 {
				f = 0.65
			}
			band[layer[e.from]]++
			lx, ly = x1+(x2-x1)*f, sy+(ty-sy)*f
		case layer[e.to] == layer[e.from]:
			// Within a layer: an arc above (left to right) or below.
			sx, tx := x1, x2
			dy := -gsNodeH/2 - 30 - bend
			sy := y1 - gsNodeH/2
			if x2 < x1 {
				dy = gsNodeH/2 + 30 + bend
				sy = y1 + gsNodeH/2
			}
			path = fmt.Sprintf("M%.0f,%.0f Q%.0f,%.0f %.0f,%.0f", sx, sy, (sx+tx)/2, y1+dy*1.6, tx, sy)
			lx, ly = (sx+tx)/2, y1+dy*0.9
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
			cx := (sx+tx)/2 + dir*out
			cy := (sy + ty) / 2
			path = fmt.Sprintf("M%.0f,%.0f Q%.0f,%.0f %.0f,%.0f", sx, sy, cx, cy, tx, ty)
			lx, ly = (sx+2*cx+tx)/4, (sy+2*cy+ty)/4
		}
		class, colour, marker, dash := "edge", "#333", "gh", ""
		switch {
		case e.off:
			class, colour, marker, dash = "edge off", "#c62828", "gh-off", ` stroke-dasharray="6 4"`
		case e.missing:
			class, colour, marker, dash = "edge missing", "#999", "gh-missing", ` stroke-dasharray="2 3"`
		}
		fmt.Fprintf(&b, `<g class="%s" data-from="%s" data-to="%s"><path d="%s" fill="none" stroke="%s" stroke-width="1.3"%s marker-end="url(#%s)"/>`,
			class, svgEsc(labels[e.from]), svgEsc(labels[e.to]), path, colour, dash, marker)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle" font-size="10" fill="%s">`, lx, ly-float64(len(e.labels)-1)*6, colour)
		for k, l := range e.labels {
			dy := "0"
			if k > 0 {
				dy = "12"
			}
			fmt.Fprintf(&b, `<tspan x="%.0f" dy="%s">%s</tspan>`, lx, dy, svgEsc(l))
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
