package capture

import (
	"fmt"

	"github.com/handshake/handshake/model/tcp"
)

// maxFlight bounds the segments a configuration keeps in flight; a further
// segment is treated as lost.
const maxFlight = 8

// maxNodes bounds the configurations the search of one connection keeps
// (the real captures in testdata need 46 to 1002); past it the verdict is
// undecided.
const maxNodes = 100_000

// config is one possible situation between two observed segments: both
// TCBs, and the observed segments in flight (index+1, ascending; 0 is
// empty) that may still arrive.
type config struct {
	Ep     [2]endpoint
	Flight [maxFlight]int32
}

func (c *config) inFlight() int {
	n := 0
	for n < maxFlight && c.Flight[n] != 0 {
		n++
	}
	return n
}

func (c *config) add(i int) {
	n := c.inFlight()
	if n == maxFlight {
		copy(c.Flight[:], c.Flight[1:]) // the oldest is lost
		n--
	}
	c.Flight[n] = int32(i + 1)
}

func (c *config) remove(j int) {
	copy(c.Flight[j:], c.Flight[j+1:])
	c.Flight[maxFlight-1] = 0
}

// layer is the configurations possible after one observed segment (and
// before the next), with the search graph: internal steps within the
// layer, emissions of the next segment into the next layer.
type layer struct {
	nodes    []config
	index    map[config]int32
	internal [][]edge
	next     [][]int32
	cost     []int32 // fewest unseen steps to reach each node (see relax)
	entry    int     // nodes[:entry] were reached by the emission itself
}

func (l *layer) addNode(c config) (int32, bool) {
	if i, ok := l.index[c]; ok {
		return i, false
	}
	i := int32(len(l.nodes))
	l.nodes = append(l.nodes, c)
	l.index[c] = i
	l.internal = append(l.internal, nil)
	l.next = append(l.next, nil)
	return i, true
}

// edge is an internal step to node To; Silent is 1 for a user call or
// timeout whose segment, if any, was never seen, 0 for an arrival.
type edge struct {
	To     int32
	Silent int32
}

// search holds one connection's segments and what the search knows.
type search struct {
	segs   []Segment
	num    numbering
	synISS [2]uint32 // the ISS an endpoint selects in LISTEN
	layers []*layer
	total  int // configurations in layers
}

func newSearch(segs []Segment) *search {
	s := &search{segs: segs}
	var seen [2]bool
	for _, g := range segs {
		if g.Has(tcp.SYN) && !seen[g.From] {
			seen[g.From] = true
			s.num.isn[g.From] = g.Seq
			s.synISS[g.From] = g.Seq
		}
	}
	return s
}

// prune drops from flight every segment whose arrival would change
// nothing: an old duplicate, or one that only calls for an
// acknowledgment (which an endpoint may send at any time anyway).
func (s *search) prune(c *config) {
	for j := 0; j < maxFlight && c.Flight[j] != 0; {
		g := s.segs[c.Flight[j]-1]
		to := 1 - g.From
		e := c.Ep[to]
		e.Reply = reply{}
		arrive(&e, g, s.synISS[to])
		if e.Reply.Has {
			// It calls for a reset of its own (§3.10.7.1-4), even if
			// one like it is owed already.
			j++
			continue
		}
		e.Reply = c.Ep[to].Reply
		if e == c.Ep[to] {
			c.remove(j)
			continue
		}
		j++
	}
}

// successors appends the configurations one internal step from c: an
// arrival of a segment in flight, or a user call or timeout whose segment
// (if any) was lost before the capture point.
func (s *search) successors(c config, out []step) []step {
	for j := 0; j < maxFlight && c.Flight[j] != 0; j++ {
		d := c
		g := s.segs[d.Flight[j]-1]
		d.remove(j)
		to := 1 - g.From
		arrive(&d.Ep[to], g, s.synISS[to])
		s.prune(&d)
		out = append(out, step{d, 0})
	}
	for side := 0; side < 2; side++ {
		e := &c.Ep[side]
		switch e.State {
		case tcp.LISTEN, tcp.SYN_SENT:
			// CLOSE (§3.10.4) deletes the TCB.
			d := c
			d.Ep[side].deleteTCB(tcp.EndClose)
			s.prune(&d)
			out = append(out, step{d, 1})
		case tcp.SYN_RECEIVED, tcp.ESTABLISHED, tcp.CLOSE_WAIT:
			if !e.FinSent {
				// CLOSE sends a FIN (§3.10.4), lost before the capture point.
				d := c
				f := &d.Ep[side]
				f.FinSent, f.FinSeq = true, f.SndNxt
				f.SndNxt++
				if f.State == tcp.CLOSE_WAIT {
					f.State = tcp.LAST_ACK
				} else {
					f.State = tcp.FIN_WAIT_1
				}
				s.prune(&d)
				out = append(out, step{d, 1})
			}
		case tcp.TIME_WAIT:
			// The 2MSL timeout (§3.10.8).
			d := c
			d.Ep[side].deleteTCB(tcp.EndTimeWait)
			s.prune(&d)
			out = append(out, step{d, 1})
		}
		if e.State != tcp.CLOSED {
			// ABORT (§3.10.5).
			d := c
			d.Ep[side].deleteTCB(tcp.EndAbort)
			s.prune(&d)
			out = append(out, step{d, 1})
		}
	}
	return out
}

// step is an internal step's target configuration.
type step struct {
	c      config
	silent int32
}

// close completes l under internal steps.
func (s *search) close(l *layer) error {
	var buf []step
	defer func() { s.total += len(l.nodes) }()
	for i := 0; i < len(l.nodes); i++ {
		buf = s.successors(l.nodes[i], buf[:0])
		for _, d := range buf {
			j, _ := l.addNode(d.c)
			if j != int32(i) {
				l.internal[i] = append(l.internal[i], edge{j, d.silent})
			}
		}
		if s.total+len(l.nodes) > maxNodes {
			return fmt.Errorf("search limit: more than %d configurations", maxNodes)
		}
	}
	return nil
}

// emitAll tries the emission of segment k from every configuration of
// prev into next, and returns the most informative refusal if none can.
func (s *search) emitAll(prev, next *layer, k int) *refusal {
	g := s.segs[k]
	var best *refusal
	bestKey := [3]int32{inf}
	for i, c := range prev.nodes {
		var tries []config
		d := c
		owed := d.Ep[g.From].Reply.Has && g.Has(tcp.RST)
		if replyRST(&d.Ep[g.From], g) {
			tries = append(tries, d)
			owed = false
		}
		d = c
		r := emit(&d.Ep[g.From], g.From, g, s.num)
		if r == nil {
			tries = append(tries, d)
		} else if len(tries) == 0 {
			// The refusal of the simplest execution (fewest unseen
			// steps) is the most informative; among those, one that
			// owed a different reset, then the one with the fewest
			// segments still in flight.
			if owed {
				r = s.owedRefusal(c.Ep[g.From].Reply, g)
			}
			key := [3]int32{prev.cost[i], 1, int32(c.inFlight())}
			if owed {
				key[1] = 0
			}
			if less(key, bestKey) {
				best, bestKey = r, key
			}
		}
		for _, d := range tries {
			d.add(k)
			s.prune(&d)
			j, _ := next.addNode(d)
			prev.next[i] = append(prev.next[i], j)
		}
	}
	if len(next.nodes) == 0 {
		if best == nil {
			best = &refusal{"no execution emits this segment", "RFC 9293 §3.10"}
		}
		return best
	}
	return nil
}

func less(a, b [3]int32) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// owedRefusal explains a reset that is not the one the sender owes.
func (s *search) owedRefusal(r reply, g Segment) *refusal {
	owed := Step{Flags: tcp.Segment{Flags: r.Flags}.CtlString(), Seq: s.num.seq(g.From, r.Seq)}
	if r.Flags&tcp.ACK != 0 {
		owed.Ack = s.num.seq(1-g.From, r.Ack)
	}
	return &refusal{fmt.Sprintf("%s's reset is not the reset owed in answer to the segment it received (%s)",
		tcp.SideNames[g.From], owed.Text()), "RFC 9293 §3.10.7.1-3 (<SEQ=SEG.ACK><CTL=RST> or <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>)"}
}

func newLayer() *layer { return &layer{index: map[config]int32{}} }

// initial is the layer before the first segment: the client has not
// opened; the server listens (passive OPEN, §3.10.1) or has no listener.
func (s *search) initial() *layer {
	l := newLayer()
	client := endpoint{State: tcp.CLOSED}
	for _, server := range []endpoint{{State: tcp.LISTEN, Passive: true}, {State: tcp.CLOSED}} {
		var c config
		c.Ep[Client], c.Ep[Server] = client, server
		l.addNode(c)
	}
	l.entry = len(l.nodes)
	return l
}
