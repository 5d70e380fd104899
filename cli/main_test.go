package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/handshake/handshake/catalog"
)

// runCLI runs the command with args and returns its exit status and
// outputs.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runContext(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// runExit runs the command with args, fails the test unless it exits
// with status want, and returns its standard output.
func runExit(t *testing.T, want int, args ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, args...)
	if code != want {
		t.Fatalf("%q: exit %d, want %d:\n%s\nstderr: %s", args, code, want, out, errOut)
	}
	return out
}

// decodeOne decodes out, which must hold exactly one JSON value, into a
// T; with strict, a field T lacks is an error too.
func decodeOne[T any](t *testing.T, out string, strict bool) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(strings.NewReader(out))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not the JSON document: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("more than one JSON value:\n%s", out)
	}
	return v
}

// wantIn reports each of wants that got lacks; what names got.
func wantIn(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
}

// wantLines is wantIn for whole lines: each of lines, newline included.
func wantLines(t *testing.T, what, got string, lines ...string) {
	t.Helper()
	for i := range lines {
		lines[i] += "\n"
	}
	wantIn(t, what, got, lines...)
}

func TestHelpPrintsUsageToStdout(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"check", "-h"}, {"list", "--help"}} {
		code, out, errOut := runCLI(t, args...)
		if code != exitHolds || !strings.Contains(out, "handshake check MODEL") || errOut != "" {
			t.Errorf("%q: exit %d, stdout %d bytes, stderr %q; want exit 0 with testProgram().usage() on stdout", args, code, len(out), errOut)
		}
	}
}

// TestBadInputIsOneLineExit2 checks every kind of bad input: exit status
// 2, exactly one line on stderr starting "handshake: " and naming the
// problem, nothing on stdout, no panic.
func TestBadInputIsOneLineExit2(t *testing.T) {
	cases := []struct {
		args []string
		want string // a word the message must contain
	}{
		{nil, "missing command"},
		{[]string{"frob"}, `unknown command "frob"`},
		{[]string{"check"}, "missing MODEL"},
		{[]string{"check", "nosuch"}, `unknown model "nosuch"`},
		{[]string{"check", "test-counter", "--variant", "nope"}, `unknown variant "nope"`},
		{[]string{"check", "test-counter", "--set", "colour=3"}, `unknown parameter "colour"`},
		{[]string{"check", "test-counter", "--set", "limit=0"}, "out of range"},
		{[]string{"check", "test-counter", "--set", "limit=100001"}, "out of range"},
		{[]string{"check", "test-counter", "--set", "limit=many"}, "not an integer"},
		{[]string{"check", "test-counter", "--set", "limit"}, "want key=value"},
		{[]string{"check", "test-counter", "--bogus"}, "bogus"},
		{[]string{"check", "--bogus", "test-counter"}, "bogus"},
		{[]string{"check", "test-counter", "--workers", "x"}, "workers"},
		{[]string{"check", "test-counter", "--workers", "0"}, "workers"},
		{[]string{"check", "test-counter", "--max-states", "-5"}, "max-states"},
		{[]string{"check", "test-counter", "--max-depth", "-1"}, "max-depth"},
		{[]string{"check", "test-counter", "--timeout", "soon"}, "timeout"},
		{[]string{"check", "test-counter", "--timeout", "-1s"}, "timeout"},
		{[]string{"check", "test-counter", "--width", "10"}, "width"},
		{[]string{"check", "test-counter", "extra"}, `unexpected argument "extra"`},
		{[]string{"check", "test-counter", "--variant"}, "variant"},
		{[]string{"list", "nosuch"}, `unknown model "nosuch"`},
		{[]string{"list", "test-counter", "more"}, `unexpected argument "more"`},
		{[]string{"list", "--json"}, "json"},
		{[]string{"simulate", "nosuch"}, `unknown model "nosuch"`},
		{[]string{"simulate", "test-counter", "--steps", "-3"}, "steps"},
		{[]string{"simulate", "test-counter", "--set", "limit=0"}, "out of range"},
	}
	for _, c := range cases {
		code, out, errOut := runCLI(t, c.args...)
		if code != exitUsage {
			t.Errorf("%q: exit %d, want %d", c.args, code, exitUsage)
		}
		if out != "" {
			t.Errorf("%q: stdout %q, want nothing", c.args, out)
		}
		lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
		if len(lines) != 1 || !strings.HasSuffix(errOut, "\n") || !strings.HasPrefix(errOut, "handshake: ") {
			t.Errorf("%q: stderr %q, want one line starting \"handshake: \"", c.args, errOut)
		}
		if !strings.Contains(errOut, c.want) {
			t.Errorf("%q: stderr %q does not name the problem (%q)", c.args, errOut, c.want)
		}
	}
}

// TestFlagsBeforeAndAfterModel checks that flags parse the same wherever
// they stand, that --set repeats, and that "--" ends the flags.
func TestFlagsBeforeAndAfterModel(t *testing.T) {
	type parsed struct {
		Positional []string
		Variant    string
		Sets       []string
		Workers    int
		JSON       bool
	}
	parse := func(args ...string) parsed {
		c, pos, err := parseFlags("check", args)
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		return parsed{pos, c.variant, c.sets, c.workers, c.json}
	}
	want := parsed{[]string{"tcp"}, "x", []string{"data=2", "cap=3"}, 2, true}
	for _, args := range [][]string{
		{"tcp", "--variant", "x", "--set", "data=2", "--set", "cap=3", "--workers=2", "--json"},
		{"--variant", "x", "--set", "data=2", "--set=cap=3", "--workers", "2", "--json", "tcp"},
		{"--variant=x", "--set", "data=2", "tcp", "-set", "cap=3", "-json", "-workers", "2"},
	} {
		if diff := cmp.Diff(want, parse(args...)); diff != "" {
			t.Errorf("%q (-want +got):\n%s", args, diff)
		}
	}
	got := parse("--json", "--", "tcp", "--variant")
	if diff := cmp.Diff([]string{"tcp", "--variant"}, got.Positional); diff != "" {
		t.Errorf("after --, arguments are positional (-want +got):\n%s", diff)
	}
	if got := parse("--variant", "--", "tcp"); got.Variant != "--" || len(got.Positional) != 1 {
		t.Errorf(`"--variant -- tcp": variant %q positional %q; want variant "--" and [tcp]`, got.Variant, got.Positional)
	}
}

func TestListShowsModelsVariantsParamsProperties(t *testing.T) {
	code, out, errOut := runCLI(t, "list")
	if code != exitHolds || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	wantIn(t, "list output", out,
		"model test-counter: test only: a client sends segments one at a time",
		"  variant sound (default): every property holds",
		"  params (default [range]; --set name=value changes one):\n"+
			"    limit=5 [1..100000]: segments to send\n"+
			"  variant sound (default): every property holds\n"+
			"  variant broken: claims fewer than three segments are delivered (expected violated: fewer-than-three)\n"+
			"    also checks: fewer-than-three\n"+
			"  property at-most-limit",
		"  property fewer-than-three (always): fewer than three segments delivered (only in variants broken)\n",
		"  property at-most-limit (always): never more than limit segments",
		"  property reaches-limit (sometimes): all segments can be delivered",
		"  property deadlock (deadlock): ",
	)
	// A parameter is described once per model; a variant shows only the
	// values in which it differs from the model's defaults.
	code, tcp, _ := runCLI(t, "list", "tcp")
	if code != exitHolds {
		t.Fatalf("list tcp: exit %d", code)
	}
	e, err := testProgram().Models.Lookup("tcp")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range e.Params {
		if n := strings.Count(tcp, p.Description); n != 1 {
			t.Errorf("list tcp: parameter %s described %d times, want once", p.Name, n)
		}
	}
	// A property is stated once per model too, even one that only some
	// variants have (no-stale-connection needs conns > 1).
	for _, name := range []string{"stream-integrity", "no-stale-connection"} {
		if n := strings.Count(tcp, "  property "+name+" ("); n != 1 {
			t.Errorf("list tcp: property %s stated %d times, want once", name, n)
		}
	}
	wantIn(t, "list tcp", tcp,
		"  variant rfc9293 (default): endpoints as RFC 9293 §3.10 prescribes, on a reliable FIFO network\n  variant rfc9293-lossy: ",
		"\n    params: data=1 cap=2 retx=1 abort=0 loss=1\n  variant rfc9293-duplicating: ",
	)
	code, one, _ := runCLI(t, "list", "test-counter")
	if code != exitHolds || !strings.HasPrefix(one, "model test-counter:") || strings.Count(one, "\nmodel ") != 0 {
		t.Errorf("list test-counter: exit %d, output:\n%s", code, one)
	}
}

// TestRunHandlesSignalsSetup runs the real entry point (with its
// interrupt handling) on a command that needs no engine.
func TestRunHandlesSignalsSetup(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := testProgram().Run([]string{"list"}, strings.NewReader(""), &out, &errOut); code != exitHolds || out.Len() == 0 {
		t.Errorf("run list: exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

// TestNumericFlagsNameTheirRule: a bad number for any numeric flag of any
// command is exit 2 with one line naming the flag and its rule ("want
// ..."), never the flag package's bare "parse error". Every flag named in
// the testProgram().usage() text is tried with every command, so that a numeric flag
// added later with the flag package's own parser fails here.
func TestNumericFlagsNameTheirRule(t *testing.T) {
	commands := []string{"check", "matrix", "simulate", "explore", "trace", "replay", "graph"}
	seen := map[string]bool{}
	for _, f := range strings.Fields(testProgram().usage()) {
		f = strings.Trim(f, "[],.()|")
		if strings.HasPrefix(f, "--") && len(f) > 2 {
			seen[f] = true
		}
	}
	ruled := 0
	for _, cmd := range commands {
		for f := range seen {
			for _, bad := range []string{"-5", "x", "1.5", "99999999999999999999"} {
				a := []string{cmd, "test-counter", f, bad}
				if cmd == "replay" {
					a = []string{cmd, f, bad, "nonexistent-file"}
				}
				code, out, errOut := runCLI(t, a...)
				if strings.Contains(errOut, "parse error") {
					t.Errorf("%q: stderr %q does not name the rule", a, errOut)
				}
				if strings.Contains(errOut, "invalid value") {
					ruled++
					if code != exitUsage || out != "" || !strings.Contains(errOut, "want ") || !strings.Contains(errOut, "-"+strings.TrimLeft(f, "-")+":") {
						t.Errorf("%q: exit %d, stderr %q; want exit 2 and the flag's rule", a, code, errOut)
					}
				}
			}
		}
	}
	if ruled < 40 {
		t.Errorf("only %d bad numbers were refused by a flag: are the numeric flags still in testProgram().usage()?", ruled)
	}
	// The message of the issue.
	_, _, errOut := runCLI(t, "check", "test-counter", "--max-states", "-5")
	if want := "handshake: invalid value \"-5\" for flag -max-states: want a whole number, 0 (no limit) or more\n"; errOut != want {
		t.Errorf("--max-states -5: stderr %q, want %q", errOut, want)
	}
}

// TestMalformedCatalogIsExit2: a program whose models cannot be served
// (here, one listed twice and one without Build) answers every command
// with one line naming the problems, exit 2, never a panic.
func TestMalformedCatalogIsExit2(t *testing.T) {
	e, err := testProgram().Models.Lookup("test-counter")
	if err != nil {
		t.Fatal(err)
	}
	p := &Program{Name: "x", Models: catalog.Models{e, e, {Name: "nobuild", Variants: []catalog.Variant{{Name: "v"}}}}}
	for _, args := range [][]string{{"list"}, {"check", "test-counter"}, {"help"}} {
		var out, errOut bytes.Buffer
		code := p.RunContext(context.Background(), args, strings.NewReader(""), &out, &errOut)
		want := "x: catalog: model \"test-counter\" listed twice; model \"nobuild\": Build is nil\n"
		if code != exitUsage || out.Len() != 0 || errOut.String() != want {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and %q", args, code, out.String(), errOut.String(), want)
		}
	}
}
