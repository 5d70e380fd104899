package render

import (
	"fmt"
	"math"
	"strings"
)

// gsBox is an axis-aligned rectangle: left, top, right, bottom.
type gsBox struct{ x0, y0, x1, y1 float64 }

// overlaps reports whether two boxes share more than an edge.
func (a gsBox) overlaps(b gsBox) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

func (a gsBox) grow(d float64) gsBox { return gsBox{a.x0 - d, a.y0 - d, a.x1 + d, a.y1 + d} }

func (a gsBox) union(b gsBox) gsBox {
	return gsBox{min(a.x0, b.x0), min(a.y0, b.y0), max(a.x1, b.x1), max(a.y1, b.y1)}
}

func (a gsBox) contains(x, y float64) bool { return x >= a.x0 && x <= a.x1 && y >= a.y0 && y <= a.y1 }

// clamp is the point of the box nearest to (x, y).
func (a gsBox) clamp(x, y float64) (float64, float64) {
	return min(max(x, a.x0), a.x1), min(max(y, a.y0), a.y1)
}

// gsCurve is a line (two points), a quadratic (three) or a cubic (four)
// Bézier curve.
type gsCurve [][2]float64

// at is the curve's point at t in [0, 1] (de Casteljau).
func (c gsCurve) at(t float64) [2]float64 {
	p := append([][2]float64(nil), c...)
	for n := len(p) - 1; n > 0; n-- {
		for i := range n {
			p[i] = [2]float64{p[i][0] + (p[i+1][0]-p[i][0])*t, p[i][1] + (p[i+1][1]-p[i][1])*t}
		}
	}
	return p[0]
}

// path is the curve as an SVG path.
func (c gsCurve) path() string {
	var b strings.Builder
	fmt.Fprintf(&b, "M%.0f,%.0f ", c[0][0], c[0][1])
	b.WriteString([]string{"", "L", "Q", "C"}[len(c)-1])
	for i, p := range c[1:] {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%.0f,%.0f", p[0], p[1])
	}
	return b.String()
}

// gsPlace places a w x h label for curve c: centred on the curve at one
// of ts (the first ones preferred), moved as little as it takes to
// overlap none of taken. With search false, or when no such place is near
// the curve, it goes below the nearest place clear of taken, straight
// under its preferred point; it returns the box and that point.
func gsPlace(c gsCurve, ts []float64, w, h float64, taken []gsBox, search bool) (gsBox, [2]float64) {
	at := func(p [2]float64, dx, dy float64) gsBox {
		return gsBox{p[0] + dx - w/2, p[1] + dy - h/2, p[0] + dx + w/2, p[1] + dy + h/2}
	}
	free := func(b gsBox) bool {
		for _, o := range taken {
			if b.overlaps(o) {
				return false
			}
		}
		return true
	}
	first := c.at(ts[0])
	if !search {
		return at(first, 0, 0), first
	}
	type cand struct {
		cost   float64
		p      [2]float64
		dx, dy float64
	}
	var cands []cand
	for i, t := range ts {
		p := c.at(t)
		for gx := -6; gx <= 6; gx++ {
			for gy := -6; gy <= 6; gy++ {
				dx, dy := float64(gx)*w/4, float64(gy)*(h/2+3)
				cands = append(cands, cand{float64(i)*12 + math.Hypot(dx, dy*1.5), p, dx, dy})
			}
		}
	}
	best := -1
	for i, cd := range cands {
		if (best < 0 || cd.cost < cands[best].cost) && free(at(cd.p, cd.dx, cd.dy)) {
			best = i
		}
	}
	if best >= 0 {
		return at(cands[best].p, cands[best].dx, cands[best].dy), cands[best].p
	}
	// Nothing near is free: straight down until it is (the boxes are
	// finitely many, so it ends).
	b := at(first, 0, 0)
	for !free(b) {
		b.y0 += 4
		b.y1 += 4
	}
	return b, first
}
