package seqdiagram

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/handshake/handshake/checker"
)

// SVGOptions tunes SVG.
type SVGOptions struct {
	// Link, if set, is the address each step's block links to.
	Link func(step int) string
	// Mark is a step to highlight (such as the last step of a
	// counterexample, the violating one); -1 or beyond the trace: none.
	Mark int
}

// Geometry of the SVG diagrams, in pixels.
const (
	svgLaneGap  = 230 // between two lanes' lines
	svgGutter   = 44  // left of the first lane's block, for step numbers
	svgHead     = 34  // the lane names
	svgLabelRow = 20  // a step's number and action
	svgMarkRow  = 24  // an arrow, a row of states or a note
	svgCharW    = 7   // the width of a character of 12px text, about
)

// SVG writes the diagram of trace t as an SVG image: the same steps and
// marks as the text diagram (Marks), one group per step with the class
// "step" and its number in data-step, linked to opt.Link(step); a lasso's
// loop is shaded (class "loop") from the step it returns to, which says
// "loop starts here" (class "loop-start"), and explained below the last
// step; a stutter (the lasso of a behaviour that stays in its last state
// forever: Loop is the last step) is the loop of the last step alone.
// lanes names the participants.
func SVG(w io.Writer, lanes []string, t checker.TraceReport, opt SVGOptions) error {
	var b bytes.Buffer
	n := max(len(lanes), 1)
	laneX := func(l int) int { return svgGutter + svgLaneGap/2 + l*svgLaneGap }
	width := svgGutter + n*svgLaneGap
	for i, st := range t.Steps {
		n := utf8.RuneCountInString(st.Action)
		if i == t.Loop {
			n = max(n, len("initial state")) + 2 + utf8.RuneCountInString(loopStart(t.Stutter || i == len(t.Steps)-1))
		}
		width = max(width, svgGutter+24+n*svgCharW+16)
	}
	// Heights first: each step's block.
	tops := make([]int, len(t.Steps)+1)
	y := svgHead + 8
	for i, st := range t.Steps {
		tops[i] = y
		y += svgLabelRow + len(Marks(st))*svgMarkRow + 6
	}
	tops[len(t.Steps)] = y
	height := y + 30

	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="seq" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	b.WriteString(`<defs><marker id="seq-head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#333"/></marker></defs>` + "\n")
	// A lasso: the steps after Loop repeat forever, shaded from Loop on;
	// a stutter (Loop the last step) stays in the last state forever,
	// which is shaded alone. Either way the step the loop starts at says
	// so.
	loop, stutter := -1, false
	if t.Loop >= 0 && t.Loop < len(t.Steps) {
		loop, stutter = t.Loop, t.Stutter || t.Loop == len(t.Steps)-1
	}
	if loop >= 0 {
		fmt.Fprintf(&b, `<rect class="loop" x="2" y="%d" width="%d" height="%d" fill="#fff4c2" stroke="#e0b000" stroke-dasharray="4 3"/>`+"\n",
			tops[loop]-3, width-4, tops[len(t.Steps)]-tops[loop])
		text := fmt.Sprintf("loop: after step %d the behaviour returns to step %d, forever", len(t.Steps)-1, loop)
		if stutter {
			text = fmt.Sprintf("stutter: the behaviour stays in the state of step %d forever", loop)
		}
		fmt.Fprintf(&b, `<text class="loop-label" x="%d" y="%d" fill="#8a6d00">%s</text>`+"\n", svgGutter, tops[len(t.Steps)]+16, text)
	}
	for l := range lanes {
		x := laneX(l)
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/>`+"\n", x, svgHead-4, x, tops[len(t.Steps)])
		fmt.Fprintf(&b, `<rect x="%d" y="4" width="120" height="24" rx="4" fill="#e8eef8" stroke="#6b86b3"/><text x="%d" y="21" text-anchor="middle" font-weight="bold">%s</text>`+"\n",
			x-60, x, esc(lanes[l]))
	}
	for i, st := range t.Steps {
		if opt.Link != nil {
			fmt.Fprintf(&b, `<a href="%s">`, esc(opt.Link(i)))
		}
		class := "step"
		if i == opt.Mark {
			class += " marked"
		}
		fmt.Fprintf(&b, `<g class="%s" data-step="%d">`, class, i)
		fill := "transparent"
		if i == opt.Mark {
			fill = "#fde2e2"
		}
		fmt.Fprintf(&b, `<rect x="4" y="%d" width="%d" height="%d" fill="%s"/>`, tops[i], width-8, tops[i+1]-tops[i]-2, fill)
		label := st.Action
		if label == "" {
			label = "initial state"
		}
		fmt.Fprintf(&b, `<text x="8" y="%d" fill="#666">%d</text><text class="action" x="%d" y="%d" font-weight="bold">%s</text>`,
			tops[i]+14, i, svgGutter, tops[i]+14, esc(label))
		if i == loop {
			fmt.Fprintf(&b, `<text class="loop-start" x="%d" y="%d" fill="#8a6d00" font-weight="bold">%s</text>`,
				svgGutter+utf8.RuneCountInString(label)*svgCharW+16, tops[i]+14, esc(loopStart(stutter)))
		}
		y := tops[i] + svgLabelRow
		for _, m := range Marks(st) {
			mid := y + svgMarkRow/2
			switch m.Kind {
			case Arrow:
				if m.From < 0 || m.From >= len(lanes) || m.To < 0 || m.To >= len(lanes) || m.From == m.To {
					fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`, svgGutter, mid+4, esc(fmt.Sprintf("lane %d -> lane %d: %s (%s)", m.From, m.To, m.Text, m.Style)))
					break
				}
				x1, x2 := laneX(m.From), laneX(m.To)
				end := x2
				dash := ""
				switch m.Style {
				case InFlight:
					end = x1 + (x2-x1)*85/100
					dash = ` stroke-dasharray="6 4"`
				case Lost:
					end = x1 + (x2-x1)*70/100
					dash = ` stroke-dasharray="6 4"`
				}
				head := ` marker-end="url(#seq-head)"`
				if m.Style == Lost {
					head = ""
				}
				fmt.Fprintf(&b, `<line class="arrow %s" x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333" stroke-width="1.5"%s%s/>`,
					m.Style, x1, mid+4, end, mid+4, dash, head)
				if m.Style == Lost {
					fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" fill="#c00" font-weight="bold">&#x2715;</text>`, end, mid+8)
				}
				fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, (x1+x2)/2, mid, esc(m.Text))
			case States:
				for _, e := range m.Changes {
					if e.Lane < 0 || e.Lane >= len(lanes) {
						fmt.Fprintf(&b, `<text x="%d" y="%d">lane %d: [%s]</text>`, svgGutter, mid+4, e.Lane, esc(e.Text))
						continue
					}
					x := laneX(e.Lane)
					w := utf8.RuneCountInString(e.Text)*svgCharW + 12
					fmt.Fprintf(&b, `<rect class="state" x="%d" y="%d" width="%d" height="18" rx="9" fill="#e3f4e1" stroke="#4a9a3f"/><text x="%d" y="%d" text-anchor="middle">%s</text>`,
						x-w/2, mid-9, w, x, mid+4, esc(e.Text))
				}
			case Note:
				x := svgGutter
				if m.From >= 0 && m.From < len(lanes) {
					x = laneX(m.From) + 6
				}
				fmt.Fprintf(&b, `<text x="%d" y="%d" font-style="italic" fill="#555">(%s)</text>`, x, mid+4, esc(m.Text))
			default:
				fmt.Fprintf(&b, `<text x="%d" y="%d">lane %d: %s</text>`, svgGutter, mid+4, m.From, esc(m.Text))
			}
			y += svgMarkRow
		}
		b.WriteString("</g>")
		if opt.Link != nil {
			b.WriteString("</a>")
		}
		b.WriteString("\n")
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// loopStart is the marker of the step a lasso's loop starts at.
func loopStart(stutter bool) string {
	if stutter {
		return "⟲ loop starts here: the behaviour stays in this state forever"
	}
	return "⟲ loop starts here: the steps below repeat forever"
}

// esc escapes s for SVG text and attributes.
func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s)) // a bytes.Buffer does not fail
	return b.String()
}
