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
	"github.com/handshake/handshake/web"
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
	// Validate, if set, gives the web explorer (serve) a page validating
	// uploaded captures.
	Validate web.Validator
}

// Command is a command a program adds to the library's.
type Command struct {
	// Name is the command's word ("validate").
	Name string
	// Help is the command's section of the help text: its usage line
	// and what it does, indented as the library's own sections are.
	Help string
	// Run runs the command with the arguments after its name and
	// returns the exit status. NewFlagSet, ParseInterspersed and
	// WidthVar parse flags as the library's commands do; p.Help answers
	// -h, p.UsageError bad input.
	Run func(p *Program, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// Run is the whole command line: it runs the command that args[0] names and
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
		return p.dispatch(context.Background(), interrupts, args, stdin, stdout, stderr)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // restore the default action for a second Ctrl-C
	}()
	return p.dispatch(ctx, nil, args, stdin, stdout, stderr)
}

// RunContext is Run without signal handling: ctx's cancellation
// interrupts a check as Ctrl-C does.
func (p *Program) RunContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return p.dispatch(ctx, nil, args, stdin, stdout, stderr)
}

// dispatch runs the command args[0] names; interrupts, if not nil,
// delivers Ctrl-C to an explore session.
func (p *Program) dispatch(ctx context.Context, interrupts <-chan os.Signal, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if err := p.Models.Validate(); err != nil {
		return p.usageError(stderr, err)
	}
	if len(args) == 0 {
		return p.usageError(stderr, fmt.Errorf("missing command (try '%s help')", p.Name))
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "-help", "--help":
		return p.Help(stdout)
	}
	if c := findCommand(cmd); c != nil {
		o, positional, status, ok := p.parse(c, rest, stdout, stderr)
		if !ok {
			return status
		}
		switch cmd {
		case "list":
			return p.runList(positional, stdout, stderr)
		case "check":
			return p.runCheck(ctx, o, positional, stdout, stderr)
		case "simulate":
			return p.runSimulate(o, positional, stdout, stderr)
		case "explore":
			return p.runExplore(ctx, interrupts, o, positional, stdin, stdout, stderr)
		case "trace":
			return p.runTrace(ctx, o, positional, stdout, stderr)
		case "replay":
			return p.runReplay(o, positional, stdout, stderr)
		case "graph":
			return p.runGraph(ctx, o, positional, stdout, stderr)
		case "matrix":
			return p.runMatrix(ctx, o, positional, stdout, stderr)
		case "serve":
			return p.runServe(ctx, o, positional, stdout, stderr)
		}
	}
	for _, c := range p.Commands {
		if c.Name == cmd {
			return c.Run(p, rest, stdin, stdout, stderr)
		}
	}
	var known []string
	for _, c := range commands {
		known = append(known, c.name)
	}
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
			names = append(names, "none")
		}
		return nil, fmt.Errorf("missing MODEL (known: %s)", strings.Join(names, ", "))
	case 1:
	default:
		return nil, fmt.Errorf("unexpected argument %q after MODEL %s", positional[1], positional[0])
	}
	return p.Models.Lookup(positional[0])
}
