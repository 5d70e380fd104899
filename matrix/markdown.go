package matrix

import (
	"fmt"
	"io"
	"strings"

	"github.com/handshake/handshake/internal/humanize"
)

// WriteMarkdown prints each model's matrix as a GitHub Markdown
// table (properties as rows, variants as columns, the distinct states as
// the last row; no timings, so that the output is reproducible), then the
// variants with their parameters and descriptions, the violated
// properties of folded groups, the surprises, and the result line. This
// is what the README shows.
func WriteMarkdown(w io.Writer, ms []*Matrix) {
	for i, m := range ms {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if len(ms) > 1 {
			fmt.Fprintf(w, "#### Model `%s`\n\n", m.Entry.Name)
		}
		writeMatrixMarkdownTable(w, m)
	}
	if len(ms) > 1 {
		fmt.Fprintf(w, "\nIn all: %s.\n", tally(ms).resultLine())
	}
}

// markdownCell is a cell in Markdown: the verdict, in bold when violated,
// with the number of violated properties of a group, and what was
// expected when it differs.
func markdownCell(c Cell, group bool) string {
	st := c.Status()
	s := st.word()
	if st == Violated {
		if group {
			s = fmt.Sprintf("%s (%d)", s, c.Count(st, false))
		}
		s = "**" + s + "**"
	}
	if c.Outcome() == Unexpected {
		exp := c.Expected().String()
		if group && c.Expected() == Violated {
			exp = fmt.Sprintf("%s (%d)", exp, c.Count(Violated, true))
		}
		s += " ✗ expected " + exp
	}
	return s
}

func writeMatrixMarkdownTable(w io.Writer, m *Matrix) {
	code := func(s string) string { return "`" + strings.ReplaceAll(s, "`", "'") + "`" }
	row := func(cells ...string) {
		for i := range cells {
			cells[i] = strings.ReplaceAll(cells[i], "|", `\|`)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
	head := []string{"property"}
	rule := []string{"---"}
	for _, r := range m.Rows {
		head = append(head, code(r.Variant.Name))
		rule = append(rule, "---")
	}
	row(head...)
	row(rule...)
	for i, col := range m.Columns {
		label := code(col.Name)
		if col.Group {
			label = fmt.Sprintf("%s (%s)", col.Name, humanize.Plural(len(col.Members), "property"))
		}
		cells := []string{label}
		for _, r := range m.Rows {
			cells = append(cells, markdownCell(r.Cells[i], col.Group))
		}
		row(cells...)
	}
	states := []string{"distinct states"}
	for _, r := range m.Rows {
		s := humanize.Grouped(r.Report.Distinct)
		if !r.Report.Complete {
			s += " (incomplete)"
		}
		states = append(states, s)
	}
	row(states...)

	fmt.Fprintf(w, "\n%s: %s.\n", code(m.Entry.Name), tally([]*Matrix{m}).resultLine())
	fmt.Fprintln(w)
	var defaults []string
	for _, p := range m.Entry.Params {
		defaults = append(defaults, fmt.Sprintf("%s=%d", p.Name, p.Default))
	}
	if len(defaults) > 0 {
		fmt.Fprintf(w, "Variants, with the parameters that differ from the model's defaults (%s):\n\n", strings.Join(defaults, " "))
	} else {
		fmt.Fprintln(w, "Variants:")
		fmt.Fprintln(w)
	}
	for _, r := range m.Rows {
		params := ""
		if d := paramsDiff(m.Entry, r.Variant, r.Params); d != "" {
			params = " (" + d + ")"
		}
		fmt.Fprintf(w, "- %s%s: %s\n", code(r.Variant.Name), params, r.Variant.Description)
	}
	for i, col := range m.Columns {
		if !col.Group {
			continue
		}
		items := groupViolations(m, i, code)
		if len(items) == 0 {
			continue
		}
		fmt.Fprintf(w, "\nViolated properties of group %s (%s):\n\n", col.Name, humanize.Plural(len(col.Members), "property"))
		for _, it := range items {
			fmt.Fprintf(w, "- %s\n", it)
		}
	}
	if items := mismatches(m, code); len(items) > 0 {
		fmt.Fprintln(w, "\nVerdicts that differ from the expectation (✗):")
		fmt.Fprintln(w)
		for _, it := range items {
			fmt.Fprintf(w, "- %s\n", it)
		}
	}
	var incomplete []string
	for _, r := range m.Rows {
		if !r.Report.Complete {
			incomplete = append(incomplete, fmt.Sprintf("%s: %s", code(r.Variant.Name), r.Report.Reason))
		}
	}
	if len(incomplete) > 0 {
		fmt.Fprintln(w, "\nIncomplete runs (their undecided cells are unknown):")
		fmt.Fprintln(w)
		for _, it := range incomplete {
			fmt.Fprintf(w, "- %s\n", it)
		}
	}
}
