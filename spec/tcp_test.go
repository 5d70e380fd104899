package spec

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
)

func checkTCP(t *testing.T, variant string, params map[string]int) (checker.Model[tcp.State], checker.Result[tcp.State]) {
	t.Helper()
	m, r, err := runTCP(variant, params)
	if err != nil {
		t.Fatal(err)
	}
	return m, r
}

// runTCP checks a variant of "tcp" (every property) and refuses an
// incomplete run.
func runTCP(variant string, params map[string]int) (checker.Model[tcp.State], checker.Result[tcp.State], error) {
	cfg, err := TCPConfig(variant, params)
	if err != nil {
		return checker.Model[tcp.State]{}, checker.Result[tcp.State]{}, err
	}
	m := TCPModel(cfg)
	r, err := checker.Check(context.Background(), m, checker.Options{Workers: 2})
	if err == nil && !r.Complete {
		err = fmt.Errorf("%s: incomplete: %s", variant, r.Reason)
	}
	return m, r, err
}

// sharedRuns holds one check per variant of "tcp" with its default
// parameters, made by the first test that needs it and read by the others
// (the variant verdicts, the witnesses, the data-after-fin
// counterexample), instead of one identical run per test. Results are
// read only. The tests of this package do not run in parallel, so no run
// is made while a test has changed TCPDocumented (those tests check
// without the cache).
var sharedRuns struct {
	sync.Mutex
	runs map[string]*sharedRun
}

type sharedRun struct {
	once sync.Once
	m    checker.Model[tcp.State]
	r    checker.Result[tcp.State]
	err  error
}

// sharedTCP is checkTCP(t, variant, nil), made once per test binary.
func sharedTCP(t *testing.T, variant string) (checker.Model[tcp.State], checker.Result[tcp.State]) {
	t.Helper()
	sharedRuns.Lock()
	if sharedRuns.runs == nil {
		sharedRuns.runs = map[string]*sharedRun{}
	}
	run := sharedRuns.runs[variant]
	if run == nil {
		run = &sharedRun{}
		sharedRuns.runs[variant] = run
	}
	sharedRuns.Unlock()
	run.once.Do(func() { run.m, run.r, run.err = runTCP(variant, nil) })
	if run.err != nil {
		t.Fatal(run.err)
	}
	return run.m, run.r
}

func result(t *testing.T, r checker.Result[tcp.State], name string) checker.PropertyResult[tcp.State] {
	t.Helper()
	for _, pr := range r.Properties {
		if pr.Property.Name == name {
			return pr
		}
	}
	t.Fatalf("no property %q", name)
	return checker.PropertyResult[tcp.State]{}
}

// longTCPVariants are the variants of "tcp" whose full check (every
// property, liveness on the whole state graph included) takes seconds
// each: 0.5M to 1.4M states, 2 to 10 s of CPU. TestLongTCPVariants...
// (tcp_long_test.go, go test -tags long) checks their verdicts; in the
// plain test run, TestTCPBrokenVariantsFailOnlyByTheirFlaw still checks
// the property that shows each broken one's flaw, and its sound
// counterpart.
var longTCPVariants = map[string]bool{
	"rfc9293-unreliable": true,
	"rfc9293-reuse":      true,
	"no-time-wait":       true,
	"no-seq-check":       true,
	"no-syn-ack-check":   true,
}

// TestTCPVariantsGetTheirExpectedVerdicts checks every variant of the
// entry but the long ones against its Expect map, through the variant
// matrix (package matrix, as "handshake matrix" does).
func TestTCPVariantsGetTheirExpectedVerdicts(t *testing.T) {
	checkMatrix(t, tcpVariantsWhere(t, func(name string) bool { return !longTCPVariants[name] }))
}

// tcpVariantsWhere is the "tcp" entry with only the variants keep keeps;
// it fails the test if longTCPVariants names a variant the entry lacks.
func tcpVariantsWhere(t *testing.T, keep func(name string) bool) *Entry {
	t.Helper()
	e := *TCP()
	for name := range longTCPVariants {
		if _, err := e.Variant(name); err != nil {
			t.Errorf("longTCPVariants: %v", err)
		}
	}
	var vs []Variant
	for _, v := range e.Variants {
		if keep(v.Name) {
			vs = append(vs, v)
		}
	}
	e.Variants = vs
	return &e
}

// bfsDepth is an independent breadth-first search over the model's
// functions: the number of actions on a shortest path to a state where
// bad holds, or -1.
func bfsDepth(m checker.Model[tcp.State], bad func(tcp.State) bool) int {
	depth := map[tcp.State]int{}
	var q []tcp.State
	for _, s := range m.Init() {
		depth[s] = 0
		q = append(q, s)
	}
	var buf []checker.Action
	for i := 0; i < len(q); i++ {
		s := q[i]
		if bad(s) {
			return depth[s]
		}
		buf = m.Actions(s, buf[:0])
		for _, a := range buf {
			n := m.Next(s, a)
			if _, ok := depth[n]; !ok {
				depth[n] = depth[s] + 1
				q = append(q, n)
			}
		}
	}
	return -1
}

func TestDataAfterFINCounterexampleIsShortest(t *testing.T) {
	m, r := sharedTCP(t, "data-after-fin")
	pr := result(t, r, "no-data-after-fin")
	if pr.Status != checker.Violated || pr.Trace == nil {
		t.Fatalf("no-data-after-fin: %s, want violated with a trace", pr.Status)
	}
	tr := pr.Trace
	last := tr.Steps[len(tr.Steps)-1].State
	if NoDataAfterFIN(last) {
		t.Fatalf("counterexample ends in a state satisfying the invariant:\n%s", tcp.Format(last))
	}
	for i, st := range tr.Steps[:len(tr.Steps)-1] {
		if !NoDataAfterFIN(st.State) {
			t.Fatalf("counterexample violates the invariant already at step %d", i)
		}
	}
	for i := 1; i < len(tr.Steps); i++ {
		if got := m.Next(tr.Steps[i-1].State, tr.Steps[i].Action); got != tr.Steps[i].State {
			t.Fatalf("step %d does not follow from step %d", i, i-1)
		}
	}
	want := bfsDepth(m, func(s tcp.State) bool { return !NoDataAfterFIN(s) })
	if got := len(tr.Steps) - 1; got != want {
		t.Errorf("counterexample has %d actions; the shortest has %d", got, want)
	}
}

// The flaw also lets an application receive data after end-of-stream (the
// second clause of no-data-after-fin), deeper than the first violation.
func TestDataAfterFINReachesDataAfterEndOfStream(t *testing.T) {
	cfg, _ := TCPConfig("data-after-fin", nil)
	d := bfsDepth(TCPModel(cfg), func(s tcp.State) bool {
		for _, e := range s.Ep {
			if e.EOS && e.Recvd > e.RecvdAtEOS {
				return true
			}
		}
		return false
	})
	if d < 0 {
		t.Errorf("no state where an application receives data after end-of-stream")
	}
	cfg, _ = TCPConfig("rfc9293", nil)
	if d := bfsDepth(TCPModel(cfg), func(s tcp.State) bool { return !NoDataAfterFIN(s) }); d >= 0 {
		t.Errorf("the RFC model violates no-data-after-fin at depth %d", d)
	}
}

// lanes renders a trace as each lane's state sequence and the segments
// sent, in order, from the model's Describe.
func lanes(m checker.Model[tcp.State], tr *checker.Trace[tcp.State]) (states, sent [2][]string) {
	for i := range states {
		states[i] = []string{tr.Steps[0].State.Ep[i].State.String()}
	}
	for i := 1; i < len(tr.Steps); i++ {
		for _, ev := range m.Describe(tr.Steps[i-1].State, tr.Steps[i].Action, tr.Steps[i].State) {
			switch ev.Kind {
			case checker.Change:
				states[ev.Lane] = append(states[ev.Lane], ev.Text)
			case checker.Send:
				sent[ev.Lane] = append(sent[ev.Lane], ev.Text)
			}
		}
	}
	return states, sent
}

func witness(t *testing.T, r checker.Result[tcp.State], name string) *checker.Trace[tcp.State] {
	t.Helper()
	pr := result(t, r, name)
	if pr.Status != checker.Holds || pr.Trace == nil {
		t.Fatalf("%s: %s without witness", name, pr.Status)
	}
	return pr.Trace
}

func TestTCPWitnesses(t *testing.T) {
	m, r := sharedTCP(t, "rfc9293")
	type want struct {
		client, server []string
		// sent gives the segments each side sends, given the ISSs x
		// (client) and y (server) of the trace.
		sent func(x, y uint32) [2][]string
	}
	s := func(f string, a ...any) string { return fmt.Sprintf(f, a...) }
	type lanes2 = [2][]string
	cases := map[string]want{
		"three-way-handshake": {
			client: []string{"CLOSED", "SYN_SENT", "ESTABLISHED"},
			server: []string{"CLOSED", "LISTEN", "SYN_RECEIVED", "ESTABLISHED"},
			sent: func(x, y uint32) lanes2 {
				return lanes2{{s("SYN seq=%d", x), s("ACK seq=%d ack=%d", x+1, y+1)}, {s("SYN,ACK seq=%d ack=%d", y, x+1)}}
			},
		},
		"four-way-close": {
			client: []string{"CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT", "CLOSED"},
			server: []string{"CLOSED", "LISTEN", "SYN_RECEIVED", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"},
			sent: func(x, y uint32) lanes2 {
				return lanes2{
					{s("SYN seq=%d", x), s("ACK seq=%d ack=%d", x+1, y+1), s("FIN,ACK seq=%d ack=%d", x+1, y+1), s("ACK seq=%d ack=%d", x+2, y+2)},
					{s("SYN,ACK seq=%d ack=%d", y, x+1), s("ACK seq=%d ack=%d", y+1, x+2), s("FIN,ACK seq=%d ack=%d", y+1, x+2)}}
			},
		},
		"simultaneous-open": {
			client: []string{"CLOSED", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED"},
			server: []string{"CLOSED", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED"},
			// Figure 7 of RFC 9293 has the crossing SYN,ACKs complete
			// the open; by Table 6 each is answered with an ACK instead.
			sent: func(x, y uint32) lanes2 {
				return lanes2{
					{s("SYN seq=%d", x), s("SYN,ACK seq=%d ack=%d", x, y+1), s("ACK seq=%d ack=%d", x+1, y+1)},
					{s("SYN seq=%d", y), s("SYN,ACK seq=%d ack=%d", y, x+1), s("ACK seq=%d ack=%d", y+1, x+1)}}
			},
		},
		"simultaneous-close": {
			client: []string{"CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "CLOSING", "TIME_WAIT", "CLOSED"},
			server: []string{"CLOSED", "LISTEN", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "CLOSING", "TIME_WAIT", "CLOSED"},
			sent: func(x, y uint32) lanes2 {
				return lanes2{
					{s("SYN seq=%d", x), s("ACK seq=%d ack=%d", x+1, y+1), s("FIN,ACK seq=%d ack=%d", x+1, y+1), s("ACK seq=%d ack=%d", x+2, y+2)},
					{s("SYN,ACK seq=%d ack=%d", y, x+1), s("FIN,ACK seq=%d ack=%d", y+1, x+1), s("ACK seq=%d ack=%d", y+2, x+2)}}
			},
		},
	}
	for name, w := range cases {
		t.Run(name, func(t *testing.T) {
			tr := witness(t, r, name)
			states, sent := lanes(m, tr)
			if diff := cmp.Diff([2][]string{w.client, w.server}, states); diff != "" {
				t.Errorf("states per lane (-want +got):\n%s", diff)
			}
			// x and y are the ISSs the endpoints chose in this trace.
			var x, y uint32
			for _, st := range tr.Steps {
				if st.State.Ep[tcp.Client].ISS != 0 {
					x = st.State.Ep[tcp.Client].ISS
				}
				if st.State.Ep[tcp.Server].ISS != 0 {
					y = st.State.Ep[tcp.Server].ISS
				}
			}
			if diff := cmp.Diff(w.sent(x, y), sent); diff != "" {
				t.Errorf("segments (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTCPDiagramArrowUnreachableFails(t *testing.T) {
	// Without data the application never SENDs, so LISTEN -> SYN_SENT
	// (SEND / snd SYN) is not covered.
	_, r := checkTCP(t, "rfc9293", map[string]int{"data": 0})
	for _, pr := range r.Properties {
		want := checker.Holds
		if pr.Property.Name == "arrow: LISTEN -> SYN_SENT" {
			want = checker.Violated
		}
		if pr.Property.Group == "diagram" && pr.Status != want {
			t.Errorf("data=0: %s %s, want %s", pr.Property.Name, pr.Status, want)
		}
	}
}

func TestTCPDiagramConformanceCatchesUndocumentedChanges(t *testing.T) {
	saved := TCPDocumented
	defer func() { TCPDocumented = saved }()
	var kept []TCPTransition
	for _, tr := range saved {
		if !(tr.From == tcp.SYN_SENT && tr.To == tcp.CLOSED && tr.Cause == CauseSegment) {
			kept = append(kept, tr)
		}
	}
	if len(kept) != len(saved)-1 {
		t.Fatalf("SYN_SENT -> CLOSED on RST not documented")
	}
	TCPDocumented = kept
	cfg, err := TCPConfig("rfc9293", nil)
	if err != nil {
		t.Fatal(err)
	}
	// The one property: the other verdicts do not depend on the table.
	pr, r := checkOne(t, cfg, "diagram-conformance")
	if !r.Complete {
		t.Fatalf("incomplete: %s", r.Reason)
	}
	m := TCPModel(cfg)
	if pr.Status != checker.Violated {
		t.Fatalf("diagram-conformance %s without SYN_SENT -> CLOSED (rcv RST) documented", pr.Status)
	}
	n := len(pr.Trace.Steps)
	prev, lastStep := pr.Trace.Steps[n-2].State, pr.Trace.Steps[n-1]
	label := m.Label(prev, lastStep.Action)
	if !strings.Contains(label, "RST") || !(prev.Ep[tcp.Client].State == tcp.SYN_SENT || prev.Ep[tcp.Server].State == tcp.SYN_SENT) {
		t.Errorf("counterexample ends with %q from\n%s", label, tcp.Format(prev))
	}
}

func TestTCPParamsAreValidated(t *testing.T) {
	e := TCP()
	for _, set := range []string{"cap=0", "cap=5", "data=-1", "data=4"} {
		if _, _, _, err := e.BuildVariant("", []string{set}); err == nil {
			t.Errorf("--set %s accepted", set)
		}
	}
	if _, _, params, err := e.BuildVariant("data-after-fin", []string{"cap=3", "data=2"}); err != nil || params["cap"] != 3 || params["data"] != 2 {
		t.Errorf("BuildVariant(data-after-fin, cap=3 data=2) = %v, %v", params, err)
	}
}

// withFairness returns the model of cfg whose liveness properties assume
// only the fairness groups keep reports true of.
func withFairness(cfg tcp.Config, keep func(name string) bool) checker.Model[tcp.State] {
	m := TCPModel(cfg)
	for i := range m.Properties {
		p := &m.Properties[i]
		if p.Kind != checker.Eventually {
			continue
		}
		var fair []checker.Fairness[tcp.State]
		for _, f := range p.Fair {
			if keep(f.Name) {
				fair = append(fair, f)
			}
		}
		p.Fair = fair
	}
	return m
}

// The liveness properties hold for the reasons their descriptions give:
// without the peer application's CLOSE in CLOSE_WAIT a closing side can
// wait in FIN_WAIT_2 forever, and without delivery nothing progresses.
func TestTCPLivenessNeedsItsFairnessAssumptions(t *testing.T) {
	cfg, _ := TCPConfig("rfc9293", nil)
	cases := []struct {
		drop     string
		violated []string
	}{
		{"CLOSEs in CLOSE_WAIT", []string{"client-close-leads-to-closed", "server-close-leads-to-closed",
			"client-syn-sent-leads-to-established-or-closed", "server-syn-sent-leads-to-established-or-closed"}},
		{"deliver", []string{"client-close-leads-to-closed", "server-close-leads-to-closed",
			"client-syn-sent-leads-to-established-or-closed", "server-syn-sent-leads-to-established-or-closed"}},
		{"2MSL", []string{"client-close-leads-to-closed", "server-close-leads-to-closed"}},
	}
	for _, c := range cases {
		m := withFairness(cfg, func(name string) bool { return !strings.Contains(name, c.drop) })
		// The liveness properties alone: the others do not depend on
		// fairness.
		var live []checker.Property[tcp.State]
		for _, p := range m.Properties {
			if p.Kind == checker.Eventually {
				live = append(live, p)
			}
		}
		m.Properties, m.CheckDeadlock = live, false
		r, err := checker.Check(context.Background(), m, checker.Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range c.violated {
			if pr := result(t, r, name); pr.Status != checker.Violated {
				t.Errorf("without fairness of %q: %s %s, want violated", c.drop, name, pr.Status)
			}
		}
	}
}
