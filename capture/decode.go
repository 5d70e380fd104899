package capture

import (
	"net/netip"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/handshake/handshake/model/tcp"
)

// decode extracts the TCP segment of one frame of link type lt, if it
// carries an unfragmented IPv4 or IPv6 packet with a TCP header. The
// payload length comes from the IP header, not from the captured bytes, so
// that captures with a short snap length still count every data octet.
func decode(data []byte, lt layers.LinkType) (Packet, bool) {
	pkt := gopacket.NewPacket(data, lt, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	var (
		src, dst netip.Addr
		ipLen    int // octets of TCP header and text, per the IP header
	)
	switch ip := pkt.NetworkLayer().(type) {
	case *layers.IPv4:
		if ip.Protocol != layers.IPProtocolTCP || ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0 {
			return Packet{}, false
		}
		src, _ = netip.AddrFromSlice(ip.SrcIP.To4())
		dst, _ = netip.AddrFromSlice(ip.DstIP.To4())
		ipLen = int(ip.Length) - int(ip.IHL)*4
	case *layers.IPv6:
		if ip.NextHeader != layers.IPProtocolTCP {
			// Extension headers (fragments and others) are not followed.
			return Packet{}, false
		}
		src, _ = netip.AddrFromSlice(ip.SrcIP.To16())
		dst, _ = netip.AddrFromSlice(ip.DstIP.To16())
		ipLen = int(ip.Length)
	default:
		return Packet{}, false
	}
	t, ok := pkt.TransportLayer().(*layers.TCP)
	if !ok || !src.IsValid() || !dst.IsValid() {
		return Packet{}, false
	}
	hdr := int(t.DataOffset) * 4
	n := ipLen - hdr
	if hdr < 20 || n < 0 {
		// A header shorter than its minimum, or longer than the packet:
		// not a well-formed segment.
		return Packet{}, false
	}
	var flags uint8
	if t.FIN {
		flags |= tcp.FIN
	}
	if t.SYN {
		flags |= tcp.SYN
	}
	if t.RST {
		flags |= tcp.RST
	}
	if t.ACK {
		flags |= tcp.ACK
	}
	return Packet{
		Src:   netip.AddrPortFrom(src.Unmap(), uint16(t.SrcPort)).String(),
		Dst:   netip.AddrPortFrom(dst.Unmap(), uint16(t.DstPort)).String(),
		Seq:   t.Seq,
		Ack:   t.Ack,
		Flags: flags,
		Len:   uint32(n),
	}, true
}
