package capture

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// reorderBeforeCapture perturbs a capture taken at an endpoint into one
// taken on the path: consecutive segments of the same side (no segment of
// the other side between them, so neither can have caused the other) are
// swapped with probability p, and a segment is copied right after itself
// with probability p (the network between the endpoint and the capture
// point reordered or duplicated them).
func reorderBeforeCapture(segs []Segment, r *rand.Rand, p float64) []Segment {
	out := slices.Clone(segs)
	for i := 0; i+1 < len(out); i++ {
		if out[i].From == out[i+1].From && r.Float64() < p {
			out[i], out[i+1] = out[i+1], out[i]
			i++
		}
	}
	var dup []Segment
	for _, g := range out {
		dup = append(dup, g)
		if r.Float64() < p {
			dup = append(dup, g)
		}
	}
	return dup
}

// TestReorderedBeforeCaptureAccepted: captures of real connections taken
// at an endpoint, reordered and duplicated as a network before the capture
// point could, are accepted with the capture point on the path; with an
// ACK beyond what was sent, rejected at it.
func TestReorderedBeforeCaptureAccepted(t *testing.T) {
	var conns []Conn
	for _, f := range []string{"keepalive.pcap", "zerowindow.pcap", "timewait_reuse.pcap", "midpath_http.pcap"} {
		for _, c := range loadAll(t, "testdata/linux/"+f) {
			if validate(c, false, false).Accepted {
				conns = append(conns, c)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	var changed int
	m := linuxMutations[0] // ACK beyond what was sent
	for i, c := range conns {
		segs := reorderBeforeCapture(c.Segments, r, 0.3)
		if !slices.Equal(segs, c.Segments) {
			changed++
		}
		v := ValidateWith(Conn{Addr: c.Addr, Segments: segs}, Options{CapturePoint: OnPath})
		if !v.Accepted {
			t.Errorf("connection %d: rejected at %d (%s): %s (%s) %s", i, v.Rejected, v.Steps[v.Rejected].Text(), v.Rule, v.RFC, v.Error)
		}
		// Still no execution acknowledges what was never sent (a
		// sample: locating a rejection searches several prefixes).
		bad, at, ok := m.edit(segs)
		if !ok || i%5 != 0 {
			continue
		}
		v = ValidateWith(Conn{Addr: c.Addr, Segments: bad}, Options{CapturePoint: OnPath})
		if v.Accepted || v.Rejected != at || !strings.Contains(v.Rule, m.rule) {
			t.Errorf("connection %d with %s: accepted %v, rejected at %d: %s; want at %d", i, m.name, v.Accepted, v.Rejected, v.Rule, at)
		}
	}
	if changed < len(conns)/2 {
		t.Errorf("only %d of %d perturbed captures differ", changed, len(conns))
	}
	t.Logf("%d connections perturbed, %d changed", len(conns), changed)
}
