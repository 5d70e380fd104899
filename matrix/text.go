package matrix

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
	"github.com/handshake/handshake/render"
)

// Width is the width the text table aims for: long property names
// are cut short (and listed in full under the table) to stay within it.
const Width = 100

// minLabel is the width below which property names are not cut further.
const minLabel = 16

// WriteText prints each model's matrix for a person: properties as
// rows, variants as columns (their names broken at hyphens), the distinct
// states and seconds of each variant as the last rows, then notes and the
// result line.
func WriteText(w io.Writer, ms []*Matrix) {
	for i, m := range ms {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeMatrixTable(w, m)
	}
	fmt.Fprintln(w)
	code := ExitStatus(ms)
	meaning := map[int]string{
		render.ExitHolds:      "every cell as expected",
		render.ExitViolated:   "a verdict differs from its expectation",
		render.ExitIncomplete: "some cells unknown, none differs",
	}[code]
	fmt.Fprintf(w, "result: %s (exit status %d: %s)\n", tally(ms).resultLine(), code, meaning)
}

// textCell is a cell as the text table shows it: a verdict word, with
// "!" when it differs from the expectation.
func textCell(c Cell) string {
	s := c.Status().word()
	if c.Outcome() == Unexpected {
		s += "!"
	}
	return s
}

func writeMatrixTable(w io.Writer, m *Matrix) {
	fmt.Fprintf(w, "model %s: %s, each with its default parameters\n\n", m.Entry.Name, humanize.Plural(len(m.Rows), "variant"))

	// As many variants side by side as fit in Width columns; the
	// others follow in further blocks of the same rows.
	var cut []string
	for start := 0; start < len(m.Rows); {
		n := 1
		for start+n < len(m.Rows) && gridWidth(&Matrix{Entry: m.Entry, Columns: m.Columns, Rows: m.Rows[start : start+n+1]}) <= Width {
			n++
		}
		if start > 0 {
			fmt.Fprintln(w)
		}
		sub := &Matrix{Entry: m.Entry, Columns: m.Columns, Rows: m.Rows[start : start+n]}
		for _, c := range writeGrid(w, sub) {
			if !slices.Contains(cut, c) {
				cut = append(cut, c)
			}
		}
		start += n
	}

	// Notes: names cut short, groups, parameters, surprises, incomplete
	// runs.
	note := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(w, "%s:\n", title)
		for _, it := range items {
			for k, l := range humanize.WrapWords(it, Width-6) {
				indent := "  "
				if k > 0 {
					indent = "      "
				}
				fmt.Fprintf(w, "%s%s\n", indent, l)
			}
		}
	}
	fmt.Fprintln(w)
	note("names cut short", cut)
	for i, col := range m.Columns {
		if !col.Group {
			continue
		}
		title := fmt.Sprintf("%s: one row for the %s of group %s, VIOLATED if any is",
			col.Name, humanize.Plural(len(col.Members), "property"), col.Name)
		items := groupViolations(m, i, func(s string) string { return s })
		if len(items) == 0 {
			fmt.Fprintf(w, "%s; all hold\n", title)
			continue
		}
		note(title, items)
	}
	var params []string
	for _, r := range m.Rows {
		if d := paramsDiff(m.Entry, r.Variant, r.Params); d != "" {
			params = append(params, fmt.Sprintf("%s: %s", r.Variant.Name, d))
		}
	}
	note("parameters other than the model's defaults", params)
	note("! differs from the expectation", mismatches(m, func(s string) string { return s }))
	var incomplete []string
	for _, r := range m.Rows {
		if !r.Report.Complete {
			incomplete = append(incomplete, fmt.Sprintf("%s: %s", r.Variant.Name, r.Report.Reason))
		}
	}
	note("INCOMPLETE runs (their undecided cells are unknown)", incomplete)
	fmt.Fprintf(w, "%s: %s\n", m.Entry.Name, tally([]*Matrix{m}).resultLine())
}

// gridLayout gives the width and header lines of each variant's column:
// the widest cell or the variant's name; if that makes the table too
// wide, names are broken at hyphens into lines no wider than the widest
// cell (or 10) where they can be.
func gridLayout(m *Matrix) ([]int, [][]string) {
	widths := make([]int, len(m.Rows))
	headers := make([][]string, len(m.Rows))
	layout := func(breakNames bool) int {
		total := 0
		for _, c := range m.Columns {
			total = max(total, utf8.RuneCountInString(c.Name))
		}
		total = max(total, len("distinct states"))
		for j, r := range m.Rows {
			wd := max(len(humanize.Grouped(r.Report.Distinct)), len(secondsText(r.Report)))
			for _, c := range r.Cells {
				wd = max(wd, utf8.RuneCountInString(textCell(c)))
			}
			headers[j] = []string{r.Variant.Name}
			if breakNames {
				headers[j] = breakAtHyphens(r.Variant.Name, max(wd, 10))
			}
			for _, l := range headers[j] {
				wd = max(wd, utf8.RuneCountInString(l))
			}
			widths[j] = wd
			total += 2 + wd
		}
		return total
	}
	if layout(false) > Width {
		layout(true)
	}
	return widths, headers
}

// gridWidth is the narrowest width writeGrid can give m's grid (with
// property names cut to minLabel).
func gridWidth(m *Matrix) int {
	widths, _ := gridLayout(m)
	total := max(minLabel, len("distinct states"))
	for _, wd := range widths {
		total += 2 + wd
	}
	return total
}

// writeGrid writes the rows of m's table, one column per variant, and
// returns the property names it had to cut short.
func writeGrid(w io.Writer, m *Matrix) []string {
	widths, headers := gridLayout(m)
	labels := make([]string, len(m.Columns))
	for i, col := range m.Columns {
		labels[i] = col.Name
	}
	rest := 0
	for _, wd := range widths {
		rest += 2 + wd
	}
	labelW := len("distinct states")
	for _, l := range labels {
		labelW = max(labelW, utf8.RuneCountInString(l))
	}
	if labelW+rest > Width {
		labelW = max(Width-rest, minLabel, len("distinct states"))
	}
	var cut []string
	for i, l := range labels {
		if utf8.RuneCountInString(l) > labelW {
			labels[i] = string([]rune(l)[:labelW-1]) + "…"
			cut = append(cut, fmt.Sprintf("%s = %s", labels[i], l))
		}
	}

	row := func(label string, cells []string) {
		var b strings.Builder
		b.WriteString(humanize.PadRight(label, labelW))
		for j, c := range cells {
			b.WriteString("  ")
			b.WriteString(humanize.PadRight(c, widths[j]))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	headerLines := 0
	for _, h := range headers {
		headerLines = max(headerLines, len(h))
	}
	for k := 0; k < headerLines; k++ {
		cells := make([]string, len(m.Rows))
		for j, h := range headers {
			if k < len(h) {
				cells[j] = h[k]
			}
		}
		row("", cells)
	}
	for i := range m.Columns {
		cells := make([]string, len(m.Rows))
		for j, r := range m.Rows {
			cells[j] = textCell(r.Cells[i])
		}
		row(labels[i], cells)
	}
	states := make([]string, len(m.Rows))
	secs := make([]string, len(m.Rows))
	for j, r := range m.Rows {
		states[j] = humanize.Grouped(r.Report.Distinct)
		secs[j] = secondsText(r.Report)
	}
	row("distinct states", states)
	row("seconds", secs)

	return cut
}

// groupViolations lists, for each variant, the violated properties of the
// group in column i, and whether that was expected; quote formats a
// property or variant name.
func groupViolations(m *Matrix, i int, quote func(string) string) []string {
	var out []string
	for _, r := range m.Rows {
		c := r.Cells[i]
		var names []string
		for _, mem := range c.Members {
			if mem.Status == Violated {
				names = append(names, quote(mem.Property))
			}
		}
		if len(names) == 0 {
			continue
		}
		as := "as expected"
		if c.Outcome() == Unexpected {
			as = "NOT as expected"
		}
		out = append(out, fmt.Sprintf("%s: %d VIOLATED (%s): %s", quote(r.Variant.Name), len(names), as, strings.Join(names, ", ")))
	}
	return out
}

// mismatches lists every property whose verdict differs from the
// variant's expectation.
func mismatches(m *Matrix, quote func(string) string) []string {
	var out []string
	for _, r := range m.Rows {
		for _, c := range r.Cells {
			for _, mem := range c.Members {
				if mem.Outcome() != Unexpected {
					continue
				}
				got := mem.Status.String()
				if mem.Status == na {
					got = "no such property"
				}
				out = append(out, fmt.Sprintf("%s, %s: %s, expected %s", quote(r.Variant.Name), quote(mem.Property), got, mem.Expected))
			}
		}
	}
	return out
}

// secondsText is a run's time with two decimals.
func secondsText(r checker.Report) string { return fmt.Sprintf("%.2f", r.Seconds) }

// breakAtHyphens breaks a name after hyphens into lines of at most width
// runes where it can ("rfc9293-duplicating" into "rfc9293-",
// "duplicating"); a part longer than width stays whole.
func breakAtHyphens(name string, width int) []string {
	var parts []string
	for s := name; s != ""; {
		i := strings.IndexByte(s, '-')
		if i < 0 {
			parts = append(parts, s)
			break
		}
		parts = append(parts, s[:i+1])
		s = s[i+1:]
	}
	var lines []string
	cur := ""
	for _, p := range parts {
		if cur != "" && utf8.RuneCountInString(cur+p) > width {
			lines = append(lines, cur)
			cur = ""
		}
		cur += p
	}
	return append(lines, cur)
}
