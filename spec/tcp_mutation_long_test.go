//go:build long

package spec

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
)

// The mutation matrix: every named mutation of the endpoint code
// (tcp.Mutation) is checked in every sound variant with its default
// parameters, and must be caught, some property getting a verdict other
// than the variant's expected one, in at least one. A mutation that no
// property catches is a property missing from the specification.
//
// mutationKillers names, for each mutation, a sound variant and the
// property that says, in that variant, what the mutated endpoint gets
// wrong; the test checks that the property is among those the mutation
// breaks there.
var mutationKillers = map[tcp.Mutation]struct{ variant, property string }{
	tcp.MutAckWithoutDelivery:     {"rfc9293", "acknowledged-is-delivered"},
	tcp.MutAckOfUnsentAccepted:    {"rfc9293-off-path", "acknowledged-is-delivered"},
	tcp.MutSynResetsSynchronized:  {"rfc9293-reopen", "syn-never-resets"},
	tcp.MutEarlyTimeWaitTimeout:   {"rfc9293-time-wait", "acknowledged-is-delivered"},
	tcp.MutListenDropsAck:         {"rfc9293-reuse", "reset-only-by-departed-peer"},
	tcp.MutOutOfOrderAsNext:       {"rfc9293-reordering", "stream-integrity"},
	tcp.MutPassiveRstCloses:       {"rfc9293-reuse", "diagram-conformance"},
	tcp.MutFinKeepsRcvNxt:         {"rfc9293", "sequence-accounting"},
	tcp.MutRstAnySeq:              {"rfc9293-off-path", "rst-only-at-rcv-nxt"},
	tcp.MutAbortSendsNoRst:        {"rfc9293", "client-close-leads-to-closed"},
	tcp.MutSynReceivedAnyAck:      {"rfc9293-reuse", "no-stale-connection"},
	tcp.MutDataNeverAcked:         {"rfc9293", "client-data-delivered"},
	tcp.MutClosedSendsNoRst:       {"rfc9293", "client-syn-sent-leads-to-established-or-closed"},
	tcp.MutSynSentRstWithoutAck:   {"rfc9293-lossy", "diagram-conformance"},
	tcp.MutFinWait1AnyAck:         {"rfc9293-lossy", "client-close-leads-to-graceful-close"},
	tcp.MutLastAckAnyAck:          {"rfc9293-lossy", "client-close-leads-to-graceful-close"},
	tcp.MutUnacceptableNotAcked:   {"rfc9293", "client-syn-sent-leads-to-established-or-closed"},
	tcp.MutTimeWaitIgnoresFin:     {"rfc9293-lossy", "give-up-only-after-losses"},
	tcp.MutSynSentKeepsRcvNxt:     {"rfc9293", "sequence-accounting"},
	tcp.MutRetxCountNeverRestarts: {"rfc9293-lossy", "client-close-leads-to-closed"},
	tcp.MutSendAfterClose:         {"rfc9293", "no-data-after-fin"},
}

// mutationVariants are the sound variants the matrix checks: every one
// but rfc9293-unreliable, whose network combines those of the lossy,
// duplicating and reordering variants at ten times their cost.
func mutationVariants() []string {
	var out []string
	for _, v := range tcpVariants {
		if v.flaw == nil && v.Name != "rfc9293-unreliable" {
			out = append(out, v.Name)
		}
	}
	return out
}

// mutationVerdicts checks variant with mutation m and returns the
// properties whose verdict differs from the variant's expectation.
func mutationVerdicts(t *testing.T, variant string, m tcp.Mutation) []string {
	t.Helper()
	cfg, err := TCPConfig(variant, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Mutation = m
	r, err := checker.Check(context.Background(), TCPModel(cfg), checker.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Complete {
		t.Fatalf("%s with %s: incomplete: %s", variant, m, r.Reason)
	}
	var v *Variant
	for i := range tcpVariants {
		if tcpVariants[i].Name == variant {
			v = &tcpVariants[i].Variant
		}
	}
	var bad []string
	for _, pr := range r.Properties {
		want, ok := v.Expect[pr.Property.Name]
		if !ok {
			want = checker.Holds
		}
		if pr.Status != want {
			bad = append(bad, pr.Property.Name)
		}
	}
	return bad
}

func TestLongTCPMutationsAreCaught(t *testing.T) {
	variants := mutationVariants()
	// The sound variants as they are: nothing differs from expected.
	for _, v := range variants {
		if bad := mutationVerdicts(t, v, tcp.NoMutation); len(bad) > 0 {
			t.Fatalf("%s without mutation: unexpected verdicts of %v", v, bad)
		}
	}
	var table, details strings.Builder
	fmt.Fprintf(&table, "%-26s", "mutation")
	for _, v := range variants {
		fmt.Fprintf(&table, " %-14s", strings.TrimPrefix(v, "rfc9293-"))
	}
	fmt.Fprintf(&table, "  caught by\n")
	for m := tcp.Mutation(1); m < tcp.NumMutations; m++ {
		fmt.Fprintf(&table, "%-26s", m)
		all := map[string]bool{}
		caught := 0
		k, ok := mutationKillers[m]
		if !ok {
			t.Errorf("mutation %s has no entry in mutationKillers", m)
		}
		killed := false
		for _, v := range variants {
			bad := mutationVerdicts(t, v, m)
			cell := "-"
			if len(bad) > 0 {
				caught++
				cell = fmt.Sprintf("CAUGHT(%d)", len(bad))
			}
			for _, b := range bad {
				all[b] = true
				if v == k.variant && b == k.property {
					killed = true
				}
			}
			fmt.Fprintf(&table, " %-14s", cell)
			if len(bad) > 0 {
				fmt.Fprintf(&details, "%s in %s: %s\n", m, v, strings.Join(bad, ", "))
			}
		}
		var names []string
		for n := range all {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(&table, "  %s\n", strings.Join(names, ", "))
		if caught == 0 {
			t.Errorf("mutation %s is caught in no sound variant: a property is missing", m)
		} else if ok && !killed {
			t.Errorf("mutation %s: %s does not break %s in %s (it breaks %v)", m, m, k.property, k.variant, names)
		}
	}
	t.Logf("mutations x sound variants (CAUGHT(n): n properties get another verdict than expected):\n%s", table.String())
	t.Logf("the properties each mutation breaks, by variant:\n%s", details.String())
}
