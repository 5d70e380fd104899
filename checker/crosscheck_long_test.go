//go:build long

package checker_test

import "testing"

// TestLongEngineAgreesWithReferenceSearch is the engine's cross-check of
// TestEngineAgreesWithReferenceSearch on ten times as many random systems,
// drawn from another seed. Run by CI as go test -tags long -run '^TestLong' ./...
func TestLongEngineAgreesWithReferenceSearch(t *testing.T) {
	engineCrossChecks(t, 6000, 2)
}
