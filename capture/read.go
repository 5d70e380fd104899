// Package capture reads real packet captures (pcap and pcapng) and decides,
// for each TCP connection in them, whether the segments seen on the wire are
// a behaviour of the RFC 9293 endpoints of package model/tcp (see
// Validate).
package capture

import (
	"bufio"
	"bytes"
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

// maxPackets bounds how many frames Read accepts, so that a hostile file
// cannot exhaust memory.
const maxPackets = 1 << 20

// Read reads every TCP segment over IPv4 or IPv6 from a pcap or pcapng
// stream (the format is recognised by its magic number). Frames that are
// not TCP, and fragments, are skipped. A truncated last record ends the
// capture without error, as tcpdump does; any other malformed input is an
// error.
func Read(r io.Reader) ([]Packet, error) {
	br := bufio.NewReader(r)
	magic, err := br.Peek(4)
	if err != nil {
		return nil, fmt.Errorf("not a capture file: too short")
	}
	var src packetSource
	switch {
	case bytes.Equal(magic, []byte{0x0a, 0x0d, 0x0d, 0x0a}):
		ng, err := pcapgo.NewNgReader(br, pcapgo.DefaultNgReaderOptions)
		if err != nil {
			return nil, fmt.Errorf("pcapng: %v", err)
		}
		src = ngSource{ng}
	default:
		pr, err := pcapgo.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("not a pcap or pcapng file: %v", err)
		}
		src = pcapSource{pr}
	}
	var out []Packet
	for frame := 1; ; frame++ {
		if frame > maxPackets {
			return nil, fmt.Errorf("more than %d frames", maxPackets)
		}
		data, ci, lt, err := src.next()
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("frame %d: %v", frame, err)
		}
		if ci.CaptureLength < len(data) {
			data = data[:ci.CaptureLength]
		}
		if p, ok := decode(data, lt); ok {
			p.Frame = frame
			out = append(out, p)
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
