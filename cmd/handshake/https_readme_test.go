package main

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestREADMEOutputs checks the README's command outputs between
// "<!-- output: ARGS -->" and "<!-- /output -->": each is a fenced block
// holding what "handshake ARGS" prints (the https lifecycle witness, as a
// text diagram and as Mermaid); of a text trace, the diagram up to the
// listing of the states ("steps:"). -update rewrites them:
//
//	go test ./cmd/handshake -run TestREADMEOutputs -update
func TestREADMEOutputs(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	const begin, end = "<!-- output: ", "<!-- /output -->"
	var out strings.Builder
	rest := readme
	n := 0
	for {
		i := strings.Index(rest, begin)
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], " -->\n")
		k := strings.Index(rest[i:], end)
		if j < 0 || k < j {
			t.Fatalf("README.md: %q without its %q", rest[i:min(len(rest), i+60)], end)
		}
		args := strings.Fields(rest[i+len(begin) : i+j])
		code, stdout, stderr := runWithInput(t, "", args...)
		if code != 0 {
			t.Fatalf("handshake %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
		fence := "```\n"
		if strings.Contains(strings.Join(args, " "), "mermaid") {
			fence = "```mermaid\n"
		}
		if cut := strings.Index(stdout, "\nsteps:\n"); cut >= 0 {
			// A text trace: the diagram, without the state listing
			// that follows it (the README says so).
			stdout = stdout[:cut+1]
		}
		want := fence + stdout + "```\n"
		got := rest[i+j+len(" -->\n") : i+k]
		if diff := cmp.Diff(want, got); diff != "" && !*update {
			t.Errorf("README.md's output of \"handshake %s\" differs (-command +README; go test ./cmd/handshake -run TestREADMEOutputs -update rewrites it):\n%s",
				strings.Join(args, " "), diff)
		}
		out.WriteString(rest[:i+j+len(" -->\n")] + want)
		rest = rest[i+k:]
		n++
	}
	out.WriteString(rest)
	if n == 0 {
		t.Fatal("README.md has no output block")
	}
	if *update && out.String() != readme {
		if err := os.WriteFile(readmePath, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

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
