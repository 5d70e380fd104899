package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites the file with
// -update (go test ./cli -run Golden -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cli -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got; go test ./cli -update rewrites it):\n%s", path, diff)
	}
}

// runWithInput runs the command with stdin.
func runWithInput(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runContext(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// The small TCP configuration the golden files use: one data octet, two
// segments in flight (14,046 states).
var smallTCP = []string{"--set", "data=1", "--set", "cap=2"}

func args(a ...any) []string {
	var out []string
	for _, x := range a {
		switch v := x.(type) {
		case string:
			out = append(out, v)
		case []string:
			out = append(out, v...)
		}
	}
	return out
}

// TestGoldenOutputs pins every output format of trace and graph.
func TestGoldenOutputs(t *testing.T) {
	cases := []struct {
		file string
		args []string
	}{
		// Counterexample search: on a test model, whose shortest
		// counterexample is unique (the TCP model's ties are broken by
		// state fingerprints, which change with its layout).
		{"trace_counter_broken.txt", args("trace", "test-counter", "--variant", "broken", "--set", "limit=3")},
		{"trace_counter_broken.mmd", args("trace", "test-counter", "--variant", "broken", "--set", "limit=3", "--format", "mermaid")},
		{"trace_counter_broken.json", args("trace", "test-counter", "--variant", "broken", "--set", "limit=3", "--format", "json")},
		// The TCP three-way handshake by its path.
		{"trace_tcp_handshake.txt", args("trace", "tcp", smallTCP, "--path", "0.3.1.5.4.5")},
		{"trace_tcp_handshake.mmd", args("trace", "tcp", smallTCP, "--path", "0.3.1.5.4.5", "--format", "mermaid")},
		{"trace_tcp_handshake.json", args("trace", "tcp", smallTCP, "--path", "0.3.1.5.4.5", "--format", "json")},
		{"trace_lasso.txt", args("trace", "test-retransmit")},
		{"trace_lasso.mmd", args("trace", "test-retransmit", "--format", "mermaid")},
		{"trace_lasso.json", args("trace", "test-retransmit", "--format", "json")},
		{"trace_path_counter.txt", args("trace", "test-counter", "--path", "0.0.0.0", "--set", "limit=2")},
		{"graph_counter.dot", args("graph", "test-counter", "--set", "limit=2")},
		{"graph_counter.json", args("graph", "test-counter", "--set", "limit=2", "--format", "json")},
		{"graph_tcp_client.dot", args("graph", "tcp", smallTCP, "--project", "client")},
		{"graph_tcp_client.json", args("graph", "tcp", smallTCP, "--project", "client", "--format", "json")},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			code, out, errOut := runCLI(t, c.args...)
			if code != exitHolds || errOut != "" {
				t.Fatalf("%q: exit %d, stderr %q", c.args, code, errOut)
			}
			golden(t, c.file, out)
		})
	}
}
