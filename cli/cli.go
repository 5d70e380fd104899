// Package cli is the whole command-line tool of handshake as a library:
// a Program serves a list of models (see package catalog) with every
// command (list, check, matrix, simulate, explore, trace, replay, graph),
// their flags, outputs and exit statuses, whatever protocol the models
// describe. A program of a few lines gets the tool for its own models:
//
//	func main() {
//		p := &cli.Program{Name: "abp", Models: catalog.Models{abp.Entry()}}
//		os.Exit(p.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
//	}
//
// Exit statuses (the constants of package render): 0 all properties hold;
// 1 a property is violated; 2 usage or input error; 3 incomplete (a limit
// was reached or the run was interrupted before every property was
// decided). Commands say where theirs differ (trace, replay, matrix).
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/render"
)

// Program is the command-line tool serving a list of models.
type Program struct {
	// Name is the program's name, as usage lines and error messages
	// ("handshake: unknown model ...") show it.
	Name string
	// Summary is the first line of the help text, what the program
	// checks.
	Summary string
	// Models are the models the commands serve.
	Models catalog.Models
	// Commands are further commands the program offers beside the
	// library's own.
	Commands []Command
}

// Command is a command a program adds to the library's.
type Command struct {
	// Name is the command's word ("validate").
	Name string
	// Help is the command's section of the help text: its usage line
	// and what it does, indented as the library's own sections are.
	Help string
	// Run runs the command with the arguments after its name and
	// returns the exit status.
	Run func(p *Program, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// Run is the whole command line: it runs the command args name and
// returns the exit status. Ctrl-C (os.Interrupt) stops a running check,
// which then prints what it found so far; a second Ctrl-C kills the
// process. explore, which is interactive, gets each Ctrl-C itself
// instead: it interrupts the command running (a find) and the session
// goes on.
func (p *Program) Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if err := p.Models.Validate(); err != nil {
		return p.usageError(stderr, err)
	}
	if len(args) > 0 && args[0] == "explore" {
		interrupts := make(chan os.Signal, 1)
		signal.Notify(interrupts, os.Interrupt)
		defer signal.Stop(interrupts)
		return p.runExplore(context.Background(), interrupts, args[1:], stdin, stdout, stderr)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // restore the default action for a second Ctrl-C
	}()
	return p.RunContext(ctx, args, stdin, stdout, stderr)
}

// RunContext is Run without signal handling: ctx's cancellation
// interrupts a check as Ctrl-C does.
func (p *Program) RunContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if err := p.Models.Validate(); err != nil {
		return p.usageError(stderr, err)
	}
	if len(args) == 0 {
		return p.usageError(stderr, fmt.Errorf("missing command (try '%s help')", p.Name))
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, p.usage())
		return render.ExitHolds
	case "list":
		return p.runList(rest, stdout, stderr)
	case "check":
		return p.runCheck(ctx, rest, stdout, stderr)
	case "simulate":
		return p.runSimulate(rest, stdout, stderr)
	case "explore":
		return p.runExplore(ctx, nil, rest, stdin, stdout, stderr)
	case "trace":
		return p.runTrace(ctx, rest, stdout, stderr)
	case "replay":
		return p.runReplay(rest, stdout, stderr)
	case "graph":
		return p.runGraph(ctx, rest, stdout, stderr)
	case "matrix":
		return p.runMatrix(ctx, rest, stdout, stderr)
	}
	for _, c := range p.Commands {
		if c.Name == cmd {
			return c.Run(p, rest, stdin, stdout, stderr)
		}
	}
	known := []string{"list", "check", "matrix", "simulate", "explore", "trace", "replay", "graph"}
	for _, c := range p.Commands {
		known = append(known, c.Name)
	}
	known = append(known, "help")
	return p.usageError(stderr, fmt.Errorf("unknown command %q (known: %s)", cmd, strings.Join(known, ", ")))
}

// UsageError prints err as one line on stderr, after the program's name,
// and returns exit status 2: what every command does with bad input.
func (p *Program) UsageError(stderr io.Writer, err error) int { return p.usageError(stderr, err) }

func (p *Program) usageError(stderr io.Writer, err error) int {
	msg := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
	p.errorf(stderr, "%s\n", msg)
	return render.ExitUsage
}

// errorf prints a message on stderr after the program's name.
func (p *Program) errorf(stderr io.Writer, format string, args ...any) {
	fmt.Fprintf(stderr, "%s: %s", p.Name, fmt.Sprintf(format, args...))
}

// lookup finds a model by name, for the commands taking one.
func (p *Program) lookup(positional []string) (*catalog.Entry, error) {
	switch len(positional) {
	case 0:
		names := p.Models.Names()
		if len(names) == 0 {
			names = append(names, "none registered")
		}
		return nil, fmt.Errorf("missing MODEL (known: %s)", strings.Join(names, ", "))
	case 1:
	default:
		return nil, fmt.Errorf("unexpected argument %q after MODEL %s", positional[1], positional[0])
	}
	return p.Models.Lookup(positional[0])
}

// usage is the help text.
func (p *Program) usage() string {
	var extra strings.Builder
	for _, c := range p.Commands {
		extra.WriteString(c.Help)
	}
	text := strings.Replace(usageText, "  handshake help\n", extra.String()+"  handshake help\n", 1)
	text = strings.ReplaceAll(text, "handshake ", p.Name+" ")
	summary := p.Summary
	if summary == "" {
		summary = p.Name + " checks formal models of protocols."
	}
	return summary + "\n" + text
}

// usageText is the help text after its summary line; "handshake " is
// replaced by the program's name.
const usageText = `
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
  2  p.usage() or input error
  3  incomplete: a limit was reached or the run was interrupted
`
