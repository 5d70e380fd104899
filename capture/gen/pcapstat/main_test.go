package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestCounts checks pcapstat's classification on committed real captures
// whose contents are known from their traces (capture/testdata/README.md):
// the keep-alive capture has three probes from each side and nothing
// retransmitted, the TIME-WAIT reuse capture two connections on one
// 4-tuple, the zero-window capture three zero-window probes.
func TestCounts(t *testing.T) {
	for file, want := range map[string][]string{
		"keepalive.pcap": {
			"25 frames, 1 connections",
			"segs    25 data     4 syn   2 fin   2 rst   0 dup   0 retrans    0 gap    0 late    0 probe   6",
		},
		"timewait_reuse.pcap": {"20 frames, 2 connections", "#2 127.0.0.1:40304>127.0.0.1:40204"},
		"zerowindow.pcap":     {"probe   3 reord    0 zerowin 130"},
	} {
		var out bytes.Buffer
		if err := run(&out, "../../testdata/linux/"+file); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, w := range want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s: output lacks %q:\n%s", file, w, out.String())
			}
		}
	}
}

// TestNotAPcap: bad input is an error, not a panic.
func TestNotAPcap(t *testing.T) {
	if err := run(&bytes.Buffer{}, "main.go"); err == nil {
		t.Error("main.go read as a capture")
	}
}
