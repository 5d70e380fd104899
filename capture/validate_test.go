package capture

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/handshake/handshake/model/tcp"
)

// TestRealCapturesAccepted: every real Linux capture is a behaviour of the
// RFC 9293 endpoints.
func TestRealCapturesAccepted(t *testing.T) {
	for _, f := range captures(t) {
		v := Validate(load(t, f))
		if !v.Accepted {
			t.Errorf("%s: rejected at segment %d (frame %d): %s (%s) %s", f, v.Rejected, v.Frame, v.Rule, v.RFC, v.Error)
		}
	}
}

// last returns the inferred states after the last segment.
func last(v Verdict) [2]string {
	st := v.Steps[len(v.Steps)-1].States
	return [2]string{strings.Join(st[0], "|"), strings.Join(st[1], "|")}
}

// TestInferredStatesFigure5: the states inferred for the real captures
// follow Figure 5 of RFC 9293: the side that closes first ends in
// TIME_WAIT (§3.10.7.4 eighth), the other in CLOSED after the last ACK
// (LAST_ACK, §3.10.7.4 fifth); a reset or refusal leaves both CLOSED.
func TestInferredStatesFigure5(t *testing.T) {
	want := map[string][2]string{
		"normal_client_close.pcap": {"TIME_WAIT", "CLOSED"},
		"normal_server_close.pcap": {"CLOSED", "TIME_WAIT"},
		"half_close.pcap":          {"TIME_WAIT", "CLOSED"},
		"lossy_retransmit.pcap":    {"TIME_WAIT", "CLOSED"},
		"rst_abort.pcap":           {"CLOSED", "CLOSED"},
		"refused.pcap":             {"CLOSED", "CLOSED"},
	}
	for name, w := range want {
		v := Validate(load(t, "testdata/"+name))
		if got := last(v); got != w {
			t.Errorf("%s: final states %v, want %v", name, got, w)
		}
	}
	// The three-way handshake of §3.5 Figure 6, step by step.
	v := Validate(load(t, "testdata/normal_client_close.pcap"))
	hs := [][2]string{{"SYN_SENT", "SYN_RECEIVED"}, {"ESTABLISHED", "SYN_RECEIVED"}, {"ESTABLISHED", "ESTABLISHED"}}
	for i, w := range hs {
		st := v.Steps[i].States
		if got := [2]string{strings.Join(st[0], "|"), strings.Join(st[1], "|")}; got != w {
			t.Errorf("handshake segment %d: states %v, want %v", i, got, w)
		}
	}
}

// mutation edits a real capture's segments.
type mutation struct {
	name, file string
	edit       func(s []Segment) []Segment
	at         int    // index of the segment to be rejected
	rule       string // a phrase of the rule
}

func without(s []Segment, i int) []Segment { return slices.Delete(slices.Clone(s), i, i+1) }

func swapped(s []Segment, i, j int) []Segment {
	s = slices.Clone(s)
	s[i], s[j] = s[j], s[i]
	return s
}

func edited(s []Segment, i int, f func(*Segment)) []Segment {
	s = slices.Clone(s)
	f(&s[i])
	return s
}

var mutations = []mutation{
	{
		// Segment 7 is the client's FIN,ACK; without FIN the server's
		// FIN,ACK (8) acknowledges a FIN that was never sent.
		name: "flip FIN off", file: "normal_client_close.pcap",
		edit: func(s []Segment) []Segment { return edited(s, 7, func(g *Segment) { g.Flags &^= tcp.FIN }) },
		at:   8, rule: "RCV.NXT",
	},
	{
		name: "flip SYN on a data segment", file: "normal_client_close.pcap",
		edit: func(s []Segment) []Segment { return edited(s, 3, func(g *Segment) { g.Flags |= tcp.SYN }) },
		at:   3, rule: "SYN",
	},
	{
		name: "flip RST off the refusal", file: "refused.pcap",
		edit: func(s []Segment) []Segment { return edited(s, 1, func(g *Segment) { g.Flags &^= tcp.RST }) },
		at:   1, rule: "without SYN",
	},
	{
		// Segment 4 acknowledges the client's 5 octets: ack=6.
		name: "ACK beyond the data sent", file: "normal_client_close.pcap",
		edit: func(s []Segment) []Segment { return edited(s, 4, func(g *Segment) { g.Ack += 3 }) },
		at:   4, rule: "RCV.NXT=6",
	},
	{
		name: "ACK of the SYN,ACK off by one", file: "half_close.pcap",
		edit: func(s []Segment) []Segment { return edited(s, 1, func(g *Segment) { g.Ack++ }) },
		at:   1, rule: "IRS+1",
	},
	{
		name: "refusal acknowledges the wrong sequence number", file: "refused.pcap",
		edit: func(s []Segment) []Segment { return edited(s, 1, func(g *Segment) { g.Ack++ }) },
		at:   1, rule: "not the reset owed",
	},
	{
		name: "reset at the wrong sequence number", file: "rst_abort.pcap",
		edit: func(s []Segment) []Segment { return edited(s, 5, func(g *Segment) { g.Seq += 100 }) },
		at:   5, rule: "SND.NXT",
	},
	{
		// After the client's FIN (7), three more octets from the client.
		name: "data after FIN", file: "normal_client_close.pcap",
		edit: func(s []Segment) []Segment {
			g := s[7]
			g.Flags, g.Seq, g.Len = tcp.ACK, g.Seq+1, 3
			return slices.Insert(slices.Clone(s), 8, g)
		},
		at: 8, rule: "data after FIN",
	},
	{
		// half_close: the server's data after the client's FIN is fine;
		// data after the server's own FIN (13) is not.
		name: "server data after its FIN", file: "half_close.pcap",
		edit: func(s []Segment) []Segment {
			g := s[13]
			g.Flags, g.Seq, g.Len = tcp.ACK, g.Seq+1, 6
			return slices.Insert(slices.Clone(s), 14, g)
		},
		at: 14, rule: "data after FIN",
	},
	{
		name: "drop the SYN", file: "normal_server_close.pcap",
		edit: func(s []Segment) []Segment { return without(s, 0) },
		at:   0, rule: "SYN,ACK in LISTEN",
	},
	{
		name: "drop the SYN of a refused connection", file: "refused.pcap",
		edit: func(s []Segment) []Segment { return without(s, 0) },
		at:   0, rule: "answers no segment",
	},
	{
		name: "SYN,ACK before SYN", file: "rst_abort.pcap",
		edit: func(s []Segment) []Segment { return swapped(s, 0, 1) },
		at:   0, rule: "SYN,ACK in LISTEN",
	},
	{
		// The server cannot acknowledge 5 octets before they are on
		// the wire: nothing arrives before it is seen.
		name: "ACK before the data it acknowledges", file: "normal_client_close.pcap",
		edit: func(s []Segment) []Segment { return swapped(s, 3, 4) },
		at:   3, rule: "RCV.NXT=1",
	},
	{
		name: "server's FIN,ACK before the client's FIN", file: "normal_client_close.pcap",
		edit: func(s []Segment) []Segment { return swapped(s, 7, 8) },
		at:   7, rule: "RCV.NXT",
	},
	{
		// Swapping the client's last two data segments is fine on a
		// lossy link (the first was lost before the capture point and
		// retransmitted), but the server cannot acknowledge the FIN
		// before it is on the wire.
		name: "lossy: ACK of the FIN before the FIN", file: "lossy_retransmit.pcap",
		edit: func(s []Segment) []Segment { return swapped(s, 9, 10) },
		at:   9, rule: "RCV.NXT=829",
	},
}

// TestMutationsRejected_3_10: each mutation of a real capture is rejected
// at the segment the mutation made impossible, naming the rule.
func TestMutationsRejected_3_10(t *testing.T) {
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			c := load(t, "testdata/"+m.file)
			c.Segments = m.edit(c.Segments)
			v := Validate(c)
			if v.Accepted {
				t.Fatalf("accepted")
			}
			if v.Rejected != m.at || !strings.Contains(v.Rule, m.rule) || v.RFC == "" {
				t.Errorf("rejected at %d: %s (%s); want at %d, rule mentioning %q", v.Rejected, v.Rule, v.RFC, m.at, m.rule)
			}
			if testing.Verbose() {
				t.Logf("rejected at %d: %s (%s)", v.Rejected, v.Rule, v.RFC)
			}
			if v.Frame != c.Segments[m.at].Frame {
				t.Errorf("frame %d, want %d", v.Frame, c.Segments[m.at].Frame)
			}
		})
	}
}

// TestMutatedCaptureFileRejected goes through the file format: a mutated
// capture written as pcapng over IPv6 is rejected at the same segment.
func TestMutatedCaptureFileRejected(t *testing.T) {
	m := mutations[3] // ACK beyond the data sent
	c := load(t, "testdata/"+m.file)
	c.Segments = m.edit(c.Segments)
	pkts, err := Read(bytes.NewReader(encode(t, c, true, true)))
	if err != nil {
		t.Fatal(err)
	}
	v := Validate(Group(pkts)[0])
	if v.Accepted || v.Rejected != m.at {
		t.Errorf("accepted=%v rejected at %d, want rejected at %d", v.Accepted, v.Rejected, m.at)
	}
}
