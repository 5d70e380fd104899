package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
	"github.com/handshake/handshake/seqdiagram"
)

// Run is one finished check with what it was asked: what Text and JSON
// print.
type Run struct {
	// Model, Variant and Params name the configuration checked; the
	// variant's expectations are compared with the verdicts.
	Model   string
	Variant *catalog.Variant
	Params  map[string]int
	// Lanes name the participants of the sequence diagrams.
	Lanes  []string
	Report checker.Report
	// Witness shows the witnesses of sometimes-properties that hold, as
	// well as the counterexamples.
	Witness bool
	// Width is the width of the sequence diagrams and of the coverage
	// lists.
	Width int
	// Workers is the number of exploring goroutines, which JSON reports.
	Workers int
}

// Text prints a finished check for a person: the header, the
// verdicts (ordinary properties, then each group; a group of
// sometimes-properties, such as the RFC diagram arrows, as a coverage
// list), the statistics, then each counterexample as a sequence diagram
// followed by its steps.
func Text(w io.Writer, r *Run) {
	rep := &r.Report
	fmt.Fprintln(w, humanize.Target(r.Model, r.Variant.Name, r.Params))
	if r.Variant.Description != "" {
		fmt.Fprintf(w, "  %s\n", r.Variant.Description)
	}

	// Ordinary properties first, then the groups in order of appearance.
	var groups []string
	byGroup := map[string][]checker.PropertyReport{}
	for _, p := range rep.Properties {
		if _, seen := byGroup[p.Group]; !seen && p.Group != "" {
			groups = append(groups, p.Group)
		}
		byGroup[p.Group] = append(byGroup[p.Group], p)
	}
	fmt.Fprintln(w)
	if ps := byGroup[""]; len(ps) > 0 {
		fmt.Fprintln(w, "properties:")
		writeVerdicts(w, r, ps)
	}
	// In a group, the sometimes-properties (the arrows of an RFC state
	// diagram, say) are shown as a coverage list, the others one a line.
	for _, g := range groups {
		var universal, existentials []checker.PropertyReport
		for _, p := range byGroup[g] {
			if p.Kind.Existential() {
				existentials = append(existentials, p)
			} else {
				universal = append(universal, p)
			}
		}
		if len(universal) > 0 {
			fmt.Fprintf(w, "properties (%s):\n", g)
			writeVerdicts(w, r, universal)
		}
		if len(existentials) > 0 {
			writeCoverage(w, r, g, existentials)
		}
	}

	fmt.Fprintln(w)
	writeStats(w, rep)

	for _, p := range rep.Properties {
		if p.Trace == nil {
			if p.Status == checker.Violated && !rep.Complete {
				fmt.Fprintf(w, "\ncounterexample: %s (%s) is violated; its trace was not rebuilt before the run stopped\n", p.Name, p.Kind)
			}
			continue
		}
		switch {
		case p.Status == checker.Violated:
			fmt.Fprintf(w, "\ncounterexample: %s (%s) is violated", p.Name, p.Kind)
		case r.Witness && p.Status == checker.Holds:
			fmt.Fprintf(w, "\nwitness: %s (%s)", p.Name, p.Kind)
		default:
			continue
		}
		fmt.Fprintf(w, ", %s\n", humanize.Plural(len(p.Trace.Steps)-1, "step"))
		if p.Description != "" {
			fmt.Fprintf(w, "  %s\n", p.Description)
		}
		fmt.Fprintln(w)
		writeTrace(w, r, p.Trace)
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, summary(rep))
}

// Verdict is the word printed for a status.
func Verdict(status checker.Status) string {
	if status == checker.Violated {
		return "VIOLATED"
	}
	return status.String()
}

func writeVerdicts(w io.Writer, r *Run, ps []checker.PropertyReport) {
	nameW, verdictW := 0, 8
	for _, p := range ps {
		nameW = max(nameW, len(p.Name))
		verdictW = max(verdictW, len(Verdict(p.Status)))
	}
	for _, p := range ps {
		line := fmt.Sprintf("  %-*s  %-*s  %-14s%s", verdictW, Verdict(p.Status), nameW, p.Name, p.Kind, expectation(r, p))
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

// expectation compares a verdict with the one the variant expects.
func expectation(r *Run, p checker.PropertyReport) string {
	want := r.Variant.Expected(p.Name)
	switch {
	case p.Status == checker.Unknown, p.Status == checker.NotChecked:
		return ""
	case p.Status != want:
		return fmt.Sprintf("  (unexpected: variant %s expects %s)", r.Variant.Name, want)
	case want != checker.Holds:
		return "  (expected for this variant)"
	}
	return ""
}

// writeCoverage prints a group of sometimes-properties compactly.
func writeCoverage(w io.Writer, r *Run, group string, ps []checker.PropertyReport) {
	var covered, missed, unknown, unchecked []string
	for _, p := range ps {
		switch p.Status {
		case checker.Holds:
			covered = append(covered, p.Name)
		case checker.Violated:
			missed = append(missed, p.Name)
		case checker.NotChecked:
			unchecked = append(unchecked, p.Name)
		default:
			unknown = append(unknown, p.Name)
		}
	}
	// Names sharing a prefix such as "arrow: " are shown without it.
	prefix := commonLabel(ps)
	if prefix != "" {
		for _, list := range []*[]string{&covered, &missed, &unknown, &unchecked} {
			for i := range *list {
				(*list)[i] = strings.TrimPrefix((*list)[i], prefix)
			}
		}
		group += " (" + strings.TrimSuffix(prefix, ": ") + ")"
	}
	fmt.Fprintf(w, "%s: %d of %d covered", group, len(covered), len(ps))
	if len(unknown) > 0 {
		fmt.Fprintf(w, ", %d unknown", len(unknown))
	}
	if len(unchecked) > 0 {
		fmt.Fprintf(w, ", %d not checked", len(unchecked))
	}
	fmt.Fprintln(w)
	for _, part := range []struct {
		title string
		names []string
	}{{"covered", covered}, {"NOT covered", missed}, {"unknown", unknown}, {"not checked", unchecked}} {
		if len(part.names) == 0 {
			continue
		}
		fmt.Fprintf(w, "  %s:\n", part.title)
		for _, l := range humanize.Wrap(part.names, "    ", r.Width) {
			fmt.Fprintln(w, l)
		}
	}
	for _, p := range ps {
		if e := expectation(r, p); e != "" {
			word := "covered"
			if p.Status != checker.Holds {
				word = "not covered"
			}
			fmt.Fprintf(w, "  %s: %s%s\n", p.Name, word, e)
		}
	}
}

// commonLabel is the prefix ending in ": " that all names share ("arrow:
// "), or "".
func commonLabel(ps []checker.PropertyReport) string {
	head, _, ok := strings.Cut(ps[0].Name, ": ")
	if !ok {
		return ""
	}
	prefix := head + ": "
	for _, p := range ps {
		if !strings.HasPrefix(p.Name, prefix) || len(p.Name) == len(prefix) {
			return ""
		}
	}
	return prefix
}

func writeStats(w io.Writer, rep *checker.Report) {
	fmt.Fprintf(w, "states: %s distinct, %s generated, depth %d\n",
		humanize.Grouped(rep.Distinct), humanize.Grouped(rep.Generated), rep.Depth)
	fmt.Fprintf(w, "time: %.3f s, %s states/s\n", rep.Seconds, humanize.Grouped(uint64(rep.StatesPerSecond+0.5)))
	if rep.PeakBytes > 0 {
		fmt.Fprintf(w, "memory: peak %s, %s per distinct state\n",
			humanize.Bytes(float64(rep.PeakBytes)), humanize.Bytes(rep.BytesPerState))
	} else {
		fmt.Fprintln(w, "memory: peak unknown")
	}
	// The engine describes its storage ("64-bit fingerprints", "exact
	// (whole states stored)"); only fingerprints can collide.
	fp := rep.Fingerprint
	if fp == "" {
		fp = "unknown"
	}
	if strings.HasPrefix(fp, "exact") {
		fmt.Fprintf(w, "state storage: %s, no collisions possible\n", fp)
	} else {
		fmt.Fprintf(w, "state storage: %s, collision probability %.2g\n", fp, rep.CollisionProbability)
	}
	if rep.Complete {
		fmt.Fprintln(w, "search: complete")
	} else {
		reason := rep.Reason
		if reason == "" {
			reason = "stopped"
		}
		fmt.Fprintf(w, "search: INCOMPLETE (%s); properties not decided are unknown\n", reason)
	}
}

// writeTrace draws a trace and lists its steps with the full states.
func writeTrace(w io.Writer, r *Run, t *checker.TraceReport) {
	seqdiagram.Render(w, r.Lanes, *t, seqdiagram.Options{Width: r.Width, Legend: true})
	fmt.Fprintln(w)
	Steps(w, t)
}

// Steps lists a trace's steps, each with its action and full state, and
// how the behaviour goes on after the last (a loop, a stutter).
func Steps(w io.Writer, t *checker.TraceReport) {
	fmt.Fprintln(w, "steps:")
	numW := len(fmt.Sprint(max(len(t.Steps)-1, 0)))
	for i, st := range t.Steps {
		action := st.Action
		if action == "" {
			action = "initial state"
		}
		fmt.Fprintf(w, "  %*d  %s\n", numW, i, action)
		for _, l := range strings.Split(st.State, "\n") {
			fmt.Fprintf(w, "  %*s     %s\n", numW, "", l)
		}
	}
	switch {
	case t.Stutter:
		fmt.Fprintf(w, "  then stays in the state of step %d forever (stutter)\n", len(t.Steps)-1)
	case t.Loop >= 0:
		fmt.Fprintf(w, "  then loops back to step %d\n", t.Loop)
	}
}

// summary is the last line: the overall outcome. Properties left out of
// the run (--property) are neither decided nor undecided: the line says
// how many were checked.
func summary(rep *checker.Report) string {
	var violated, unknown []string
	skipped := 0
	for _, p := range rep.Properties {
		switch p.Status {
		case checker.Violated:
			violated = append(violated, p.Name)
		case checker.Holds:
		case checker.NotChecked:
			skipped++
		default:
			unknown = append(unknown, p.Name)
		}
	}
	n := len(rep.Properties) - skipped
	of, rest := humanize.Plural(n, "property"), ""
	if skipped > 0 {
		of, rest = humanize.Plural(n, "checked property"), fmt.Sprintf("; %d not checked", skipped)
	}
	switch {
	case len(violated) > 0:
		return fmt.Sprintf("result: VIOLATED: %d of %s (%s)%s", len(violated), of, strings.Join(violated, ", "), rest)
	case !rep.Complete || len(unknown) > 0:
		return fmt.Sprintf("result: INCOMPLETE: no violation found, %d of %s undecided%s", len(unknown), of, rest)
	case skipped > 0 && n == 1:
		return fmt.Sprintf("result: the checked property holds%s", rest)
	case skipped > 0:
		return fmt.Sprintf("result: all %s hold%s", of, rest)
	}
	if n == 1 {
		return "result: the property holds"
	}
	return fmt.Sprintf("result: all %d properties hold", n)
}
