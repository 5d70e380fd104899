package spec

import (
	"testing"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
)

// TestTimeWaitIsWhatKeepsOldSegmentsOut: in rfc9293-time-wait, TIME-WAIT
// is what keeps the first connection's segments out of the second (§3.6,
// MUST-13). The variant gets its expected verdicts (TestTCPVariants...);
// with the no-time-wait flaw switched on and nothing else changed, a
// segment of connection 1 arrives in connection 2 and an octet is
// acknowledged that never reached the application.
func TestTimeWaitIsWhatKeepsOldSegmentsOut(t *testing.T) {
	cfg, err := TCPConfig("rfc9293-time-wait", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.NoTimeWait = true
	pr, r := checkOneWith(t, cfg, "acknowledged-is-delivered", checker.Options{StopWhenDecided: true})
	if pr.Status != checker.Violated || pr.Trace == nil {
		t.Fatalf("rfc9293-time-wait without TIME-WAIT: acknowledged-is-delivered %s (%d states), want violated", pr.Status, r.Distinct)
	}
	// The counterexample delivers a segment of an earlier connection.
	old := false
	steps := pr.Trace.Steps
	for i := 1; i < len(steps); i++ {
		seg, side, ok := tcp.Arriving(steps[i-1].State, steps[i].Action)
		if ok && seg.Inc != 0 && seg.Inc < steps[i-1].State.Ep[1-side].Opens {
			old = true
		}
	}
	if !old {
		t.Errorf("the counterexample delivers no segment of an earlier connection")
	}
}
