//go:build long

package spec

import "testing"

// TestLongTCPVariantsGetTheirExpectedVerdicts checks the variants too long
// for the plain test run (longTCPVariants) against their Expect maps; with
// TestTCPVariantsGetTheirExpectedVerdicts, every variant of "tcp" is
// checked. Run by CI as go test -tags long -run '^TestLong' ./...
func TestLongTCPVariantsGetTheirExpectedVerdicts(t *testing.T) {
	e, err := Lookup("tcp")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range e.Variants {
		if !longTCPVariants[v.Name] {
			continue
		}
		n++
		t.Run(v.Name, func(t *testing.T) { checkVerdicts(t, v) })
	}
	if n != len(longTCPVariants) {
		t.Errorf("%d of the %d long variants are registered", n, len(longTCPVariants))
	}
}
