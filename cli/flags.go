package cli

import (
	"errors"
	"flag"
	"io"
	"math"
	"strconv"
	"strings"
)

// newFlagSet makes a flag set that reports errors instead of printing
// them or exiting.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseInterspersed parses args with fs, allowing flags after positional
// arguments ("check tcp --variant x"), and returns the positional
// arguments. After "--" every argument is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" && !isFlagValue(fs, args, consumed-1) {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// isFlagValue reports whether args[i] is the value of the flag before it
// ("--variant --"), rather than the end of the flags.
func isFlagValue(fs *flag.FlagSet, args []string, i int) bool {
	if i == 0 {
		return false
	}
	prev := strings.TrimLeft(args[i-1], "-")
	if !strings.HasPrefix(args[i-1], "-") || strings.Contains(prev, "=") {
		return false
	}
	f := fs.Lookup(prev)
	if f == nil {
		return false
	}
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return false
	}
	return true
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// intFlag is an integer flag with a range. The flag package's own integer
// flags answer "-5" or "x" with "parse error"; this one's message names
// the rule ("invalid value "-5" for flag -max-states: want a whole number,
// 0 (no limit) or more").
type intFlag struct {
	p        *int64
	min, max int64
	rule     string
}

func (f *intFlag) String() string {
	if f.p == nil {
		return "0"
	}
	return strconv.FormatInt(*f.p, 10)
}

func (f *intFlag) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < f.min || n > f.max {
		return errors.New(f.rule)
	}
	*f.p = n
	return nil
}

// intVar defines an int flag accepting min to max, whose bad values get
// the message rule.
func intVar(fs *flag.FlagSet, p *int, name string, def, min, max int, rule string) {
	*p = def
	v := int64(def)
	fs.Var(&intSetter{intFlag{p: &v, min: int64(min), max: int64(max), rule: rule}, func(n int64) { *p = int(n) }}, name, rule)
}

// int64Var is intVar for an int64.
func int64Var(fs *flag.FlagSet, p *int64, name string, def, min, max int64, rule string) {
	*p = def
	fs.Var(&intFlag{p: p, min: min, max: max, rule: rule}, name, rule)
}

// uint64Var defines a flag of 0 or more (up to 2^63-1, more than any
// limit can need).
func uint64Var(fs *flag.FlagSet, p *uint64, name string, def uint64, rule string) {
	*p = def
	v := int64(def)
	fs.Var(&intSetter{intFlag{p: &v, min: 0, max: math.MaxInt64, rule: rule}, func(n int64) { *p = uint64(n) }}, name, rule)
}

// intSetter is an intFlag that also stores its value elsewhere.
type intSetter struct {
	intFlag
	store func(int64)
}

func (f *intSetter) Set(s string) error {
	if err := f.intFlag.Set(s); err != nil {
		return err
	}
	f.store(*f.p)
	return nil
}

// Rules of the numeric flags, shared by the commands that take them.
const (
	ruleWidth     = "want a whole number from 40 to 1000"
	ruleWorkers   = "want a whole number, at least 1"
	ruleMaxStates = "want a whole number, 0 (no limit) or more"
	ruleMaxMemory = "want a size above 0 such as 1GiB, 512MiB or 1.5G"
	ruleMaxDepth  = "want a whole number, 0 (no limit) or more"
)
