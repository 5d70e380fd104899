// Command pcapstat counts, in a pcap of TCP over IPv4 on Ethernet, what
// the captures of capture/testdata/linux are meant to show, so that
// capture/testdata/README.md can state measured numbers:
//
//	pcapstat FILE.pcap
//
// For each direction of each connection (keyed by the 4-tuple, a new SYN
// after a FIN or RST starting a new connection on the same 4-tuple) it
// counts segments, data segments, SYN/FIN/RST, and classifies each
// segment against what was seen before it in the same direction:
//
//	dup        same sequence number, acknowledgment, flags, length, IP ID
//	           and TCP timestamp as an earlier segment: a copy of it made
//	           in the network (TEE), not a retransmission;
//	retrans    occupies sequence space (data, SYN or FIN) that an earlier
//	           segment already occupied, and is not a copy;
//	gap        starts beyond the highest sequence number seen so far: a
//	           segment sent before it is missing at this point (lost
//	           before the capture point or overtaken);
//	late       fills a hole below the highest sequence number seen so far
//	           that no earlier segment covered: it was overtaken
//	           (reordered) or is the retransmission of a segment lost
//	           before the capture point;
//	probe      no SYN, zero or one octet of data, SEG.SEQ = highest
//	           SEG.SEQ+SEG.LEN seen minus one, and that octet is not a
//	           FIN: a keep-alive (RFC 9293 §3.8.4) or zero-window probe
//	           (§3.8.6.1) as Linux sends them;
//	reord      its TCP timestamp (TSval) is lower than one seen before in
//	           the same direction: it was sent before a segment that was
//	           captured ahead of it (reordered), data or pure ACK alike
//	           (retransmissions carry a new TSval);
//	zerowin    advertises a zero window.
//
// Options seen in SYNs (MSS, window scale, SACK-permitted, timestamps)
// and segments carrying SACK blocks are counted too.
package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
)

type key struct {
	src, dst         [4]byte
	srcPort, dstPort uint16
}

func (k key) String() string {
	return fmt.Sprintf("%d.%d.%d.%d:%d>%d.%d.%d.%d:%d", k.src[0], k.src[1], k.src[2], k.src[3], k.srcPort,
		k.dst[0], k.dst[1], k.dst[2], k.dst[3], k.dstPort)
}

// sig identifies a copy of a segment.
type sig struct {
	seq, ack, tsval uint32
	flags           uint8
	n               int
	ipid            uint16
}

type dir struct {
	segs, data, syn, fin, rst, dup, retrans, gap, late, probe, reord, zerowin, sack int
	started, sawFin, sawTS                                                          bool
	isn, high, finSeq, maxTS                                                        uint32 // high: highest SEG.SEQ+SEG.LEN
	covered                                                                         []span // relative sequence space seen
	seen                                                                            map[sig]bool
}

type span struct{ lo, hi uint32 } // relative to isn, [lo, hi)

// add records [lo,hi) and reports whether any of it was covered before.
func (d *dir) add(lo, hi uint32) (overlap bool, below bool) {
	for _, s := range d.covered {
		if lo < s.hi && s.lo < hi {
			overlap = true
		}
	}
	below = lo < d.high-d.isn
	d.covered = append(d.covered, span{lo, hi})
	sort.Slice(d.covered, func(i, j int) bool { return d.covered[i].lo < d.covered[j].lo })
	merged := d.covered[:1]
	for _, s := range d.covered[1:] {
		last := &merged[len(merged)-1]
		if s.lo <= last.hi {
			last.hi = max(last.hi, s.hi)
		} else {
			merged = append(merged, s)
		}
	}
	d.covered = merged
	return overlap, below
}

type conn struct {
	id     int
	client key // the SYN sender's direction
	d      map[key]*dir
	closed bool
	opts   map[string]int
}

// verbose (PCAPSTAT_VERBOSE=1) prints the class of each classified frame.
var verbose = os.Getenv("PCAPSTAT_VERBOSE") == "1"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: pcapstat FILE.pcap")
		os.Exit(2)
	}
	if err := run(os.Stdout, os.Args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "pcapstat: %v\n", err)
		os.Exit(2)
	}
}

func run(w io.Writer, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		return err
	}
	if r.LinkType() != layers.LinkTypeEthernet {
		return fmt.Errorf("link type %v, want Ethernet", r.LinkType())
	}
	var (
		conns  []*conn
		byKey  = map[key]*conn{}
		frames int
		total  dir
		opts   = map[string]int{}
	)
	for {
		data, _, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("frame %d: %w", frames+1, err)
		}
		frames++
		p := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
		ip, _ := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		tcp, _ := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if ip == nil || tcp == nil {
			return fmt.Errorf("frame %d: not TCP over IPv4", frames)
		}
		var k key
		copy(k.src[:], ip.SrcIP.To4())
		copy(k.dst[:], ip.DstIP.To4())
		k.srcPort, k.dstPort = uint16(tcp.SrcPort), uint16(tcp.DstPort)
		rk := key{k.dst, k.src, k.dstPort, k.srcPort}
		n := int(ip.Length) - int(ip.IHL)*4 - int(tcp.DataOffset)*4
		var tsval uint32
		sacks := false
		for _, o := range tcp.Options {
			switch o.OptionType {
			case layers.TCPOptionKindTimestamps:
				if len(o.OptionData) >= 4 {
					tsval = binary.BigEndian.Uint32(o.OptionData)
				}
			case layers.TCPOptionKindSACK:
				sacks = true
			}
			if tcp.SYN {
				opts[o.OptionType.String()]++
			}
		}
		c := byKey[k]
		if c == nil {
			c = byKey[rk]
		}
		if c == nil || (tcp.SYN && !tcp.ACK && c.closed && c.d[k] != nil && c.d[k].started && tcp.Seq != c.d[k].isn) {
			c = &conn{id: len(conns) + 1, client: k, d: map[key]*dir{}}
			conns = append(conns, c)
			byKey[k], byKey[rk] = c, c
		}
		d := c.d[k]
		if d == nil {
			d = &dir{seen: map[sig]bool{}}
			c.d[k] = d
		}
		flags := uint8(0)
		for i, b := range []bool{tcp.FIN, tcp.SYN, tcp.RST, tcp.PSH, tcp.ACK} {
			if b {
				flags |= 1 << i
			}
		}
		s := sig{tcp.Seq, tcp.Ack, tsval, flags, n, ip.Id}
		count := func(f func(*dir)) { f(d); f(&total) }
		say := func(class string) {
			if verbose {
				fmt.Fprintf(w, "frame %d %v: %s\n", frames, k, class)
			}
		}
		count(func(d *dir) { d.segs++ })
		if n > 0 {
			count(func(d *dir) { d.data++ })
		}
		if tcp.SYN {
			count(func(d *dir) { d.syn++ })
		}
		if tcp.FIN {
			count(func(d *dir) { d.fin++ })
			c.closed = true
		}
		if tcp.RST {
			count(func(d *dir) { d.rst++ })
			c.closed = true
		}
		if sacks {
			count(func(d *dir) { d.sack++ })
		}
		if tcp.Window == 0 && !tcp.RST {
			count(func(d *dir) { d.zerowin++ })
		}
		if d.seen[s] {
			count(func(d *dir) { d.dup++ })
			say("dup")
			continue
		}
		d.seen[s] = true
		if tsval != 0 {
			if d.sawTS && tsval-d.maxTS >= 1<<31 {
				count(func(d *dir) { d.reord++ })
				say("reord")
			} else {
				d.maxTS, d.sawTS = tsval, true
			}
		}
		if tcp.SYN && !d.started {
			d.started, d.isn, d.high = true, tcp.Seq, tcp.Seq
		}
		if !d.started {
			// joined mid-connection: start from this segment
			d.started, d.isn, d.high = true, tcp.Seq, tcp.Seq
		}
		space := uint32(n)
		if tcp.SYN {
			space++
		}
		if tcp.FIN {
			space++
		}
		lo := tcp.Seq - d.isn
		if tcp.FIN && !d.sawFin {
			d.sawFin, d.finSeq = true, tcp.Seq+uint32(n)
		}
		if !tcp.SYN && n <= 1 && !tcp.FIN && !tcp.RST && tcp.Seq+1 == d.high && d.high != d.isn && !(d.sawFin && tcp.Seq == d.finSeq) {
			count(func(d *dir) { d.probe++ })
			say("probe")
			continue
		}
		if space == 0 {
			continue
		}
		switch overlap, below := d.add(lo, lo+space); {
		case overlap:
			count(func(d *dir) { d.retrans++ })
			say("retrans")
		case tcp.Seq-d.high < 1<<31 && tcp.Seq != d.high:
			count(func(d *dir) { d.gap++ })
			say("gap")
		case below:
			count(func(d *dir) { d.late++ })
			say("late")
		}
		if end := tcp.Seq + space; end-d.high < 1<<31 {
			d.high = end
		}
	}
	fmt.Fprintf(w, "%s: %d frames, %d connections\n", file, frames, len(conns))
	line := func(name string, d *dir) {
		fmt.Fprintf(w, "  %-44s segs %5d data %5d syn %3d fin %3d rst %3d dup %3d retrans %4d gap %4d late %4d probe %3d reord %4d zerowin %3d sack %4d\n",
			name, d.segs, d.data, d.syn, d.fin, d.rst, d.dup, d.retrans, d.gap, d.late, d.probe, d.reord, d.zerowin, d.sack)
	}
	if len(conns) <= 10 {
		for _, c := range conns {
			for i, k := range []key{c.client, {c.client.dst, c.client.src, c.client.dstPort, c.client.srcPort}} {
				if d := c.d[k]; d != nil && (i == 0 || k != c.client) {
					line(fmt.Sprintf("#%d %v", c.id, k), d)
				}
			}
		}
	}
	line("all", &total)
	var names []string
	for o := range opts {
		names = append(names, o)
	}
	sort.Strings(names)
	fmt.Fprintf(w, "  options in SYNs:")
	for _, o := range names {
		fmt.Fprintf(w, " %s %d", o, opts[o])
	}
	fmt.Fprintln(w)
	return nil
}
