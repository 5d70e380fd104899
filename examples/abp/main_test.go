package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := program().RunContext(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestCommands runs every command of the example as a user would, and
// checks its exit status and the words that say what happened.
func TestCommands(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "dup.json")
	cases := []struct {
		args  []string
		stdin string
		code  int
		want  []string
	}{
		{[]string{"list"}, "", 0, []string{"model abp: ", "variant no-bit-check: ", "(expected violated: in-order)", "property delivery (eventually)"}},
		{[]string{"check", "abp", "--quiet"}, "", 0, []string{"holds     in-order", "holds     delivery", "result: all 4 properties hold"}},
		{[]string{"check", "abp", "--variant", "no-bit-check", "--quiet"}, "", 1,
			[]string{"VIOLATED  in-order       always          (expected for this variant)", "(delivers 1)", "delivered 2"}},
		{[]string{"check", "abp", "--set", "loss=3", "--json", "--quiet"}, "", 0, []string{`"complete": true`}},
		{[]string{"matrix", "--quiet"}, "", 0, []string{"result: 8 of 8 cells as expected (exit status 0"}},
		{[]string{"matrix", "--markdown", "--quiet"}, "", 0, []string{"| `in-order` | holds | **VIOLATED** |"}},
		{[]string{"trace", "abp", "--variant", "no-bit-check", "--format", "mermaid"}, "", 0, []string{"sequenceDiagram", "participant receiver"}},
		{[]string{"trace", "abp"}, "", 1, nil}, // nothing violated: no counterexample
		{[]string{"simulate", "abp", "--seed", "3"}, "", 0, []string{"random walk, seed 3"}},
		{[]string{"graph", "abp", "--format", "dot"}, "", 0, []string{"digraph handshake {", "peripheries=2"}},
		{[]string{"explore", "abp"}, "0\n0\nfind in-order\n", 0, []string{"enabled actions:", "find: in-order (always) holds: there is no counterexample"}},
		{[]string{"check", "abp", "--set", "loss=9"}, "", 2, nil},
		{[]string{"check", "tcp"}, "", 2, nil},
	}
	for _, c := range cases {
		code, out, errOut := run(t, c.stdin, c.args...)
		if code != c.code {
			t.Errorf("abp %q: exit %d, want %d; stderr %q", c.args, code, c.code, errOut)
		}
		if code == 2 && !strings.HasPrefix(errOut, "abp: ") {
			t.Errorf("abp %q: stderr %q, want a line starting \"abp: \"", c.args, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("abp %q: output lacks %q:\n%s", c.args, w, out)
			}
		}
	}

	// A counterexample written as JSON replays as a behaviour of the model.
	code, js, _ := run(t, "", "trace", "abp", "--variant", "no-bit-check", "--format", "json")
	if code != 0 {
		t.Fatalf("trace --format json: exit %d", code)
	}
	if err := os.WriteFile(trace, []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "", "replay", trace)
	if code != 0 || !strings.Contains(out, "property in-order (always): still a counterexample") {
		t.Errorf("replay: exit %d, stderr %q:\n%s", code, errOut, out)
	}
}
