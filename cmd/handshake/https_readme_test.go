package main

import (
	"strings"
	"testing"
)

// TestHTTPSGraphProjectsOntoLanes: graph --project works on each lane of
// https: an application lane shows the phases of the layers above TCP, a
// TCP lane the RFC 9293 states.
func TestHTTPSGraphProjectsOntoLanes(t *testing.T) {
	for lane, wants := range map[string][]string{
		"server app": {`"not connected"`, `"TLS handshake"`, `"HTTP"`, `"close_notify sent"`, `"socket closed"`},
		"client TCP": {`"SYN_SENT"`, `"ESTABLISHED"`, `"TIME_WAIT"`, `"CLOSED"`},
	} {
		code, stdout, stderr := runWithInput(t, "", "graph", "https", "--project", lane)
		if code != 0 {
			t.Fatalf("graph https --project %q: exit %d: %s", lane, code, stderr)
		}
		for _, w := range wants {
			if !strings.Contains(stdout, "label="+w) {
				t.Errorf("--project %q: no state %s", lane, w)
			}
		}
	}
}
