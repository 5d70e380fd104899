// Package matrix checks every variant of a model (a catalog entry) with
// its default parameters and tabulates the verdicts: a column per
// property (a group of properties, such as the arrows of an RFC state
// diagram, folded into one), a row per variant, each cell compared with
// the verdict the variant expects (catalog.Variant.Expect). WriteText,
// WriteMarkdown and WriteJSON print the table; ExitStatus is 0 when every
// cell is as expected, 1 when one differs, 3 when one is undecided.
//
// A project's tests use it to hold every variant to its expectations:
//
//	m, err := matrix.Compute(ctx, spec.TCP(), checker.Options{}, nil)
//	if err != nil { t.Fatal(err) }
//	for _, u := range m.Unexpected() { t.Error(u) }
package matrix

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
	"github.com/handshake/handshake/render"
)

// Matrix is the table of one model: a row per variant, a column per
// property (or group of properties).
type Matrix struct {
	Entry   *catalog.Entry
	Columns []Column
	Rows    []Row
}

// Column is a property, or a whole group of properties (such as
// the arrows of RFC 9293 Figure 5) folded into one column.
type Column struct {
	Name string
	// Members are the names of a group's properties, over all variants;
	// for a single property, just its name.
	Members []string
	Group   bool
}

// Row is one variant's check.
type Row struct {
	Variant *catalog.Variant
	Params  map[string]int
	Report  checker.Report
	Cells   []Cell // one per column
}

// Outcome is a verdict compared with its expectation.
type Outcome int

// Outcomes, in increasing order of concern: a cell's outcome is the
// greatest of its members'.
const (
	NotApplicable Outcome = iota // the variant has no such property, and expects nothing of it
	AsExpected                   // the verdict is the expected one
	Undecided                    // undecided (an incomplete run)
	Unexpected                   // the verdict differs from the expectation
)

// Member is the verdict of one property of a cell.
type Member struct {
	Property string
	Status   Verdict // holds, violated, unknown, n/a
	Expected Verdict // holds, violated, n/a (what the variant expects)
}

// Outcome compares the member's verdict with its expectation.
func (m Member) Outcome() Outcome {
	switch {
	case m.Status == na && m.Expected == na:
		return NotApplicable
	case m.Status == Unknown:
		return Undecided
	case m.Status == m.Expected:
		return AsExpected
	}
	return Unexpected
}

// Verdict is a property's verdict in a cell: a checker.Status, or NA
// for a property the variant does not have (as its status) or expects
// nothing of (as its expectation).
type Verdict int8

// Verdicts.
const (
	NA       Verdict = -1
	Unknown          = Verdict(checker.Unknown)
	Holds            = Verdict(checker.Holds)
	Violated         = Verdict(checker.Violated)
)

// String is "n/a", or the status's word.
func (v Verdict) String() string {
	if v == NA {
		return "n/a"
	}
	return checker.Status(v).String()
}

// MarshalText writes the verdict's String.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// word is the verdict as the tables show it: VIOLATED in capitals.
func (v Verdict) word() string {
	if v == NA {
		return v.String()
	}
	return render.Verdict(checker.Status(v))
}

// na is the verdict of a property a variant does not have.
const na = NA

// Cell is a column's verdict for a variant: that of its property,
// or for a group the verdicts of its members.
type Cell struct {
	Members []Member // without those that are n/a and expected n/a
}

// Outcome of a cell: a mismatch if any member mismatches, else unknown if
// any member is undecided, else a match (n/a when it has no member).
func (c Cell) Outcome() Outcome {
	if len(c.Members) == 0 {
		return NotApplicable
	}
	out := AsExpected
	for _, m := range c.Members {
		out = max(out, m.Outcome())
	}
	return out
}

// Status summarises the members: violated if any is (Count says how
// many), else unknown if any is undecided, else holds; n/a when the
// variant has none of the cell's properties.
func (c Cell) Status() Verdict {
	return summarize(c.Members, func(m Member) Verdict { return m.Status })
}

// Expected summarises the members' expected verdicts as status does.
func (c Cell) Expected() Verdict {
	return summarize(c.Members, func(m Member) Verdict { return m.Expected })
}

func summarize(ms []Member, of func(Member) Verdict) Verdict {
	seen := map[Verdict]bool{}
	for _, m := range ms {
		seen[of(m)] = true
	}
	for _, s := range []Verdict{Violated, Unknown, Holds} {
		if seen[s] {
			return s
		}
	}
	return na
}

// Count is how many members have the status (as status or expected).
func (c Cell) Count(status Verdict, expected bool) int {
	n := 0
	for _, m := range c.Members {
		if (!expected && m.Status == status) || (expected && m.Expected == status) {
			n++
		}
	}
	return n
}

// Compute checks every variant of e with its default parameters, with
// the options opt, and compares each verdict with the variant's
// expectation. With progress non-nil, a line per variant is written there
// ("matrix: tcp rfc9293: 88,474 states, 1.20 s"). A cancelled ctx leaves
// the variants not yet checked with every property unknown.
func Compute(ctx context.Context, e *catalog.Entry, opt checker.Options, progress io.Writer) (*Matrix, error) {
	m := &Matrix{Entry: e}
	has := map[string]bool{} // property of some variant
	for i := range e.Variants {
		v := &e.Variants[i]
		sys, _, params, err := e.BuildVariant(v.Name, nil)
		if err != nil {
			return nil, fmt.Errorf("model %s variant %s: %w", e.Name, v.Name, err)
		}
		var rep checker.Report
		if ctx.Err() != nil {
			rep = interruptedReport(sys)
		} else {
			rep = sys.Check(ctx, opt)
		}
		rep.DistrustIncomplete()
		if progress != nil {
			state := ""
			if !rep.Complete {
				state = ", INCOMPLETE (" + rep.Reason + ")"
			}
			fmt.Fprintf(progress, "matrix: %s %s: %s states, %.2f s%s\n", e.Name, v.Name, humanize.Grouped(rep.Distinct), rep.Seconds, state)
		}
		m.Rows = append(m.Rows, Row{Variant: v, Params: params, Report: rep})
		for _, p := range rep.Properties {
			has[p.Name] = true
		}
	}

	// Columns: properties and groups in order of first appearance, then
	// the names expected of a variant that no variant has (a stale
	// expectation, shown so that it cannot go unnoticed).
	index := map[string]int{}
	add := func(key, member string, isGroup bool) {
		i, ok := index[key]
		if !ok {
			i = len(m.Columns)
			index[key] = i
			m.Columns = append(m.Columns, Column{Name: key, Group: isGroup})
		}
		col := &m.Columns[i]
		for _, n := range col.Members {
			if n == member {
				return
			}
		}
		col.Members = append(col.Members, member)
	}
	for _, r := range m.Rows {
		for _, p := range r.Report.Properties {
			if p.Group != "" {
				add(p.Group, p.Name, true)
			} else {
				add(p.Name, p.Name, false)
			}
		}
	}
	var stale []string
	for _, r := range m.Rows {
		for name := range r.Variant.Expect {
			if !has[name] {
				stale = append(stale, name)
			}
		}
	}
	sort.Strings(stale)
	for _, name := range stale {
		add(name, name, false)
	}

	for i := range m.Rows {
		r := &m.Rows[i]
		status := map[string]Verdict{}
		for _, p := range r.Report.Properties {
			status[p.Name] = Verdict(p.Status)
		}
		for _, col := range m.Columns {
			var cell Cell
			for _, name := range col.Members {
				mem := Member{Property: name, Status: na, Expected: na}
				if s, ok := status[name]; ok {
					mem.Status = s
					mem.Expected = Holds
				}
				if st, ok := r.Variant.Expect[name]; ok {
					mem.Expected = Verdict(st)
				}
				if mem.Outcome() != NotApplicable {
					cell.Members = append(cell.Members, mem)
				}
			}
			r.Cells = append(r.Cells, cell)
		}
	}
	return m, nil
}

// interruptedReport is the report of a variant not checked because the
// run was interrupted: every property unknown.
func interruptedReport(sys checker.System) checker.Report {
	rep := checker.Report{Reason: "interrupted"}
	for _, p := range sys.Properties() {
		rep.Properties = append(rep.Properties, checker.PropertyReport{PropertyInfo: p, Status: checker.Unknown})
	}
	return rep
}

// matrixTally counts the cells of matrices by outcome.
type matrixTally struct {
	cells, match, unknown, mismatch int
}

func tally(ms []*Matrix) matrixTally {
	var t matrixTally
	for _, m := range ms {
		for _, r := range m.Rows {
			for _, c := range r.Cells {
				switch c.Outcome() {
				case NotApplicable:
					continue
				case AsExpected:
					t.match++
				case Undecided:
					t.unknown++
				case Unexpected:
					t.mismatch++
				}
				t.cells++
			}
		}
	}
	return t
}

// Unexpected lists every property whose verdict differs from the
// variant's expectation ("no-cert-check, secrecy: holds, expected
// violated"), and every variant that a run left undecided: empty when the
// whole matrix is as expected.
func (m *Matrix) Unexpected() []string {
	out := mismatches(m, func(s string) string { return s })
	for _, r := range m.Rows {
		if !r.Report.Complete {
			out = append(out, fmt.Sprintf("%s: incomplete run (%s)", r.Variant.Name, r.Report.Reason))
		}
	}
	return out
}

// ExitStatus is 1 when a cell differs from its expectation, else 3 when a
// cell is undecided, else 0.
func ExitStatus(ms []*Matrix) int {
	t := tally(ms)
	switch {
	case t.mismatch > 0:
		return render.ExitViolated
	case t.unknown > 0:
		return render.ExitIncomplete
	}
	return render.ExitHolds
}

// resultLine is the last line of the text and Markdown outputs.
func (t matrixTally) resultLine() string {
	s := fmt.Sprintf("%d of %d cells as expected", t.match, t.cells)
	if t.mismatch > 0 {
		s += fmt.Sprintf(", %d NOT", t.mismatch)
	}
	if t.unknown > 0 {
		s += fmt.Sprintf(", %d unknown", t.unknown)
	}
	return s
}

// paramsDiff lists, in the variant's order, the parameters of a variant
// whose values differ from its model's defaults ("data=1 dup=1 retx=1"),
// "" if none does.
func paramsDiff(e *catalog.Entry, v *catalog.Variant, params map[string]int) string {
	defaults := map[string]int{}
	for _, p := range e.Params {
		defaults[p.Name] = p.Default
	}
	var parts []string
	for _, p := range e.ParamsOf(v) {
		val, ok := params[p.Name]
		if d, isDefault := defaults[p.Name]; ok && (!isDefault || d != val) {
			parts = append(parts, fmt.Sprintf("%s=%d", p.Name, val))
		}
	}
	return strings.Join(parts, " ")
}
