package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"runtime"
	"strings"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
	"github.com/handshake/handshake/render"
	"github.com/handshake/handshake/seqdiagram"
)

// Every flag is defined once, here: its name, the placeholder of its
// value, its help and where its value goes. A command lists the shared
// flags it takes and defines its own; the help text is generated from the
// same definitions, so that it cannot name a flag no command takes or
// forget one.

// defaultWorkers is the default of --workers: one per processor the Go
// runtime may use. Counts, verdicts and traces do not depend on it.
var defaultWorkers = runtime.GOMAXPROCS(0)

// limits are the search bounds the flags --workers, --max-states,
// --max-depth, --timeout and --max-memory give (zero where a command
// does not take one), for check, matrix and serve.
func (o *options) limits() checker.Options {
	return checker.Options{Workers: o.workers, MaxStates: o.maxStates, MaxDepth: o.maxDepth,
		Timeout: o.timeout.d, MaxMemory: o.maxMemory}
}

// options are the values of every flag a command may take.
type options struct {
	variant   string
	sets      stringList
	workers   int
	maxStates uint64
	maxDepth  int
	timeout   durationFlag
	maxMemory uint64
	json      bool
	width     int
	quiet     bool

	exact, witness, markdown        bool
	seed                            int64
	steps                           int
	path, property, format, project string
	graphStates                     int
	addr                            string
	checkProps                      stringList
}

// flagDef is one flag.
type flagDef struct {
	name string
	arg  string // the value's placeholder in the help text, "" for a boolean
	help string
	// define adds the flag to fs, its value going to o.
	define func(fs *flag.FlagSet, o *options)
}

// sharedFlags are the flags several commands take, with one meaning.
var sharedFlags = []flagDef{
	{"variant", "V", "variant of the model (default: its first variant)",
		func(fs *flag.FlagSet, o *options) { fs.StringVar(&o.variant, "variant", "", "") }},
	{"set", "key=value", "sets a parameter; repeatable",
		func(fs *flag.FlagSet, o *options) { fs.Var(&o.sets, "set", "") }},
	{"workers", "N", "exploring goroutines (default: one per CPU); counts and verdicts do not depend on it",
		func(fs *flag.FlagSet, o *options) {
			intVar(fs, &o.workers, "workers", defaultWorkers, 1, 1<<20, ruleWorkers)
		}},
	{"max-states", "N", "stop, incomplete, after N distinct states (0: no limit)",
		func(fs *flag.FlagSet, o *options) { uint64Var(fs, &o.maxStates, "max-states", 0, ruleMaxStates) }},
	{"max-depth", "N", "stop, incomplete, at depth N (0: no limit)",
		func(fs *flag.FlagSet, o *options) {
			intVar(fs, &o.maxDepth, "max-depth", 0, 0, math.MaxInt32, ruleMaxDepth)
		}},
	{"timeout", "D", "stop, incomplete, after duration D such as 30s or 5m",
		func(fs *flag.FlagSet, o *options) { fs.Var(&o.timeout, "timeout", "") }},
	{"max-memory", "SIZE", "stop, incomplete, before memory passes SIZE such as 1GiB or 512MiB (default: 3/4 of the machine's or cgroup's memory)",
		func(fs *flag.FlagSet, o *options) {
			fs.Func("max-memory", "", func(s string) error {
				n, err := checker.ParseBytes(s)
				if err != nil || n == 0 {
					return errors.New(ruleMaxMemory)
				}
				o.maxMemory = n
				return nil
			})
		}},
	{"json", "", "print one JSON object on stdout instead of text",
		func(fs *flag.FlagSet, o *options) { fs.BoolVar(&o.json, "json", false, "") }},
	{"width", "N", fmt.Sprintf("width of the sequence diagrams (default %d)", seqdiagram.DefaultWidth),
		func(fs *flag.FlagSet, o *options) { WidthVar(fs, &o.width) }},
	{"quiet", "", "no progress lines on stderr",
		func(fs *flag.FlagSet, o *options) { fs.BoolVar(&o.quiet, "quiet", false, "") }},
}

// walkFlags are the shared flags of the commands that walk the model to
// a state (explore, trace): the model, the diagrams' width, and the
// bounds of a search for a property's trace.
var walkFlags = []string{"variant", "set", "width", "max-states", "timeout"}

// pathFlag is --path PATH, a behaviour named by the numbers of its
// actions, with what the command does with it.
func pathFlag(help string) flagDef {
	return flagDef{"path", "PATH", help, func(fs *flag.FlagSet, o *options) { fs.StringVar(&o.path, "path", "", "") }}
}

// command describes one of the library's commands for parsing and help.
type command struct {
	name     string
	synopsis string // after the program's name
	about    string // what it does
	shared   []string
	own      []flagDef
	notes    string // after its flags: exit statuses, sessions
	// check, if not nil, checks the parsed arguments beyond each flag's
	// own rule (formats, flags that exclude each other, arity).
	check func(p *Program, o *options, positional []string) error
}

// commands are the library's commands, in the order of the help text.
var commands = []command{
	{name: "list", synopsis: "list [MODEL]",
		about: "Lists the models with their variants, parameters and properties."},
	{name: "check", synopsis: "check MODEL [flags]",
		about:  "Explores the model's state space and decides its properties.",
		shared: []string{"variant", "set", "workers", "max-states", "max-depth", "timeout", "max-memory", "json", "width", "quiet"},
		own: []flagDef{
			{"property", "NAME", "check only this property, or this group (repeatable); the others are reported as not checked",
				func(fs *flag.FlagSet, o *options) { fs.Var(&o.checkProps, "property", "") }},
			{"exact", "", "store whole states instead of 64-bit fingerprints",
				func(fs *flag.FlagSet, o *options) { fs.BoolVar(&o.exact, "exact", false, "") }},
			{"witness", "", "also print the witness traces of sometimes-properties (text: as diagrams; JSON: as traces)",
				func(fs *flag.FlagSet, o *options) { fs.BoolVar(&o.witness, "witness", false, "") }},
		},
		notes: "Output of check: every property with its verdict (holds, VIOLATED, unknown), the number of " +
			"distinct and generated states, the depth, the time, states per second, peak memory and bytes " +
			"per distinct state, the fingerprint mode and collision probability; a violated property's " +
			"shortest counterexample as a sequence diagram followed by its steps. Runs longer than a second " +
			"print progress on stderr; Ctrl-C stops a run and prints what was found so far (incomplete, " +
			"exit 3, unless a violation was found)."},
	{name: "matrix", synopsis: "matrix [MODEL] [--json | --markdown]",
		about: "Checks every variant of the model (of every model without MODEL) with its default parameters " +
			"and prints a table of verdicts: properties as rows (a group such as an RFC diagram's arrows as " +
			"one row), variants as columns, cells holds, VIOLATED, unknown or n/a marked where they differ " +
			"from the variant's expected verdict. --max-states and --timeout apply to each variant; --json " +
			"prints models -> variants -> cells; --quiet leaves out the line per variant on stderr.",
		shared: []string{"workers", "max-states", "timeout", "max-memory", "json", "quiet"},
		own: []flagDef{
			{"markdown", "", "a GitHub Markdown table without timings",
				func(fs *flag.FlagSet, o *options) { fs.BoolVar(&o.markdown, "markdown", false, "") }},
		},
		notes: "Exit status of matrix: 0 every cell as expected; 1 some verdict differs from its expectation; " +
			"2 usage error; 3 some cell unknown (a limit or Ctrl-C stopped a run) and none differs.",
		check: func(_ *Program, o *options, positional []string) error {
			switch {
			case o.json && o.markdown:
				return errors.New("--json and --markdown: choose one")
			case len(positional) > 1:
				return fmt.Errorf("unexpected argument %q after MODEL %s", positional[1], positional[0])
			}
			return nil
		}},
	{name: "simulate", synopsis: "simulate MODEL [flags]",
		about:  "Takes one random walk through the model and draws it.",
		shared: []string{"variant", "set", "width", "json"},
		own: []flagDef{
			{"seed", "N", "random seed (default 1)", func(fs *flag.FlagSet, o *options) {
				int64Var(fs, &o.seed, "seed", 1, math.MinInt64, math.MaxInt64, "want a whole number (an int64)")
			}},
			{"steps", "N", "at most N steps (default 30)", func(fs *flag.FlagSet, o *options) {
				intVar(fs, &o.steps, "steps", 30, 0, 1_000_000, "want a whole number from 0 to 1000000")
			}},
		}},
	{name: "explore", synopsis: "explore MODEL [flags]",
		about: "Walks the model by hand: reads commands from stdin (a number takes that action; back, reset, " +
			"path, goto PATH, find PROPERTY, props, state, help, quit). --max-states and --timeout bound " +
			"each find.",
		shared: walkFlags,
		own:    []flagDef{pathFlag("start at PATH")},
		notes: "When stdin is not a terminal, each command of explore is echoed after the prompt. Ctrl-C " +
			"interrupts a running find and the session goes on; quit or end of input (Ctrl-D) ends it."},
	{name: "trace", synopsis: "trace MODEL [--property P | --path PATH] [--format F]",
		about: "Prints the counterexample or witness of P, the behaviour at PATH, or the first violated " +
			"property's counterexample, as F: text (a sequence diagram), mermaid (a Mermaid sequenceDiagram) " +
			"or json.",
		shared: walkFlags,
		own: []flagDef{
			{"property", "P", "the counterexample (or witness) of property P",
				func(fs *flag.FlagSet, o *options) { fs.StringVar(&o.property, "property", "", "") }},
			pathFlag("the behaviour at PATH"),
			{"format", "F", "text (default), mermaid or json",
				func(fs *flag.FlagSet, o *options) { fs.StringVar(&o.format, "format", "text", "") }},
		},
		notes: "Exit status of trace: 0 a trace was printed; 1 there is none (the property holds, or has no " +
			"witness, or nothing is violated); 2 usage or input error; 3 the search stopped before finding one.",
		check: func(_ *Program, o *options, _ []string) error {
			if o.property != "" && o.path != "" {
				return errors.New("--property and --path exclude each other")
			}
			return checkFormat(o.format, "text", "mermaid", "json")
		}},
	{name: "serve", synopsis: "serve [MODEL] [--addr HOST:PORT]",
		about: "Serves the web explorer of the models (opening at MODEL) and prints its address: a page " +
			"to step through a model, check its properties and follow their traces, see the variant " +
			"matrix and the state graph projected onto a role" +
			" (and validate captures, when the program does). It runs until Ctrl-C.",
		shared: []string{"workers", "max-states", "timeout", "max-memory"},
		own: []flagDef{
			{"addr", "HOST:PORT", "address to listen on (default 127.0.0.1:8080, this machine only; port 0 picks a free port)",
				func(fs *flag.FlagSet, o *options) { fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "") }},
		},
		check: func(p *Program, _ *options, positional []string) error {
			switch {
			case len(positional) > 1:
				return fmt.Errorf("unexpected argument %q after MODEL %s", positional[1], positional[0])
			case len(positional) == 1:
				_, err := p.Models.Lookup(positional[0])
				return err
			}
			return nil
		}},
	{name: "replay", synopsis: "replay FILE",
		about:  "Checks that a trace written by trace --format json is still a behaviour of the model, and draws it.",
		shared: []string{"width"},
		notes: "Exit status of replay: 0 the trace is a behaviour of the model; 1 it is not (a step the " +
			"model cannot take, a state that differs); 2 the file is malformed or names an unknown model, " +
			"variant or parameter.",
		check: func(p *Program, _ *options, positional []string) error {
			if len(positional) != 1 {
				return errors.New("replay wants one FILE (a trace written by '" + p.Name + " trace --format json')")
			}
			return nil
		}},
	{name: "graph", synopsis: "graph MODEL [--project ROLE] [--format dot|json]",
		about: "Prints the reachable state graph, or its quotient onto one role's protocol state (compared " +
			"with the model's reference figure, if it has one: changes the figure lacks in red), for " +
			"Graphviz (dot -Tsvg).",
		shared: []string{"variant", "set"},
		own: []flagDef{
			{"format", "F", "dot (default) or json",
				func(fs *flag.FlagSet, o *options) { fs.StringVar(&o.format, "format", "dot", "") }},
			{"project", "ROLE", "project onto a role's protocol state (a lane of the model)",
				func(fs *flag.FlagSet, o *options) { fs.StringVar(&o.project, "project", "", "") }},
			{"max-states", "N", fmt.Sprintf("refuse graphs of more states (default %d; with --project, %d explored)",
				defaultGraphStates, defaultProjectedStates),
				func(fs *flag.FlagSet, o *options) {
					intVar(fs, &o.graphStates, "max-states", -1, 1, math.MaxInt32, "want a whole number, at least 1")
				}},
		},
		check: func(_ *Program, o *options, _ []string) error { return checkFormat(o.format, "dot", "json") }},
}

// parse parses the arguments of the library command c with parseFlags,
// then checks them with c.check. When ok is false, the command is done
// and returns status: -h printed the help (status 0), or a usage error
// was reported (status 2).
func (p *Program) parse(c *command, args []string, stdout, stderr io.Writer) (o *options, positional []string, status int, ok bool) {
	o, positional, err := parseFlags(c.name, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil, nil, p.Help(stdout), false
	}
	if err == nil && c.check != nil {
		err = c.check(p, o, positional)
	}
	if err != nil {
		return nil, nil, p.usageError(stderr, err), false
	}
	return o, positional, 0, true
}

// parseFlags parses the arguments of the named library command: its flags
// (before or after the positional arguments) and the positional
// arguments.
func parseFlags(name string, args []string) (*options, []string, error) {
	c := findCommand(name)
	if c == nil {
		return nil, nil, errors.New("cli: no command " + name) // a programming error caught by any test
	}
	o := &options{}
	fs := newFlagSet(name)
	for _, s := range c.shared {
		sharedFlag(s).define(fs, o)
	}
	for _, f := range c.own {
		f.define(fs, o)
	}
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, nil, err
	}
	return o, positional, nil
}

// findCommand is the library's command of that name, nil if none.
func findCommand(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

func sharedFlag(name string) flagDef {
	for _, f := range sharedFlags {
		if f.name == name {
			return f
		}
	}
	panic("cli: no shared flag " + name) // the command table names a flag not defined: caught by any test
}

// helpWidth is the width of the help text.
const helpWidth = 78

// usage is the help text, generated from the command table and the flag
// definitions.
func (p *Program) usage() string {
	var b strings.Builder
	summary := p.Summary
	if summary == "" {
		summary = p.Name + " checks formal models of protocols."
	}
	b.WriteString(summary + "\n\nUsage:\n")
	para := func(indent, text string) {
		for _, l := range humanize.WrapWords(text, helpWidth-len(indent)) {
			b.WriteString(indent + l + "\n")
		}
	}
	for _, c := range commands {
		fmt.Fprintf(&b, "  %s %s\n", p.Name, c.synopsis)
		para("      ", c.about)
	}
	for _, c := range p.Commands {
		b.WriteString(c.Help)
	}
	fmt.Fprintf(&b, "  %s help\n      Prints this text.\n", p.Name)

	b.WriteString("\nFlags (they may come before or after MODEL):\n")
	writeFlags(&b, sharedFlags)
	for _, c := range commands {
		if len(c.shared) == 0 && len(c.own) == 0 && c.notes == "" {
			continue
		}
		b.WriteString("\n")
		var names []string
		for _, s := range c.shared {
			names = append(names, "--"+s)
		}
		head := "Flags of " + c.name + ": " + strings.Join(names, ", ")
		if len(c.own) > 0 {
			head += ", and"
		}
		para("", head)
		writeFlags(&b, c.own)
		if c.notes != "" {
			para("", c.notes)
		}
	}
	b.WriteString("\n")
	para("", "Paths: a position in a model is a path of indices from an initial state, such as "+
		"0.2.1: the initial state's index, then each action's index among the actions enabled in the "+
		"state before (as explore numbers them). trace prints the path of its trace, explore goes there "+
		"with goto PATH.")
	fmt.Fprintf(&b, `
Exit status:
  %d  every property holds
  %d  a property is violated
  %d  usage or input error
  %d  incomplete: a limit was reached or the run was interrupted
`, render.ExitHolds, render.ExitViolated, render.ExitUsage, render.ExitIncomplete)
	return b.String()
}

// writeFlags writes flags one a definition: "--name ARG", its help
// wrapped beside it.
func writeFlags(b *strings.Builder, flags []flagDef) {
	const col = 21
	for _, f := range flags {
		name := "--" + f.name
		if f.arg != "" {
			name += " " + f.arg
		}
		lines := humanize.WrapWords(f.help, helpWidth-col)
		for i, l := range lines {
			left := ""
			if i == 0 {
				left = "  " + name
			}
			fmt.Fprintf(b, "%s%s%s\n", left, strings.Repeat(" ", max(col-len(left), 1)), l)
		}
	}
}
