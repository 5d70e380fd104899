package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/handshake/handshake/checker"
)

// syncBuffer is an output buffer the test reads while the command writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// waitFor waits until out holds want count times (at most 30 s).
func waitFor(t *testing.T, out interface{ String() string }, want string, count int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for strings.Count(out.String(), want) < count {
		if time.Now().After(deadline) {
			t.Fatalf("no %q (x%d) after 30 s; output:\n%s", want, count, out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// blockingFind is test-counter whose first find blocks until its context
// is cancelled (then the engine runs on the cancelled context and reports
// what it reports for an interrupted search): a search that only Ctrl-C
// ends, with no timing in the test.
type blockingFind struct {
	checker.System
	checker.Explorer
	started chan struct{}
	calls   int
}

func (b *blockingFind) Find(ctx context.Context, property string, opt checker.Options) (checker.Found, error) {
	b.calls++
	if b.calls == 1 {
		close(b.started)
		<-ctx.Done()
	}
	return b.Explorer.Find(ctx, property, opt)
}

var (
	registerBlockingOnce sync.Once
	lastBlocking         = make(chan *blockingFind, 1)
)

// registerBlocking registers "test-blocking-find": test-counter with a
// blockingFind.
func registerBlocking(t *testing.T) {
	registerBlockingOnce.Do(func() {
		inner, err := testProgram().Models.Lookup("test-counter")
		if err != nil {
			t.Fatal(err)
		}
		e := *inner
		e.Name = "test-blocking-find"
		e.Build = func(variant string, params map[string]int) (checker.System, error) {
			sys, err := inner.Build(variant, params)
			if err != nil {
				return nil, err
			}
			b := &blockingFind{System: sys, Explorer: sys.(checker.Explorer), started: make(chan struct{})}
			select { // the latest build, for the test that started it (list builds every variant too)
			case lastBlocking <- b:
			default:
			}
			return b, nil
		}
		testModels = append(testModels, &e)
	})
}

// TestExploreCtrlCCancelsOnlyTheFind drives the session's interrupt seam:
// a Ctrl-C at the prompt is answered with a hint and cancels nothing; a
// Ctrl-C during a find cancels that search, the session goes on, and the
// next find runs to its end. (Before, a Ctrl-C at the prompt was kept and
// made every later find fail at once as interrupted.)
func TestExploreCtrlCCancelsOnlyTheFind(t *testing.T) {
	registerBlocking(t)
	select { // a build by another command (list builds every model)
	case <-lastBlocking:
	default:
	}
	stdin, w := io.Pipe()
	interrupts := make(chan os.Signal, 1)
	var out syncBuffer
	code := make(chan int)
	go func() {
		code <- testProgram().dispatch(context.Background(), interrupts, []string{"explore", "test-blocking-find"}, stdin, &out, io.Discard)
	}()
	b := <-lastBlocking

	waitFor(t, &out, "> ", 1)
	interrupts <- os.Interrupt // at the prompt
	waitFor(t, &out, interruptHint, 1)

	io.WriteString(w, "find at-most-limit\n")
	<-b.started
	interrupts <- os.Interrupt // during the find
	waitFor(t, &out, "find: at-most-limit: interrupted (Ctrl-C) after ", 1)

	interrupts <- os.Interrupt // at the prompt again
	waitFor(t, &out, interruptHint, 2)
	io.WriteString(w, "find at-most-limit\nfind reaches-limit\n")
	waitFor(t, &out, "witness of reaches-limit", 1)
	w.Close()
	if c := <-code; c != exitHolds {
		t.Errorf("exit %d, want 0", c)
	}
	got := out.String()
	wantIn(t, "session", got,
		"> \n"+interruptHint+"\n> find at-most-limit\nfind: at-most-limit: interrupted (Ctrl-C) after ",
		"\n> find at-most-limit\nfind: at-most-limit (always) holds: there is no counterexample\n> find reaches-limit\nwitness of reaches-limit (sometimes, holds), ",
	)
	if strings.Count(got, "interrupted") != 1 {
		t.Errorf("more than the first find was interrupted:\n%s", got)
	}
}

// TestMain lets the tests run the real command in a process of its own:
// with HANDSHAKE_TEST_MAIN=1 the test binary is handshake (testProgram), so that
// signals and pipes are real.
func TestMain(m *testing.M) {
	if os.Getenv("HANDSHAKE_TEST_MAIN") == "1" {
		os.Exit(testProgram().Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// handshakeProcess starts the command (this test binary as handshake) with
// args, stdin a pipe and stdout, stderr in buffers.
func handshakeProcess(t *testing.T, args ...string) (*exec.Cmd, io.WriteCloser, *syncBuffer, *syncBuffer) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "HANDSHAKE_TEST_MAIN=1")
	var out, errOut syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd, in, &out, &errOut
}

// TestExploreCtrlCProcess sends real SIGINTs to a real explore process:
// one during a find (stream-integrity holds on tcp: the search explores
// all 88,474 states, some tenths of a second), which stops it; one at the
// prompt, which does nothing but answer; the next find then works, and the
// session ends at end of input with status 0 (not killed, 130).
//
// The first SIGINT is sent as soon as the find's command line is echoed:
// the session has then taken the line, so the signal is the find's, even
// if it arrives before the search starts.
func TestExploreCtrlCProcess(t *testing.T) {
	cmd, in, out, errOut := handshakeProcess(t, "explore", "tcp")
	waitFor(t, out, "> ", 1)
	io.WriteString(in, "find stream-integrity\n")
	waitFor(t, out, "> find stream-integrity\n", 1)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "find: stream-integrity: interrupted (Ctrl-C) after ", 1)
	waitFor(t, out, "> ", 2)
	time.Sleep(100 * time.Millisecond) // at the prompt
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, interruptHint, 1)
	io.WriteString(in, "find three-way-handshake\n")
	waitFor(t, out, "witness of three-way-handshake (sometimes-step, holds), 5 steps", 1)
	in.Close()
	err := cmd.Wait()
	if err != nil || cmd.ProcessState.ExitCode() != 0 {
		t.Errorf("explore ended with %v (exit %d), stderr %q; want exit 0", err, cmd.ProcessState.ExitCode(), errOut.String())
	}
}
