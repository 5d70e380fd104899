package tlsvalidate

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// readmeMarker introduces an output block of README.md's section on the
// TLS layer: "<!-- tlsvalidate-output: CAPTURE CONN keylog|nokeys[; lines:
// PREFIX...] -->": the Text of connection CONN of
// capture/testdata/tls/CAPTURE.pcap, or only its lines starting with
// "tls: PREFIX"; "<!-- tlsvalidate-violation: ecdhe12-flipped-finished -->"
// is the violation of TestFlippedEncryptedFinished's TLS 1.2 mutation.
var readmeMarker = regexp.MustCompile("(?m)^<!-- tlsvalidate-(output|violation): ([^;>]*)(?:; lines: ([^>]*))? -->\n```\n((?:.*\n)*?)```")

// TestREADME: the outputs README.md shows for the TLS layer are the
// validator's.
func TestREADME(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	ms := readmeMarker.FindAllStringSubmatch(string(b), -1)
	if len(ms) < 3 {
		t.Fatalf("%d tlsvalidate output blocks in README.md, want 3", len(ms))
	}
	for _, m := range ms {
		var got string
		switch m[1] {
		case "output":
			f := strings.Fields(m[2])
			if len(f) != 3 {
				t.Fatalf("marker %q", m[0])
			}
			conns, keys := load(t, f[0])
			i, _ := strconv.Atoi(f[1])
			if f[2] != "keylog" {
				keys = nil
			}
			v := ValidateTLS(conns[i].conn, conns[i].tcp, conns[i].p, keys)
			got = v.Text()
			if m[3] != "" {
				var keep []string
				for _, l := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
					for _, p := range strings.Fields(m[3]) {
						if strings.HasPrefix(l, "tls: "+p) {
							keep = append(keep, l)
						}
					}
				}
				got = strings.Join(keep, "\n") + "\n"
			}
		case "violation":
			st, keys := streamsOf(t, "ecdhe12", 0)
			r := recordIndex(t, st[cl], typeHandshake, 2)
			st[cl].Data[r.Offset+5+12] ^= 1
			v := ValidateStreams(st, keys)
			if v.Violation == nil {
				t.Fatal("not rejected")
			}
			got = "rejected at " + v.Violation.Error() + "\n"
		}
		if got != m[4] {
			t.Errorf("README block %q:\n--- README\n%s--- validator\n%s", m[2], m[4], got)
		}
	}
}
