package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
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

// recordEnds lists the offsets at which a pcap's records end (the first
// is the end of the file header), read from the length fields directly.
func recordEnds(t *testing.T, b []byte) []int {
	t.Helper()
	ends := []int{24}
	for off := 24; off < len(b); {
		off += 16 + int(binary.LittleEndian.Uint32(b[off+8:]))
		if off > len(b) {
			t.Fatalf("the test capture itself is cut at %d", len(b))
		}
		ends = append(ends, off)
	}
	return ends
}

// TestReadTruncatedAtEveryByte cuts each real capture after every byte
// ("head -c N" for every N): a cut inside a record is a *TruncatedError
// naming that record (as tcpdump numbers frames) and its first byte, never
// a shorter capture; a cut between records reads exactly the records
// before it (it cannot be told from a shorter capture).
func TestReadTruncatedAtEveryByte(t *testing.T) {
	for _, file := range captures(t) {
		b := mustRead(t, file)
		full, err := Read(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		ends := recordEnds(t, b)
		if len(full) != len(ends)-1 {
			t.Fatalf("%s: %d segments for %d records", file, len(full), len(ends)-1)
		}
		rec := 0 // records wholly before the cut
		for n := 0; n < len(b); n++ {
			for rec+1 < len(ends) && ends[rec+1] <= n {
				rec++
			}
			pkts, err := Read(bytes.NewReader(b[:n]))
			var te *TruncatedError
			switch {
			case n < 4:
				if err == nil {
					t.Errorf("%s cut at %d: read as a capture", file, n)
				}
			case n < 24:
				if !errors.As(err, &te) || te.Record != 0 || te.Have != n || !strings.Contains(err.Error(), "truncated in the pcap file header") {
					t.Errorf("%s cut at %d: %v, want a cut file header", file, n, err)
				}
			case n == ends[rec]:
				if err != nil || len(pkts) != rec {
					t.Errorf("%s cut at %d, between records: %d segments, %v; want %d", file, n, len(pkts), err, rec)
				}
			default:
				want := fmt.Sprintf("truncated at record %d, byte %d: ", rec+1, ends[rec])
				if !errors.As(err, &te) || te.Record != rec+1 || te.Offset != ends[rec] || te.Frames != rec || pkts != nil ||
					!strings.HasPrefix(err.Error(), want) {
					t.Errorf("%s cut at %d: %d segments, %v; want an error starting %q", file, n, len(pkts), err, want)
				}
			}
		}
	}
}

// TestReadTruncatedPcapng: a pcapng capture cut inside a block is a
// *TruncatedError naming the block; cut between blocks, it reads the
// frames before the cut.
func TestReadTruncatedPcapng(t *testing.T) {
	c := load(t, "testdata/half_close.pcap")
	b := encode(t, c, false, true)
	cuts, whole := 0, 0
	for n := 4; n < len(b); n++ {
		pkts, err := Read(bytes.NewReader(b[:n]))
		var te *TruncatedError
		switch {
		case errors.As(err, &te):
			cuts++
			if te.Format != "pcapng" || te.Offset > n || te.Have != n-te.Offset || te.Frames > len(c.Segments) ||
				!strings.HasPrefix(err.Error(), fmt.Sprintf("truncated at block %d, byte %d: ", te.Record, te.Offset)) {
				t.Errorf("cut at %d: %v (%+v)", n, err, te)
			}
		case err == nil:
			whole++
			if len(pkts) > len(c.Segments) {
				t.Errorf("cut at %d: %d segments", n, len(pkts))
			}
		default:
			t.Errorf("cut at %d: %v, want a *TruncatedError", n, err)
		}
	}
	if whole > len(c.Segments)+3 || cuts < len(b)-len(c.Segments)-8 {
		t.Errorf("%d cuts read whole, %d truncated, of %d", whole, cuts, len(b)-4)
	}
}
