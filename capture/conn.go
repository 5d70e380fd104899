package capture

import "github.com/handshake/handshake/model/tcp"

// Sides of a connection, as in package tcp.
const (
	Client = tcp.Client
	Server = tcp.Server
)

// Segment is a TCP segment of one connection, with the side that sent it.
type Segment struct {
	Frame    int // frame number in the capture (1-based)
	From     int // Client or Server
	Seq, Ack uint32
	Flags    uint8 // tcp.FIN | tcp.SYN | tcp.RST | tcp.ACK
	Len      uint32
}

// Has reports whether control bit f is set.
func (g Segment) Has(f uint8) bool { return g.Flags&f != 0 }

// Conn is the segments of one connection, in capture order. The client is
// the side that sent the first SYN without ACK (or, if there is none, the
// side that sent the first segment).
type Conn struct {
	Addr     [2]string // Addr[Client], Addr[Server]
	Segments []Segment
}

// Group splits packets into connections by 4-tuple, in the order of each
// connection's first packet. A 4-tuple carries a new connection (an
// incarnation, RFC 9293 §3.4) when a SYN without ACK with a sequence
// number other than its sender's earlier SYNs follows a FIN or RST of the
// current one: the SYN that a TIME-WAIT endpoint accepts to reopen the
// 4-tuple (RFC 9293 §3.10.7.4, RFC 6191), or a new OPEN after a reset.
func Group(pkts []Packet) []Conn {
	type key struct{ a, b string }
	canon := func(p Packet) key {
		if p.Src < p.Dst {
			return key{p.Src, p.Dst}
		}
		return key{p.Dst, p.Src}
	}
	type current struct {
		group int
		ended bool              // a FIN or RST was seen
		syns  map[string]uint32 // the ISS of each sender's SYN
	}
	index := map[key]*current{}
	var groups [][]Packet
	for _, p := range pkts {
		k := canon(p)
		cur, ok := index[k]
		syn := p.Flags&(tcp.SYN|tcp.ACK) == tcp.SYN
		if ok && syn && cur.ended {
			if iss, had := cur.syns[p.Src]; !had || iss != p.Seq {
				ok = false
			}
		}
		if !ok {
			cur = &current{group: len(groups), syns: map[string]uint32{}}
			index[k] = cur
			groups = append(groups, nil)
		}
		if syn {
			if _, had := cur.syns[p.Src]; !had {
				cur.syns[p.Src] = p.Seq
			}
		}
		if p.Flags&(tcp.FIN|tcp.RST) != 0 {
			cur.ended = true
		}
		groups[cur.group] = append(groups[cur.group], p)
	}
	conns := make([]Conn, 0, len(groups))
	for _, g := range groups {
		client := g[0].Src
		for _, p := range g {
			if p.Flags&(tcp.SYN|tcp.ACK) == tcp.SYN {
				client = p.Src
				break
			}
		}
		var c Conn
		for _, p := range g {
			from := Client
			if p.Src != client {
				from = Server
			}
			c.Addr[from] = p.Src
			c.Addr[1-from] = p.Dst
			c.Segments = append(c.Segments, Segment{Frame: p.Frame, From: from, Seq: p.Seq, Ack: p.Ack, Flags: p.Flags, Len: p.Len})
		}
		conns = append(conns, c)
	}
	return conns
}
