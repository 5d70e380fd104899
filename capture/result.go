package capture

import (
	"sort"
	"strconv"
	"strings"

	"github.com/handshake/handshake/model/tcp"
)

// Step is one observed segment with relative numbers, and the states the
// endpoints may be in after it.
type Step struct {
	Frame int    `json:"frame"`
	From  string `json:"from"` // "client" or "server"
	// Flags are the control bits as the RFC writes them ("SYN,ACK").
	Flags string `json:"flags"`
	// Seq is relative to the sender's ISN, Ack to the receiver's.
	Seq uint32 `json:"seq"`
	Ack uint32 `json:"ack"`
	Len uint32 `json:"len"`
	// States lists, per endpoint, the states it may be in after this
	// segment on some execution that explains the whole capture (for a
	// rejected connection, the segments before the rejected one).
	States [2][]string `json:"states,omitempty"`
}

// Text renders the segment as in the sequence diagrams of the model,
// e.g. "SYN,ACK seq=0 ack=1" or "ACK seq=1 ack=1 len=5".
func (s Step) Text() string {
	var b strings.Builder
	ctl := s.Flags
	if ctl == "" {
		ctl = "-"
	}
	b.WriteString(ctl + " seq=" + strconv.FormatUint(uint64(s.Seq), 10))
	if strings.Contains(s.Flags, "ACK") {
		b.WriteString(" ack=" + strconv.FormatUint(uint64(s.Ack), 10))
	}
	if s.Len > 0 {
		b.WriteString(" len=" + strconv.FormatUint(uint64(s.Len), 10))
	}
	return b.String()
}

// Verdict is the validator's answer for one connection.
type Verdict struct {
	Client   string `json:"client"`
	Server   string `json:"server"`
	Accepted bool   `json:"accepted"`
	// Rejected names the first segment no execution can produce (index
	// into Steps) and the rule it breaks; -1 if accepted.
	Rejected int    `json:"rejected_at"`
	Frame    int    `json:"frame,omitempty"`
	Rule     string `json:"rule,omitempty"`
	RFC      string `json:"rfc,omitempty"`
	Steps    []Step `json:"segments"`
	// Error is set when the search gave up (too many configurations).
	Error string `json:"error,omitempty"`
}

// Validate decides whether the segments of c are a behaviour of two RFC
// 9293 endpoints over a network that may lose and reorder segments after
// the capture point, and lose them before it. See the package
// documentation for what is and is not modelled.
func Validate(c Conn) Verdict {
	s := newSearch(c.Segments)
	v := Verdict{Client: c.Addr[Client], Server: c.Addr[Server], Rejected: -1}
	for _, g := range c.Segments {
		st := Step{Frame: g.Frame, From: tcp.SideNames[g.From], Flags: tcp.Segment{Flags: g.Flags}.CtlString(),
			Seq: g.Seq - s.num.isn[g.From], Len: g.Len}
		if g.Has(tcp.ACK) {
			st.Ack = g.Ack - s.num.isn[1-g.From]
		}
		v.Steps = append(v.Steps, st)
	}
	l := s.initial()
	if err := s.close(l); err != nil {
		v.Error = err.Error()
		return v
	}
	s.costs(l, nil)
	s.layers = append(s.layers, l)
	for k := range c.Segments {
		next := newLayer()
		if r := s.emitAll(l, next, k); r != nil {
			v.Rejected, v.Frame, v.Rule, v.RFC = k, c.Segments[k].Frame, r.Rule, r.RFC
			s.fillStates(&v, k)
			return v
		}
		next.entry = len(next.nodes)
		if err := s.close(next); err != nil {
			v.Error = err.Error()
			v.Rejected, v.Frame = k, c.Segments[k].Frame
			return v
		}
		s.costs(next, l)
		s.layers = append(s.layers, next)
		l = next
	}
	v.Accepted = true
	s.fillStates(&v, len(c.Segments))
	return v
}

const inf = int32(1 << 30)

// costs computes l.cost, the fewest unseen user calls and timeouts on an
// execution reaching each node of l from the previous layer prev (nil for
// the first).
func (s *search) costs(l, prev *layer) {
	c := make([]int32, len(l.nodes))
	for i := range c {
		c[i] = inf
	}
	if prev == nil {
		for i := 0; i < l.entry; i++ {
			c[i] = 0
		}
	} else {
		for i := range prev.nodes {
			for _, j := range prev.next[i] {
				c[j] = min(c[j], prev.cost[i])
			}
		}
	}
	relax(l, c, true)
	l.cost = c
}

// fillStates records, for each segment before upto, the endpoint states
// of the simplest executions that reach layer upto: those with the fewest
// user calls and timeouts whose segments were never seen (lost before the
// capture point). Arrivals cost nothing. Every such execution explains
// the capture; the diagram shows the states they agree on, or all of them.
func (s *search) fillStates(v *Verdict, upto int) {
	// Forward: the fewest unseen steps to reach each node (layer.cost).
	f := make([][]int32, upto+1)
	for k := 0; k <= upto; k++ {
		f[k] = s.layers[k].cost
	}
	// Backward: b[k][i] is the fewest unseen steps from node i to the end.
	b := make([][]int32, upto+1)
	for k := upto; k >= 0; k-- {
		l := s.layers[k]
		bk := make([]int32, len(l.nodes))
		for i := range bk {
			bk[i] = inf
			if k == upto {
				bk[i] = 0
				continue
			}
			for _, j := range l.next[i] {
				bk[i] = min(bk[i], b[k+1][j])
			}
		}
		relax(l, bk, false)
		b[k] = bk
	}
	for k := 1; k <= upto; k++ {
		v.Steps[k-1].States = s.statesAfter(k, f[k], b[k])
	}
}

// relax propagates costs over the internal steps of l, forwards (cost to
// reach) or backwards (cost to finish), until nothing changes.
func relax(l *layer, cost []int32, forward bool) {
	for changed := true; changed; {
		changed = false
		for i := range l.nodes {
			for _, e := range l.internal[i] {
				if forward {
					if cost[i] < inf && cost[i]+e.Silent < cost[e.To] {
						cost[e.To] = cost[i] + e.Silent
						changed = true
					}
				} else if cost[e.To] < inf && cost[e.To]+e.Silent < cost[i] {
					cost[i] = cost[e.To] + e.Silent
					changed = true
				}
			}
		}
	}
}

// statesAfter lists the endpoint states after segment k (layer k): those
// of the nodes on simplest executions that are reached from the emission
// by arrivals alone and where segment k itself has arrived, if there are
// such nodes, else those of every node on a simplest execution reached by
// arrivals. Unseen user calls and timeouts show at the next segment.
func (s *search) statesAfter(k int, f, b []int32) [2][]string {
	l := s.layers[k]
	best := inf
	for i := range l.nodes {
		if f[i] < inf && b[i] < inf {
			best = min(best, f[i]+b[i])
		}
	}
	on := func(i int32) bool { return f[i] < inf && b[i] < inf && f[i]+b[i] == best }
	reach := make([]bool, len(l.nodes))
	var queue []int32
	for i := 0; i < l.entry; i++ {
		if on(int32(i)) {
			reach[i] = true
			queue = append(queue, int32(i))
		}
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, e := range l.internal[i] {
			if e.Silent == 0 && !reach[e.To] && on(e.To) {
				reach[e.To] = true
				queue = append(queue, e.To)
			}
		}
	}
	var delivered, any []int
	for i := range l.nodes {
		if !reach[i] {
			continue
		}
		any = append(any, i)
		if !l.nodes[i].holds(k - 1) {
			delivered = append(delivered, i)
		}
	}
	pick := delivered
	if len(pick) == 0 {
		pick = any
	}
	var out [2][]string
	for side := 0; side < 2; side++ {
		seen := map[tcp.Conn]bool{}
		for _, i := range pick {
			seen[l.nodes[i].Ep[side].State] = true
		}
		var cs []int
		for c := range seen {
			cs = append(cs, int(c))
		}
		sort.Ints(cs)
		for _, c := range cs {
			out[side] = append(out[side], tcp.Conn(c).String())
		}
	}
	return out
}

// holds reports whether segment i is in flight in c.
func (c *config) holds(i int) bool {
	for _, f := range c.Flight {
		if f == int32(i+1) {
			return true
		}
	}
	return false
}
