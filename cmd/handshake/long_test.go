//go:build long

package main

// The long cross-checks: every variant of the protocol models with its
// default parameters (about a minute on two cores). The plain test run
// checks the quick variants (TestMatrixProtocolVariantsMeetExpectations);
// CI runs these with
//
//	go test -tags long -run '^TestLong' ./...

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/spec"
)

// realMatrices caches the matrices of the registered protocol models,
// which take seconds to compute: the README test shares them.
var realMatrices sync.Map // model name -> *matrix; the README test shares them

func realMatrix(t *testing.T, model string) *matrix {
	t.Helper()
	if m, ok := realMatrices.Load(model); ok {
		return m.(*matrix)
	}
	e, err := spec.Lookup(model)
	if err != nil {
		t.Fatal(err)
	}
	m, err := computeMatrix(context.Background(), e, checker.Options{Workers: defaultWorkers}, nil)
	if err != nil {
		t.Fatal(err)
	}
	realMatrices.Store(model, m)
	return m
}

// TestLongMatrixProtocolVariantsMeetExpectations is the issue's "done
// when": every variant of tcp and tls, with its default parameters, gets
// exactly the verdicts it expects; and the text table fits in 100 columns.
func TestLongMatrixProtocolVariantsMeetExpectations(t *testing.T) {
	for _, model := range []string{"tcp", "tls"} {
		checkProtocolMatrix(t, model, realMatrix(t, model))
	}
}

// TestLongREADMEMatrices checks that the README's block between
// "<!-- matrix MODEL -->" and "<!-- /matrix MODEL -->" is what
// "handshake matrix MODEL --markdown" prints, for tcp and tls. After a
// change to the models or variants, rewrite the blocks with
//
//	go test ./cmd/handshake -run TestLongREADMEMatrices -tags long -update
func TestLongREADMEMatrices(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, model := range []string{"tcp", "tls"} {
		var b strings.Builder
		writeMatrixMarkdown(&b, []*matrix{realMatrix(t, model)})
		want := "\n" + b.String() + "\n"

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
	if *update && readme != string(data) {
		if err := os.WriteFile(readmePath, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
