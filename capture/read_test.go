package capture

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// segmentsOnly drops what an encoding does not preserve (addresses).
func segmentsOnly(c Conn) []Segment { return c.Segments }

// TestReadRoundTrip writes a real capture's segments as pcap and pcapng,
// over IPv4 and IPv6, and reads back the same segments in the same order.
func TestReadRoundTrip(t *testing.T) {
	c := load(t, "testdata/normal_client_close.pcap")
	for _, ipv6 := range []bool{false, true} {
		for _, ng := range []bool{false, true} {
			pkts, err := Read(bytes.NewReader(encode(t, c, ipv6, ng)))
			if err != nil {
				t.Fatalf("ipv6=%v ng=%v: %v", ipv6, ng, err)
			}
			got := Group(pkts)
			if len(got) != 1 {
				t.Fatalf("ipv6=%v ng=%v: %d connections", ipv6, ng, len(got))
			}
			if d := cmp.Diff(segmentsOnly(c), segmentsOnly(got[0])); d != "" {
				t.Errorf("ipv6=%v ng=%v: segments differ (-want +got):\n%s", ipv6, ng, d)
			}
			if ipv6 && !strings.HasPrefix(got[0].Addr[Client], "[2001:db8::1]:") {
				t.Errorf("client address %q, want [2001:db8::1]:port", got[0].Addr[Client])
			}
		}
	}
}

// TestGroupByFourTuple interleaves two connections and gets both back,
// each with its client the sender of the first SYN.
func TestGroupByFourTuple(t *testing.T) {
	a := load(t, "testdata/normal_client_close.pcap")
	b := load(t, "testdata/refused.pcap")
	pa, _ := Read(bytes.NewReader(mustRead(t, "testdata/normal_client_close.pcap")))
	pb, _ := Read(bytes.NewReader(mustRead(t, "testdata/refused.pcap")))
	var mixed []Packet
	for i := 0; i < max(len(pa), len(pb)); i++ {
		if i < len(pb) {
			mixed = append(mixed, pb[i])
		}
		if i < len(pa) {
			mixed = append(mixed, pa[i])
		}
	}
	got := Group(mixed)
	if len(got) != 2 {
		t.Fatalf("%d connections, want 2", len(got))
	}
	if d := cmp.Diff([]Conn{b, a}, got); d != "" {
		t.Errorf("grouping differs (-want +got):\n%s", d)
	}
}

// TestReadRejectsNonCaptures: text, an empty file and a bad magic number
// are errors, not empty captures.
func TestReadRejectsNonCaptures(t *testing.T) {
	for _, in := range []string{"", "abc", "hello, world, this is not a capture file at all"} {
		if _, err := Read(strings.NewReader(in)); err == nil {
			t.Errorf("Read(%q) succeeded", in)
		}
	}
}

// TestReadTruncated: a capture cut inside its last record reads the
// records before it.
func TestReadTruncated(t *testing.T) {
	b := mustRead(t, "testdata/normal_client_close.pcap")
	full, err := Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	cut, err := Read(bytes.NewReader(b[:len(b)-10]))
	if err != nil {
		t.Fatal(err)
	}
	if len(cut) != len(full)-1 {
		t.Errorf("truncated capture: %d segments, want %d", len(cut), len(full)-1)
	}
}
