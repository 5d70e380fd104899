package capture

import (
	"math/rand"
	"testing"

	"github.com/handshake/handshake/model/tcp"
)

// TestMidPathCorpusRandomMutationsRejected_3_10: the capture point on the
// path lets segments be seen late, twice or never, but not segments no
// execution sends. On every connection of the mid-path corpus, at segments
// chosen at random (fixed seed; each edit tried on at least 50), each of these edits makes the connection
// impossible and must be rejected, whatever capture point the validator
// assumes:
//   - an ACK 2^20 or 100,000 octets beyond anything the peer sent
//     (§3.10.7.4 fifth: an ACK of something not yet sent);
//   - data moved 2^20 octets ahead (beyond any window: §3.10.7.4 first);
//   - SYN set on a data segment of a synchronized connection;
//   - ACK cleared on a segment after the handshake (§3.10.7.4 fifth: a
//     synchronized endpoint always sends ACK);
//   - FIN set on a server's data segment that later new data follows
//     (§3.10.2: no SEND after CLOSE), or the segment replaced by a RST
//     (§3.10.5: nothing is sent after ABORT).
func TestMidPathCorpusRandomMutationsRejected_3_10(t *testing.T) {
	conns := loadAll(t, "testdata/linux/midpath_http.pcap")
	r := rand.New(rand.NewSource(1))
	type mutation struct {
		name string
		edit func(g *Segment) bool
	}
	random := []mutation{
		{"ACK +2^20", func(g *Segment) bool { g.Ack += 1 << 20; return g.Has(tcp.ACK) && !g.Has(tcp.RST) }},
		{"ACK +100000", func(g *Segment) bool { g.Ack += 100000; return g.Has(tcp.ACK) && !g.Has(tcp.RST) }},
		{"data +2^20", func(g *Segment) bool { g.Seq += 1 << 20; return g.Len > 0 }},
		{"SYN on data", func(g *Segment) bool { ok := g.Len > 0 && !g.Has(tcp.SYN); g.Flags |= tcp.SYN; return ok }},
		{"ACK cleared", func(g *Segment) bool { ok := g.Has(tcp.ACK) && !g.Has(tcp.SYN); g.Flags &^= tcp.ACK; return ok }},
	}
	tried := map[string]int{}
	reject := func(name string, c Conn, segs []Segment) {
		tried[name]++
		if v := Validate(Conn{Addr: c.Addr, Segments: segs}); v.Accepted {
			t.Errorf("%s: connection %v accepted (capture point %s)", name, c.Addr, v.CapturePoint)
		}
	}
	for _, c := range conns {
		for trial := 0; trial < 1; trial++ {
			i := r.Intn(len(c.Segments))
			for _, m := range random {
				segs := append([]Segment(nil), c.Segments...)
				if m.edit(&segs[i]) {
					reject(m.name, c, segs)
				}
			}
		}
		// The server's first data segment that later new data follows.
		for i, g := range c.Segments {
			if g.Len == 0 || g.From != Server || g.Has(tcp.FIN) {
				continue
			}
			later := false
			for _, h := range c.Segments[i+1:] {
				if h.From == Server && h.Len > 0 && tcp.SeqLT(g.Seq+g.Len, h.Seq) {
					later = true
				}
			}
			if !later {
				break
			}
			segs := append([]Segment(nil), c.Segments...)
			segs[i].Flags |= tcp.FIN
			reject("FIN before later data", c, segs)
			segs = append([]Segment(nil), c.Segments...)
			segs[i].Flags, segs[i].Len = tcp.RST|tcp.ACK, 0
			reject("RST before later data", c, segs)
			break
		}
	}
	for _, m := range append(random, mutation{name: "FIN before later data"}, mutation{name: "RST before later data"}) {
		if tried[m.name] < 50 {
			t.Errorf("%s: tried on %d segments only, want at least 50", m.name, tried[m.name])
		}
	}
}
