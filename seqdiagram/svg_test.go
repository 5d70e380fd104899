package seqdiagram

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/handshake/handshake/checker"
)

// TestSVG: the SVG diagram is well-formed XML with one linked group per
// step, the arrows in their styles (a Send with its Receive one delivered
// arrow, as in the text diagram), the states, the marked step, the
// lasso's loop, and text escaped.
func TestSVG(t *testing.T) {
	tr := checker.TraceReport{Loop: 1, Steps: []checker.TraceStep{
		{Index: 0, Action: ""},
		{Index: 1, Action: "client <sends>", Events: []checker.Event{send(0, 1, "SYN & co"), recv(1, 0, "SYN & co"), change(1, "SYN_RECEIVED")}},
		{Index: 0, Action: "net", Events: []checker.Event{send(1, 0, "ACK"), drop(1, 0, "ACK"), note(0, "reads")}},
	}}
	var b bytes.Buffer
	if err := SVG(&b, tcpLanes, tr, SVGOptions{Mark: 2, Link: func(i int) string { return "/m/v?step=" + string(rune('0'+i)) + "&x" }}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	dec := xml.NewDecoder(strings.NewReader(out))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
	}
	for _, want := range []string{
		`data-step="0"`, `data-step="1"`, `data-step="2"`, `class="step marked" data-step="2"`,
		`class="arrow delivered"`, `class="arrow sent"`, `class="arrow lost"`,
		`SYN &amp; co`, `client &lt;sends&gt;`, `>SYN_RECEIVED<`, `(reads)`,
		`class="loop"`, `returns to step 1`, `href="/m/v?step=2&amp;x"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("SVG lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, `class="arrow delivered"`); n != 1 {
		t.Errorf("%d delivered arrows, want 1 (the Send and its Receive drawn once)", n)
	}
}
