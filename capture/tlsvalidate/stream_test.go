package tlsvalidate

import (
	"strings"
	"testing"

	"github.com/handshake/handshake/capture"
	"github.com/handshake/handshake/model/tcp"
)

// conn builds a connection whose client sends the given data segments
// (offsets into "abcdefghij..."), after a handshake with ISS 1000.
type seg struct {
	off, n   int
	captured int // octets captured (-1: all)
	text     string
	fin      bool
}

func clientConn(segs []seg) (capture.Conn, capture.Payloads) {
	const iss = 1000
	alpha := "abcdefghijklmnopqrstuvwxyz"
	c := capture.Conn{Addr: [2]string{"127.0.0.1:1", "127.0.0.1:2"}}
	p := capture.Payloads{}
	frame := 1
	add := func(g capture.Segment, text string) {
		g.Frame = frame
		c.Segments = append(c.Segments, g)
		if text != "" {
			p[frame] = []byte(text)
		}
		frame++
	}
	add(capture.Segment{From: capture.Client, Seq: iss, Flags: tcp.SYN}, "")
	add(capture.Segment{From: capture.Server, Seq: 5000, Ack: iss + 1, Flags: tcp.SYN | tcp.ACK}, "")
	for _, s := range segs {
		text := s.text
		if text == "" {
			text = alpha[s.off : s.off+s.n]
		}
		if s.captured >= 0 {
			text = text[:s.captured]
		}
		fl := uint8(tcp.ACK)
		if s.fin {
			fl |= tcp.FIN
		}
		add(capture.Segment{From: capture.Client, Seq: uint32(iss + 1 + s.off), Ack: 5001, Flags: fl, Len: uint32(s.n)}, text)
	}
	return c, p
}

func TestStreams(t *testing.T) {
	all := capture.Verdict{Accepted: true, Rejected: -1}
	for _, tc := range []struct {
		name string
		segs []seg
		data string
		gap  string // substring of the gap's reason, "" for none
		// frames: the frame that carried octet i first, for a few i
		frames map[int64]int
	}{
		{"in order", []seg{{0, 3, -1, "", false}, {3, 4, -1, "", true}}, "abcdefg", "", map[int64]int{0: 3, 3: 4, 6: 4}},
		{"retransmitted and duplicated once", []seg{{0, 3, -1, "", false}, {0, 3, -1, "", false}, {3, 2, -1, "", false}, {1, 4, -1, "", false}}, "abcde", "", map[int64]int{2: 3, 3: 5}},
		{"out of order in place", []seg{{3, 3, -1, "", false}, {0, 3, -1, "", false}}, "abcdef", "", map[int64]int{0: 4, 3: 3}},
		{"a gap", []seg{{0, 2, -1, "", false}, {4, 2, -1, "", false}}, "ab", "no captured segment carries octet 2", nil},
		{"snap length", []seg{{0, 4, 2, "", false}, {4, 2, -1, "", false}}, "ab", "snap length cut it", nil},
		{"a retransmission with other octets", []seg{{0, 4, -1, "", false}, {2, 2, -1, "XY", false}}, "ab", "carries other octets at offset 2", nil},
		{"FIN after a hole", []seg{{0, 2, -1, "", false}, {2, 0, -1, "", false}, {4, 0, -1, "", true}}, "ab", "the FIN follows octet 3", nil},
	} {
		c, p := clientConn(tc.segs)
		s := Streams(c, all, p)[capture.Client]
		if string(s.Data) != tc.data {
			t.Errorf("%s: data %q, want %q", tc.name, s.Data, tc.data)
		}
		switch {
		case tc.gap == "" && s.Gap != nil:
			t.Errorf("%s: unexpected gap: %s", tc.name, s.Gap.Reason)
		case tc.gap != "" && (s.Gap == nil || !strings.Contains(s.Gap.Reason, tc.gap)):
			t.Errorf("%s: gap %+v, want %q", tc.name, s.Gap, tc.gap)
		case s.Gap != nil && s.Gap.Offset != int64(len(tc.data)):
			t.Errorf("%s: gap at %d, want %d", tc.name, s.Gap.Offset, len(tc.data))
		}
		for off, f := range tc.frames {
			if got := s.FrameAt(off); got != f {
				t.Errorf("%s: octet %d carried by frame %d, want %d", tc.name, off, got, f)
			}
		}
	}
}

// TestStreamsStopAtRejection: the segments from the one the TCP
// validation rejected on are not part of the stream.
func TestStreamsStopAtRejection(t *testing.T) {
	c, p := clientConn([]seg{{0, 3, -1, "", false}, {3, 3, -1, "", false}})
	s := Streams(c, capture.Verdict{Rejected: 3}, p)[capture.Client]
	if string(s.Data) != "abc" {
		t.Fatalf("data %q, want the octets before segment 3", s.Data)
	}
}

// TestStreamWithoutSYN: a capture that starts mid-connection has no known
// first octet: the whole stream is a gap, and the TLS verdict says so.
func TestStreamWithoutSYN(t *testing.T) {
	c, p := clientConn([]seg{{0, 3, -1, "", false}})
	c.Segments = c.Segments[1:]
	st := Streams(c, capture.Verdict{Accepted: true}, p)
	if st[capture.Client].Gap == nil || !strings.Contains(st[capture.Client].Gap.Reason, "SYN is not in the capture") {
		t.Fatalf("gap %+v", st[capture.Client].Gap)
	}
	v := ValidateStreams(st, nil)
	if v.TLS || len(v.Undecided) == 0 {
		t.Fatalf("tls=%v undecided=%v", v.TLS, v.Undecided)
	}
}

// TestGapInRealCapture: a server segment of a real TLS 1.3 connection
// lost before the capture point: accepted up to the gap, the gap reported,
// the server's closure undecidable.
func TestGapInRealCapture(t *testing.T) {
	conns, keys := load(t, "tls13")
	c := conns[0].conn
	// Drop the server's second data segment (its first is the whole
	// ServerHello..Finished flight, the next the NewSessionTickets).
	n := 0
	for i, g := range c.Segments {
		if g.From == capture.Server && g.Len > 0 {
			if n++; n == 2 {
				c.Segments = append(c.Segments[:i:i], c.Segments[i+1:]...)
				break
			}
		}
	}
	v := ValidateTLS(c, capture.Verdict{Accepted: true, Rejected: -1}, conns[0].p, keys)
	if !v.Accepted || v.Server.Gap == nil || v.Server.Closure != "undecidable" {
		t.Fatalf("accepted=%v gap=%+v closure=%s\n%s", v.Accepted, v.Server.Gap, v.Server.Closure, v.Text())
	}
	if !strings.Contains(strings.Join(v.Undecided, "\n"), "server stream: a gap at offset") {
		t.Fatalf("undecided: %v", v.Undecided)
	}
}
