// Command handshake checks the formal models of how HTTP/HTTPS connections
// are set up and torn down: it explores a model's state space exhaustively
// and reports, for each property, whether it holds, with the shortest
// counterexample drawn as a sequence diagram when it does not.
//
// Usage:
//
//	handshake list [MODEL]
//	handshake check MODEL [flags]
//	handshake matrix [MODEL] [--json | --markdown]
//	handshake simulate MODEL [flags]
//	handshake explore MODEL [flags]
//	handshake trace MODEL [--property P | --path PATH] [--format text|mermaid|json]
//	handshake replay FILE
//	handshake graph MODEL [--project ROLE] [--format dot|json]
//	handshake validate FILE... (- for standard input) [--capture-point auto|endpoint|path] [--json] [--width N]
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
// so far; a second Ctrl-C kills the process. explore, which is
// interactive, gets each Ctrl-C itself instead: it interrupts the command
// running (a find) and the session goes on (see session.loop).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "explore" {
		interrupts := make(chan os.Signal, 1)
		signal.Notify(interrupts, os.Interrupt)
		defer signal.Stop(interrupts)
		return runExplore(context.Background(), interrupts, args[1:], stdin, stdout, stderr)
	}
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
	case "validate":
		return runValidate(rest, stdin, stdout, stderr)
	case "simulate":
		return runSimulate(rest, stdout, stderr)
	case "explore":
		return runExplore(ctx, nil, rest, stdin, stdout, stderr)
	case "trace":
		return runTrace(ctx, rest, stdout, stderr)
	case "replay":
		return runReplay(rest, stdout, stderr)
	case "graph":
		return runGraph(ctx, rest, stdout, stderr)
	case "matrix":
		return runMatrix(ctx, rest, stdout, stderr)
	}
	return usageError(stderr, fmt.Errorf("unknown command %q (known: list, check, matrix, simulate, explore, trace, replay, graph, validate, help)", cmd))
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
  handshake matrix [MODEL] [--json | --markdown]
      Checks every variant of the model (of every model without MODEL)
      with its default parameters and prints a table of verdicts:
      properties as rows (a group such as the RFC diagram's arrows as one
      row), variants as columns, cells holds, VIOLATED, unknown or n/a
      marked where they differ from the variant's expected verdict.
  handshake simulate MODEL [flags]
      Takes one random walk through the model and draws it.
  handshake explore MODEL [flags]
      Walks the model by hand: reads commands from stdin (a number takes
      that action; back, reset, path, goto PATH, find PROPERTY, props,
      state, help, quit).
  handshake trace MODEL [--property P | --path PATH] [--format F]
      Prints the counterexample or witness of P, the behaviour at PATH,
      or the first violated property's counterexample, as F: text (a
      sequence diagram), mermaid (a Mermaid sequenceDiagram) or json.
  handshake replay FILE
      Checks that a trace written by trace --format json is still a
      behaviour of the model, and draws it.
  handshake graph MODEL [--project ROLE] [--format dot|json]
      Prints the reachable state graph, or its quotient onto one role's
      protocol state (tcp: RFC 9293 Figure 5, changes the figure lacks
      in red), for Graphviz (dot -Tsvg).
  handshake validate FILE... [--capture-point auto|endpoint|path] [--json] [--width N]
      Checks every TCP connection in pcap/pcapng captures against the
      RFC 9293 model: accepted with a sequence diagram of the inferred
      states, or rejected at the first impossible segment (exit 1). FILE
      - reads standard input (tcpdump -w - ... | handshake validate -); a
      capture cut inside a record is refused (exit 2). --capture-point
      says where the capture was taken: at an endpoint (each side's
      segments in the order sent), on the path (lost, duplicated and
      reordered on both sides of it), or auto (endpoint, then path:
      the default).
  handshake help
      Prints this text.

Flags of check (they may come before or after MODEL):
  --variant V        variant of the model (default: its first variant)
  --set key=value    sets a parameter; repeatable
  --workers N        exploring goroutines (default: one per CPU); counts and
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

Paths: a position in a model is a path of indices from an initial state,
such as 0.2.1: the initial state's index, then each action's index among
the actions enabled in the state before (as explore numbers them). trace
prints the path of its trace, explore goes there with goto PATH.

Flags of explore: --variant, --set, --width, and --path PATH (start
there), --max-states and --timeout (for find). When stdin is not a
terminal, each command is echoed after the prompt. Ctrl-C interrupts a
running find and the session goes on; quit or end of input (Ctrl-D) ends
it.

Flags of trace: --variant, --set, --width, --max-states, --timeout, and
  --property P       the counterexample (or witness) of property P
  --path PATH        the behaviour at PATH
  --format F         text (default), mermaid or json
Exit status of trace: 0 a trace was printed; 1 there is none (the property
holds, or has no witness, or nothing is violated); 2 usage or input
error; 3 the search stopped before finding one.

Flags of matrix: --workers, and --max-states, --timeout (per variant), and
  --json             one JSON object: models -> variants -> cells
  --markdown         a GitHub Markdown table without timings (the README's)
  --quiet            no line per variant on stderr
Exit status of matrix: 0 every cell as expected; 1 some verdict differs
from its expectation; 2 usage error; 3 some cell unknown (a limit or
Ctrl-C stopped a run) and none differs.

Exit status of replay: 0 the trace is a behaviour of the model; 1 it is
not (a step the model cannot take, a state that differs); 2 the file is
malformed or names an unknown model, variant or parameter.

Flags of graph: --variant, --set, and
  --format F         dot (default) or json
  --project ROLE     project onto a role's protocol state (a lane: client,
                     server)
  --max-states N     refuse graphs of more states (default 2000; with
                     --project, 1000000 explored)

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
