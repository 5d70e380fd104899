package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/spec"
)

// matrixConfig is what "handshake matrix" was asked to do.
type matrixConfig struct {
	workers   int
	maxStates uint64
	timeout   durationFlag
	json      bool
	markdown  bool
	quiet     bool
}

func parseMatrix(args []string) (*matrixConfig, []string, error) {
	c := &matrixConfig{}
	fs := newFlagSet("matrix")
	intVar(fs, &c.workers, "workers", defaultWorkers, 1, 1<<20, ruleWorkers)
	uint64Var(fs, &c.maxStates, "max-states", 0, ruleMaxStates)
	fs.Var(&c.timeout, "timeout", "timeout per variant")
	fs.BoolVar(&c.json, "json", false, "JSON output")
	fs.BoolVar(&c.markdown, "markdown", false, "Markdown output")
	fs.BoolVar(&c.quiet, "quiet", false, "no progress")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case c.json && c.markdown:
		return nil, nil, errors.New("--json and --markdown: choose one")
	case len(positional) > 1:
		return nil, nil, fmt.Errorf("unexpected argument %q after MODEL %s", positional[1], positional[0])
	}
	return c, positional, nil
}

// runMatrix implements "handshake matrix [MODEL] [flags]": every variant
// of the model (of every model without MODEL), built with its default
// parameters, checked against every property, as a table of verdicts
// compared with the verdicts the variant expects.
func runMatrix(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, positional, err := parseMatrix(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitHolds
	}
	if err != nil {
		return usageError(stderr, err)
	}
	entries := spec.Models()
	if len(positional) == 1 {
		e, err := spec.Lookup(positional[0])
		if err != nil {
			return usageError(stderr, err)
		}
		entries = []*spec.Entry{e}
	}
	opt := checker.Options{Workers: c.workers, MaxStates: c.maxStates, Timeout: c.timeout.d}
	var progress io.Writer
	if !c.quiet {
		progress = stderr
	}
	var ms []*matrix
	for _, e := range entries {
		m, err := computeMatrix(ctx, e, opt, progress)
		if err != nil {
			return usageError(stderr, err)
		}
		ms = append(ms, m)
	}
	switch {
	case c.json:
		if err := writeMatrixJSON(stdout, ms); err != nil {
			fmt.Fprintf(stderr, "handshake: writing JSON: %v\n", err)
		}
	case c.markdown:
		writeMatrixMarkdown(stdout, ms)
	default:
		writeMatrixText(stdout, ms)
	}
	return matrixExit(ms)
}

// matrix is the table of one model: a row per variant, a column per
// property (or group of properties).
type matrix struct {
	entry   *spec.Entry
	columns []matrixColumn
	rows    []matrixRow
}

// matrixColumn is a property, or a whole group of properties (such as
// the arrows of RFC 9293 Figure 5) folded into one column.
type matrixColumn struct {
	name string
	// members are the names of a group's properties, over all variants;
	// for a single property, just its name.
	members []string
	group   bool
}

// matrixRow is one variant's check.
type matrixRow struct {
	variant *spec.Variant
	params  map[string]int
	report  checker.Report
	cells   []matrixCell // one per column
}

// Outcomes of a verdict compared with its expectation.
const (
	outcomeNA       = iota // the variant has no such property, and expects nothing of it
	outcomeMatch           // the verdict is the expected one
	outcomeUnknown         // undecided (an incomplete run)
	outcomeMismatch        // the verdict differs from the expectation
)

// matrixMember is the verdict of one property of a cell.
type matrixMember struct {
	property string
	status   string // holds, violated, unknown, n/a
	expected string // holds, violated, n/a (what the variant expects)
}

func (m matrixMember) outcome() int {
	switch {
	case m.status == na && m.expected == na:
		return outcomeNA
	case m.status == checker.Unknown.String():
		return outcomeUnknown
	case m.status == m.expected:
		return outcomeMatch
	}
	return outcomeMismatch
}

// na is the status of a property a variant does not have.
const na = "n/a"

// matrixCell is a column's verdict for a variant: that of its property,
// or for a group the verdicts of its members.
type matrixCell struct {
	members []matrixMember // without those that are n/a and expected n/a
}

// outcome of a cell: a mismatch if any member mismatches, else unknown if
// any member is undecided, else a match (n/a when it has no member).
func (c matrixCell) outcome() int {
	if len(c.members) == 0 {
		return outcomeNA
	}
	out := outcomeMatch
	for _, m := range c.members {
		out = max(out, m.outcome())
	}
	return out
}

// status summarises the members: violated if any is (count returns how
// many), else unknown if any is undecided, else holds; n/a when the
// variant has none of the cell's properties.
func (c matrixCell) status() string {
	return summarize(c.members, func(m matrixMember) string { return m.status })
}

// expected summarises the members' expected verdicts as status does.
func (c matrixCell) expected() string {
	return summarize(c.members, func(m matrixMember) string { return m.expected })
}

func summarize(ms []matrixMember, of func(matrixMember) string) string {
	seen := map[string]bool{}
	for _, m := range ms {
		seen[of(m)] = true
	}
	for _, s := range []string{checker.Violated.String(), checker.Unknown.String(), checker.Holds.String()} {
		if seen[s] {
			return s
		}
	}
	return na
}

// count is how many members have the status (as status or expected).
func (c matrixCell) count(status string, expected bool) int {
	n := 0
	for _, m := range c.members {
		if (!expected && m.status == status) || (expected && m.expected == status) {
			n++
		}
	}
	return n
}

// computeMatrix checks every variant of e with its default parameters.
// With progress non-nil, a line per variant is written there.
func computeMatrix(ctx context.Context, e *spec.Entry, opt checker.Options, progress io.Writer) (*matrix, error) {
	m := &matrix{entry: e}
	group := map[string]string{} // property -> group
	has := map[string]bool{}     // property of some variant
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
		distrustIncomplete(&rep)
		if progress != nil {
			state := ""
			if !rep.Complete {
				state = ", INCOMPLETE (" + rep.Reason + ")"
			}
			fmt.Fprintf(progress, "matrix: %s %s: %s states, %.2f s%s\n", e.Name, v.Name, grouped(rep.Distinct), rep.Seconds, state)
		}
		m.rows = append(m.rows, matrixRow{variant: v, params: params, report: rep})
		for _, p := range rep.Properties {
			has[p.Name] = true
			if p.Group != "" {
				group[p.Name] = p.Group
			}
		}
	}

	// Columns: properties and groups in order of first appearance, then
	// the names expected of a variant that no variant has (a stale
	// expectation, shown so that it cannot go unnoticed).
	index := map[string]int{}
	add := func(key, member string, isGroup bool) {
		i, ok := index[key]
		if !ok {
			i = len(m.columns)
			index[key] = i
			m.columns = append(m.columns, matrixColumn{name: key, group: isGroup})
		}
		col := &m.columns[i]
		for _, n := range col.members {
			if n == member {
				return
			}
		}
		col.members = append(col.members, member)
	}
	for _, r := range m.rows {
		for _, p := range r.report.Properties {
			if p.Group != "" {
				add(p.Group, p.Name, true)
			} else {
				add(p.Name, p.Name, false)
			}
		}
	}
	var stale []string
	for _, r := range m.rows {
		for name := range r.variant.Expect {
			if !has[name] {
				stale = append(stale, name)
			}
		}
	}
	sort.Strings(stale)
	for _, name := range stale {
		add(name, name, false)
	}

	for i := range m.rows {
		r := &m.rows[i]
		status := map[string]string{}
		for _, p := range r.report.Properties {
			status[p.Name] = p.Status
		}
		for _, col := range m.columns {
			var cell matrixCell
			for _, name := range col.members {
				mem := matrixMember{property: name, status: na, expected: na}
				if s, ok := status[name]; ok {
					mem.status = s
					mem.expected = checker.Holds.String()
				}
				if st, ok := r.variant.Expect[name]; ok {
					mem.expected = st.String()
				}
				if mem.outcome() != outcomeNA {
					cell.members = append(cell.members, mem)
				}
			}
			r.cells = append(r.cells, cell)
		}
	}
	return m, nil
}

// interruptedReport is the report of a variant not checked because the
// run was interrupted: every property unknown.
func interruptedReport(sys checker.System) checker.Report {
	rep := checker.Report{Reason: "interrupted"}
	for _, p := range sys.Properties() {
		rep.Properties = append(rep.Properties, checker.PropertyReport{PropertyInfo: p, Status: checker.Unknown.String()})
	}
	return rep
}

// matrixTally counts the cells of matrices by outcome.
type matrixTally struct {
	cells, match, unknown, mismatch int
}

func tally(ms []*matrix) matrixTally {
	var t matrixTally
	for _, m := range ms {
		for _, r := range m.rows {
			for _, c := range r.cells {
				switch c.outcome() {
				case outcomeNA:
					continue
				case outcomeMatch:
					t.match++
				case outcomeUnknown:
					t.unknown++
				case outcomeMismatch:
					t.mismatch++
				}
				t.cells++
			}
		}
	}
	return t
}

// matrixExit is 1 when a cell differs from its expectation, else 3 when a
// cell is undecided, else 0.
func matrixExit(ms []*matrix) int {
	t := tally(ms)
	switch {
	case t.mismatch > 0:
		return exitViolated
	case t.unknown > 0:
		return exitIncomplete
	}
	return exitHolds
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
func paramsDiff(e *spec.Entry, v *spec.Variant, params map[string]int) string {
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
