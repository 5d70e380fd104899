package spec

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
)

// The data-transfer witness is a connection that moves one octet each way
// between a three-way handshake and a four-way close, every octet
// delivered: the lanes go through exactly the states of four-way-close,
// and each side sends exactly one segment with text.
func TestTCPDataTransferWitness(t *testing.T) {
	cfg, err := TCPConfig("rfc9293", map[string]int{"data": 1})
	if err != nil {
		t.Fatal(err)
	}
	m := TCPModel(cfg)
	var keep []checker.Property[tcp.State]
	for _, p := range m.Properties {
		if p.Name == "data-transfer" {
			keep = append(keep, p)
		}
	}
	m.Properties, m.CheckDeadlock = keep, false
	r, err := checker.Check(context.Background(), m, checker.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	tr := witness(t, r, "data-transfer")
	states, sent := lanes(m, tr)
	want := [2][]string{
		{"CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT", "CLOSED"},
		{"CLOSED", "LISTEN", "SYN_RECEIVED", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"},
	}
	if diff := cmp.Diff(want, states); diff != "" {
		t.Errorf("states per lane (-want +got):\n%s", diff)
	}
	for side, segs := range sent {
		n := 0
		for _, g := range segs {
			if strings.Contains(g, "len=1") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("side %d sent %d segments with text, want 1: %v", side, n, segs)
		}
	}
	last := tr.Steps[len(tr.Steps)-1].State
	for i, e := range last.Ep {
		if e.Wrote != 1 || e.Recvd != 1 {
			t.Errorf("side %d: wrote %d, received %d; want 1 and 1", i, e.Wrote, e.Recvd)
		}
	}
}
