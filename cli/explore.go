package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
	"github.com/handshake/handshake/render"
	"github.com/handshake/handshake/seqdiagram"
)

// runExplore implements "handshake explore MODEL": an interactive session
// over stdin that walks the model by hand. It reads one command a line,
// the same from a terminal or a pipe; when stdin is not a terminal each
// command is echoed after the prompt, so a transcript reads as a session.
//
// interrupts delivers Ctrl-C (nil: none). A Ctrl-C during a find cancels
// that search only; at the prompt it does nothing but say how to end the
// session. The session never ends on Ctrl-C: quit or end of input
// (Ctrl-D) ends it. ctx is the parent of each command's context.
func (p *Program) runExplore(ctx context.Context, interrupts <-chan os.Signal, o *options, positional []string, stdin io.Reader, stdout, stderr io.Writer) int {
	t, err := p.openTarget(positional, o.variant, o.sets)
	if err != nil {
		return p.usageError(stderr, err)
	}
	s := &session{t: t, out: stdout, ctx: ctx, interrupts: interrupts, width: o.width,
		opt: checker.Options{MaxStates: o.maxStates, Timeout: o.timeout.d}, echo: !isTerminal(stdin)}
	path, err := checker.ParsePath(o.path)
	if err != nil {
		return p.usageError(stderr, fmt.Errorf("--path: %w", err))
	}
	if o.path == "" {
		path = s.home()
	}
	if err := s.move(path); err != nil {
		return p.usageError(stderr, fmt.Errorf("--path %s: %w", o.path, err))
	}
	fmt.Fprintf(stdout, "exploring %s\n", t.title())
	fmt.Fprintln(stdout, "type a number to take that action; help lists the commands")
	s.show()
	s.loop(stdin)
	return render.ExitHolds
}

// session is the state of an explore session.
type session struct {
	t   *target
	out io.Writer
	ctx context.Context
	// interrupts delivers Ctrl-C; each one goes to the command running
	// when it comes, or to the prompt.
	interrupts <-chan os.Signal
	opt        checker.Options
	width      int
	echo       bool
	pos        checker.Position
	// note is shown with the next position (the loop of a found lasso).
	loopNote string
}

// home is the starting path: the initial state if there is only one, the
// choice of initial states otherwise.
func (s *session) home() []int {
	if pos, err := s.t.ex.Walk(nil); err == nil && len(pos.Choices) == 1 && !pos.Choices[0].Pruned {
		return []int{0}
	}
	return nil
}

func (s *session) move(path []int) error {
	pos, err := s.t.ex.Walk(path)
	if err != nil {
		return err
	}
	s.pos = pos
	return nil
}

const exploreHelp = `commands:
  N           take action N of the list (at the start: initial state N)
  back        undo the last step
  reset       go back to the start
  path        draw the path so far as a sequence diagram
  goto PATH   go to a path of action indices from an initial state, e.g. 0.2.1
  find PROP   go to the shortest counterexample or witness of property PROP
  props       list the properties
  state       print the full current state (every field)
  help        this text
  quit        end the session (so does end of input, Ctrl-D)
Ctrl-C interrupts a running find; the session goes on.
`

const exploreHint = "type a number from the list, or back, reset, path, goto PATH, find PROPERTY, props, state, help, quit"

// errCtrlC is the cause of a find's cancellation by Ctrl-C.
var errCtrlC = errors.New("interrupted (Ctrl-C)")

// interruptHint answers a Ctrl-C at the prompt.
const interruptHint = "(Ctrl-C interrupts a running find; quit or end of input, Ctrl-D, ends the session)"

// loop reads commands until quit or end of input. Lines are read by a
// goroutine, so that the prompt can answer a Ctrl-C while it waits: a
// Ctrl-C there is taken (and answered with a hint), so that it cannot
// stop the next find; a Ctrl-C during a command is left to the command
// (find cancels its search).
func (s *session) loop(in io.Reader) {
	lines := make(chan string)
	eof := make(chan struct{})
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(eof)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-done:
				return
			}
		}
	}()
	for {
		fmt.Fprint(s.out, "> ")
		var line string
	wait:
		for {
			select {
			case l := <-lines:
				line = strings.TrimSpace(l)
				break wait
			case <-eof:
				fmt.Fprintln(s.out)
				return
			case <-s.interrupts:
				fmt.Fprintf(s.out, "\n%s\n> ", interruptHint)
			}
		}
		if s.echo {
			fmt.Fprintln(s.out, line)
		}
		if !s.do(line) {
			return
		}
	}
}

// do runs one command; it returns false to end the session.
func (s *session) do(line string) bool {
	cmd, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch cmd {
	case "":
		s.show()
	case "quit", "exit", "q":
		return false
	case "help", "?", "h":
		fmt.Fprint(s.out, exploreHelp)
	case "back", "b":
		if len(s.pos.Path) <= len(s.home()) {
			fmt.Fprintln(s.out, "already at the start")
			return true
		}
		s.must(s.pos.Path[:len(s.pos.Path)-1])
		s.show()
	case "reset":
		s.must(s.home())
		s.show()
	case "path", "p":
		s.drawPath()
	case "state", "s":
		s.state()
	case "props", "properties":
		for _, p := range s.t.sys.Properties() {
			fmt.Fprintf(s.out, "  %s (%s)\n", p.Name, p.Kind)
		}
	case "goto", "g":
		path, err := checker.ParsePath(arg)
		if err == nil && arg == "" {
			err = errors.New("goto wants a path such as 0.2.1")
		}
		if err == nil {
			err = s.move(path)
		}
		if err != nil {
			fmt.Fprintf(s.out, "goto: %v\n", err)
			return true
		}
		s.show()
	case "find", "f":
		s.find(arg)
	default:
		n, err := strconv.Atoi(cmd)
		if err != nil || arg != "" {
			fmt.Fprintf(s.out, "unknown command %q: %s\n", line, exploreHint)
			return true
		}
		s.take(n)
	}
	return true
}

// must moves to a path known to be valid (a prefix of the current one).
func (s *session) must(path []int) {
	if err := s.move(path); err != nil {
		panic("explore: valid path refused: " + err.Error())
	}
}

func (s *session) take(n int) {
	if n < 0 || n >= len(s.pos.Choices) {
		if len(s.pos.Choices) == 0 {
			fmt.Fprintln(s.out, "no action is enabled here: back, reset or goto")
		} else {
			fmt.Fprintf(s.out, "no choice %d: pick 0 to %d\n", n, len(s.pos.Choices)-1)
		}
		return
	}
	if c := s.pos.Choices[n]; c.Pruned {
		fmt.Fprintf(s.out, "choice %d (%s) is pruned by the model's constraints: the checker never takes it\n", n, c.Action)
		return
	}
	next := append(append([]int(nil), s.pos.Path...), n)
	if err := s.move(next); err != nil {
		fmt.Fprintf(s.out, "%v\n", err)
		return
	}
	s.show()
}

func (s *session) find(name string) {
	if name == "" {
		fmt.Fprintln(s.out, "find wants a property name (props lists them)")
		return
	}
	if err := unknownProperty(s.t.sys, name, "props lists them"); err != nil {
		fmt.Fprintf(s.out, "find: %v\n", err)
		return
	}
	ctx, cancel := context.WithCancelCause(s.ctx)
	defer cancel(nil)
	if s.interrupts != nil {
		// A Ctrl-C from now until the search ends cancels it.
		finished := make(chan struct{})
		defer close(finished)
		go func() {
			select {
			case <-s.interrupts:
				cancel(errCtrlC)
			case <-finished:
			}
		}()
	}
	f, err := s.t.ex.Find(ctx, name, s.opt)
	if err != nil {
		fmt.Fprintf(s.out, "find: %v\n", err)
		return
	}
	if f.Trace == nil {
		switch {
		case errors.Is(context.Cause(ctx), errCtrlC):
			if !s.echo { // a terminal has echoed ^C where the cursor was
				fmt.Fprintln(s.out)
			}
			fmt.Fprintf(s.out, "find: %s: interrupted (Ctrl-C) after %s states, before a trace was found\n", name, humanize.Grouped(f.Distinct))
		case f.Status == checker.Unknown:
			fmt.Fprintf(s.out, "find: %s is undecided: the search stopped (%s)\n", name, f.Reason)
		case f.Property.Kind.Existential():
			fmt.Fprintf(s.out, "find: %s (%s) has no witness: no reachable state or step satisfies it\n", name, f.Property.Kind)
		default:
			fmt.Fprintf(s.out, "find: %s (%s) %s: there is no counterexample\n", name, f.Property.Kind, statusPhrase(f.Status))
		}
		return
	}
	if err := s.move(f.Path); err != nil {
		fmt.Fprintf(s.out, "find: %v\n", err)
		return
	}
	fmt.Fprintf(s.out, "%s of %s (%s, %s), %s\n", traceKind(f.Status), name, f.Property.Kind, render.Verdict(f.Status), humanize.Plural(len(f.Path)-1, "step"))
	switch {
	case f.Trace.Stutter:
		fmt.Fprintf(s.out, "  the behaviour then stays in this state forever (stutter)\n")
	case f.Trace.Loop >= 0:
		fmt.Fprintf(s.out, "  the behaviour then loops back to step %d (path %s) forever\n", f.Trace.Loop, checker.FormatPath(f.Path[:f.Trace.Loop+1]))
	}
	s.show()
}

// show prints the position: path, last step, state, choices.
func (s *session) show() {
	p := &s.pos
	w := s.out
	fmt.Fprintf(w, "\npath %s (%s)\n", pathText(p.Path), humanize.Plural(max(len(p.Path)-1, 0), "step"))
	if n := len(p.Trace.Steps); n > 0 {
		last := p.Trace.Steps[n-1]
		if last.Action != "" {
			fmt.Fprintf(w, "last step: %s\n", last.Action)
		}
		for _, e := range last.Events {
			fmt.Fprintf(w, "  %s\n", render.EventText(s.t.sys.Lanes(), e))
		}
		fmt.Fprintln(w, "state:")
		for _, l := range strings.Split(last.State, "\n") {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	switch {
	case len(p.Trace.Steps) == 0:
		fmt.Fprintln(w, "initial states:")
	case len(p.Choices) == 0 && p.Deadlock:
		fmt.Fprintln(w, "no action enabled: DEADLOCK (not an end state of the model)")
	case len(p.Choices) == 0 && p.End:
		fmt.Fprintln(w, "no action enabled: an end state of the model")
	case len(p.Choices) == 0:
		fmt.Fprintln(w, "no action enabled")
	default:
		fmt.Fprintln(w, "enabled actions:")
	}
	numW := len(strconv.Itoa(max(len(p.Choices)-1, 0)))
	for _, c := range p.Choices {
		pruned := ""
		if c.Pruned {
			pruned = "   (pruned by the model's constraints)"
		}
		fmt.Fprintf(w, "  %*d  %s%s\n", numW, c.Index, c.Action, pruned)
	}
}

func (s *session) drawPath() {
	if len(s.pos.Path) == 0 {
		fmt.Fprintln(s.out, "at the start: no path yet")
		return
	}
	fmt.Fprintf(s.out, "path %s\n\n", checker.FormatPath(s.pos.Path))
	seqdiagram.Render(s.out, s.t.sys.Lanes(), s.pos.Trace, seqdiagram.Options{Width: s.width, Legend: true})
}

func (s *session) state() {
	if len(s.pos.Trace.Steps) == 0 {
		fmt.Fprintln(s.out, "at the start: pick an initial state")
		for i, c := range s.pos.Choices {
			fmt.Fprintf(s.out, "  %d  %s\n", i, c.Action)
		}
		return
	}
	st := s.pos.Trace.Steps[len(s.pos.Trace.Steps)-1]
	fmt.Fprintf(s.out, "state at path %s:\n", checker.FormatPath(s.pos.Path))
	for _, l := range strings.Split(st.State, "\n") {
		fmt.Fprintf(s.out, "  %s\n", l)
	}
	fmt.Fprintln(s.out, "every field:")
	fmt.Fprintf(s.out, "  %s\n", s.pos.Raw)
}

// isTerminal reports whether r is a character device (an interactive
// terminal).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
