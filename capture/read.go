// Package capture reads real packet captures (pcap and pcapng) and decides,
// for each TCP connection in them, whether the segments seen on the wire are
// a behaviour of the RFC 9293 endpoints of package model/tcp (see
// Validate).
//
// The endpoints here run the model's SEGMENT ARRIVES (RFC 9293
// §3.10.7.1-4, tcp.Config.SegmentArrives) on tcp.TCB, with real data
// lengths and 32-bit sequence numbers, a receive window as wide as
// sequence comparison allows, and one departure: an ACK on a segment
// beyond RCV.NXT in SYN_RECEIVED is processed at once, as Linux does (the
// model processes it only in SEG.SEQ order). Like the model, text and FIN
// beyond RCV.NXT are dropped (MAY-13); the search lets any observed
// segment arrive again later, so a receiver that holds them (SHLD-31)
// reaches no state this one cannot. What an endpoint may send (emit.go) is
// the validator's own inference of the user calls a segment reveals.
// TestArriveAdapterAgreesWithModel_3_10_7 feeds the model's deliveries on
// random walks of the sound tcp variants to these endpoints, with shifted
// ISNs, and checks the resulting TCB, the resets owed and that every other
// reply of the model is one emit allows.
// TestValidateAcceptsModelWalks checks whole connections: Validate accepts
// the segments of the model's walks, and rejects one with a changed ACK.
//
// Nothing read is dropped silently: Read refuses a capture that ends inside
// a record (a *TruncatedError: "truncated at record 15, byte 1234"), since
// the connections in it would be judged without their last segments;
// frames that are not TCP over IPv4 or IPv6 are skipped, as outside the
// model.
package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
)

// Packet is one TCP segment read from a capture.
type Packet struct {
	// Frame is the 1-based number of the frame in the capture file, as
	// tcpdump and Wireshark count.
	Frame int
	// Src and Dst are the endpoints, "192.0.2.1:80" or "[::1]:80".
	Src, Dst string
	Seq, Ack uint32
	// Flags holds the control bits FIN, SYN, RST, ACK (package tcp's
	// bits); URG and PSH are dropped (outside the model).
	Flags uint8
	// Len is the length of the segment text (TCP payload).
	Len uint32
}

// maxBytes bounds the size of a capture (it is read into memory).
const maxBytes = 256 << 20

// MaxBytes is the largest capture Read accepts (it is read into memory):
// a caller that reads the file itself reads at most one octet more.
const MaxBytes = maxBytes

// isPcapMagic recognises the magic numbers of pcap files, microsecond and
// nanosecond, in either byte order.
func isPcapMagic(m []byte) bool {
	for _, v := range []uint32{0xa1b2c3d4, 0xa1b23c4d} {
		if binary.BigEndian.Uint32(m) == v || binary.LittleEndian.Uint32(m) == v {
			return true
		}
	}
	return false
}

// maxPackets bounds how many frames Read accepts, so that a hostile file
// cannot exhaust memory.
const maxPackets = 1 << 20

// Read reads every TCP segment over IPv4 or IPv6 from a pcap or pcapng
// stream (the format is recognised by its magic number). Frames that are
// not TCP, and fragments, are skipped (they are outside the model, not
// lost). A capture that ends inside a record (cut by "head -c", a full
// disk or an interrupted copy; or a record whose length is corrupt) is a
// *TruncatedError naming the record and its byte offset: tcpdump reads such
// a file up to the cut without a word, but a connection whose last
// segments are missing would be judged on a part of it, so Read keeps
// nothing. (A cut exactly between two records cannot be told from a
// shorter capture.) Any other malformed input is an error too.
func Read(r io.Reader) ([]Packet, error) {
	pkts, _, err := read(r, false)
	return pkts, err
}

// read is Read, keeping each segment's captured text too if keep is set
// (ReadPayloads): one pass over the file either way.
func read(r io.Reader, keep bool) ([]Packet, Payloads, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(b) > maxBytes {
		return nil, nil, fmt.Errorf("capture larger than %d MiB", maxBytes>>20)
	}
	if len(b) < 4 {
		return nil, nil, fmt.Errorf("not a capture file: too short")
	}
	var src packetSource
	switch magic := b[:4]; {
	case bytes.Equal(magic, []byte{0x0a, 0x0d, 0x0d, 0x0a}):
		blocks, err := pcapngCheck(b)
		if err != nil {
			return nil, nil, err
		}
		ng, err := pcapgo.NewNgReader(bytes.NewReader(b), pcapgo.DefaultNgReaderOptions)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			// The file ends before its first interface description.
			return nil, nil, &TruncatedError{Format: "pcapng", Record: blocks + 1, Offset: len(b), Need: 12}
		}
		if err != nil {
			return nil, nil, fmt.Errorf("pcapng: %v", err)
		}
		src = ngSource{ng}
	case isPcapMagic(magic):
		if err := pcapCheck(b); err != nil {
			return nil, nil, err
		}
		pr, err := pcapgo.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, nil, fmt.Errorf("not a pcap or pcapng file: %v", err)
		}
		src = pcapSource{pr}
	default:
		return nil, nil, fmt.Errorf("not a pcap or pcapng file (magic number %x)", magic)
	}
	var out []Packet
	var texts Payloads
	if keep {
		texts = Payloads{}
	}
	for frame := 1; ; frame++ {
		if frame > maxPackets {
			return nil, nil, fmt.Errorf("more than %d frames", maxPackets)
		}
		data, ci, lt, err := src.next()
		if errors.Is(err, io.EOF) {
			return out, texts, nil
		}
		if errors.Is(err, io.ErrUnexpectedEOF) { // the checks above make this unreachable
			return nil, nil, fmt.Errorf("frame %d: the record is cut short", frame)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("frame %d: %v", frame, err)
		}
		if ci.CaptureLength < len(data) {
			data = data[:ci.CaptureLength]
		}
		if p, ok := decode(data, lt); ok {
			p.Frame = frame
			out = append(out, p)
			if keep && p.Len > 0 {
				texts[frame] = payload(data, lt, p.Len)
			}
		}
	}
}

// packetSource is a pcap or pcapng reader.
type packetSource interface {
	next() ([]byte, gopacket.CaptureInfo, layers.LinkType, error)
}

type pcapSource struct{ r *pcapgo.Reader }

func (s pcapSource) next() ([]byte, gopacket.CaptureInfo, layers.LinkType, error) {
	data, ci, err := s.r.ReadPacketData()
	return data, ci, s.r.LinkType(), err
}

type ngSource struct{ r *pcapgo.NgReader }

func (s ngSource) next() ([]byte, gopacket.CaptureInfo, layers.LinkType, error) {
	data, ci, err := s.r.ReadPacketData()
	lt := layers.LinkTypeEthernet
	if err == nil && ci.InterfaceIndex >= 0 && ci.InterfaceIndex < s.r.NInterfaces() {
		if intf, e := s.r.Interface(ci.InterfaceIndex); e == nil {
			lt = intf.LinkType
		}
	}
	return data, ci, lt, err
}
