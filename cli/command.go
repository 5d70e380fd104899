package cli

import (
	"flag"
	"fmt"
	"io"

	"github.com/handshake/handshake/render"
	"github.com/handshake/handshake/seqdiagram"
)

// What a Command added to a Program needs to behave as the library's own
// commands do: flags parsed the same way, the same --width, the help text
// on -h, and bad input reported on one line with exit status 2.

// NewFlagSet makes a flag set that reports errors instead of printing
// them or exiting, as every command's is.
func NewFlagSet(name string) *flag.FlagSet { return newFlagSet(name) }

// ParseInterspersed parses args with fs, allowing flags after positional
// arguments ("check tcp --variant x"), and returns the positional
// arguments. After "--" every argument is positional. -h gives
// flag.ErrHelp, which a command answers with Program.Help.
func ParseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	return parseInterspersed(fs, args)
}

// WidthVar defines the --width flag of the sequence diagrams: 40 to 1000
// columns, seqdiagram.DefaultWidth by default.
func WidthVar(fs *flag.FlagSet, p *int) {
	intVar(fs, p, "width", seqdiagram.DefaultWidth, 40, 1000, ruleWidth)
}

// Help prints the program's help text on stdout and returns exit status 0.
func (p *Program) Help(stdout io.Writer) int {
	fmt.Fprint(stdout, p.usage())
	return render.ExitHolds
}
