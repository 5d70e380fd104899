package spec

import (
	"context"
	"strings"
	"testing"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/matrix"
)

// checkMatrix checks every variant of e with its default parameters
// (package matrix, as "handshake matrix" does) and fails the test for
// every verdict that differs from the variant's expectation (an Expect
// entry naming no property of the variant included) and every run left
// incomplete; it also checks that the text table fits in matrix.Width
// columns.
func checkMatrix(t *testing.T, e *Entry) *matrix.Matrix {
	t.Helper()
	m, err := matrix.Compute(context.Background(), e, checker.Options{Workers: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range m.Rows {
		t.Logf("%s: %d distinct states, depth %d, %.3fs", r.Variant.Name, r.Report.Distinct, r.Report.Depth, r.Report.Seconds)
	}
	for _, u := range m.Unexpected() {
		t.Errorf("%s: %s", e.Name, u)
	}
	var b strings.Builder
	matrix.WriteText(&b, []*matrix.Matrix{m})
	for _, l := range strings.Split(b.String(), "\n") {
		if n := len([]rune(l)); n > matrix.Width {
			t.Errorf("%s: line of %d columns: %q", e.Name, n, l)
		}
	}
	return m
}
