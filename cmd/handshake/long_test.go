//go:build long

package main

// The long check of the README's variant tables: every variant of the
// protocol models with its default parameters (about a minute on two
// cores; the plain tests of package spec hold the same variants to their
// expectations). CI runs it with
//
//	go test -tags long -run '^TestLong' ./...

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLongREADMEMatrices checks that the README's block between
// "<!-- matrix MODEL -->" and "<!-- /matrix MODEL -->" is what
// "handshake matrix MODEL --markdown" prints, for tcp, tls and https. After a
// change to the models or variants, rewrite the blocks with
//
//	go test ./cmd/handshake -run TestLongREADMEMatrices -tags long -update
func TestLongREADMEMatrices(t *testing.T) {
	old := readREADME(t)
	readme := old
	for _, model := range []string{"tcp", "tls", "https"} {
		code, out, errOut := runCLI(t, "matrix", model, "--markdown", "--quiet")
		if code != exitHolds {
			t.Errorf("matrix %s --markdown: exit %d, stderr %q", model, code, errOut)
		}
		want := "\n" + out + "\n"

		begin, end := "<!-- matrix "+model+" -->\n", "<!-- /matrix "+model+" -->"
		i := strings.Index(readme, begin)
		j := strings.Index(readme, end)
		if i < 0 || j < i || strings.Count(readme, begin) != 1 || strings.Count(readme, end) != 1 {
			t.Fatalf("README.md needs one %q line followed by one %q line", strings.TrimSpace(begin), end)
		}
		got := readme[i+len(begin) : j]
		if *update {
			readme = readme[:i+len(begin)] + want + readme[j:]
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("README.md's %s block is not what \"handshake matrix %s --markdown\" prints "+
				"(-command +README; go test ./cmd/handshake -run TestLongREADMEMatrices -tags long -update rewrites it):\n%s",
				model, model, diff)
		}
	}
	if *update && readme != old {
		if err := os.WriteFile(readmePath, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
