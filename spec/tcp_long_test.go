//go:build long

package spec

import "testing"

// TestLongTCPVariantsGetTheirExpectedVerdicts checks the variants too long
// for the plain test run (longTCPVariants) against their Expect maps; with
// TestTCPVariantsGetTheirExpectedVerdicts, every variant of "tcp" is
// checked. Run by CI as go test -tags long -run '^TestLong' ./...
func TestLongTCPVariantsGetTheirExpectedVerdicts(t *testing.T) {
	e := tcpVariantsWhere(t, func(name string) bool { return longTCPVariants[name] })
	if len(e.Variants) != len(longTCPVariants) {
		t.Errorf("%d of the %d long variants are in the entry", len(e.Variants), len(longTCPVariants))
	}
	checkMatrix(t, e)
}
