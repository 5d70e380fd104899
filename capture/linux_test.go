package capture

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/handshake/handshake/model/tcp"
)

// The captures of testdata/linux are real Linux 6.18 connections (see
// testdata/README.md, made by capture/gen): a socket connected to itself,
// keep-alive probes, zero-window probes, a 4-tuple reused from TIME-WAIT,
// 6 MiB transfers on loopback and across a veth pair, and 200 connections
// captured in the middle of a path that loses, duplicates, delays and
// reorders segments on both sides of the capture point.

// loadAll reads every connection of a capture.
func loadAll(t testing.TB, file string) []Conn {
	t.Helper()
	pkts, err := Read(bytes.NewReader(mustRead(t, file)))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return Group(pkts)
}

// TestLinuxCapturesAccepted: every connection of the Linux captures is a
// behaviour of two RFC 9293 endpoints, with the capture point that the
// capture was taken at (or an earlier one: a capture at an endpoint is
// also a capture on the path), and none is undecided.
func TestLinuxCapturesAccepted(t *testing.T) {
	cases := []struct {
		file  string
		conns int
		point CapturePoint // the capture point that explains every connection
	}{
		{"selfconnect.pcap", 1, AtEndpoint},
		{"keepalive.pcap", 1, AtEndpoint},
		{"zerowindow.pcap", 1, AtEndpoint},
		{"timewait_reuse.pcap", 2, AtEndpoint},
		{"bulk_veth.pcap", 1, AtEndpoint},
		// Loopback delivers through per-CPU backlogs: 112 ACKs are seen
		// after later ones.
		{"bulk_lo.pcap", 1, OnPath},
		{"midpath_http.pcap", 200, OnPath},
	}
	for _, tc := range cases {
		if testing.Short() && strings.HasPrefix(tc.file, "bulk") {
			continue
		}
		conns := loadAll(t, "testdata/linux/"+tc.file)
		if len(conns) != tc.conns {
			t.Errorf("%s: %d connections, want %d", tc.file, len(conns), tc.conns)
		}
		var atEndpoint int
		for _, c := range conns {
			v := ValidateWith(c, Options{CapturePoint: tc.point})
			if !v.Accepted {
				t.Errorf("%s: %s: rejected at segment %d (frame %d): %s (%s) %s", tc.file, c.Addr, v.Rejected, v.Frame, v.Rule, v.RFC, v.Error)
			}
			if validate(c, false, false).Accepted {
				atEndpoint++
			}
		}
		// The mid-path corpus needs the path: most of its connections
		// are not explained with the capture point at an endpoint.
		if tc.file == "midpath_http.pcap" && atEndpoint == len(conns) {
			t.Errorf("%s: all %d connections accepted with the capture point at an endpoint", tc.file, atEndpoint)
		}
		if testing.Verbose() {
			t.Logf("%s: %d connections, %d also explained at an endpoint", tc.file, len(conns), atEndpoint)
		}
	}
}

// TestSelfConnectOneTCB_3_5: a socket connected to itself sends every
// segment from the same 4-tuple; the validator takes them as one TCB that
// receives its own segments (simultaneous open, §3.5 Figure 7), which ends
// with the socket having received its own FIN.
func TestSelfConnectOneTCB_3_5(t *testing.T) {
	c := loadAll(t, "testdata/linux/selfconnect.pcap")[0]
	if c.Addr[Client] != c.Addr[Server] {
		t.Fatalf("addresses %v, want the same 4-tuple both ways", c.Addr)
	}
	v := Validate(c)
	if !v.Accepted {
		t.Fatalf("rejected at %d: %s", v.Rejected, v.Rule)
	}
	// SYN in SYN_SENT, its own SYN makes it SYN_RECEIVED, its own
	// SYN,ACK (or the ACK of it) ESTABLISHED.
	if got := v.Steps[0].States[Client]; !slices.Contains(got, "SYN_RECEIVED") {
		t.Errorf("after its own SYN: %v, want SYN_RECEIVED", got)
	}
	if got := last(v)[Client]; got != "TIME_WAIT" {
		t.Errorf("final state %q: a socket that sent and received its own FIN ends in TIME_WAIT", got)
	}
}

// TestTimeWaitReuseTwoConnections_3_10_7_4: the second SYN on the 4-tuple
// (accepted in TIME-WAIT, RFC 6191) begins a second connection; each ends
// as Figure 5 says (the server closed first).
func TestTimeWaitReuseTwoConnections_3_10_7_4(t *testing.T) {
	conns := loadAll(t, "testdata/linux/timewait_reuse.pcap")
	if len(conns) != 2 || conns[0].Addr != conns[1].Addr {
		t.Fatalf("%d connections, want 2 on the same 4-tuple", len(conns))
	}
	for i, c := range conns {
		v := Validate(c)
		if !v.Accepted {
			t.Fatalf("connection %d rejected at %d: %s", i, v.Rejected, v.Rule)
		}
		if !c.Segments[0].Has(tcp.SYN) || c.Segments[0].Has(tcp.ACK) {
			t.Errorf("connection %d begins with %s, want its SYN", i, v.Steps[0].Text())
		}
		if got := last(v); got != [2]string{"CLOSED", "TIME_WAIT"} {
			t.Errorf("connection %d ends in %v, want [CLOSED TIME_WAIT]", i, got)
		}
	}
}

// probes returns the indices of the keep-alive and zero-window probes of
// c: an ACK without text at one below the sender's highest SEG.SEQ so
// far (SND.NXT-1).
func probes(c Conn) []int {
	var out []int
	var top [2]uint32
	var seen [2]bool
	for i, g := range c.Segments {
		end := g.Seq + segLen(g)
		if g.Flags == tcp.ACK && g.Len <= 1 && seen[g.From] && g.Seq == top[g.From]-1 {
			out = append(out, i)
		}
		if !seen[g.From] || tcp.SeqGT(end, top[g.From]) {
			top[g.From], seen[g.From] = end, true
		}
	}
	return out
}

// TestProbesAccepted_3_8_4: the captures hold keep-alive probes (§3.8.4,
// RFC 1122 §4.2.3.6) and zero-window probes (§3.8.6.1); moved one octet
// lower (SND.NXT-2), a probe is no segment its sender can send.
func TestProbesAccepted_3_8_4(t *testing.T) {
	for _, f := range []string{"keepalive.pcap", "zerowindow.pcap"} {
		c := loadAll(t, "testdata/linux/"+f)[0]
		ps := probes(c)
		if len(ps) < 3 {
			t.Fatalf("%s: %d probes, want at least 3", f, len(ps))
		}
		k := ps[0]
		bad := Conn{Addr: c.Addr, Segments: edited(c.Segments, k, func(g *Segment) { g.Seq-- })}
		v := ValidateWith(bad, Options{CapturePoint: AtEndpoint})
		if v.Accepted || v.Rejected != k || !strings.Contains(v.Rule, "SND.NXT") {
			t.Errorf("%s: probe %d at SND.NXT-2: accepted %v, rejected at %d: %s", f, k, v.Accepted, v.Rejected, v.Rule)
		}
	}
}

// linuxMutation changes one connection of a Linux capture and names the
// segment that must be rejected.
type linuxMutation struct {
	name string
	// edit returns the mutated segments and the index to be rejected,
	// or ok false if the connection has nothing to mutate.
	edit func(s []Segment) (out []Segment, at int, ok bool)
	rule string
}

// firstFIN is the index of the first FIN in s.
func firstFIN(s []Segment) int {
	for i, g := range s {
		if g.Has(tcp.FIN) {
			return i
		}
	}
	return -1
}

// receiver is the side that receives g in conn s (itself if s is a
// socket connected to itself).
func receiver(s []Segment, g Segment) int {
	for _, h := range s {
		if h.From != g.From {
			return 1 - g.From
		}
	}
	return g.From
}

var linuxMutations = []linuxMutation{
	{
		// The first segment acknowledging anything gets an ACK far
		// beyond what its peer has sent.
		name: "ACK beyond what was sent",
		edit: func(s []Segment) ([]Segment, int, bool) {
			for i, g := range s {
				if g.Has(tcp.ACK) && !g.Has(tcp.SYN|tcp.RST) && i > 2 {
					return edited(s, i, func(g *Segment) { g.Ack += 1 << 20 }), i, true
				}
			}
			return nil, 0, false
		},
		rule: "has received",
	},
	{
		// After the first FIN, its sender sends three more octets.
		name: "data after FIN",
		edit: func(s []Segment) ([]Segment, int, bool) {
			i := firstFIN(s)
			if i < 0 {
				return nil, 0, false
			}
			g := s[i]
			g.Flags, g.Seq, g.Len = tcp.ACK, g.Seq+g.Len+1, 3
			return slices.Insert(slices.Clone(s), i+1, g), i + 1, true
		},
		rule: "data after FIN",
	},
	{
		// The first FIN (and every copy of it) without FIN: the first
		// segment acknowledging it acknowledges an octet never sent.
		name: "FIN removed",
		edit: func(s []Segment) ([]Segment, int, bool) {
			i := firstFIN(s)
			if i < 0 {
				return nil, 0, false
			}
			fin := s[i]
			end := fin.Seq + fin.Len + 1
			to := receiver(s, fin)
			out := slices.Clone(s)
			at := -1
			for j := range out {
				g := &out[j]
				if g.From == fin.From && g.Has(tcp.FIN) && g.Seq+g.Len == fin.Seq+fin.Len {
					g.Flags &^= tcp.FIN
				}
				if at < 0 && j > i && g.From == to && g.Has(tcp.ACK) && !g.Has(tcp.RST) && tcp.SeqLEQ(end, g.Ack) {
					at = j
				}
			}
			return out, at, at >= 0
		},
		rule: "has received",
	},
}

// TestLinuxMutationsRejected_3_10: mutations of the Linux captures are
// rejected at the segment the mutation made impossible, naming the rule,
// with the capture point at an endpoint and on the path alike.
func TestLinuxMutationsRejected_3_10(t *testing.T) {
	files := []string{"selfconnect.pcap", "keepalive.pcap", "zerowindow.pcap", "timewait_reuse.pcap", "midpath_http.pcap"}
	for _, f := range files {
		conns := loadAll(t, "testdata/linux/"+f)
		if len(conns) > 12 {
			conns = conns[:12] // a sample of the mid-path corpus
		}
		for _, m := range linuxMutations {
			n := 0
			for ci, c := range conns {
				segs, at, ok := m.edit(c.Segments)
				if !ok {
					continue
				}
				n++
				bad := Conn{Addr: c.Addr, Segments: segs}
				for _, p := range []CapturePoint{Auto, OnPath} {
					v := ValidateWith(bad, Options{CapturePoint: p})
					if v.Accepted || v.Rejected != at || !strings.Contains(v.Rule, m.rule) || v.RFC == "" {
						t.Errorf("%s conn %d, %s, capture point %v: accepted %v, rejected at %d: %s (%s) %s; want at %d (%s), rule mentioning %q",
							f, ci, m.name, p, v.Accepted, v.Rejected, v.Rule, v.RFC, v.Error, at, v.Steps[at].Text(), m.rule)
					}
				}
			}
			if n == 0 {
				t.Errorf("%s: no connection to apply %q to", f, m.name)
			}
		}
	}
}

// BenchmarkValidateLinux measures the verdict of each large capture (Auto:
// at an endpoint, then on the path if that rejects).
func BenchmarkValidateLinux(b *testing.B) {
	for _, f := range []string{"bulk_lo.pcap", "bulk_veth.pcap", "zerowindow.pcap", "midpath_http.pcap"} {
		conns := loadAll(b, "testdata/linux/"+f)
		b.Run(f, func(b *testing.B) {
			var largest int
			for i := 0; i < b.N; i++ {
				for _, c := range conns {
					v := Validate(c)
					if !v.Accepted {
						b.Fatalf("%s rejected", f)
					}
					largest = max(largest, v.Configs)
				}
			}
			b.ReportMetric(float64(largest), "configs")
			b.ReportMetric(float64(len(conns)), "conns")
		})
	}
}

// TestBulkMutationRejected_3_10_4: in a 6 MiB transfer, the FIN removed
// from the last data segment makes the server's acknowledgment of it
// impossible, thousands of segments in.
func TestBulkMutationRejected_3_10_4(t *testing.T) {
	if testing.Short() {
		t.Skip("a 6093-segment capture searched several times")
	}
	c := loadAll(t, "testdata/linux/bulk_veth.pcap")[0]
	m := linuxMutations[2] // FIN removed
	segs, at, ok := m.edit(c.Segments)
	if !ok || at < 5000 {
		t.Fatalf("no FIN acknowledged near the end (at %d)", at)
	}
	v := Validate(Conn{Addr: c.Addr, Segments: segs})
	if v.Accepted || v.Rejected != at || !strings.Contains(v.Rule, m.rule) {
		t.Errorf("accepted %v, rejected at %d: %s %s; want rejected at %d", v.Accepted, v.Rejected, v.Rule, v.Error, at)
	}
}
