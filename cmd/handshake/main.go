// Command handshake checks the formal models of how HTTP/HTTPS connections
// are set up and torn down: it explores a model's state space exhaustively
// and reports, for each property, whether it holds, with the shortest
// counterexample drawn as a sequence diagram when it does not.
//
// Usage:
//
//	handshake list [MODEL]
//	handshake check MODEL [flags]
//	handshake simulate MODEL [flags]
//	handshake help
//
// Exit status: 0 all properties hold; 1 a property is violated; 2 usage or
// input error; 3 incomplete (a limit was reached or the run was
// interrupted before every property was decided).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/handshake/handshake/spec"
)

// Exit statuses.
const (
	exitHolds      = 0
	exitViolated   = 1
	exitUsage      = 2
	exitIncomplete = 3
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// run is the whole command, testable: it returns the exit status. Ctrl-C
// (os.Interrupt) stops a running check, which then prints what it found
// so far; a second Ctrl-C kills the process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // restore the default action for a second Ctrl-C
	}()
	return runContext(ctx, args, stdin, stdout, stderr)
}

// runContext is run with the context that interrupts a check.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageError(stderr, errors.New("missing command (try 'handshake help')"))
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitHolds
	case "list":
		return runList(rest, stdout, stderr)
	case "check":
		return runCheck(ctx, rest, stdout, stderr)
	case "simulate":
		return runSimulate(rest, stdout, stderr)
	case "explore":
		return runExplore(ctx, rest, stdin, stdout, stderr)
	case "trace":
		return runTrace(ctx, rest, stdout, stderr)
	case "replay":
		return runReplay(rest, stdout, stderr)
	case "graph":
		return runGraph(ctx, rest, stdout, stderr)
	}
	return usageError(stderr, fmt.Errorf("unknown command %q (known: list, check, simulate, explore, trace, replay, graph, help)", cmd))
}

// usageError prints err as one line on stderr and returns exit status 2.
func usageError(stderr io.Writer, err error) int {
	msg := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
	fmt.Fprintf(stderr, "handshake: %s\n", msg)
	return exitUsage
}

// lookup finds a model by name, for the commands taking one.
func lookup(positional []string) (*spec.Entry, error) {
	switch len(positional) {
	case 0:
		var names []string
		for _, e := range spec.Models() {
			names = append(names, e.Name)
		}
		if len(names) == 0 {
			names = append(names, "none registered")
		}
		return nil, fmt.Errorf("missing MODEL (known: %s)", strings.Join(names, ", "))
	case 1:
	default:
		return nil, fmt.Errorf("unexpected argument %q after MODEL %s", positional[1], positional[0])
	}
	return spec.Lookup(positional[0])
}

const usage = `handshake checks formal models of connection setup and teardown.

Usage:
  handshake list [MODEL]
      Lists the models with their variants, parameters and properties.
  handshake check MODEL [flags]
      Explores the model's state space and decides its properties.
  handshake simulate MODEL [flags]
      Takes one random walk through the model and draws it.
  handshake help
      Prints this text.

Flags of check (they may come before or after MODEL):
  --variant V        variant of the model (default: its first variant)
  --set key=value    sets a parameter; repeatable
  --workers N        exploring goroutines (default 1); counts and
                     verdicts do not depend on it
  --max-states N     stop, incomplete, after N distinct states (0: no limit)
  --max-depth N      stop, incomplete, at depth N (0: no limit)
  --timeout D        stop, incomplete, after duration D such as 30s or 5m
  --exact            store whole states instead of 64-bit fingerprints
  --json             print one JSON object on stdout instead of text
  --witness          also print the witness traces of sometimes-properties
                     (text: as diagrams; JSON: as traces)
  --width N          width of the sequence diagrams (default 80)
  --quiet            no progress lines on stderr

Flags of simulate: --variant, --set, --width, --json as for check, and
  --seed N           random seed (default 1)
  --steps N          at most N steps (default 30)

Output of check: every property with its verdict (holds, VIOLATED,
unknown), the number of distinct and generated states, the depth, the
time, states per second, peak memory and bytes per distinct state, the
fingerprint mode and collision probability; a violated property's shortest
counterexample as a sequence diagram followed by its steps. Runs longer than
a second print progress on stderr; Ctrl-C stops a run and prints what was
found so far (incomplete, exit 3, unless a violation was found).

Exit status:
  0  every property holds
  1  a property is violated
  2  usage or input error
  3  incomplete: a limit was reached or the run was interrupted
`
