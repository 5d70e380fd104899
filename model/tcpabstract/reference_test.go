package tcpabstract_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcpabstract"
)

// A plain reference implementation of the specification's semantics, as
// the issue states them, with no packing and no cleverness: states are
// structs of slices, kept in a map under a string key, explored breadth
// first. The engine's counts on the packed model must equal its counts.

type refState struct {
	conn    [2]string
	tcb     [2]bool
	network [2][]string
}

func (s refState) key() string {
	var b strings.Builder
	for p := 0; p < 2; p++ {
		b.WriteString(s.conn[p])
		if s.tcb[p] {
			b.WriteString("+")
		}
		b.WriteString("[" + strings.Join(s.network[p], "|") + "]")
	}
	return b.String()
}

func (s refState) clone() refState {
	c := s
	for p := 0; p < 2; p++ {
		c.network[p] = append([]string(nil), s.network[p]...)
	}
	return c
}

type refAction struct {
	kind string // user, system or reset, for the action constraint
	name string
	next refState
}

// successors lists every successor of s, as the specification defines the
// actions; capacity 0 means unbounded networks.
func successors(s refState, capacity int) []refAction {
	var out []refAction
	for l := 0; l < 2; l++ {
		r := 1 - l
		canSend := capacity == 0 || len(s.network[r]) < capacity
		head := ""
		if len(s.network[l]) > 0 {
			head = s.network[l][0]
		}
		add := func(kind, name string, f func(n *refState)) {
			n := s.clone()
			f(&n)
			out = append(out, refAction{kind, name, n})
		}
		send := func(n *refState, m string) { n.network[r] = append(n.network[r], m) }
		recv := func(n *refState) { n.network[l] = n.network[l][1:] }
		user := func(name, from, to string, snd string, tcb int) {
			if s.conn[l] != from || (snd != "" && !canSend) {
				return
			}
			add("user", name, func(n *refState) {
				n.conn[l] = to
				if snd != "" {
					send(n, snd)
				}
				switch tcb {
				case 1:
					n.tcb[l] = true
				case 2:
					n.tcb[l] = false
				}
			})
		}
		user("passive open", "CLOSED", "LISTEN", "", 1)
		user("active open", "CLOSED", "SYN-SENT", "SYN", 1)
		user("close syn-sent", "SYN-SENT", "CLOSED", "", 2)
		user("close syn-received", "SYN-RECEIVED", "FIN-WAIT-1", "FIN", 0)
		user("send listen", "LISTEN", "SYN-SENT", "SYN", 0)
		user("close listen", "LISTEN", "CLOSED", "", 2)
		user("close established", "ESTABLISHED", "FIN-WAIT-1", "FIN", 0)
		user("close close-wait", "CLOSE-WAIT", "LAST-ACK", "FIN", 0)
		sys := func(from, rcv, snd, to string) {
			if s.conn[l] != from || head != rcv || (snd != "" && !canSend) {
				return
			}
			add("system", from+" rcv "+rcv, func(n *refState) {
				recv(n)
				if snd != "" {
					send(n, snd)
				}
				n.conn[l] = to
			})
		}
		sys("SYN-SENT", "SYN", "SYN,ACK", "SYN-RECEIVED")
		sys("SYN-SENT", "SYN,ACK", "ACK", "ESTABLISHED")
		sys("SYN-RECEIVED", "RST", "", "LISTEN")
		sys("SYN-RECEIVED", "ACK", "", "ESTABLISHED")
		sys("LISTEN", "SYN", "SYN,ACK", "SYN-RECEIVED")
		sys("ESTABLISHED", "FIN", "ACKofFIN", "CLOSE-WAIT")
		sys("FIN-WAIT-1", "FIN", "ACKofFIN", "CLOSING")
		sys("FIN-WAIT-1", "ACKofFIN", "", "FIN-WAIT-2")
		sys("FIN-WAIT-2", "FIN", "ACKofFIN", "TIME-WAIT")
		sys("CLOSING", "ACKofFIN", "", "TIME-WAIT")
		sys("LAST-ACK", "ACKofFIN", "", "CLOSED")
		if s.conn[l] == "TIME-WAIT" && s.tcb[l] {
			add("system", "time-wait timeout", func(n *refState) { n.conn[l], n.tcb[l] = "CLOSED", false })
		}
		if s.conn[l] == "FIN-WAIT-1" && len(s.network[l]) >= 2 && s.network[l][0] == "FIN" &&
			s.network[l][1] == "ACKofFIN" && canSend {
			add("system", "fin-wait-1 rcv fin+ackoffin", func(n *refState) {
				recv(n)
				recv(n)
				send(n, "ACKofFIN")
				n.conn[l] = "TIME-WAIT"
			})
		}
		if s.tcb[l] && canSend {
			add("reset", "send rst", func(n *refState) { send(n, "RST"); n.conn[l] = "TIME-WAIT" })
		}
		if head == "RST" {
			add("reset", "rst to listen", func(n *refState) { recv(n); n.conn[l] = "LISTEN" })
			add("reset", "rst to closed", func(n *refState) { recv(n); n.conn[l] = "CLOSED" })
		}
	}
	return out
}

type counts struct {
	Distinct, Generated uint64
	Depth               int
}

func referenceCounts(mc bool, capacity int) counts {
	var inits []refState
	if mc {
		for n := 0; n < 2; n++ {
			var s refState
			s.tcb = [2]bool{true, true}
			s.conn[n], s.conn[1-n] = "SYN-SENT", "LISTEN"
			s.network[1-n] = []string{"SYN"}
			inits = append(inits, s)
		}
	} else {
		inits = []refState{{conn: [2]string{"CLOSED", "CLOSED"}}}
	}
	noRepeats := func(s refState) bool {
		for p := 0; p < 2; p++ {
			for i := 1; i < len(s.network[p]); i++ {
				if s.network[p][i] == s.network[p][i-1] {
					return false
				}
			}
		}
		return true
	}
	seen := map[string]bool{}
	var c counts
	var level []refState
	for _, s := range inits {
		c.Generated++
		if !seen[s.key()] {
			seen[s.key()] = true
			level = append(level, s)
		}
	}
	for len(level) > 0 {
		c.Depth++
		var next []refState
		for _, s := range level {
			for _, a := range successors(s, capacity) {
				c.Generated++
				if mc && (!noRepeats(a.next) || a.name == "active open" || a.name == "passive open" || a.name == "send listen") {
					continue
				}
				if k := a.next.key(); !seen[k] {
					seen[k] = true
					next = append(next, a.next)
				}
			}
		}
		level = next
	}
	c.Distinct = uint64(len(seen))
	return c
}

func TestCountsAgreeWithReferenceSearch(t *testing.T) {
	cases := []struct {
		name string
		cfg  tcpabstract.Config
		cap  int
	}{
		{"mc", tcpabstract.Config{MC: true}, 0},
		{"bounded k=1", tcpabstract.Config{Capacity: 1}, 1},
		{"bounded k=2", tcpabstract.Config{Capacity: 2}, 2},
		{"bounded k=3", tcpabstract.Config{Capacity: 3}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := referenceCounts(tc.cfg.MC, tc.cap)
			for _, workers := range []int{1, 2} {
				r, err := checker.Check(context.Background(), tc.cfg.Model(), checker.Options{Workers: workers})
				if err != nil {
					t.Fatal(err)
				}
				got := counts{r.Distinct, r.Generated, r.Depth}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("workers=%d: counts differ from the reference search (-want +got):\n%s", workers, d)
				}
				for _, p := range r.Properties {
					if p.Status != checker.Holds {
						t.Errorf("workers=%d: %s is %s, want holds", workers, p.Property.Name, p.Status)
					}
				}
			}
		})
	}
}

// The invariant holds for the specification (above), but a peer that
// goes ESTABLISHED on SYN,ACK without sending the ACK leaves the other in
// SYN-RECEIVED with both networks empty: the engine must say so.
func TestBrokenHandshakeBreaksEstablishedTogether(t *testing.T) {
	m := tcpabstract.Config{Capacity: 2}.Model()
	next := m.Next
	m.Next = func(s tcpabstract.State, a checker.Action) tcpabstract.State {
		if k, l := tcpabstract.Decode(a); k == tcpabstract.SynSentRcvSynAck {
			// Go ESTABLISHED without sending the ACK.
			n := next(s, tcpabstract.Encode(tcpabstract.CloseSynSent, l))
			return tcpabstract.Make([2]tcpabstract.ConnState{conn(n, 0, l), conn(n, 1, l)}, [2]bool{n.TCB(0) || l == 0, n.TCB(1) || l == 1},
				[2][]tcpabstract.Msg{dropHead(s, 0, l), dropHead(s, 1, l)})
		}
		return next(s, a)
	}
	r, err := checker.Check(context.Background(), m, checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := r.Properties[0]
	if p.Status != checker.Violated || p.Trace == nil {
		t.Fatalf("established-together: got %s, want violated with a trace", p.Status)
	}
	last := p.Trace.Steps[len(p.Trace.Steps)-1].State
	if !(last.Conn(0) == tcpabstract.Established) && !(last.Conn(1) == tcpabstract.Established) {
		t.Errorf("counterexample ends in %v: nobody ESTABLISHED", last)
	}
}

func conn(n tcpabstract.State, p, l int) tcpabstract.ConnState {
	if p == l {
		return tcpabstract.Established
	}
	return n.Conn(p)
}

func dropHead(s tcpabstract.State, p, l int) []tcpabstract.Msg {
	msgs := s.Network(p)
	if p == l && len(msgs) > 0 {
		return msgs[1:]
	}
	return msgs
}
