package capture

import (
	"sort"

	"github.com/handshake/handshake/model/tcp"
)

// sideIndex finds, among the segments one side sent, those whose arrival
// may change the receiver's TCB, without scanning them all: the search
// offers every observed segment to every configuration, and a capture of
// a bulk transfer has thousands.
type sideIndex struct {
	// text holds the segments with text or FIN (neither SYN nor RST),
	// sorted by SEG.SEQ relative to the sender's ISN (rel); maxLen is
	// the longest SEG.LEN among them.
	text   []int32
	rel    []uint32
	isn    uint32
	maxLen uint32
	// ctl holds the segments with SYN or RST, in capture order.
	ctl []int32
	// byAck holds the other segments with ACK by SEG.ACK, in capture
	// order.
	byAck map[uint32][]int32
	segs  []Segment
}

// index builds both sides' indexes, the acknowledgment bounds of pruned,
// and the duplicates.
func (s *search) index() {
	n := len(s.segs)
	for side := 0; side < 2; side++ {
		x := &s.ix[side]
		x.isn = s.num.isn[side]
		x.byAck = map[uint32][]int32{}
		x.segs = s.segs
		s.bound[side] = make([]uint32, n+1)
		s.has[side] = make([]bool, n+1)
	}
	type key struct {
		from     int
		seq, ack uint32
		flags    uint8
		n        uint32
	}
	seen := map[key]bool{}
	s.dup = make([]bool, n)
	for i, g := range s.segs {
		x := &s.ix[g.From]
		switch {
		case g.Has(tcp.SYN | tcp.RST):
			x.ctl = append(x.ctl, int32(i))
		default:
			if g.Len > 0 || g.Has(tcp.FIN) {
				x.text = append(x.text, int32(i))
				x.maxLen = max(x.maxLen, segLen(g))
			}
			if g.Has(tcp.ACK) {
				x.byAck[g.Ack] = append(x.byAck[g.Ack], int32(i))
			}
		}
		k := key{g.From, g.Seq, g.Ack, g.Flags, g.Len}
		s.dup[i] = seen[k]
		seen[k] = true
	}
	s.waits()
	for side := 0; side < 2; side++ {
		x := &s.ix[side]
		sort.SliceStable(x.text, func(a, b int) bool {
			return s.segs[x.text[a]].Seq-x.isn < s.segs[x.text[b]].Seq-x.isn
		})
		x.rel = make([]uint32, len(x.text))
		for j, i := range x.text {
			x.rel[j] = s.segs[i].Seq - x.isn
		}
		// bound: the lowest acknowledgment side sends from k on,
		// before the next SYN (a new incarnation starts afresh).
		for k := min(n, s.lookahead) - 1; k >= 0; k-- {
			g := s.segs[k]
			if g.Has(tcp.SYN) {
				continue
			}
			s.bound[side][k], s.has[side][k] = s.bound[side][k+1], s.has[side][k+1]
			if g.From == side && g.Has(tcp.ACK) && !g.Has(tcp.RST) && !(s.path && s.dup[k]) {
				if !s.has[side][k] || tcp.SeqLT(g.Ack, s.bound[side][k]) {
					s.bound[side][k], s.has[side][k] = g.Ack, true
				}
			}
		}
	}
}

// candidates calls f with the index of every segment of this side
// observed before lim whose arrival may change e beyond SND.UNA: those
// with SYN or RST, those whose text or FIN covers RCV.NXT, and, in the
// states where an acknowledgment changes the state (of a SYN or a FIN),
// those that acknowledge everything e sent. Others change at most an
// eligible SND.UNA (see eligible) or call for a reset, matched when one is
// seen (search.send).
func (x *sideIndex) candidates(e *endpoint, lim int, f func(int)) {
	if e.State == tcp.CLOSED {
		return
	}
	for _, i := range x.ctl {
		if int(i) >= lim {
			break
		}
		f(int(i))
	}
	switch e.State {
	case tcp.LISTEN, tcp.SYN_SENT:
		return
	}
	r := e.RcvNxt - x.isn
	// Segments with rel <= r < rel+len.
	j := sort.Search(len(x.rel), func(j int) bool { return x.rel[j] > r })
	for j--; j >= 0 && r-x.rel[j] < x.maxLen; j-- {
		i := x.text[j]
		if int(i) < lim {
			f(int(i))
		}
	}
	acks := []uint32{e.SndNxt}
	switch e.State {
	case tcp.SYN_RECEIVED:
		if e.SndNxt != e.ISS+1 {
			acks = append(acks, e.ISS+1)
		}
	case tcp.FIN_WAIT_1, tcp.CLOSING, tcp.LAST_ACK:
	default:
		return
	}
	// One segment whose text does not cover RCV.NXT is enough for the
	// acknowledgment alone; those that cover it were offered above.
	for _, a := range acks {
		for _, i := range x.byAck[a] {
			if int(i) >= lim {
				break
			}
			f(int(i))
			if g := x.segs[i]; !(tcp.SeqLEQ(g.Seq, e.RcvNxt) && tcp.SeqLT(e.RcvNxt, g.Seq+segLen(g))) {
				break
			}
		}
	}
}

// waitWindow is how many later segments of its side waits looks at.
const waitWindow = 16

// waits computes mayWait: with the capture point on the path, segment k
// may wait to be sent (after later segments of its side) only if one of
// the next waitWindow segments of its side cannot be sent after it: it
// acknowledges less (RCV.NXT never decreases), or it is an acknowledgment
// whose SEG.SEQ is below the end of k (SND.NXT never decreases, and
// <SEQ=SND.NXT> is what an acknowledgment carries), or a FIN below k's
// text, or k is a reset. A
// segment no later one must precede is searched as sent when seen.
func (s *search) waits() {
	s.mayWait = make([]bool, len(s.segs))
	if !s.path {
		return
	}
	for k, g := range s.segs {
		seen := 0
		for h := k + 1; h < len(s.segs) && seen < waitWindow && !s.mayWait[k]; h++ {
			f := s.segs[h]
			if f.From != g.From || s.dup[h] {
				continue
			}
			seen++
			switch {
			case f.Has(tcp.SYN) || g.Has(tcp.SYN):
			case f.Has(tcp.ACK) && g.Has(tcp.ACK) && !f.Has(tcp.RST) && tcp.SeqLT(f.Ack, g.Ack):
				s.mayWait[k] = true
			case f.Len == 0 && !f.Has(tcp.FIN|tcp.RST) && tcp.SeqLT(f.Seq, g.Seq+segLen(g)):
				s.mayWait[k] = true
			case g.Has(tcp.RST) || f.Has(tcp.FIN) && !g.Has(tcp.FIN) && tcp.SeqLT(f.Seq, g.Seq+g.Len):
				s.mayWait[k] = true
			}
		}
	}
}
