package capture

import (
	"bytes"
	"io"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
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
func ReadPayloads(r io.Reader) ([]Packet, Payloads, error) { return read(r, true) }

// payload is the captured part of the text of the TCP segment in a frame
// that decode accepted, at most n octets, the length the IP header gives
// (link layers may pad short frames).
func payload(data []byte, lt layers.LinkType, n uint32) []byte {
	pkt := gopacket.NewPacket(data, lt, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	t, isTCP := pkt.TransportLayer().(*layers.TCP)
	if !isTCP {
		return nil
	}
	text := t.LayerPayload()
	if uint32(len(text)) > n {
		text = text[:n]
	}
	return bytes.Clone(text)
}
