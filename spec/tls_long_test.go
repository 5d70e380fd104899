//go:build long

package spec

import (
	"testing"

	"github.com/handshake/handshake/checker"
)

// TestLongMixedVersionsTwoClients re-checks the mixed-versions variants
// with two client sessions, one of which intends E (3.4 and 5.0 million
// states, about a minute on two cores): the verdicts are those of the
// one-client defaults, and without the sentinel E also synchronises a key
// between its own client and a server session of S over the forced TLS
// 1.2 and the weak group (unknown key-share, as in
// tls12-ecdhe-weak-group).
func TestLongMixedVersionsTwoClients(t *testing.T) {
	e := TLS()
	for _, tc := range []struct {
		variant string
		extra   map[string]checker.Status
	}{
		{"mixed-versions", nil},
		{"mixed-versions-no-sentinel", map[string]checker.Status{"no-unknown-key-share": checker.Violated}},
	} {
		v, err := e.Variant(tc.variant)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := TLSConfig(tc.variant, map[string]int{"clients": 2, "clients-to-e": 1})
		if err != nil {
			t.Fatal(err)
		}
		got, rep := tlsVerdicts(t, cfg)
		t.Logf("%s with two clients: %d distinct states", tc.variant, rep.Distinct)
		for name, st := range got {
			want, ok := tc.extra[name]
			if !ok {
				want, ok = v.Expect[name]
			}
			if !ok {
				want = checker.Holds
			}
			if st != want.String() {
				t.Errorf("%s %s: %s, want %s", tc.variant, name, st, want)
			}
		}
	}
}
