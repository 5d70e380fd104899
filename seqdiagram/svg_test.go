package seqdiagram

import (
	"bytes"
	"encoding/xml"
	"fmt"
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
		`<text class="loop-start" x="`, `loop starts here: the steps below repeat forever`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("SVG lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, `class="arrow delivered"`); n != 1 {
		t.Errorf("%d delivered arrows, want 1 (the Send and its Receive drawn once)", n)
	}
}

// TestSVGStutter: a stutter's loop is its last step, shaded and marked as
// where the loop starts, and explained as staying there forever; without
// a lasso there is neither.
func TestSVGStutter(t *testing.T) {
	steps := []checker.TraceStep{{Index: 0}, {Index: 1, Action: "a"}, {Index: 0, Action: "b"}}
	for _, c := range []struct {
		loop    int
		stutter bool
		want    []string
	}{
		{2, true, []string{`class="loop"`, `loop starts here: the behaviour stays in this state forever`, `stays in the state of step 2 forever`}},
		{2, false, []string{`class="loop"`, `loop starts here: the behaviour stays in this state forever`, `stays in the state of step 2 forever`}},
		{-1, false, nil},
	} {
		var b bytes.Buffer
		if err := SVG(&b, tcpLanes, checker.TraceReport{Loop: c.loop, Stutter: c.stutter, Steps: steps}, SVGOptions{Mark: -1}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("loop %d stutter %v: SVG lacks %q:\n%s", c.loop, c.stutter, w, out)
			}
		}
		if n := strings.Count(out, `class="loop-start"`); (c.loop >= 0) != (n == 1) || n > 1 {
			t.Errorf("loop %d: %d loop-start markers", c.loop, n)
		}
		if c.loop >= 0 {
			// The shading covers the last step's block and no earlier one.
			i := strings.Index(out, `class="loop" x="2" y="`)
			var y int
			fmt.Sscanf(out[i+len(`class="loop" x="2" y="`):], "%d", &y)
			j := strings.Index(out, `data-step="2"><rect x="4" y="`)
			var top int
			fmt.Sscanf(out[j+len(`data-step="2"><rect x="4" y="`):], "%d", &top)
			if y != top-3 {
				t.Errorf("loop %d: shading starts at y=%d, want the last step's top %d-3", c.loop, y, top)
			}
		}
	}
}
