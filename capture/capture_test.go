package capture

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"github.com/handshake/handshake/model/tcp"
)

// captures lists the real captures in testdata (copied from
// ../shared/captures, see its README).
func captures(t testing.TB) []string {
	t.Helper()
	fs, err := filepath.Glob("testdata/*.pcap")
	if err != nil || len(fs) == 0 {
		t.Fatalf("no captures in testdata: %v", err)
	}
	return fs
}

// load reads the one connection of a capture.
func load(t testing.TB, file string) Conn {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	pkts, err := Read(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	conns := Group(pkts)
	if len(conns) != 1 {
		t.Fatalf("%s: %d connections, want 1", file, len(conns))
	}
	return conns[0]
}

// encode writes the segments of c as a capture: pcap or pcapng, IPv4 or
// IPv6, on raw Ethernet frames.
func encode(t testing.TB, c Conn, ipv6, ng bool) []byte {
	t.Helper()
	addr := [2]net.IP{net.ParseIP("192.0.2.1").To4(), net.ParseIP("192.0.2.2").To4()}
	if ipv6 {
		addr = [2]net.IP{net.ParseIP("2001:db8::1"), net.ParseIP("2001:db8::2")}
	}
	var out bytes.Buffer
	var write func(ci gopacket.CaptureInfo, data []byte) error
	flush := func() error { return nil }
	if ng {
		w, err := pcapgo.NewNgWriter(&out, layers.LinkTypeEthernet)
		if err != nil {
			t.Fatal(err)
		}
		write, flush = w.WritePacket, w.Flush
	} else {
		w := pcapgo.NewWriter(&out)
		if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
			t.Fatal(err)
		}
		write = w.WritePacket
	}
	for i, g := range c.Segments {
		eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{0, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{0, 0, 0, 0, 0, 2}}
		th := &layers.TCP{
			SrcPort: layers.TCPPort(40000 + g.From), DstPort: layers.TCPPort(40001 - g.From),
			Seq: g.Seq, Ack: g.Ack, Window: 65535,
			FIN: g.Has(tcp.FIN), SYN: g.Has(tcp.SYN), RST: g.Has(tcp.RST), ACK: g.Has(tcp.ACK),
		}
		var net gopacket.NetworkLayer
		if ipv6 {
			eth.EthernetType = layers.EthernetTypeIPv6
			ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolTCP, SrcIP: addr[g.From], DstIP: addr[1-g.From]}
			net = ip
		} else {
			eth.EthernetType = layers.EthernetTypeIPv4
			ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: addr[g.From], DstIP: addr[1-g.From]}
			net = ip
		}
		if err := th.SetNetworkLayerForChecksum(net); err != nil {
			t.Fatal(err)
		}
		buf := gopacket.NewSerializeBuffer()
		opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
		err := gopacket.SerializeLayers(buf, opts, eth, net.(gopacket.SerializableLayer), th, gopacket.Payload(make([]byte, g.Len)))
		if err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, int64(i)*1000), CaptureLength: len(data), Length: len(data)}
		if err := write(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := flush(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func mustRead(t testing.TB, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
