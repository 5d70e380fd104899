package spec

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
)

// flawKeys names, for each broken variant of "tcp", the property that shows
// its flaw: the one its description's story violates.
var flawKeys = []struct {
	variant, key string
	// unflawed switches the variant's flaw off in its configuration.
	unflawed func(c *tcp.Config)
}{
	// §3.5 Figure 8: an old SYN of the client's first connection opens a
	// server connection the client never asked for (half-open).
	{"two-way-handshake", "no-stale-connection", func(c *tcp.Config) { c.TwoWayHandshake = false }},
	// §3.6 MUST-13: without TIME_WAIT a delayed octet of connection 1 is
	// accepted into connection 2.
	{"no-time-wait", "stream-integrity", func(c *tcp.Config) { c.NoTimeWait = false }},
	// §3.4.1: with no ISN clock, an old duplicate SYN of connection 1 is
	// taken for the peer's connection 2.
	{"fixed-isn", "no-stale-connection", func(c *tcp.Config) { c.ISSStep = 1 }},
	// §3.10.7.4 "first": a duplicate data segment reaches the application
	// twice.
	{"no-seq-check", "stream-integrity", func(c *tcp.Config) { c.NoSeqCheck = false }},
	// §3.10.7.3 "first": a delayed SYN,ACK of an earlier connection
	// completes the handshake of a new one the peer does not know about:
	// one side ESTABLISHED, the other not, with the network quiet.
	{"no-syn-ack-check", "established-together", func(c *tcp.Config) { c.NoSynAckCheck = false }},
	// §3.10.2 and §3.10.7.4 "seventh": data sent after the FIN.
	{"data-after-fin", "no-data-after-fin", func(c *tcp.Config) { c.AcceptDataAfterFIN, c.SendAfterClose = false, false }},
}

// maxFlawStates caps each run of TestTCPBrokenVariantsFailOnlyByTheirFlaw;
// the largest (the sound no-time-wait configuration) needs far fewer.
const maxFlawStates = 5_000_000

// checkOne checks the single property key of the model of cfg (no other
// property, no deadlock check, so that the run decides key alone).
func checkOne(t *testing.T, cfg tcp.Config, key string) (checker.PropertyResult[tcp.State], checker.Result[tcp.State]) {
	return checkOneWith(t, cfg, key, checker.Options{})
}

// checkOneWith is checkOne with options (StopWhenDecided, say) added.
func checkOneWith(t *testing.T, cfg tcp.Config, key string, opt checker.Options) (checker.PropertyResult[tcp.State], checker.Result[tcp.State]) {
	t.Helper()
	m := TCPModel(cfg)
	var keep []checker.Property[tcp.State]
	for _, p := range m.Properties {
		if p.Name == key {
			keep = append(keep, p)
		}
	}
	if len(keep) != 1 {
		t.Fatalf("no property %q", key)
	}
	m.Properties, m.CheckDeadlock = keep, false
	opt.Workers, opt.MaxStates, opt.Timeout = 2, maxFlawStates, time.Minute
	r, err := checker.Check(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Properties) != 1 {
		t.Fatalf("%d property results, want 1", len(r.Properties))
	}
	return r.Properties[0], r
}

// TestTCPBrokenVariantsFailOnlyByTheirFlaw: each broken variant violates
// its key property, and the sound protocol with the same parameters (the
// same configuration with the flaw switched off) keeps it: the violation
// is the flaw's doing, not the network's or the parameters'.
func TestTCPBrokenVariantsFailOnlyByTheirFlaw(t *testing.T) {
	e := TCP()
	covered := map[string]bool{}
	for _, fk := range flawKeys {
		covered[fk.variant] = true
		t.Run(fk.variant, func(t *testing.T) {
			v, err := e.Variant(fk.variant)
			if err != nil {
				t.Fatal(err)
			}
			if v.Expect[fk.key] != checker.Violated {
				t.Errorf("%s's Expect does not list its key property %s as violated", fk.variant, fk.key)
			}
			broken, err := TCPConfig(fk.variant, nil)
			if err != nil {
				t.Fatal(err)
			}
			sound, err := TCPSoundConfig(fk.variant, nil)
			if err != nil {
				t.Fatal(err)
			}
			// The sound configuration is the broken one with the flaw
			// switched off, nothing else.
			want := broken
			fk.unflawed(&want)
			if d := cmp.Diff(want, sound); d != "" {
				t.Fatalf("TCPSoundConfig is not the variant's configuration without its flaw (-want +got):\n%s", d)
			}
			if cmp.Equal(broken, sound) {
				t.Fatalf("switching the flaw off changes nothing")
			}

			// The broken protocol's run stops at the counterexample (its
			// verdict and trace are the full run's); the sound one's must
			// be complete.
			pr, r := checkOneWith(t, broken, fk.key, checker.Options{StopWhenDecided: true})
			t.Logf("%s: %s %s (%d distinct states, complete=%v)", fk.variant, fk.key, pr.Status, r.Distinct, r.Complete)
			if pr.Status != checker.Violated {
				t.Errorf("%s: %s %s, want violated (%s)", fk.variant, fk.key, pr.Status, r.Reason)
			} else if pr.Trace == nil {
				t.Errorf("%s: %s violated without a counterexample", fk.variant, fk.key)
			} else if last := pr.Trace.Steps[len(pr.Trace.Steps)-1].State; pr.Property.Holds(last) {
				t.Errorf("%s: counterexample of %s ends in a state where it holds", fk.variant, fk.key)
			}

			pr, r = checkOne(t, sound, fk.key)
			t.Logf("sound protocol, same parameters: %s %s (%d distinct states, depth %d, complete=%v)",
				fk.key, pr.Status, r.Distinct, r.Depth, r.Complete)
			switch {
			case pr.Status == checker.Unknown || !r.Complete:
				t.Errorf("sound protocol with %s's parameters: %s undecided (%s, %d distinct states): raise maxFlawStates or shrink the variant's parameters",
					fk.variant, fk.key, r.Reason, r.Distinct)
			case pr.Status != checker.Holds:
				t.Errorf("sound protocol with %s's parameters: %s %s, want holds: the violation is not the flaw's alone",
					fk.variant, fk.key, pr.Status)
			}
		})
	}
	// Every broken variant (one with a flaw) has a key. (A sound variant
	// may expect violations too: the witnesses its parameters rule out.)
	for _, v := range tcpVariants {
		if v.flaw != nil && !covered[v.Name] {
			t.Errorf("broken variant %s has no key property in flawKeys", v.Name)
		}
	}
}
