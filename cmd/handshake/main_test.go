package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handshake/handshake/render"
)

var update = flag.Bool("update", false, "rewrite the README's output blocks")

// Exit statuses, as the tests name them.
const (
	exitHolds    = render.ExitHolds
	exitViolated = render.ExitViolated
	exitUsage    = render.ExitUsage
)

// runContext runs the handshake command (this repository's models and
// validate) with ctx.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return program(models()).RunContext(ctx, args, stdin, stdout, stderr)
}

func runWithInput(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runReader(strings.NewReader(stdin), args...)
}

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runWithInput(t, "", args...)
}

func runReader(stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = runContext(context.Background(), args, stdin, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestValidateStdinPipe: a capture piped into "handshake validate -" (as
// from tcpdump -w -), arriving in pieces, is validated; cut short, it is
// exit 2.
func TestValidateStdinPipe(t *testing.T) {
	file := filepath.Join("..", "..", "capture", "testdata", "normal_client_close.pcap")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		data []byte
		code int
		out  string
	}{
		{b, exitHolds, "(stdin): client "},
		{b[:len(b)-10], exitUsage, ""},
	} {
		r, w := io.Pipe()
		go func() {
			// In pieces, as a pipe from tcpdump delivers them.
			for i := 0; i < len(c.data); i += 100 {
				w.Write(c.data[i:min(i+100, len(c.data))])
			}
			w.Close()
		}()
		code, out, errOut := runReader(r, "validate", "-")
		if code != c.code || !strings.HasPrefix(out, c.out) {
			t.Errorf("%d bytes: exit %d, stdout %q, stderr %q; want exit %d", len(c.data), code, out, errOut, c.code)
		}
		if c.code == exitUsage && !strings.Contains(errOut, "handshake: (stdin): truncated at record ") {
			t.Errorf("cut capture: stderr %q", errOut)
		}
	}
}

// TestHelpListsValidate: the help text has validate's section, and the
// unknown-command message names it.
func TestHelpListsValidate(t *testing.T) {
	code, out, _ := runCLI(t, "help")
	if code != exitHolds || !strings.Contains(out, "\n  handshake validate FILE...") || !strings.Contains(out, "\n  handshake help\n") {
		t.Errorf("help: exit %d, no validate section:\n%s", code, out)
	}
	_, _, errOut := runCLI(t, "frob")
	if !strings.Contains(errOut, "graph, validate, help)") {
		t.Errorf("unknown command: %q", errOut)
	}
}
