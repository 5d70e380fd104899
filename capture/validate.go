package capture

import (
	"fmt"
	"slices"

	"github.com/handshake/handshake/model/tcp"
)

// maxPending bounds, per endpoint, the observed segments a configuration
// lets wait to be sent (capture point on the path: a segment seen before
// segments its endpoint sent earlier); past it the verdict is undecided.
const maxPending = 4

// maxLayer bounds the configurations the search keeps between two observed
// segments; past it the verdict is undecided.
const maxLayer = 20_000

// config is one possible situation between two observed segments: both
// TCBs and, with the capture point on the path, the observed segments each
// endpoint has not sent yet (index+1, ascending; 0 is empty).
//
// There is no list of segments in flight: every observed segment may
// arrive at its receiver at any later time, any number of times (the
// network after the capture point may delay, reorder, duplicate and lose
// segments), so what may still arrive is the same for every
// configuration: the segments observed so far (and, on the path, sent).
type config struct {
	Ep   [2]endpoint
	Pend [2][maxPending]int32
}

func (c *config) pendCount(side int) int {
	n := 0
	for n < maxPending && c.Pend[side][n] != 0 {
		n++
	}
	return n
}

// pending reports whether segment i waits to be sent by side.
func (c *config) pending(side, i int) bool {
	for _, p := range c.Pend[side] {
		if p == int32(i+1) {
			return true
		}
	}
	return false
}

// arrivalLimit is the first segment index that may not arrive at side
// yet: segments observed up to k, and, while side has not sent a segment
// it was seen to send, only those observed before that one (the endpoint
// sent it before they could arrive).
func (c *config) arrivalLimit(side, k int) int {
	lim := k + 1
	if p := c.Pend[side][0]; p != 0 && int(p-1) < lim {
		lim = int(p - 1)
	}
	return lim
}

func (c *config) unpend(side, i int) {
	p := &c.Pend[side]
	for j := 0; j < maxPending; j++ {
		if p[j] == int32(i+1) {
			copy(p[j:], p[j+1:])
			p[maxPending-1] = 0
			return
		}
	}
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
	synISS [2]uint32   // the ISS an endpoint selects in LISTEN
	isses  [2][]uint32 // every ISS each side is seen to use in a SYN
	path   bool        // the capture point may be anywhere on the path
	self   bool        // a socket connected to itself: one TCB, Ep[Client]
	ix     [2]sideIndex
	// bound[side][k] is the lowest SEG.ACK of side's segments from k on
	// (before the next SYN), if has[side][k]: RCV.NXT never decreases,
	// so a TCB past it can send none of them.
	bound     [2][]uint32
	has       [2][]bool
	lookahead int    // bound looks at the first lookahead segments
	dup       []bool // identical to an earlier segment of the same side
	// mayWait[k]: on the path, segment k may be sent after segments of
	// its side seen after it (see waits).
	mayWait []bool
	layers  []*layer
	// largest is the most configurations one layer held; full is set
	// when a segment could not wait to be sent for lack of room.
	largest int
	full    bool
	// discharge explains the first failure to send a waiting segment.
	discharge *refusal
	// sent is the longest prefix run found explained: a configuration
	// after its last segment had sent them all.
	sent int
}

// newSearch prepares the search of the first n segments of c (numbered
// as in all of them).
func newSearch(c Conn, n int, path bool) *search {
	return newSearchAhead(c, n, n, path)
}

// newSearchAhead is newSearch pruning only by the acknowledgments of the
// first ahead segments (see pruned).
func newSearchAhead(c Conn, n, ahead int, path bool) *search {
	segs := c.Segments
	s := &search{segs: segs, path: path, lookahead: ahead}
	var seen [2]bool
	for _, g := range segs[:n] {
		if g.Has(tcp.SYN) && !slices.Contains(s.isses[g.From], g.Seq) {
			s.isses[g.From] = append(s.isses[g.From], g.Seq)
		}
	}
	for _, g := range segs {
		if g.Has(tcp.SYN) && !seen[g.From] {
			seen[g.From] = true
			s.num.isn[g.From] = g.Seq
			s.synISS[g.From] = g.Seq
		}
	}
	// A socket connected to itself: the same address and port at both
	// ends (Group gives it one side, the client).
	s.self = c.Addr[Client] != "" && c.Addr[Client] == c.Addr[Server]
	if s.self {
		s.num.isn[Server] = s.num.isn[Client]
	}
	s.segs = segs[:n]
	s.index()
	return s
}

// peerOf is the side whose segments arrive at side.
func (s *search) peerOf(side int) int {
	if s.self {
		return side
	}
	return 1 - side
}

// receivers are the sides segments arrive at.
func (s *search) receivers() []int {
	if s.self {
		return []int{Client}
	}
	return []int{Client, Server}
}

// eligible states keep SND.UNA only to refuse retransmissions of
// acknowledged data and to notice the acknowledgment of a FIN (which
// changes the state): a configuration with a lower SND.UNA and otherwise
// equal can do everything one with a higher can, since the
// acknowledgments that raised it may still arrive.
func eligible(st tcp.Conn) bool {
	switch st {
	case tcp.ESTABLISHED, tcp.FIN_WAIT_1, tcp.FIN_WAIT_2, tcp.CLOSE_WAIT, tcp.CLOSING, tcp.LAST_ACK, tcp.TIME_WAIT:
		return true
	}
	return false
}

// sndUnaOnly reports whether b differs from a in SND.UNA alone, in an
// eligible state.
func sndUnaOnly(a, b endpoint) bool {
	if a.State != b.State || !eligible(a.State) {
		return false
	}
	b.SndUna = a.SndUna
	return a == b
}

// arriveAt is the TCB of side after segment i arrives, without the reset
// it may call for, and whether the arrival matters (changes more than an
// eligible SND.UNA).
func (s *search) arriveAt(e endpoint, side, i int) (endpoint, bool) {
	return s.arriveWith(e, i, s.synISS[side])
}

// arriveWith is arriveAt with the ISS selected if a SYN arrives in LISTEN.
func (s *search) arriveWith(e endpoint, i int, iss uint32) (endpoint, bool) {
	d := e
	arrive(&d, s.segs[i], iss)
	d.Reply = reply{}
	return d, d != e && !sndUnaOnly(e, d)
}

// pruned reports whether side's TCB in c can send none of the segments
// it is still seen to send after layer k: RCV.NXT is beyond one of their
// acknowledgment numbers.
func (s *search) pruned(c *config, side, k int) bool {
	e := &c.Ep[side]
	if e.State < tcp.SYN_RECEIVED {
		return false
	}
	if s.has[side][k+1] && tcp.SeqGT(e.RcvNxt, s.bound[side][k+1]) {
		return true
	}
	for _, p := range c.Pend[side] {
		if p == 0 {
			break
		}
		if g := s.segs[p-1]; g.Has(tcp.ACK) && !g.Has(tcp.RST|tcp.SYN) && tcp.SeqGT(e.RcvNxt, g.Ack) {
			return true
		}
	}
	return false
}

// successors appends the configurations one internal step from c in layer
// k: an arrival that matters, a waiting segment sent (on the path), or a
// user call or timeout whose segment (if any) was lost before the capture
// point.
func (s *search) successors(c config, k int, out []step) []step {
	for _, to := range s.receivers() {
		if !s.active(to, k) {
			continue
		}
		from := s.peerOf(to)
		lim := c.arrivalLimit(to, k)
		s.ix[from].candidates(&c.Ep[to], lim, func(i int) {
			// A segment waiting to be sent by its side in this
			// configuration was sent before it was seen all the
			// same: it may arrive.
			isses := s.isses[to][:min(1, len(s.isses[to]))]
			if c.Ep[to].State == tcp.LISTEN && s.segs[i].Has(tcp.SYN) {
				// The ISS it selects is one it is seen to use.
				isses = s.isses[to]
			}
			for _, iss := range isses {
				e, ok := s.arriveWith(c.Ep[to], i, iss)
				if !ok {
					continue
				}
				d := c
				d.Ep[to] = e
				if !s.pruned(&d, to, k) {
					out = append(out, step{d, 0})
				}
			}
		})
	}
	if s.path {
		for side := 0; side < 2; side++ {
			if !s.active(side, k) {
				continue
			}
			for _, p := range c.Pend[side] {
				if p == 0 {
					break
				}
				sent, r, _ := s.send(c, side, int(p-1))
				if len(sent) == 0 && s.discharge == nil {
					s.discharge = r
				}
				for _, d := range sent {
					d.unpend(side, int(p-1))
					out = append(out, step{d, 0})
				}
			}
		}
	}
	for side := 0; side < 2; side++ {
		if !s.active(side, k) {
			continue
		}
		e := &c.Ep[side]
		switch e.State {
		case tcp.LISTEN, tcp.SYN_SENT:
			// CLOSE (§3.10.4) deletes the TCB.
			d := c
			d.Ep[side].deleteTCB(tcp.EndClose)
			out = append(out, step{d, 1})
		case tcp.SYN_RECEIVED, tcp.ESTABLISHED, tcp.CLOSE_WAIT:
			if !e.FinSent {
				// CLOSE sends a FIN (§3.10.4), lost before the capture point.
				d := c
				var seen uint16
				d.Ep[side].SendFIN(&seen)
				out = append(out, step{d, 1})
			}
		case tcp.TIME_WAIT:
			// The 2MSL timeout (§3.10.8).
			d := c
			d.Ep[side].deleteTCB(tcp.EndTimeWait)
			out = append(out, step{d, 1})
		}
		if side == Server && e.fresh() && !s.self {
			// A passive OPEN (§3.10.1) by a server that had no
			// listener yet (and may have refused a SYN before).
			d := c
			d.Ep[side] = endpoint{TCB: tcp.TCB{State: tcp.LISTEN, Passive: true}}
			out = append(out, step{d, 1})
		}
		if e.State == tcp.SYN_RECEIVED && e.Passive {
			// A passive connection that never became established is
			// given up (its SYN,ACK retransmissions exhausted) and
			// the listener keeps listening: the LISTEN that Note 1
			// of Figure 5 returns to on a reset.
			d := c
			d.Ep[side] = endpoint{TCB: tcp.TCB{State: tcp.LISTEN}}
			out = append(out, step{d, 1})
		}
		if e.State != tcp.CLOSED {
			// ABORT (§3.10.5).
			d := c
			d.Ep[side].deleteTCB(tcp.EndAbort)
			out = append(out, step{d, 1})
		}
	}
	return out
}

// active reports whether side takes internal steps in layer k (after
// segment k): only before a segment of its own, or after the last. Its
// internal steps (arrivals, user calls whose segments were lost, timeouts)
// neither depend on nor change the other side's TCB, and every segment
// that may arrive now may arrive later too, so they can wait until side
// next sends: executions are searched in that normal form, which keeps a
// side that receives a long stream without answering from multiplying the
// configurations between its answers.
func (s *search) active(side, k int) bool {
	return s.self || k+1 >= len(s.segs) || s.segs[k+1].From == side
}

// step is an internal step's target configuration.
type step struct {
	c      config
	silent int32
}

// close completes layer l (after segment k; -1 before the first) under
// internal steps.
func (s *search) close(l *layer, k int) error {
	var buf []step
	for i := 0; i < len(l.nodes); i++ {
		buf = s.successors(l.nodes[i], k, buf[:0])
		for _, d := range buf {
			j, _ := l.addNode(d.c)
			if j != int32(i) {
				l.internal[i] = append(l.internal[i], edge{j, d.silent})
			}
		}
		if len(l.nodes) > maxLayer {
			return fmt.Errorf("search limit: more than %d configurations between two segments", maxLayer)
		}
	}
	s.largest = max(s.largest, len(l.nodes))
	l.index = nil
	return nil
}

// send returns the configurations after side sends segment k from c (as
// the reset an arrival calls for, or by emit), or why it cannot, and the
// reset it owes instead, if any.
func (s *search) send(c config, side, k int) ([]config, *refusal, *reply) {
	g := s.segs[k]
	var out []config
	var owed *reply
	if g.Has(tcp.RST) {
		// A reset answers a segment that arrived (§3.10.7.1-4): one
		// observed before it (and sent), that may arrive at side now.
		from := s.peerOf(side)
		lim := c.arrivalLimit(side, k-1)
		for i := 0; i < lim; i++ {
			h := s.segs[i]
			if h.From != from {
				continue
			}
			if g.Has(tcp.ACK) && h.Has(tcp.ACK) || !g.Has(tcp.ACK) && h.Ack != g.Seq {
				continue
			}
			e := c.Ep[side]
			arrive(&e, h, s.synISS[side])
			if !e.Reply.Has {
				continue
			}
			if replies(e.Reply, g) {
				e.Reply = reply{}
				d := c
				d.Ep[side] = e
				out = append(out, d)
			} else if owed == nil {
				r := e.Reply
				owed = &r
			}
		}
	}
	d := c
	r := emit(&d.Ep[side], side, g, s.num)
	if r == nil {
		out = append(out, d)
	}
	return out, r, owed
}

// emitAll tries the emission of segment k from every configuration of
// prev into next, and returns the most informative refusal if none can.
func (s *search) emitAll(prev, next *layer, k int) *refusal {
	g := s.segs[k]
	var best *refusal
	bestKey := [4]int64{int64(inf)}
	dominated := s.dominated(prev)
	for i, c := range prev.nodes {
		if dominated[i] {
			continue
		}
		tries, r, owed := s.send(c, g.From, k)
		if len(tries) == 0 && r != nil && !g.Has(tcp.RST|tcp.SYN) {
			// A rule the segment breaks whatever its sender has
			// received is a better reason than its ACK field.
			h := g
			h.Ack = c.Ep[g.From].RcvNxt
			d := c.Ep[g.From]
			if r0 := emit(&d, g.From, h, s.num); r0 != nil {
				r = r0
			}
		}
		if len(tries) == 0 {
			// The refusal of the simplest execution (fewest unseen
			// steps) is the most informative; among those, one that
			// owed a different reset, then the one with the most
			// segments waiting to be sent (the sender is earliest in
			// its history, so what stops it stops any execution),
			// then the one where the sender got furthest (state,
			// then RCV.NXT): the segments it may have received have
			// arrived.
			if owed != nil && r != nil && g.Has(tcp.RST) {
				r = s.owedRefusal(*owed, g)
			}
			e := &c.Ep[g.From]
			progress := int64(e.State)<<32 | int64(e.RcvNxt-s.num.isn[s.peerOf(g.From)])
			key := [4]int64{int64(prev.cost[i]), 1, -int64(c.pendCount(0) + c.pendCount(1)), -progress}
			if owed != nil {
				key[1] = 0
			}
			if r != nil && less(key, bestKey) {
				best, bestKey = r, key
			}
		}
		if s.path {
			if s.dup[k] {
				// The network duplicated a segment before the
				// capture point: nothing new was sent.
				tries = append(tries, c)
			}
			if !s.mayWait[k] {
				// No later segment of its side must be sent before it.
			} else if c.pendCount(g.From) < maxPending {
				// Sent later than segments seen after it.
				d := c
				d.Pend[g.From][d.pendCount(g.From)] = int32(k + 1)
				tries = append(tries, d)
			} else {
				s.full = true
			}
		}
		for _, d := range tries {
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
	if s.path {
		return best // kept for when no configuration has sent everything
	}
	return nil
}

// anySent reports whether some configuration of l has sent every
// segment observed.
func (s *search) anySent(l *layer) bool {
	for i := range l.nodes {
		if l.nodes[i].Pend[0][0] == 0 && l.nodes[i].Pend[1][0] == 0 {
			return true
		}
	}
	return false
}

// dominated marks the configurations of l that another one of l can
// simulate: equal but for a higher SND.UNA in an eligible state (see
// eligible). The search continues from the others only.
func (s *search) dominated(l *layer) []bool {
	out := make([]bool, len(l.nodes))
	groups := map[config][]int{}
	for i, c := range l.nodes {
		key := c
		for side := 0; side < 2; side++ {
			if eligible(key.Ep[side].State) {
				key.Ep[side].SndUna = 0
			}
		}
		groups[key] = append(groups[key], i)
	}
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		for _, i := range g {
			for _, j := range g {
				if i == j || out[j] {
					continue
				}
				a, b := &l.nodes[j].Ep, &l.nodes[i].Ep
				if tcp.SeqLEQ(a[0].SndUna, b[0].SndUna) && tcp.SeqLEQ(a[1].SndUna, b[1].SndUna) {
					out[i] = true
					break
				}
			}
		}
	}
	return out
}

func less(a, b [4]int64) bool {
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
	client := endpoint{TCB: tcp.TCB{State: tcp.CLOSED}}
	servers := []endpoint{{TCB: tcp.TCB{State: tcp.LISTEN, Passive: true}}, {TCB: tcp.TCB{State: tcp.CLOSED}}}
	if s.self {
		servers = servers[1:]
	}
	for _, server := range servers {
		var c config
		c.Ep[Client], c.Ep[Server] = client, server
		l.addNode(c)
	}
	l.entry = len(l.nodes)
	return l
}
