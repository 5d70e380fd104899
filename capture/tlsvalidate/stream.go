package tlsvalidate

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/handshake/handshake/capture"
	"github.com/handshake/handshake/model/tcp"
)

// maxStream bounds the octets of one direction kept in memory.
const maxStream = 64 << 20

// Piece is the part of a stream one segment carried first: stream octets
// [Offset, Offset+Len) came in frame Frame.
type Piece struct {
	Offset int64
	Len    int
	Frame  int
}

// Gap is the first hole in a stream: octets from Offset on that no
// captured segment carries. What follows it is undecidable.
type Gap struct {
	Offset int64  `json:"offset"`
	Frame  int    `json:"frame,omitempty"` // the first segment seen beyond the hole, if any
	Reason string `json:"reason"`
}

// Stream is one direction of a connection, rebuilt from its segments
// (RFC 9293 §3.4: octet i of the stream has sequence number ISN+1+i).
type Stream struct {
	// Data is the stream's octets from the first, up to the first gap.
	Data []byte
	// Pieces says which frame carried each octet of Data first, in order.
	Pieces []Piece
	// Gap is the first hole, nil if Data is all the sender sent.
	Gap *Gap
	// FIN is the stream offset of the sender's FIN (-1 if none was seen),
	// FINFrame its frame; RSTFrame is the frame of the sender's first
	// reset (0 if none).
	FIN      int64
	FINFrame int
	RSTFrame int
}

// FrameAt is the frame that carried stream octet off first (0 if none).
func (s *Stream) FrameAt(off int64) int {
	i := sort.Search(len(s.Pieces), func(i int) bool { return s.Pieces[i].Offset+int64(s.Pieces[i].Len) > off })
	if i < len(s.Pieces) && s.Pieces[i].Offset <= off {
		return s.Pieces[i].Frame
	}
	return 0
}

// Streams rebuilds both directions of c (index capture.Client, Server)
// from the segments the TCP verdict v explained: all of them if it
// accepted the connection, else those before the rejected one. A
// retransmission or duplicate counts once (its octets must be the ones
// first seen: otherwise the stream is ambiguous from there, reported as a
// gap); out-of-order data is put in place; a hole is a Gap. A capture
// that does not start with the sender's SYN has no known first octet: the
// whole stream is a gap.
func Streams(c capture.Conn, v capture.Verdict, p capture.Payloads) [2]Stream {
	segs := c.Segments
	if !v.Accepted && v.Rejected >= 0 && v.Rejected < len(segs) {
		segs = segs[:v.Rejected]
	}
	var out [2]Stream
	for side := 0; side < 2; side++ {
		out[side] = buildStream(segs, side, p)
	}
	return out
}

type carried struct {
	off   int64
	n     int    // octets the segment carried (Len)
	text  []byte // octets captured (a prefix of them)
	frame int
}

func buildStream(segs []capture.Segment, side int, p capture.Payloads) Stream {
	s := Stream{FIN: -1}
	var isn uint32
	syn := false
	for _, g := range segs {
		if g.From == side && g.Has(tcp.SYN) {
			isn, syn = g.Seq, true
			break
		}
	}
	var pieces []carried
	for _, g := range segs {
		if g.From != side {
			continue
		}
		if g.Has(tcp.RST) {
			// The text of a reset is diagnostic, not stream data
			// (RFC 9293 §3.5.3).
			if s.RSTFrame == 0 {
				s.RSTFrame = g.Frame
			}
			continue
		}
		if !syn {
			continue
		}
		seq := g.Seq
		if g.Has(tcp.SYN) {
			seq++ // data in a SYN follows the SYN's sequence number
		}
		off := int64(seq - isn - 1)
		if g.Len > 0 {
			pieces = append(pieces, carried{off, int(g.Len), p[g.Frame], g.Frame})
		}
		if g.Has(tcp.FIN) && s.FIN < 0 {
			s.FIN, s.FINFrame = off+int64(g.Len), g.Frame
		}
	}
	if !syn {
		for _, g := range segs {
			if g.From == side && g.Len > 0 && !g.Has(tcp.RST) {
				s.Gap = &Gap{Offset: 0, Frame: g.Frame, Reason: "the sender's SYN is not in the capture: the stream's first octet is unknown"}
				break
			}
		}
		return s
	}
	sort.SliceStable(pieces, func(i, j int) bool { return pieces[i].off < pieces[j].off })
	var cut *carried // a segment whose octets at the end of Data were not captured
	for i := range pieces {
		pc := &pieces[i]
		end := int64(len(s.Data))
		if pc.off > end {
			break
		}
		if pc.off+int64(pc.n) > maxStream {
			s.Gap = &Gap{Offset: end, Frame: pc.frame, Reason: fmt.Sprintf("stream longer than %d MiB", maxStream>>20)}
			return s
		}
		known := pc.off + int64(len(pc.text)) // captured octets end here
		// The octets this copy shares with Data must be the same.
		if lo, hi := pc.off, min(end, known); lo < hi {
			if !bytes.Equal(s.Data[lo:hi], pc.text[:hi-lo]) {
				at := lo
				for s.Data[at] == pc.text[at-lo] {
					at++
				}
				s.Data = s.Data[:at]
				s.Pieces = firstCarriers(pieces[:i], at)
				s.Gap = &Gap{Offset: at, Frame: pc.frame, Reason: fmt.Sprintf("frame %d carries other octets at offset %d than frame %d: the stream is ambiguous from there", pc.frame, at, s.FrameAt(at-1))}
				return s
			}
		}
		if known > end {
			s.Data = append(s.Data, pc.text[end-pc.off:]...)
		}
		if int64(len(s.Data)) < pc.off+int64(pc.n) {
			cut = pc
		}
	}
	end := int64(len(s.Data))
	s.Pieces = firstCarriers(pieces, end)
	for i := range pieces {
		if pieces[i].off+int64(pieces[i].n) > end {
			reason := fmt.Sprintf("no captured segment carries octet %d (lost before the capture point)", end)
			if cut != nil && cut.off <= end && cut.off+int64(cut.n) > end {
				reason = fmt.Sprintf("frame %d carries octet %d but the capture's snap length cut it", cut.frame, end)
			}
			frame := 0
			for _, q := range pieces {
				if q.off > end {
					frame = q.frame
					break
				}
			}
			s.Gap = &Gap{Offset: end, Frame: frame, Reason: reason}
			return s
		}
	}
	if s.FIN > end {
		s.Gap = &Gap{Offset: end, Frame: s.FINFrame, Reason: fmt.Sprintf("the FIN follows octet %d, but no captured segment carries octet %d", s.FIN-1, end)}
	}
	return s
}

// firstCarriers says which frame carried each octet of [0, end) first,
// in capture order (frame numbers), from the segments' captured octets.
func firstCarriers(pieces []carried, end int64) []Piece {
	byFrame := append([]carried{}, pieces...)
	sort.Slice(byFrame, func(i, j int) bool { return byFrame[i].frame < byFrame[j].frame })
	type span struct{ lo, hi int64 }
	var covered []span // sorted, disjoint
	var out []Piece
	for _, pc := range byFrame {
		lo, hi := pc.off, min(pc.off+int64(len(pc.text)), end)
		if lo >= hi {
			continue
		}
		// The parts of [lo, hi) no earlier frame covers.
		at := lo
		for _, c := range covered {
			if c.hi <= at {
				continue
			}
			if c.lo >= hi {
				break
			}
			if c.lo > at {
				out = append(out, Piece{Offset: at, Len: int(c.lo - at), Frame: pc.frame})
			}
			at = max(at, c.hi)
		}
		if at < hi {
			out = append(out, Piece{Offset: at, Len: int(hi - at), Frame: pc.frame})
		}
		// Insert [lo, hi) and merge.
		covered = append(covered, span{lo, hi})
		sort.Slice(covered, func(i, j int) bool { return covered[i].lo < covered[j].lo })
		merged := covered[:1]
		for _, c := range covered[1:] {
			if last := &merged[len(merged)-1]; c.lo <= last.hi {
				last.hi = max(last.hi, c.hi)
			} else {
				merged = append(merged, c)
			}
		}
		covered = merged
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Offset < out[j].Offset })
	return out
}
