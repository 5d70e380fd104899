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
	Tag   uint8  // DataTag of the text octet, if Len > 0
	// Inc is a ghost field: the sender's connection number
	// (Endpoint.Opens), for the properties; the protocol never reads it.
	Inc uint8
}

// Has reports whether control bit f is set.
func (g Segment) Has(f uint8) bool { return g.Flags&f != 0 }

// Header is what SEGMENT ARRIVES reads of g.
func (g Segment) Header() Header {
	return Header{Seq: g.Seq, Ack: g.Ack, Flags: g.Flags, Len: uint32(g.Len)}
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

// DataTag is the tag of the data octet at stream offset off of connection
// number inc: the connection in the high nibble, the offset in the low one,
// so that stream integrity can tell octets of an earlier connection.
func DataTag(inc, off uint8) uint8 { return (inc-1)<<4 | off&0xf }

// TagString renders a tag: "#1" for offset 1 of the first connection,
// "#1/c2" for offset 1 of the second.
func TagString(tag uint8) string {
	s := "#" + strconv.Itoa(int(tag&0xf))
	if tag>>4 != 0 {
		s += "/c" + strconv.Itoa(int(tag>>4)+1)
	}
	return s
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
		b.WriteString("<DATA=" + TagString(g.Tag) + ">")
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
