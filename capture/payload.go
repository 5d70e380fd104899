package capture

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
)

// Payloads holds the captured text (TCP payload) of segments, by frame
// number. A segment's captured text may be shorter than its Len: the
// capture's snap length cut it (tcpdump -s); the octets not captured are
// unknown, not absent.
type Payloads map[int][]byte

// ReadPayloads is Read keeping each segment's captured text too, for the
// layers above TCP (package capture/tlsvalidate rebuilds each direction's
// byte stream from it). It accepts and refuses exactly what Read does, and
// returns the same packets.
func ReadPayloads(r io.Reader) ([]Packet, Payloads, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, nil, err
	}
	pkts, err := Read(bytes.NewReader(b))
	if err != nil {
		return nil, nil, err
	}
	// Read has checked the file; read it again for the payloads.
	var src packetSource
	if bytes.Equal(b[:4], []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		ng, err := pcapgo.NewNgReader(bytes.NewReader(b), pcapgo.DefaultNgReaderOptions)
		if err != nil {
			return nil, nil, fmt.Errorf("pcapng: %v", err)
		}
		src = ngSource{ng}
	} else {
		pr, err := pcapgo.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, nil, fmt.Errorf("not a pcap or pcapng file: %v", err)
		}
		src = pcapSource{pr}
	}
	out := Payloads{}
	want := map[int]bool{}
	for _, p := range pkts {
		want[p.Frame] = p.Len > 0
	}
	for frame := 1; frame <= maxPackets; frame++ {
		data, ci, lt, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("frame %d: %v", frame, err)
		}
		if !want[frame] {
			continue
		}
		if ci.CaptureLength < len(data) {
			data = data[:ci.CaptureLength]
		}
		out[frame] = payload(data, lt)
	}
	return pkts, out, nil
}

// payload is the captured part of the text of the TCP segment in a frame
// that decode accepted, at most the length the IP header gives (link
// layers may pad short frames).
func payload(data []byte, lt layers.LinkType) []byte {
	pkt := gopacket.NewPacket(data, lt, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	p, ok := decode(data, lt)
	t, isTCP := pkt.TransportLayer().(*layers.TCP)
	if !ok || !isTCP {
		return nil
	}
	text := t.LayerPayload()
	if uint32(len(text)) > p.Len {
		text = text[:p.Len]
	}
	return bytes.Clone(text)
}
