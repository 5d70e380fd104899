package handshake_test

import (
	"flag"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/network"
	"github.com/handshake/handshake/model/tcp"
	"github.com/handshake/handshake/spec"
)

// Property-based tests of the models: random action sequences driven
// through a model (rapid), every invariant checked after each step,
// failures shrunk to a minimal failing sequence. The engine's own
// property-based cross-checks (gopter) are in package checker.

// maxSteps bounds a run; the default configuration's longest shortest
// path is 27 steps.
const maxSteps = 80

// tcpRun is one run of the TCP state machine: the labels of the actions
// taken and the invariant that failed, if any.
type tcpRun struct {
	labels []string
	acts   []checker.Action
	end    tcp.State // the last state reached
	failed string
}

// tcpStateMachine returns a rapid property that drives the TCP model of cfg
// through a random sequence of enabled actions, checking every invariant
// (Always and AlwaysStep properties of spec) after each step. If last is
// not nil, it receives every run (the final one is the shrunk failure).
func tcpStateMachine(cfg tcp.Config, last func(tcpRun)) func(*rapid.T) {
	m := spec.TCPModel(cfg)
	invariants := spec.TCPInvariants()
	return func(t *rapid.T) {
		var run tcpRun
		defer func() {
			if last != nil {
				last(run)
			}
		}()
		s := m.Init()[0]
		// Run until the model ends (both CLOSED, nothing in flight) or
		// maxSteps; the run is the sequence of action choices.
		for i := 0; i < maxSteps; i++ {
			acts := m.Actions(s, nil)
			if len(acts) == 0 {
				if !m.EndState(s) {
					t.Fatalf("deadlock after %v:\n%s", run.labels, m.Format(s))
				}
				return
			}
			// rapid favours small indices; counting from the end
			// favours deliveries (listed last) over user calls such as
			// ABORT that end a run early.
			a := acts[len(acts)-1-rapid.IntRange(0, len(acts)-1).Draw(t, "action")]
			next := m.Next(s, a)
			run.labels = append(run.labels, m.Label(s, a))
			run.acts = append(run.acts, a)
			for _, p := range invariants {
				ok := true
				if p.Kind == checker.Always {
					ok = p.Holds(next)
				} else {
					ok = p.Step(s, a, next)
				}
				if !ok {
					run.failed = p.Name
					t.Fatalf("%s violated by step %d %q\nsteps:\n  %s\nstate change (-before +after):\n%s",
						p.Name, i+1, run.labels[i], strings.Join(run.labels, "\n  "), cmp.Diff(s, next))
				}
			}
			s = next
			run.end = s
		}
	}
}

// setFlag sets a test flag (of rapid) for the duration of a test.
func setFlag(t *testing.T, name, value string) {
	f := flag.Lookup(name)
	if f == nil {
		t.Fatalf("no flag %s", name)
	}
	old := f.Value.String()
	if err := f.Value.Set(value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Value.Set(old) })
}

// runs is the number of random runs per state-machine test (unless
// -rapid.checks is given): runs are short and cheap.
const runs = "2000"

func moreChecks(t *testing.T) {
	if f := flag.Lookup("rapid.checks"); f != nil && f.Value.String() == f.DefValue {
		setFlag(t, "rapid.checks", runs)
	}
}

func TestTCPStateMachine(t *testing.T) {
	moreChecks(t)
	rapid.Check(t, tcpStateMachine(tcp.DefaultConfig(), nil))
}

func TestTCPStateMachineLargerConfig(t *testing.T) {
	cfg := tcp.DefaultConfig()
	cfg.Data, cfg.Cap = tcp.MaxData, 4
	cfg.ISS = [2][]uint32{{100, 1<<32 - 2}, {300, 1<<32 - 1}}
	moreChecks(t)
	rapid.Check(t, tcpStateMachine(cfg, nil))
}

// soundTCPConfig is the configuration of a variant of "tcp"
// with its default parameters, built through its catalog entry (as the CLI and
// the matrix build it) so that the walks use the parameters the variant is
// checked with. The variant must be expected to hold every property.
func soundTCPConfig(t *testing.T, variant string) tcp.Config {
	t.Helper()
	e := spec.TCP()
	v, err := e.Variant(variant)
	if err != nil {
		t.Fatal(err)
	}
	for name, st := range v.Expect {
		if st != checker.Holds {
			t.Fatalf("%s is expected to get %s for %s: not a sound variant", variant, st, name)
		}
	}
	params, err := e.Resolve(v, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := spec.TCPConfig(v.Name, params)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// networkUse counts what the network did over all the runs of a
// state-machine test: losses, duplications, deliveries out of order, and
// runs that reached a second connection.
type networkUse struct {
	mu                                     sync.Mutex
	runs, steps, drops, dups, reorders, re int
}

func (u *networkUse) record(r tcpRun) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.runs++
	u.steps += len(r.acts)
	for _, a := range r.acts {
		if k, _, _ := tcp.Decode(a); k != tcp.Arrive {
			continue
		}
		d := tcp.DeliveryOf(a)
		switch {
		case d.Kind == network.Drop:
			u.drops++
		case d.Kind == network.Duplicate:
			u.dups++
		}
		if d.Kind != network.Drop && d.Index > 0 {
			u.reorders++
		}
	}
	if r.end.Ep[tcp.Client].Opens >= 2 || r.end.Ep[tcp.Server].Opens >= 2 {
		u.re++
	}
}

// TestTCPStateMachineOnUnreliableNetworks walks the sound model on the
// networks of the registered sound variants: lossy, duplicating,
// reordering, all three, and two connections in sequence on a reordering
// network. No walk may break an invariant, and the walks must use what
// the network may do (else the test would show nothing about it).
func TestTCPStateMachineOnUnreliableNetworks(t *testing.T) {
	for _, variant := range []string{"rfc9293-lossy", "rfc9293-duplicating", "rfc9293-reordering",
		"rfc9293-unreliable", "rfc9293-reuse"} {
		t.Run(variant, func(t *testing.T) {
			cfg := soundTCPConfig(t, variant)
			if !cfg.Net.Unreliable() {
				t.Fatalf("%s: reliable network %s", variant, cfg.Net)
			}
			moreChecks(t)
			var use networkUse
			rapid.Check(t, tcpStateMachine(cfg, use.record))
			t.Logf("%s (%s): %d runs, %d steps, %d losses, %d duplications, %d deliveries out of order, %d runs reaching connection 2",
				variant, cfg.Net, use.runs, use.steps, use.drops, use.dups, use.reorders, use.re)
			if cfg.Net.Loss > 0 && use.drops == 0 {
				t.Errorf("no walk lost a segment")
			}
			if cfg.Net.Dup > 0 && use.dups == 0 {
				t.Errorf("no walk duplicated a segment")
			}
			if cfg.Net.Reorder && use.reorders == 0 {
				t.Errorf("no walk delivered a segment out of order")
			}
			if cfg.Conns > 1 && use.re == 0 {
				t.Errorf("no walk reached a second connection")
			}
		})
	}
}

// recorder is a rapid.TB that records failures instead of failing the
// test, so a test can check that a broken model is caught.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	failed bool
	out    []string
}

func (r *recorder) Helper()      {}
func (r *recorder) Name() string { return r.TB.Name() }
func (r *recorder) Logf(f string, a ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.out = append(r.out, fmt.Sprintf(f, a...))
}
func (r *recorder) Log(a ...any)              { r.Logf("%s", fmt.Sprint(a...)) }
func (r *recorder) Errorf(f string, a ...any) { r.Logf(f, a...); r.Fail() }
func (r *recorder) Error(a ...any)            { r.Log(a...); r.Fail() }
func (r *recorder) Fatalf(f string, a ...any) { r.Errorf(f, a...) }
func (r *recorder) Fatal(a ...any)            { r.Error(a...) }
func (r *recorder) FailNow()                  { r.Fail() }
func (r *recorder) Fail()                     { r.mu.Lock(); r.failed = true; r.mu.Unlock() }
func (r *recorder) Failed() bool              { r.mu.Lock(); defer r.mu.Unlock(); return r.failed }

// replay applies labelled actions from the initial state and returns the
// first invariant violated, "" if none, or an error if a label is not
// enabled when its turn comes.
func replay(m checker.Model[tcp.State], labels []string) (string, error) {
	s := m.Init()[0]
	invariants := spec.TCPInvariants()
	for _, l := range labels {
		var found bool
		for _, a := range m.Actions(s, nil) {
			if m.Label(s, a) != l {
				continue
			}
			next := m.Next(s, a)
			for _, p := range invariants {
				if (p.Kind == checker.Always && !p.Holds(next)) || (p.Kind == checker.AlwaysStep && !p.Step(s, a, next)) {
					return p.Name, nil
				}
			}
			s, found = next, true
			break
		}
		if !found {
			return "", fmt.Errorf("%q not enabled", l)
		}
	}
	return "", nil
}

// TestTCPStateMachineShrinksBrokenModel runs the state machine on the
// data-after-fin variant: rapid must find a violation of no-data-after-fin
// and shrink it to a short sequence that replays to the violation.
func TestTCPStateMachineShrinksBrokenModel(t *testing.T) {
	setFlag(t, "rapid.nofailfile", "true")
	moreChecks(t)
	cfg, err := spec.TCPConfig("data-after-fin", nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var last tcpRun
	rec := &recorder{TB: t}
	rapid.Check(rec, tcpStateMachine(cfg, func(r tcpRun) { mu.Lock(); last = r; mu.Unlock() }))
	if !rec.Failed() {
		t.Fatalf("rapid did not catch the data-after-fin model")
	}
	if last.failed != "no-data-after-fin" {
		t.Fatalf("shrunk run failed %q, want no-data-after-fin; output:\n%s", last.failed, strings.Join(rec.out, "\n"))
	}
	m := spec.TCPModel(cfg)
	if got, err := replay(m, last.labels); err != nil || got != "no-data-after-fin" {
		t.Fatalf("replaying the shrunk sequence: %q, %v", got, err)
	}
	// Every proper prefix of the run satisfied every invariant (the
	// property checks after each step and stops at the first violation),
	// so the sequence ends exactly at the violation. rapid shrinks the
	// choices, not the labels, so the result is short but not always a
	// shortest path; the checker's BFS counterexample is that.
	if got, _ := replay(m, last.labels[:len(last.labels)-1]); got != "" {
		t.Errorf("the shrunk sequence violates %s before its last step", got)
	}
	t.Logf("shrunk to %d steps:\n  %s", len(last.labels), strings.Join(last.labels, "\n  "))
}
