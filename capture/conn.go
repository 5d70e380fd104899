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
// connection's first packet.
func Group(pkts []Packet) []Conn {
	type key struct{ a, b string }
	canon := func(p Packet) key {
		if p.Src < p.Dst {
			return key{p.Src, p.Dst}
		}
		return key{p.Dst, p.Src}
	}
	index := map[key]int{}
	var groups [][]Packet
	for _, p := range pkts {
		k := canon(p)
		i, ok := index[k]
		if !ok {
			i = len(groups)
			index[k] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], p)
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
