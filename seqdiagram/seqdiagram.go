// Package seqdiagram renders a checker trace as a plain-ASCII sequence
// diagram for a terminal: one vertical line per lane (participant), one
// block per step with the step number and action label, arrows between the
// lanes for the messages of the step, and the lanes' new protocol states
// beside their lines.
//
// Arrows distinguish a message put on the network (still in flight) from
// one delivered to its receiver and one lost on the way:
//
//	|- - - SYN seq=100 - - >  |    sent, in flight
//	|------ SYN seq=100 ----->|    delivered
//	|- - - SYN seq=100 - - X  |    lost
//
// A Send and the matching Receive in the same step (a synchronous
// exchange) are drawn as one delivered arrow. A message between lanes that
// are not neighbours crosses the lines between them with a '+'.
package seqdiagram

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/handshake/handshake/checker"
)

// Options tunes the rendering.
type Options struct {
	// Width is the number of columns the lanes are spread over (default
	// 80, at least 40). Action labels and long notes may run past it.
	Width int
	// Legend adds a line explaining the arrow styles.
	Legend bool
}

// DefaultWidth is the width used when Options.Width is 0.
const DefaultWidth = 80

// String renders trace t with the given lanes and returns the diagram.
func String(lanes []string, t checker.TraceReport, opt Options) string {
	var b strings.Builder
	Render(&b, lanes, t, opt) // a strings.Builder does not fail
	return b.String()
}

// Render writes the diagram of trace t to w. lanes names the participants
// (checker.System.Lanes()); events naming a lane outside it are shown as
// text lines rather than dropped.
func Render(w io.Writer, lanes []string, t checker.TraceReport, opt Options) error {
	d := newDiagram(lanes, t, opt)
	d.header(opt.Legend)
	for i, st := range t.Steps {
		d.step(i, st, t)
	}
	d.footer(t)
	_, err := io.WriteString(w, d.out.String())
	return err
}

// diagram is the layout and the output being built.
type diagram struct {
	lanes  []string
	cols   []int // column of each lane's vertical line
	width  int
	gutter int // columns reserved on the left for step numbers
	numW   int // width of a step number
	out    strings.Builder
}

func newDiagram(lanes []string, t checker.TraceReport, opt Options) *diagram {
	d := &diagram{lanes: lanes, width: opt.Width}
	if d.width == 0 {
		d.width = DefaultWidth
	}
	if d.width < 40 {
		d.width = 40
	}
	d.numW = len(strconv.Itoa(max(len(t.Steps)-1, 0)))
	d.gutter = d.numW + 2
	n := len(lanes)
	if n == 0 {
		return d
	}
	// Half the widest text centred on a lane: lane names and states.
	half := 0
	widen := func(s string) { half = max(half, (utf8.RuneCountInString(s)+1)/2) }
	for _, l := range lanes {
		widen(l)
	}
	for _, st := range t.Steps {
		for _, e := range st.Events {
			if e.Kind == checker.Change {
				widen(stateText(e.Text))
			}
		}
	}
	avail := d.width - d.gutter
	half = min(max(half, 4), avail/(2*n))
	d.cols = make([]int, n)
	if n == 1 {
		d.cols[0] = d.gutter + half
		return d
	}
	span := avail - 2*half - 1
	for i := range d.cols {
		d.cols[i] = d.gutter + half + i*span/(n-1)
	}
	return d
}

func stateText(s string) string { return "[" + s + "]" }

// laneRow is an empty row with the lanes' vertical lines.
func (d *diagram) laneRow() []rune {
	r := []rune(strings.Repeat(" ", d.width))
	for _, c := range d.cols {
		r[c] = '|'
	}
	return r
}

// put overlays s on row r at column x, growing r if needed.
func put(r []rune, x int, s string) []rune {
	for _, c := range s {
		for x >= len(r) {
			r = append(r, ' ')
		}
		if x >= 0 {
			r[x] = c
		}
		x++
	}
	return r
}

func (d *diagram) emit(r []rune) {
	d.out.WriteString(strings.TrimRight(string(r), " "))
	d.out.WriteByte('\n')
}

func (d *diagram) line(format string, args ...any) {
	d.out.WriteString(strings.TrimRight(fmt.Sprintf(format, args...), " "))
	d.out.WriteByte('\n')
}

// centre returns the column at which s is centred on lane column c, kept
// inside the row where possible.
func (d *diagram) centre(c int, s string) int {
	n := utf8.RuneCountInString(s)
	x := c - n/2
	if x+n > d.width {
		x = d.width - n
	}
	return max(x, 0)
}

func (d *diagram) header(legend bool) {
	if legend && len(d.cols) > 1 {
		d.line("legend: - - -> sent (in flight)   ----->| delivered   - - X lost   [STATE] new state")
		d.line("")
	}
	if len(d.cols) == 0 {
		return
	}
	r := []rune(strings.Repeat(" ", d.width))
	for i, c := range d.cols {
		r = put(r, d.centre(c, d.lanes[i]), d.lanes[i])
	}
	d.emit(r)
	d.emit(d.laneRow())
}

func (d *diagram) step(i int, st checker.TraceStep, t checker.TraceReport) {
	label := st.Action
	if label == "" {
		label = "initial state"
	}
	suffix := ""
	if t.Loop == i && !t.Stutter && i < len(t.Steps)-1 {
		suffix = "   <-- the loop returns here"
	}
	d.line("%*d  %s%s", d.numW, i, label, suffix)
	for _, m := range Marks(st) {
		switch m.Kind {
		case Arrow:
			d.arrow(m.From, m.To, m.Text, m.Style)
		case States:
			// Consecutive changes share a row when they do not overlap.
			d.changes(m.Changes)
		case Note:
			d.note(m.From, m.Text)
		default:
			d.line("%*s  lane %d: %s", d.numW, "", m.From, m.Text)
		}
	}
}

func (d *diagram) validLane(l int) bool { return l >= 0 && l < len(d.cols) }

func (d *diagram) laneName(l int) string {
	if l >= 0 && l < len(d.lanes) {
		return d.lanes[l]
	}
	return "lane " + strconv.Itoa(l)
}

// arrow draws a message from lane `from` to lane `to`.
//
// The body is laid out in cells counted from the sender: cell 0 touches
// the sender's line, cell L-1 the receiver's. Dashed arrows (in flight,
// lost) alternate "- " from the sender and stop two or three cells short
// of the receiver, the gap chosen so that the dashes on both sides of the
// text keep one space from it.
func (d *diagram) arrow(from, to int, text string, style Style) {
	if !d.validLane(from) || !d.validLane(to) || from == to {
		d.line("%*s  %s -> %s: %s (%s)", d.numW, "", d.laneName(from), d.laneName(to), text, style)
		return
	}
	a, b := d.cols[from], d.cols[to]
	right := a < b
	L := max(a, b) - min(a, b) - 1
	col := func(k int) int { // column of cell k
		if right {
			return a + 1 + k
		}
		return a - 1 - k
	}
	dashed := style != Delivered
	label := []rune(" " + text + " ")
	n := len(label)

	// Where the text may go: the segment up to the next lane when it
	// fits there, else the whole body.
	head := L - 1
	if dashed {
		head = L - 1 - min(2, L/4)
	}
	limit := head - 2 // last cell the text may use
	if next := d.neighbour(from, to); next != to {
		if seg := abs(d.cols[next]-a) - 4; seg >= n+2 {
			limit = seg
		}
	}
	x := -1 // first cell of the text, -1: on a row of its own
	if limit+1 >= n+2 {
		x = (limit + 1 - n) / 2
		if dashed && x%2 == 0 {
			x++ // start on a blank cell so a dash precedes " text"
		}
		if x+n-1 > limit {
			x = -1
		}
	}
	if dashed {
		// Make the cells between the text (or the sender) and the head
		// an even number, "- - " ending in a blank before the head.
		last := -1
		if x >= 0 {
			last = x + n - 1
		}
		if (head-1-last)%2 != 0 && head-1 > last+1 && L-1-head < 3 {
			head--
		}
	}

	cells := make([]rune, L)
	opaque := make([]bool, L)
	for k := range cells {
		switch {
		case k == head:
			cells[k] = map[Style]rune{Delivered: '>', InFlight: '>', Lost: 'X'}[style]
			if !right && style != Lost {
				cells[k] = '<'
			}
		case k > head:
			cells[k] = ' '
		case x >= 0 && k >= x && k < x+n:
			cells[k] = label[k-x]
			if !right {
				cells[k] = label[n-1-(k-x)] // reads left to right on screen
			}
		case !dashed:
			cells[k] = '-'
		case x >= 0 && k > x+n-1:
			cells[k] = map[bool]rune{true: '-', false: ' '}[(k-(x+n))%2 == 0]
		default:
			cells[k] = map[bool]rune{true: '-', false: ' '}[k%2 == 0]
		}
		opaque[k] = cells[k] != ' ' || (x >= 0 && k >= x && k < x+n)
	}
	if x < 0 {
		d.emit(put(d.laneRow(), min(a, b)+2, text))
	}
	r := d.laneRow()
	for k, c := range cells {
		switch {
		case r[col(k)] == '|' && k < head && !(x >= 0 && k >= x && k < x+n):
			r[col(k)] = '+' // the message crosses this lane
		case opaque[k]:
			r[col(k)] = c
		}
	}
	d.emit(r)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// neighbour is the lane next to from in the direction of to.
func (d *diagram) neighbour(from, to int) int {
	if to > from {
		return from + 1
	}
	return from - 1
}

// changes draws state changes centred on their lanes, sharing rows where
// they do not overlap.
func (d *diagram) changes(evs []checker.Event) {
	var r []rune
	end := -1 // last column used in r
	for _, e := range evs {
		s := stateText(e.Text)
		if !d.validLane(e.Lane) {
			d.line("%*s  %s: %s", d.numW, "", d.laneName(e.Lane), s)
			continue
		}
		x := d.centre(d.cols[e.Lane], s)
		if r != nil && x <= end+1 {
			d.emit(r)
			r = nil
		}
		if r == nil {
			r = d.laneRow()
		}
		r = put(r, x, s)
		end = x + utf8.RuneCountInString(s) - 1
	}
	if r != nil {
		d.emit(r)
	}
}

// note writes a remark beside lane l: to its right if it fits in the
// width, else to its left.
func (d *diagram) note(l int, text string) {
	s := "(" + text + ")"
	if !d.validLane(l) {
		d.line("%*s  %s: %s", d.numW, "", d.laneName(l), s)
		return
	}
	c, n := d.cols[l], utf8.RuneCountInString(s)
	switch {
	case c+2+n <= d.width:
		d.emit(put(d.laneRow(), c+2, s))
	case c-2-n >= d.gutter:
		d.emit(put(d.laneRow(), c-1-n, s))
	default:
		// No room beside the lane: a line of its own, naming the lane.
		d.line("%*s  %s: %s", d.numW, "", d.laneName(l), s)
	}
}

func (d *diagram) footer(t checker.TraceReport) {
	if len(d.cols) > 0 {
		d.emit(d.laneRow())
	}
	last := len(t.Steps) - 1
	switch {
	case t.Stutter:
		d.line("%*s  stutter: the behaviour stays in the state of step %d forever", d.numW, "", last)
	case t.Loop >= 0 && t.Loop == last:
		d.line("%*s  loop: the behaviour stays at step %d forever", d.numW, "", last)
	case t.Loop >= 0 && t.Loop == last-1:
		d.line("%*s  loop: after step %d the behaviour returns to step %d and repeats step %d forever",
			d.numW, "", last, t.Loop, last)
	case t.Loop >= 0 && t.Loop < last:
		d.line("%*s  loop: after step %d the behaviour returns to step %d and repeats steps %d..%d forever",
			d.numW, "", last, t.Loop, t.Loop+1, last)
	}
}
