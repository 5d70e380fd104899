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
	"Format":     "printing (traces only)",
	"Describe":   "printing (traces only)",
	"sentOn":     "printing (traces only)",
	"Label":      "printing (traces only)",
	"String":     "printing (traces only)",
	"RFC":        "printing (traces only)",
	"CtlString":  "printing (traces only)",
	"TagString":  "printing (traces only)",
	"ConnByName": "lookup for the CLI and the capture validator",
	"DeliveryOf": "used by the properties and the CLI, not by the model's transitions",
	"Arriving":   "used by the properties, not by the model's transitions",
	"SawState":   "read by the properties, not by the model's transitions",
	"IsUserCall": "used by the CLI, not by the model's transitions",
	"SeqGEQ":     "the comparison set of §3.4, unit-tested; no rule of §3.10 needs it",
	"Validate":   "a bad configuration is rejected before a model is built (unit-tested in model/tcp)",
	"Act":        "the upper layers' hook (model/https drives TCP's actions by kind), not a rule; unit-tested in model/tcp",
	"CanWrite":   "the upper layers' hook (model/https asks whether SEND is enabled), not a rule; unit-tested in model/tcp",

	"Model: panic(err)":                    "a bad configuration is rejected before a model is built (unit-tested in model/tcp)",
	"issChoices: return []uint32{0}":       "every variant gives ISS choices (the default {0} is unit-tested)",
	"Next: panic(\"tcp: unknown action\")": "Next is called only with actions Actions returned",
	"emit: panic(\"tcp: channel overflow (the capacity invariant is broken)\")": "actions are enabled only when " +
		"the network has room (Config.Cap)",

	// Fairness groups are built by the liveness properties, which the
	// coverage run does not check.
	"FairDelivery":       "fairness groups (built by the properties)",
	"FairRetransmission": "fairness groups (built by the properties)",
	"FairTimeout":        "fairness groups (built by the properties)",
	"FairSegmentize":     "fairness groups (built by the properties)",
	"fairKind":           "fairness groups (built by the properties)",
	"FairCloseAfterEOS":  "fairness groups (built by the properties)",
	"EndpointFairness":   "fairness groups (built by the properties)",

	// The deliberate flaws of the broken variants and the mutations:
	// switched off in the sound variants.
	"receive: // The flaw: no 2MSL wait, the TCB is deleted at once":      "the no-time-wait flaw",
	"arriveListen: // The flaw: synchronized without waiting for the ACK": "the two-way-handshake flaw",
	"arriveOther: seg.Seq = e.RcvNxt": "the no-seq-check flaw and the mutations rst-any-seq and " +
		"out-of-order-as-next",
	"arriveOther: e.deleteTCB(EndReset)": "the mutation syn-resets-synchronized",
	"arriveOther: e.take(seg)":           "the data-after-fin flaw",
	"deliver: return":                    "the mutation ack-without-delivery",
	"canTimeWaitTimeout: return true":    "the mutation early-2msl-timeout",
	"oldestUnacked: off-- // data sent after the FIN (the SendAfterClose flaw)": "the data-after-fin flaw",

	// What the model's endpoints do not use of the steps they share with
	// the capture validator.
	"SegmentArrives": "the capture validator's entry point; the model's endpoints run the same steps " +
		"directly (arrive, in receive.go)",
	"arriveOther: seg.Len -= e.RcvNxt - seg.Seq": "a segment that straddles RCV.NXT: the model's text is one " +
		"octet and never comes with a FIN, so none does; real segments do (the capture validator)",
	"SendFIN: return Header{}, false": "CLOSE in a state with no connection to close: the model's application " +
		"calls CLOSE only where it is allowed (canClose); the capture validator refuses a FIN seen in such a state",
	"Has: return g.Flags&f != 0 }": "Segment.Has: read by the properties and printing; the steps read a Header",

	// Rules the RFC states that no segment of a sound peer can trigger.
	"arriveListen: return Header{}, false": "§3.10.7.2 \"fourth\" (neither RST, ACK nor SYN): every segment " +
		"of the model but a SYN and a RST carries an ACK",
	"processAck: return Header{}, false, true": "§3.10.7.4 \"fifth\" (ACK bit off: drop): every segment of the " +
		"model but a SYN and a RST carries an ACK, and those are handled at the second and fourth steps",
	"arriveOther: // \"This should not occur since a FIN has been received": "§3.10.7.4 \"seventh\" says it: no " +
		"octet follows the peer's FIN (the data-after-fin flaw reaches it)",
	"arriveOther: e.enter(TIME_WAIT) // Note 2 of Figure 5": "§3.10.7.4 \"eighth\", FIN_WAIT_1 with its FIN " +
		"acknowledged: the fifth step has already entered FIN_WAIT_2 on that ACK, so the FIN is processed " +
		"there (the RFC's text has the same redundancy)",
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
		// The block starts at line.col: its first statement is the
		// rest of that line, or the next line when the block starts at
		// an opening brace.
		start, _, _ := strings.Cut(fields[0], ",")
		lc := strings.Split(start, ".")
		ln, _ := strconv.Atoi(lc[0])
		col, _ := strconv.Atoi(lc[1])
		src := sources[base]
		text := ""
		if ln-1 < len(src) && col-1 <= len(src[ln-1]) {
			text = strings.TrimSpace(strings.TrimPrefix(src[ln-1][col-1:], "{"))
		}
		for l := ln; text == "" && l < len(src); l++ {
			text = strings.TrimSpace(src[l])
			ln = l + 1
		}
		out = append(out, block{file: base, line: ln, statement: text, function: funcs[base](ln)})
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
