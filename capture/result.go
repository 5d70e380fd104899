package capture

import (
	"fmt"
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
	// Limit names the bound of the search a rejection assumes, if any.
	Limit string `json:"limit,omitempty"`
	// CapturePoint is where the verdict assumed the capture was taken:
	// "endpoint" or "path" (see CapturePoint).
	CapturePoint string `json:"capture_point"`
	// Configs is the most configurations the search kept between two
	// segments.
	Configs int `json:"configurations"`
}

// CapturePoint says where on the path between the endpoints a capture may
// have been taken.
type CapturePoint int

const (
	// Auto tries AtEndpoint, then OnPath if that rejects: the verdict
	// says which explained the capture (or the OnPath rejection).
	Auto CapturePoint = iota
	// AtEndpoint: each side's segments are seen in the order it sent
	// them (some lost before the capture point, none duplicated there).
	AtEndpoint
	// OnPath: each side's segments are seen after the network between
	// it and the capture point lost, delayed, duplicated and reordered
	// them: a segment was sent at some point before it is seen, before
	// or after the other segments of its side seen around it.
	OnPath
)

func (p CapturePoint) String() string {
	switch p {
	case AtEndpoint:
		return "endpoint"
	case OnPath:
		return "path"
	}
	return "auto"
}

// ParseCapturePoint parses "auto", "endpoint" or "path".
func ParseCapturePoint(s string) (CapturePoint, error) {
	for _, p := range []CapturePoint{Auto, AtEndpoint, OnPath} {
		if p.String() == s {
			return p, nil
		}
	}
	return Auto, fmt.Errorf("capture point %q: want auto, endpoint or path", s)
}

// Options tune Validate.
type Options struct {
	CapturePoint CapturePoint
}

// Validate decides whether the segments of c are a behaviour of two RFC
// 9293 endpoints, with the capture point at an endpoint or else on the
// path (Auto). See the package documentation for what is and is not
// modelled.
func Validate(c Conn) Verdict { return ValidateWith(c, Options{}) }

// ValidateWith is Validate with options.
func ValidateWith(c Conn, o Options) Verdict {
	switch o.CapturePoint {
	case AtEndpoint:
		return validate(c, false, true)
	case OnPath:
		return validate(c, true, true)
	}
	v := validate(c, false, false)
	if v.Accepted {
		return v
	}
	return validate(c, true, true)
}

// validate runs the search with the capture point on the path or at an
// endpoint; locate finds the segment a rejection names (else it is where
// the search failed).
func validate(c Conn, path, locate bool) (v Verdict) {
	n := len(c.Segments)
	s := newSearch(c, n, path)
	v = Verdict{Client: c.Addr[Client], Server: c.Addr[Server], Rejected: -1, CapturePoint: AtEndpoint.String()}
	if path {
		v.CapturePoint = OnPath.String()
	}
	for _, g := range c.Segments {
		st := Step{Frame: g.Frame, From: tcp.SideNames[g.From], Flags: tcp.Segment{Flags: g.Flags}.CtlString(),
			Seq: g.Seq - s.num.isn[g.From], Len: g.Len}
		if g.Has(tcp.ACK) {
			st.Ack = g.Ack - s.num.isn[s.peerOf(g.From)]
		}
		v.Steps = append(v.Steps, st)
	}
	at, r, err := s.run()
	v.Configs = s.largest
	if err == nil && at >= 0 && locate {
		// The first segment no execution sends is the last of the
		// shortest prefix that no execution explains (a prefix of an
		// explainable capture is explainable). The search of the whole
		// capture may fail earlier, since it prunes configurations
		// that cannot send a later segment, or later, since on the
		// path a segment that cannot be sent may wait for segments
		// seen after it; at an endpoint the segments before the one it
		// failed at are explained.
		lo, hi := s.sent, n
		try := func(m int) bool { // reports whether prefix m fails
			t := newSearch(c, m, path)
			tat, _, terr := t.run()
			v.Configs = max(v.Configs, t.largest)
			if terr != nil {
				err = terr
			}
			return tat >= 0
		}
		if at+1 < n && at+1 > lo {
			if try(at + 1) {
				hi = at + 1
			} else {
				lo = at + 1
			}
		}
		for hi-lo > 1 && err == nil {
			if mid := (lo + hi) / 2; try(mid) {
				hi = mid
			} else {
				lo = mid
			}
		}
		at = hi - 1
		// Why: the search of that prefix, pruned only by the
		// segments before the last (which are explained), fails at it.
		if err == nil {
			s = newSearchAhead(c, hi, hi-1, path)
			var tat int
			tat, r, err = s.run()
			v.Configs = max(v.Configs, s.largest)
			if err == nil && tat != at {
				// Not expected: a limit of the search (see maxPending,
				// waitWindow) made the prefixes disagree.
				err = fmt.Errorf("search limit: the first %d segments are explained only in part", hi)
			}
		}
	}
	switch {
	case err != nil:
		v.Error = err.Error()
		v.Rejected, v.Frame = at, c.Segments[at].Frame
	case at >= 0:
		v.Rejected, v.Frame, v.Rule, v.RFC = at, c.Segments[at].Frame, r.Rule, r.RFC
		if s.full {
			v.Limit = fmt.Sprintf("on the path, at most %d segments of a side are seen before one it sent earlier", maxPending)
		}
		s.fillStates(&v, at)
	default:
		v.Accepted = true
		s.fillStates(&v, n)
	}
	return v
}

// run searches the segments, and returns the first segment at which the
// search fails and why (-1 if it explains them all), or an error if it
// gave up. With the capture point on the path, it fails at the last
// segment if no configuration has sent every segment by then.
func (s *search) run() (int, *refusal, error) {
	l := s.initial()
	if err := s.close(l, -1); err != nil {
		return 0, nil, err
	}
	s.costs(l, nil)
	s.layers = append(s.layers, l)
	s.sent = 0
	var r *refusal
	for k := range s.segs {
		next := newLayer()
		r = s.emitAll(l, next, k)
		if len(next.nodes) == 0 {
			return k, r, nil
		}
		next.entry = len(next.nodes)
		if err := s.close(next, k); err != nil {
			return k, nil, err
		}
		s.costs(next, l)
		s.layers = append(s.layers, next)
		l = next
		if !s.path || s.anySent(l) {
			s.sent = k + 1
		}
	}
	if n := len(s.segs); s.path && n > 0 && !s.anySent(l) {
		// No execution sends them all (the waiting ones cannot be
		// sent after all).
		if r == nil {
			r = s.discharge
		}
		if r == nil {
			r = &refusal{"no execution sends this segment after the segments seen before it", "RFC 9293 §3.10"}
		}
		return n - 1, r, nil
	}
	return -1, nil, nil
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
	// A segment that has not arrived yet may arrive at once: the
	// receiver's internal steps wait until it next sends (see active),
	// and the diagram shows them as soon as they may happen.
	var delivered, any []config
	for i := range l.nodes {
		if !reach[i] {
			continue
		}
		c := l.nodes[i]
		any = append(any, c)
		g := s.segs[k-1]
		to := s.peerOf(g.From)
		c.Ep[to], _ = s.arriveAt(c.Ep[to], to, k-1)
		delivered = append(delivered, c)
	}
	pick := delivered
	if len(pick) == 0 {
		pick = any
	}
	var out [2][]string
	for side := 0; side < 2; side++ {
		seen := map[tcp.Conn]bool{}
		for _, c := range pick {
			seen[c.Ep[side].State] = true
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

// unarrived reports whether segment i has not been sent yet in c, or its
// arrival would still change its receiver.
func (s *search) unarrived(c *config, i int) bool {
	g := s.segs[i]
	if c.pending(g.From, i) {
		return true
	}
	to := s.peerOf(g.From)
	_, ok := s.arriveAt(c.Ep[to], to, i)
	return ok
}
