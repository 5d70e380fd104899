package https

import (
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/network"
	"github.com/handshake/handshake/model/tcp"
)

// The attacker sits on the path: it sees every segment, so it knows each
// endpoint's SND.NXT and RCV.NXT, and it may drop a segment in flight or
// inject a FIN or a RST that the receiver finds acceptable, impersonating
// the other endpoint. It holds no TLS keys: it cannot forge a record, so
// it injects no data. Config.Attacker bounds its actions in a behaviour.

func (m *model) attackerActions(s *State, buf []checker.Action) []checker.Action {
	if int(s.Attacks) >= m.c.Attacker {
		return buf
	}
	for d := 0; d < 2; d++ {
		if s.T.Ep[1-d].State.Synchronized() && m.admits(s) { // its sequence numbers are on the wire
			buf = append(buf, act(InjectFIN, d, 0), act(InjectRST, d, 0))
		}
		ch := &s.T.Net[1-d]
		for i := 0; i < int(ch.Len); i++ {
			buf = append(buf, act(Drop, d, uint16(i)))
		}
	}
	return buf
}

// forged is the segment of kind k the attacker injects towards side d,
// as the peer would send it next.
func forged(s *State, k Kind, d int) tcp.Segment {
	p := &s.T.Ep[1-d]
	if k == InjectRST {
		return tcp.Segment{Seq: p.SndNxt, Flags: tcp.RST, Inc: Forged}
	}
	return tcp.Segment{Seq: p.SndNxt, Ack: p.RcvNxt, Flags: tcp.FIN | tcp.ACK, Inc: Forged}
}

func (m *model) attack(s *State, k Kind, d int, p uint16) {
	s.Attacks++
	if k == Drop {
		s.T.Net[1-d].Take(network.Delivery{Kind: network.Drop, Index: uint8(p)})
		return
	}
	if !s.T.Net[1-d].Push(forged(s, k, d), m.c.Cap) {
		panic("https: channel overflow (the capacity invariant is broken)")
	}
}
