//go:build long

package spec

import (
	"testing"

	"github.com/handshake/handshake/checker"
)

// TestLongHTTPSMatrix checks every variant of "https" with its default
// parameters against its expected verdicts (what `handshake matrix https`
// reports), and each broken variant's key property against the sound
// protocol with the same parameters: the flaw alone breaks it.
func TestLongHTTPSMatrix(t *testing.T) {
	e := HTTPS()
	key := map[string]string{
		"fin-as-eof": "no-truncation", "http": "no-truncation", "immediate-close": "response-delivered",
		"retry-non-idempotent": "at-most-once", "no-close-notify": "close-notify-before-fin",
	}
	for _, v := range e.Variants {
		t.Run(v.Name, func(t *testing.T) {
			res := checkHTTPS(t, v.Name, nil)
			for _, p := range res.Properties {
				want, ok := v.Expect[p.Property.Name]
				if !ok {
					want = checker.Holds
				}
				if p.Status != want {
					t.Errorf("%s: %s, want %s", p.Property.Name, p.Status, want)
				}
				if p.Status == checker.Violated && p.Trace == nil && p.Property.Kind != checker.Sometimes {
					t.Errorf("%s: violated without a counterexample", p.Property.Name)
				}
			}
			k, ok := key[v.Name]
			if !ok {
				return
			}
			params := map[string]int{}
			for _, p := range v.Params {
				params[p.Name] = p.Default
			}
			sound := checkHTTPS(t, "https", params)
			if s := httpsResult(t, sound, k).Status; s != checker.Holds {
				t.Errorf("sound protocol with %v: %s %s, want holds", params, k, s)
			}
		})
	}
}
