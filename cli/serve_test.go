package cli

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServe: serve prints its address, answers there, and stops when its
// context ends (Ctrl-C), with exit status 0.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr strings.Builder
	done := make(chan int, 1)
	go func() {
		code := runContext(ctx, []string{"serve", "tcp", "--addr", "127.0.0.1:0", "--max-states", "50"}, strings.NewReader(""), pw, &stderr)
		pw.Close()
		done <- code
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no address printed: %v (stderr %q)", err, stderr.String())
	}
	go io.Copy(io.Discard, pr)
	const prefix = "handshake explorer: http://"
	if !strings.HasPrefix(line, prefix) || !strings.HasSuffix(line, "/tcp (Ctrl-C stops it)\n") {
		t.Fatalf("first line %q", line)
	}
	url := "http://" + strings.Fields(strings.TrimPrefix(line, prefix))[0]
	r, err := http.Get(strings.TrimSuffix(url, "tcp") + "api/models")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != 200 || !strings.Contains(string(b), `"default":"tcp"`) {
		t.Errorf("GET /api/models: %d %s", r.StatusCode, b)
	}
	// The page's checks are bounded as check's are: --max-states 50
	// stops the check of tcp (7,353 states) incomplete.
	r, err = http.Get(strings.TrimSuffix(url, "tcp") + "api/check?model=tcp")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != 200 || !strings.Contains(string(b), `"complete":false`) || !strings.Contains(string(b), `"reason":"max states 50 reached"`) {
		t.Errorf("GET /api/check with --max-states 50: %d %s", r.StatusCode, b)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitHolds {
			t.Errorf("exit %d after the interrupt, want 0 (stderr %q)", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop when its context ended")
	}
}

// TestServeBadInput: a bad MODEL or address is a one-line error, exit 2.
func TestServeBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "nope"}, `handshake: unknown model "nope"`},
		{[]string{"serve", "tcp", "tls"}, `unexpected argument "tls" after MODEL tcp`},
		{[]string{"serve", "--addr", "999.1.1.1:80"}, "handshake: --addr: listen tcp"},
		{[]string{"serve", "--addr", "127.0.0.1"}, "handshake: --addr: listen tcp: address 127.0.0.1: missing port in address"},
		{[]string{"serve", "--nope"}, "flag provided but not defined: -nope"},
		{[]string{"serve", "--workers", "0"}, "flag -workers: want a whole number, at least 1"},
		{[]string{"serve", "--max-memory", "lots"}, "flag -max-memory: want a size"},
	} {
		code, out, errOut := runCLI(t, c.args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line containing %q", c.args, code, out, errOut, c.want)
		}
	}
}
