package tcp

import (
	"strconv"
	"strings"
)

// Control bits of a segment (RFC 9293 §3.1). URG and PSH are not modelled.
const (
	FIN uint8 = 1 << iota
	SYN
	RST
	ACK
)

// Segment is a TCP segment as the model sees it: the control bits, the
// sequence and acknowledgment numbers and the length of its text. Each
// data octet carries a tag, the sender's stream offset of that octet
// (0 for the first byte its application wrote), so that stream integrity
// can be checked independently of the sequence numbers. Segments of this
// model carry at most one data octet.
type Segment struct {
	Seq   uint32 // SEG.SEQ
	Ack   uint32 // SEG.ACK (meaningful when ACK is set)
	Flags uint8  // FIN | SYN | RST | ACK
	Len   uint8  // octets of text (0 or 1)
	Tag   uint8  // stream offset of the text octet, if Len > 0
	Pad   uint8  // always 0 (no padding bytes in states)
}

// Has reports whether control bit f is set.
func (g Segment) Has(f uint8) bool { return g.Flags&f != 0 }

// SegLen is SEG.LEN: the text plus one for SYN and one for FIN (§3.4).
func (g Segment) SegLen() uint32 {
	n := uint32(g.Len)
	if g.Has(SYN) {
		n++
	}
	if g.Has(FIN) {
		n++
	}
	return n
}

// CtlString names the control bits as the RFC writes them ("SYN,ACK").
func (g Segment) CtlString() string {
	var parts []string
	for _, f := range []struct {
		bit  uint8
		name string
	}{{SYN, "SYN"}, {FIN, "FIN"}, {RST, "RST"}, {ACK, "ACK"}} {
		if g.Has(f.bit) {
			parts = append(parts, f.name)
		}
	}
	return strings.Join(parts, ",")
}

// RFC renders the segment in the RFC's notation, e.g.
// <SEQ=300><ACK=101><CTL=SYN,ACK>, with <DATA=#k> for a text octet with tag k.
func (g Segment) RFC() string {
	var b strings.Builder
	b.WriteString("<SEQ=" + strconv.FormatUint(uint64(g.Seq), 10) + ">")
	if g.Has(ACK) {
		b.WriteString("<ACK=" + strconv.FormatUint(uint64(g.Ack), 10) + ">")
	}
	if g.Flags != 0 {
		b.WriteString("<CTL=" + g.CtlString() + ">")
	}
	if g.Len > 0 {
		b.WriteString("<DATA=#" + strconv.Itoa(int(g.Tag)) + ">")
	}
	return b.String()
}

// String renders the segment as in sequence diagrams, e.g.
// "SYN,ACK seq=300 ack=101" or "ACK seq=101 ack=301 len=1".
func (g Segment) String() string {
	var b strings.Builder
	ctl := g.CtlString()
	if ctl == "" {
		ctl = "-"
	}
	b.WriteString(ctl)
	b.WriteString(" seq=" + strconv.FormatUint(uint64(g.Seq), 10))
	if g.Has(ACK) {
		b.WriteString(" ack=" + strconv.FormatUint(uint64(g.Ack), 10))
	}
	if g.Len > 0 {
		b.WriteString(" len=" + strconv.Itoa(int(g.Len)))
	}
	return b.String()
}
