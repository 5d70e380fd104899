package capture

import (
	"strings"
	"testing"

	"github.com/handshake/handshake/model/tcp"
)

// conn numbers segs as frames 1, 2, ...
func conn(segs ...Segment) Conn {
	for i := range segs {
		segs[i].Frame = i + 1
	}
	return Conn{Segments: segs}
}

// handshake is a three-way handshake with ISNs 100 (client) and 300
// (server), followed by segs.
func handshake(segs ...Segment) Conn {
	hs := []Segment{
		{From: Client, Seq: 100, Flags: tcp.SYN},
		{From: Server, Seq: 300, Ack: 101, Flags: tcp.SYN | tcp.ACK},
		{From: Client, Seq: 101, Ack: 301, Flags: tcp.ACK},
	}
	return conn(append(hs, segs...)...)
}

// pathCase is a capture that only a capture point on the path explains,
// and a change to one segment that no capture point explains.
type pathCase struct {
	name      string
	c         Conn
	endpoint  string // phrase of the rule with the capture point at an endpoint
	at        int    // the segment the endpoint rejects, and the one mutated
	mutate    func(*Segment)
	mutatedAt int    // the segment rejected after the mutation
	rule      string // phrase of its rule
}

var pathCases = []pathCase{
	{
		// The server acknowledges the request (4) and then answers
		// (5); the answer overtakes the acknowledgment before the
		// capture point.
		name: "pure ACK seen after a later data segment of its side",
		c: handshake(
			Segment{From: Client, Seq: 101, Ack: 301, Flags: tcp.ACK, Len: 5},
			Segment{From: Server, Seq: 301, Ack: 106, Flags: tcp.ACK, Len: 10},
			Segment{From: Server, Seq: 301, Ack: 106, Flags: tcp.ACK},
			Segment{From: Client, Seq: 106, Ack: 311, Flags: tcp.ACK},
		),
		endpoint: "SND.NXT", at: 5,
		// An ACK of octets the client never sent is impossible
		// wherever the capture was taken.
		mutate: func(g *Segment) { g.Ack = 107 }, mutatedAt: 5, rule: "RCV.NXT=6",
	},
	{
		// The server acknowledges two requests one by one; the second
		// ACK overtakes the first.
		name: "older ACK seen after a newer one",
		c: handshake(
			Segment{From: Client, Seq: 101, Ack: 301, Flags: tcp.ACK, Len: 5},
			Segment{From: Client, Seq: 106, Ack: 301, Flags: tcp.ACK, Len: 5},
			Segment{From: Server, Seq: 301, Ack: 111, Flags: tcp.ACK},
			Segment{From: Server, Seq: 301, Ack: 106, Flags: tcp.ACK},
		),
		endpoint: "RCV.NXT=11", at: 6,
		// An ACK in the middle of the first request's octets: no
		// segment ends there.
		mutate: func(g *Segment) { g.Ack = 103 }, mutatedAt: 6, rule: "has received",
	},
}

// TestCapturePointOnPath: segments reordered before the capture point are
// rejected with the capture point at an endpoint and accepted on the path
// (and by Auto, which says so); a changed segment that no execution can
// send is rejected on the path too, at that segment.
func TestCapturePointOnPath(t *testing.T) {
	for _, pc := range pathCases {
		t.Run(pc.name, func(t *testing.T) {
			v := ValidateWith(pc.c, Options{CapturePoint: AtEndpoint})
			if v.Accepted || v.Rejected != pc.at || !strings.Contains(v.Rule, pc.endpoint) {
				t.Errorf("at an endpoint: accepted %v, rejected at %d: %s; want rejected at %d mentioning %q", v.Accepted, v.Rejected, v.Rule, pc.at, pc.endpoint)
			}
			for _, p := range []CapturePoint{OnPath, Auto} {
				v = ValidateWith(pc.c, Options{CapturePoint: p})
				if !v.Accepted || v.CapturePoint != "path" {
					t.Errorf("%v: accepted %v (capture point %s), rejected at %d: %s", p, v.Accepted, v.CapturePoint, v.Rejected, v.Rule)
				}
			}
			bad := Conn{Segments: edited(pc.c.Segments, pc.at, pc.mutate)}
			for _, p := range []CapturePoint{OnPath, Auto} {
				v = ValidateWith(bad, Options{CapturePoint: p})
				if v.Accepted || v.Rejected != pc.mutatedAt || !strings.Contains(v.Rule, pc.rule) {
					t.Errorf("mutated, %v: accepted %v, rejected at %d: %s; want rejected at %d mentioning %q", p, v.Accepted, v.Rejected, v.Rule, pc.mutatedAt, pc.rule)
				}
			}
		})
	}
}

// TestDuplicateBeforeCapturePoint: on the path, a segment seen twice was
// sent once (a copy made by the network); at an endpoint, a copy of data
// is a retransmission, and a copy of an acknowledgment after newer data is
// impossible.
func TestDuplicateBeforeCapturePoint(t *testing.T) {
	c := handshake(
		Segment{From: Client, Seq: 101, Ack: 301, Flags: tcp.ACK, Len: 5},
		Segment{From: Server, Seq: 301, Ack: 106, Flags: tcp.ACK},
		Segment{From: Client, Seq: 106, Ack: 301, Flags: tcp.ACK, Len: 5},
		Segment{From: Client, Seq: 101, Ack: 301, Flags: tcp.ACK}, // copy of 2
	)
	if v := ValidateWith(c, Options{CapturePoint: AtEndpoint}); v.Accepted || v.Rejected != 6 {
		t.Errorf("at an endpoint: accepted %v, rejected at %d (%s), want rejected at 6", v.Accepted, v.Rejected, v.Rule)
	}
	if v := ValidateWith(c, Options{CapturePoint: OnPath}); !v.Accepted {
		t.Errorf("on the path: rejected at %d: %s", v.Rejected, v.Rule)
	}
}

// TestUnansweredSYNsNotSelfConnect: a capture where only the client sends
// (its SYN retransmitted, never answered) is two endpoints, not a socket
// connected to itself: the retransmitted SYN is accepted (§3.7.1), and a
// SYN,ACK from the client, which only a socket that received its own SYN
// could send, is rejected.
func TestUnansweredSYNsNotSelfConnect(t *testing.T) {
	c := conn(
		Segment{From: Client, Seq: 100, Flags: tcp.SYN},
		Segment{From: Client, Seq: 100, Flags: tcp.SYN},
		Segment{From: Client, Seq: 100, Flags: tcp.SYN},
	)
	c.Addr = [2]string{"192.0.2.1:40000", "192.0.2.2:80"}
	if v := Validate(c); !v.Accepted {
		t.Errorf("rejected at %d: %s", v.Rejected, v.Rule)
	}
	c.Segments[2] = Segment{Frame: 3, From: Client, Seq: 100, Ack: 101, Flags: tcp.SYN | tcp.ACK}
	if v := Validate(c); v.Accepted || v.Rejected != 2 {
		t.Errorf("SYN,ACK from the client: accepted %v, rejected at %d: %s", v.Accepted, v.Rejected, v.Rule)
	}
	// The same segments on one 4-tuple both ways are a self-connect.
	c.Addr = [2]string{"127.0.0.1:40201", "127.0.0.1:40201"}
	if v := Validate(c); !v.Accepted {
		t.Errorf("self-connect: rejected at %d: %s", v.Rejected, v.Rule)
	}
}
