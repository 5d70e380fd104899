package matrix

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBreakAtHyphens(t *testing.T) {
	cases := []struct {
		name  string
		width int
		want  []string
	}{
		{"rfc9293", 10, []string{"rfc9293"}},
		{"rfc9293-duplicating", 10, []string{"rfc9293-", "duplicating"}},
		{"no-syn-ack-check", 10, []string{"no-syn-", "ack-check"}},
		{"tls13-no-cert-check", 10, []string{"tls13-no-", "cert-check"}},
		{"a-b-c", 80, []string{"a-b-c"}},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, breakAtHyphens(c.name, c.width)); diff != "" {
			t.Errorf("%s at %d (-want +got):\n%s", c.name, c.width, diff)
		}
	}
}
