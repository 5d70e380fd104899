package capture

import (
	"testing"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
	"github.com/handshake/handshake/spec"
)

// TestSynReceivedAcksUnacceptableSegment_3_10_7_4: an endpoint in
// SYN_RECEIVED answers an unacceptable segment (here a retransmitted SYN,
// at RCV.NXT-1) with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (§3.10.7.4
// "first" covers SYN-RECEIVED), as the model does; the validator accepts
// that ACK, and still refuses one that acknowledges anything else.
func TestSynReceivedAcksUnacceptableSegment_3_10_7_4(t *testing.T) {
	segs := []Segment{
		{From: Client, Seq: 100, Flags: tcp.SYN},
		{From: Server, Seq: 300, Ack: 101, Flags: tcp.SYN | tcp.ACK},
		{From: Client, Seq: 100, Flags: tcp.SYN}, // retransmitted
		{From: Server, Seq: 301, Ack: 101, Flags: tcp.ACK},
		{From: Client, Seq: 101, Ack: 301, Flags: tcp.ACK},
	}
	for i := range segs {
		segs[i].Frame = i + 1
	}
	if v := Validate(Conn{Segments: segs}); !v.Accepted {
		t.Fatalf("rejected at segment %d: %s (%s)", v.Rejected, v.Rule, v.RFC)
	}
	bad := append([]Segment(nil), segs...)
	bad[3].Ack = 102
	if v := Validate(Conn{Segments: bad}); v.Accepted || v.Rejected != 3 {
		t.Fatalf("ACK of 102 from SYN_RECEIVED: accepted %v, rejected at %d, want rejected at 3", v.Accepted, v.Rejected)
	}
}

// wire is the segments of a model walk in the order the endpoints sent
// them, as a capture next to both would show them (for a reliable FIFO
// network, also the order they arrive in per direction).
func wire(t *testing.T, m checker.Model[tcp.State], seed int64) []Segment {
	tr, err := checker.Simulate(m, seed, 200)
	if err != nil {
		t.Fatal(err)
	}
	var segs []Segment
	for i := 1; i < len(tr.Steps); i++ {
		s, n := tr.Steps[i-1].State, tr.Steps[i].State
		for side := 0; side < 2; side++ {
			if n.Net[side].Len == s.Net[side].Len+1 {
				g := n.Net[side].At(int(n.Net[side].Len - 1))
				segs = append(segs, Segment{Frame: len(segs) + 1, From: side, Seq: g.Seq, Ack: g.Ack, Flags: g.Flags, Len: uint32(g.Len)})
			}
		}
	}
	return segs
}

// TestValidateAcceptsModelWalks: the segments of every random walk of the
// model on a reliable network, or one that loses, duplicates or reorders,
// are accepted by Validate, and changing the acknowledgment number of the
// first segment with ACK but neither SYN nor RST makes Validate reject
// that segment (a segment carries <ACK=RCV.NXT>, §3.10.7.4), as the model
// cannot send it either.
func TestValidateAcceptsModelWalks(t *testing.T) {
	var walks, mutated int
	variants := []struct {
		name   string
		params map[string]int
	}{
		{"rfc9293", nil}, {"rfc9293", map[string]int{"abort": 0}},
		// Networks that lose, duplicate and reorder after the capture
		// point (the wire order is the order the endpoints sent).
		{"rfc9293-lossy", nil}, {"rfc9293-duplicating", nil},
		{"rfc9293-reordering", nil}, {"rfc9293-unreliable", nil},
	}
	for _, v := range variants {
		cfg, err := spec.TCPConfig(v.name, v.params)
		if err != nil {
			t.Fatal(err)
		}
		walks, mutated = validateWalks(t, spec.TCPModel(cfg), walks, mutated)
	}
	t.Logf("%d walks accepted, %d mutated walks", walks, mutated)
	if walks < 1200 || mutated < 300 {
		t.Errorf("too few walks (%d) or mutations (%d) to mean anything", walks, mutated)
	}
}

func validateWalks(t *testing.T, m checker.Model[tcp.State], walks, mutated int) (int, int) {
	for seed := int64(1); seed <= 300; seed++ {
		segs := wire(t, m, seed)
		if len(segs) == 0 {
			continue
		}
		// Capture's client is the side of the first SYN without ACK.
		var c Conn
		client := segs[0].From
		for _, g := range segs {
			if g.Flags&(tcp.SYN|tcp.ACK) == tcp.SYN {
				client = g.From
				break
			}
		}
		for _, g := range segs {
			if client == Server {
				g.From = 1 - g.From
			}
			c.Segments = append(c.Segments, g)
		}
		walks++
		v := Validate(c)
		if !v.Accepted {
			t.Errorf("seed %d: model walk rejected at segment %d (%s): %s (%s)", seed, v.Rejected, v.Steps[v.Rejected].Text(), v.Rule, v.RFC)
			continue
		}
		for k, g := range c.Segments {
			if !g.Has(tcp.ACK) || g.Has(tcp.RST|tcp.SYN) {
				continue
			}
			bad := Conn{Segments: append([]Segment(nil), c.Segments...)}
			bad.Segments[k].Ack += 5
			mutated++
			if w := Validate(bad); w.Accepted || w.Rejected != k {
				t.Errorf("seed %d: segment %d (%s) with ACK+5: accepted %v, rejected at %d (%s)", seed, k, v.Steps[k].Text(), w.Accepted, w.Rejected, w.Rule)
			}
			break
		}
	}
	return walks, mutated
}
