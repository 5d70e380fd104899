package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
)

// stepState is the state of the test model of the matrix: a counter.
type stepState struct{ N uint32 }

// stepModel counts from 0 to limit. Its properties: "small" (always N <=
// 3), "reaches-two" (sometimes N == 2), a group "steps" of three
// sometimes-steps "step: i -> i+1" (i = 0, 1, 2; with limit 2 the last
// has no witness, so it is violated), and with extra an invariant
// "only-extra" that no other variant has.
func stepModel(limit int, extra bool) checker.Model[stepState] {
	lim := uint32(limit)
	m := checker.Model[stepState]{
		Name: "test-matrix",
		Init: func() []stepState { return []stepState{{}} },
		Actions: func(s stepState, buf []checker.Action) []checker.Action {
			if s.N < lim {
				return append(buf, 0)
			}
			return buf
		},
		Next:  func(s stepState, a checker.Action) stepState { s.N++; return s },
		Label: func(s stepState, a checker.Action) string { return "step" },
		Properties: []checker.Property[stepState]{
			{Name: "small", Kind: checker.Always, Holds: func(s stepState) bool { return s.N <= 3 }},
			{Name: "reaches-two", Kind: checker.Sometimes, Holds: func(s stepState) bool { return s.N == 2 }},
		},
	}
	for i := uint32(0); i < 3; i++ {
		i := i
		m.Properties = append(m.Properties, checker.Property[stepState]{
			Name: fmt.Sprintf("step: %d -> %d", i, i+1), Kind: checker.SometimesStep, Group: "steps",
			Step: func(s stepState, a checker.Action, t stepState) bool { return s.N == i && t.N == i+1 },
		})
	}
	if extra {
		m.Properties = append(m.Properties, checker.Property[stepState]{
			Name: "only-extra", Kind: checker.Always, Holds: func(s stepState) bool { return true }})
	}
	return m
}

func init() {
	build := func(variant string, params map[string]int) (checker.System, error) {
		return checker.Erase(stepModel(params["limit"], variant == "extra"))
	}
	limit := []catalog.Param{{Name: "limit", Default: 3, Min: 1, Max: 9, Description: "steps"}}
	testModels = append(testModels, &catalog.Entry{
		Name:        "test-matrix",
		Description: "test only: every verdict as expected, with a group and an n/a property",
		Params:      limit,
		Variants: []catalog.Variant{
			{Name: "sound", Description: "counts to 3"},
			{Name: "short", Description: "counts to 2",
				Params: []catalog.Param{{Name: "limit", Default: 2, Min: 1, Max: 9, Description: "steps"}},
				Expect: map[string]checker.Status{"step: 2 -> 3": checker.Violated}},
			{Name: "extra", Description: "with a property of its own"},
		},
		Build: build,
	})
	testModels = append(testModels, &catalog.Entry{
		Name:        "test-matrix-wrong",
		Description: "test only: variants whose expectations are deliberately wrong",
		Params:      limit,
		Variants: []catalog.Variant{
			{Name: "wrong", Description: "expects an invariant that holds to be violated",
				Expect: map[string]checker.Status{"small": checker.Violated}},
			{Name: "stale", Description: "expects a property no variant has to be violated",
				Expect: map[string]checker.Status{"no-such": checker.Violated}},
			{Name: "wrong-step", Description: "expects a step of the group to be violated",
				Expect: map[string]checker.Status{"step: 1 -> 2": checker.Violated}},
		},
		Build: build,
	})
}

func TestMatrixAllAsExpectedIsExit0(t *testing.T) {
	code, out, errOut := runCLI(t, "matrix", "test-matrix")
	if code != exitHolds {
		t.Fatalf("exit %d, want 0; stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	// 3 variants x 4 columns, minus the two n/a cells of only-extra.
	if !strings.Contains(out, "result: 10 of 10 cells as expected (exit status 0: every cell as expected)\n") {
		t.Errorf("result line missing or wrong:\n%s", out)
	}
	// The group is one row: short misses its last step, as it expects.
	wantRows := []string{
		"                 sound  short     extra",
		"small            holds  holds     holds",
		"reaches-two      holds  holds     holds",
		"steps            holds  VIOLATED  holds",
		"only-extra       n/a    n/a       holds",
		"distinct states  4      3         4",
	}
	for _, r := range wantRows {
		if !strings.Contains(out, r+"\n") {
			t.Errorf("row %q missing:\n%s", r, out)
		}
	}
	if !strings.Contains(out, "short: 1 VIOLATED (as expected): step: 2 -> 3") {
		t.Errorf("the group's violated member is not named:\n%s", out)
	}
	if strings.Contains(out, "!") {
		t.Errorf("a cell is marked as unexpected:\n%s", out)
	}
	if !strings.Contains(out, "short: limit=2") {
		t.Errorf("the variant's own parameter is not shown:\n%s", out)
	}
	// One progress line per variant on stderr, none with --quiet.
	if n := strings.Count(errOut, "matrix: test-matrix "); n != 3 {
		t.Errorf("stderr has %d progress lines, want 3:\n%s", n, errOut)
	}
	if _, _, errOut := runCLI(t, "matrix", "test-matrix", "--quiet"); errOut != "" {
		t.Errorf("--quiet: stderr %q", errOut)
	}
}

func TestMatrixWrongExpectationIsExit1(t *testing.T) {
	out := runExit(t, exitViolated, "matrix", "--quiet", "test-matrix-wrong")
	// wrong: small; stale: no-such (n/a, expected violated); wrong-step:
	// the group, whose step 1 -> 2 holds.
	wantIn(t, "output", out,
		"small            holds!  holds  holds",
		"steps            holds   holds  holds!",
		"no-such          n/a     n/a!   n/a",
		"wrong, small: holds, expected violated",
		"stale, no-such: no such property, expected violated",
		"wrong-step, step: 1 -> 2: holds, expected violated",
		"result: 7 of 10 cells as expected, 3 NOT (exit status 1: a verdict differs from its expectation)\n",
	)

	_, md, _ := runCLI(t, "matrix", "--quiet", "test-matrix-wrong", "--markdown")
	wantLines(t, "markdown", md,
		"| `small` | holds ✗ expected violated | holds | holds |",
		"| steps (3 properties) | holds | holds | holds ✗ expected violated (1) |",
		"| `no-such` | n/a | n/a ✗ expected violated | n/a |",
	)
}

// matrixJSONOut is what a test reads of "matrix --json".
type matrixJSONOut struct {
	Models map[string]struct {
		Columns      []string `json:"columns"`
		VariantOrder []string `json:"variant_order"`
		Variants     map[string]struct {
			Params         map[string]int `json:"params"`
			DistinctStates uint64         `json:"distinct_states"`
			Seconds        *float64       `json:"seconds"`
			Complete       bool           `json:"complete"`
			Reason         string         `json:"reason"`
			Cells          []struct {
				Property string `json:"property"`
				Status   string `json:"status"`
				Expected string `json:"expected"`
				Matches  bool   `json:"matches"`
				Violated *int   `json:"violated"`
				Members  []struct {
					Property, Status, Expected string
					Matches                    bool
				} `json:"members"`
			} `json:"cells"`
		} `json:"variants"`
	} `json:"models"`
	Cells      int `json:"cells"`
	AsExpected int `json:"as_expected"`
	Unexpected int `json:"unexpected"`
	Unknown    int `json:"unknown"`
	ExitStatus int `json:"exit_status"`
}

func decodeMatrix(t *testing.T, out string) matrixJSONOut {
	t.Helper()
	return decodeOne[matrixJSONOut](t, out, true)
}

func TestMatrixJSONDecodes(t *testing.T) {
	out := runExit(t, exitViolated, "matrix", "test-matrix-wrong", "--json", "--quiet")
	doc := decodeMatrix(t, out)
	if doc.Cells != 10 || doc.AsExpected != 7 || doc.Unexpected != 3 || doc.Unknown != 0 || doc.ExitStatus != 1 {
		t.Errorf("tally %d cells, %d as expected, %d not, %d unknown, exit %d; want 10, 7, 3, 0, 1",
			doc.Cells, doc.AsExpected, doc.Unexpected, doc.Unknown, doc.ExitStatus)
	}
	m, ok := doc.Models["test-matrix-wrong"]
	if !ok || len(doc.Models) != 1 {
		t.Fatalf("models %v, want test-matrix-wrong only", doc.Models)
	}
	if diff := cmp.Diff([]string{"small", "reaches-two", "steps", "no-such"}, m.Columns); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"wrong", "stale", "wrong-step"}, m.VariantOrder); diff != "" {
		t.Errorf("variant order (-want +got):\n%s", diff)
	}
	for _, name := range m.VariantOrder {
		v := m.Variants[name]
		if v.DistinctStates != 4 || !v.Complete || v.Seconds == nil || v.Params["limit"] != 3 || len(v.Cells) != 4 {
			t.Errorf("%s: %d states, complete %v, seconds %v, params %v, %d cells; want 4, true, present, limit=3, 4",
				name, v.DistinctStates, v.Complete, v.Seconds, v.Params, len(v.Cells))
		}
	}
	type cell struct {
		Property, Status, Expected string
		Matches                    bool
	}
	var got []cell
	for _, name := range m.VariantOrder {
		for _, c := range m.Variants[name].Cells {
			got = append(got, cell{name + " " + c.Property, c.Status, c.Expected, c.Matches})
		}
	}
	want := []cell{
		{"wrong small", "holds", "violated", false},
		{"wrong reaches-two", "holds", "holds", true},
		{"wrong steps", "holds", "holds", true},
		{"wrong no-such", "n/a", "n/a", true},
		{"stale small", "holds", "holds", true},
		{"stale reaches-two", "holds", "holds", true},
		{"stale steps", "holds", "holds", true},
		{"stale no-such", "n/a", "violated", false},
		{"wrong-step small", "holds", "holds", true},
		{"wrong-step reaches-two", "holds", "holds", true},
		{"wrong-step steps", "holds", "violated", false},
		{"wrong-step no-such", "n/a", "n/a", true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
	steps := m.Variants["wrong-step"].Cells[2]
	if steps.Violated == nil || *steps.Violated != 0 || len(steps.Members) != 3 ||
		steps.Members[1].Property != "step: 1 -> 2" || steps.Members[1].Matches || !steps.Members[0].Matches {
		t.Errorf("wrong-step's group cell: %+v", steps)
	}
}

func TestMatrixNotApplicableCells(t *testing.T) {
	_, out, _ := runCLI(t, "matrix", "test-matrix", "--json", "--quiet")
	doc := decodeMatrix(t, out)
	m := doc.Models["test-matrix"]
	for _, name := range []string{"sound", "short"} {
		c := m.Variants[name].Cells[3]
		if c.Property != "only-extra" || c.Status != "n/a" || c.Expected != "n/a" || !c.Matches {
			t.Errorf("%s only-extra: %+v, want n/a as expected", name, c)
		}
	}
	if c := m.Variants["extra"].Cells[3]; c.Status != "holds" {
		t.Errorf("extra only-extra: %+v, want holds", c)
	}
	// n/a cells are not counted.
	if doc.Cells != 10 || doc.AsExpected != 10 {
		t.Errorf("%d of %d cells as expected, want 10 of 10", doc.AsExpected, doc.Cells)
	}
	short := m.Variants["short"].Cells[2]
	if short.Status != "violated" || short.Expected != "violated" || !short.Matches || *short.Violated != 1 {
		t.Errorf("short's group: %+v, want violated (1) as expected", short)
	}
}

func TestMatrixMarkdownHasNoTimings(t *testing.T) {
	code, md1, _ := runCLI(t, "matrix", "test-matrix", "--markdown", "--quiet")
	_, md2, _ := runCLI(t, "matrix", "test-matrix", "--markdown", "--quiet")
	if code != exitHolds {
		t.Errorf("exit %d, want 0", code)
	}
	if md1 != md2 {
		t.Errorf("two runs differ:\n%s\n---\n%s", md1, md2)
	}
	_, text, _ := runCLI(t, "matrix", "test-matrix", "--quiet")
	if !strings.Contains(text, "\nseconds ") {
		t.Errorf("the text table has no seconds row:\n%s", text)
	}
	if strings.Contains(md1, "second") || strings.Contains(md1, " s,") {
		t.Errorf("markdown mentions time:\n%s", md1)
	}
	want := "| property | `sound` | `short` | `extra` |\n" +
		"| --- | --- | --- | --- |\n" +
		"| `small` | holds | holds | holds |\n" +
		"| `reaches-two` | holds | holds | holds |\n" +
		"| steps (3 properties) | holds | **VIOLATED (1)** | holds |\n" +
		"| `only-extra` | n/a | n/a | holds |\n" +
		"| distinct states | 4 | 3 | 4 |\n"
	if !strings.HasPrefix(md1, want) {
		t.Errorf("markdown table (-want +got):\n%s", cmp.Diff(want, md1[:min(len(md1), len(want))]))
	}
	wantLines(t, "markdown", md1,
		"`test-matrix`: 10 of 10 cells as expected.",
		"- `short` (limit=2): counts to 2",
		"- `short`: 1 VIOLATED (as expected): `step: 2 -> 3`",
	)
}

func TestMatrixIncompleteIsExit3(t *testing.T) {
	// Stopped at the initial state: nothing but unknown cells.
	code, out, _ := runCLI(t, "matrix", "test-matrix", "--max-states", "1", "--quiet")
	if code != exitIncomplete {
		t.Errorf("--max-states 1: exit %d, want 3:\n%s", code, out)
	}
	if !strings.Contains(out, "unknown") || !strings.Contains(out, "INCOMPLETE runs") || strings.Contains(out, "!") ||
		!strings.Contains(out, "(exit status 3: some cells unknown, none differs)\n") {
		t.Errorf("--max-states 1: want unknown cells, no mismatch:\n%s", out)
	}
	// Interrupted before it began.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr strings.Builder
	code = runContext(ctx, []string{"matrix", "test-matrix", "--json", "--quiet"}, strings.NewReader(""), &stdout, &stderr)
	if code != exitIncomplete {
		t.Errorf("interrupted: exit %d, want 3", code)
	}
	doc := decodeMatrix(t, stdout.String())
	if doc.Unknown != 10 || doc.AsExpected != 0 {
		t.Errorf("interrupted: %d unknown, %d as expected; want 10 unknown", doc.Unknown, doc.AsExpected)
	}
	if v := doc.Models["test-matrix"].Variants["sound"]; v.Complete || v.Reason != "interrupted" {
		t.Errorf("interrupted: complete %v, reason %q", v.Complete, v.Reason)
	}
	// A mismatch outweighs unknown cells.
	if code, _, _ := runCLI(t, "matrix", "test-matrix-wrong", "--max-states", "1", "--quiet"); code != exitViolated {
		t.Errorf("stale expectation, incomplete: exit %d, want 1", code)
	}
}

func TestMatrixBadInputIsOneLineExit2(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"matrix", "nosuch"}, `unknown model "nosuch"`},
		{[]string{"matrix", "test-matrix", "more"}, `unexpected argument "more"`},
		{[]string{"matrix", "test-matrix", "--json", "--markdown"}, "choose one"},
		{[]string{"matrix", "--workers", "0"}, "workers"},
		{[]string{"matrix", "--timeout", "soon"}, "timeout"},
		{[]string{"matrix", "--bogus"}, "bogus"},
	}
	for _, c := range cases {
		code, out, errOut := runCLI(t, c.args...)
		if code != exitUsage || out != "" {
			t.Errorf("%q: exit %d, stdout %q; want 2 and nothing", c.args, code, out)
		}
		if strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "handshake: ") || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: stderr %q, want one line naming %q", c.args, errOut, c.want)
		}
	}
}
