//go:build long

package spec

import (
	"bufio"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
)

// Statement coverage of model/tcp by the sound variants.
//
// TestLongTCPSoundVariantsReachEveryRule runs `go test` on this package
// again, with coverage of model/tcp, running only
// TestTCPCoverageWorkload: the exploration of every sound variant of "tcp"
// with its default parameters. It then reads the coverage profile and
// fails on every statement of model/tcp that no reachable transition of a
// sound variant executes, unless unreachedByDesign lists it with its
// reason. A rule of SEGMENT ARRIVES, a user call or a timeout that no
// sound variant takes is a rule the verdicts say nothing about.
//
// A subprocess, not the running test binary: coverage counters exist only
// in a binary built with -coverpkg, and the counts must come from the
// sound variants alone (not from the unit tests of model/tcp, which call
// the rules directly).

// unreachedByDesign lists the statements of model/tcp that the sound
// variants never execute, each with the reason. A key is the enclosing
// function, or the function and the trimmed source line that begins the
// unreached block ("arriveOther: if c.NoSeqCheck {").
var unreachedByDesign = map[string]string{
	// Printing, not protocol rules: traces call them, the exploration
	// does not.
	"Format":             "printing (traces only)",
	"Describe":           "printing (traces only)",
	"Label":              "printing (traces only)",
	"String":             "printing (traces only)",
	"RFC":                "printing (traces only)",
	"CtlString":          "printing (traces only)",
	"TagString":          "printing (traces only)",
	"ConnByName":         "lookup for the CLI and the capture validator",
	"DeliveryOf":         "used by the properties and the CLI, not by the model's transitions",
	"SawState":           "read by the properties, not by the model's transitions",
	"IsUserCall":         "used by the CLI, not by the model's transitions",
	"FairDelivery":       "fairness groups are built by the properties (package spec), which the coverage run does not check",
	"FairTimeout":        "fairness groups: see FairDelivery",
	"FairSegmentize":     "fairness groups: see FairDelivery",
	"fairKind":           "fairness groups: see FairDelivery",
	"FairRetransmission": "fairness groups: see FairDelivery",
	"FairCloseAfterEOS":  "fairness groups: see FairDelivery",
	"EndpointFairness":   "fairness groups: see FairDelivery",
	"formatEndpoint":     "printing (traces only)",

	// Rejected configurations never reach a model.
	"Validate: return fmt.Errorf(\"tcp: capacity %d out of range [1, %d]\", c.Cap, network.MaxCap)": "bad configurations are rejected (unit-tested in model/tcp)",
}

// TestTCPCoverageWorkload explores every sound variant of "tcp" with its
// default parameters, checking only that each exploration completes. It is
// the workload of TestLongTCPSoundVariantsReachEveryRule, and a plain
// test otherwise (its name keeps it out of the '^TestLong' runs, which run
// it through the coverage test).
func TestTCPCoverageWorkload(t *testing.T) {
	for _, v := range tcpVariants {
		if v.flaw != nil {
			continue
		}
		cfg, err := TCPConfig(v.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		m := tcp.Model(cfg)
		r, err := checker.Check(context.Background(), m, checker.Options{Workers: 2})
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if !r.Complete {
			t.Fatalf("%s: incomplete: %s", v.Name, r.Reason)
		}
		t.Logf("%s: %d distinct states", v.Name, r.Distinct)
	}
}

// block is an unreached block of a coverage profile.
type block struct {
	file      string // base name
	line      int
	statement string // trimmed source of the first line
	function  string
}

func TestLongTCPSoundVariantsReachEveryRule(t *testing.T) {
	profile := filepath.Join(t.TempDir(), "cover.out")
	cmd := exec.Command("go", "test", "-tags", "long", "-count=1", "-run", "^TestTCPCoverageWorkload$",
		"-coverpkg=github.com/handshake/handshake/model/tcp", "-coverprofile="+profile, ".")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("coverage run: %v\n%s", err, out)
	}
	unreached, total, err := unreachedBlocks(profile, "../model/tcp")
	if err != nil {
		t.Fatal(err)
	}
	if total == 0 {
		t.Fatalf("the profile has no statement of model/tcp:\n%s", out)
	}
	used := map[string]bool{}
	var missing []string
	for _, b := range unreached {
		k1, k2 := b.function, b.function+": "+b.statement
		switch {
		case unreachedByDesign[k2] != "":
			used[k2] = true
		case unreachedByDesign[k1] != "":
			used[k1] = true
		default:
			missing = append(missing, fmt.Sprintf("%s:%d (%s): %s", b.file, b.line, b.function, b.statement))
		}
	}
	for _, m := range missing {
		t.Errorf("no sound variant reaches %s", m)
	}
	for k := range unreachedByDesign {
		if !used[k] {
			t.Errorf("unreachedByDesign lists %q, which the sound variants reach (or which no longer exists)", k)
		}
	}
	t.Logf("%d blocks of model/tcp unreached by the sound variants, %d listed by design", len(unreached), len(used))
}

// unreachedBlocks reads a coverage profile and returns the blocks of the
// non-test files of dir that were never executed, with the number of
// blocks of dir in the profile.
func unreachedBlocks(profile, dir string) ([]block, int, error) {
	f, err := os.Open(profile)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	sources := map[string][]string{}
	funcs := map[string]func(int) string{}
	var out []block
	total := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "mode:") {
			continue
		}
		// name.go:12.34,15.2 3 0
		colon := strings.LastIndex(line, ":")
		fields := strings.Fields(line[colon+1:])
		if colon < 0 || len(fields) != 3 {
			return nil, 0, fmt.Errorf("bad profile line %q", line)
		}
		path := line[:colon]
		if !strings.Contains(path, "/model/tcp/") {
			continue
		}
		total++
		if count, _ := strconv.Atoi(fields[2]); count > 0 {
			continue
		}
		base := filepath.Base(path)
		if _, ok := sources[base]; !ok {
			src, err := os.ReadFile(filepath.Join(dir, base))
			if err != nil {
				return nil, 0, err
			}
			sources[base] = strings.Split(string(src), "\n")
			fn, err := functionsOf(filepath.Join(dir, base), src)
			if err != nil {
				return nil, 0, err
			}
			funcs[base] = fn
		}
		start, _, _ := strings.Cut(fields[0], ",")
		ln, _ := strconv.Atoi(strings.Split(start, ".")[0])
		out = append(out, block{file: base, line: ln, statement: strings.TrimSpace(sources[base][ln-1]), function: funcs[base](ln)})
	}
	kept := out
	sort.Slice(kept, func(i, j int) bool {
		if kept[i].file != kept[j].file {
			return kept[i].file < kept[j].file
		}
		return kept[i].line < kept[j].line
	})
	return kept, total, sc.Err()
}

// functionsOf maps a line of a Go file to the name of the function
// declared around it.
func functionsOf(name string, src []byte) (func(int) string, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		return nil, err
	}
	type span struct {
		from, to int
		name     string
	}
	var spans []span
	for _, d := range file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			spans = append(spans, span{fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line, fd.Name.Name})
		}
	}
	return func(line int) string {
		for _, s := range spans {
			if s.from <= line && line <= s.to {
				return s.name
			}
		}
		return "(top level)"
	}, nil
}
