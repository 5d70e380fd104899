package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/render"
)

// runList implements "handshake list [MODEL]": every model with its
// variants, parameters and properties, one line each.
func (p *Program) runList(positional []string, stdout, stderr io.Writer) int {
	entries := p.Models.Sorted()
	if len(positional) > 0 {
		e, err := p.lookup(positional)
		if err != nil {
			return p.usageError(stderr, err)
		}
		entries = []*catalog.Entry{e}
	}
	if len(entries) == 0 {
		fmt.Fprintln(stdout, "no models")
	}
	for i, e := range entries {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		listEntry(stdout, e)
	}
	return render.ExitHolds
}

// listEntry prints a model: its parameters once, with their ranges and
// descriptions; each variant with the parameter values in which it
// differs from the model's defaults (a parameter it defines differently,
// in range or meaning, in full) and the names of the properties the
// default variant lacks; then every property once, its statement in full,
// those of some variants only saying which.
func listEntry(w io.Writer, e *catalog.Entry) {
	fmt.Fprintf(w, "model %s: %s\n", e.Name, e.Description)
	sys, _, _, err := e.BuildVariant("", nil)
	common := map[string]bool{}
	if err == nil {
		for _, p := range sys.Properties() {
			common[p.Name] = true
		}
	}
	if len(e.Params) > 0 {
		fmt.Fprintln(w, "  params (default [range]; --set name=value changes one):")
		for _, p := range e.Params {
			fmt.Fprintf(w, "    %s\n", paramText(p))
		}
	}
	// Properties some variants have and the default one lacks, in order
	// of first appearance, with the variants that have them.
	var extra []checker.PropertyInfo
	in := map[string][]string{}
	for i := range e.Variants {
		v := &e.Variants[i]
		def := ""
		if i == 0 {
			def = " (default)"
		}
		fmt.Fprintf(w, "  variant %s%s: %s%s\n", v.Name, def, v.Description, expectText(v))
		values, own, missing := variantParams(e, v)
		if len(values) > 0 {
			fmt.Fprintf(w, "    params: %s\n", strings.Join(values, " "))
		}
		for _, p := range own {
			fmt.Fprintf(w, "    param %s\n", paramText(p))
		}
		if len(missing) > 0 {
			fmt.Fprintf(w, "    without params: %s\n", strings.Join(missing, ", "))
		}
		if i == 0 || err != nil {
			continue
		}
		vs, _, _, verr := e.BuildVariant(v.Name, nil)
		if verr != nil {
			fmt.Fprintf(w, "    properties: cannot build the variant: %v\n", verr)
			continue
		}
		var also []string
		for _, p := range vs.Properties() {
			if common[p.Name] {
				continue
			}
			if _, seen := in[p.Name]; !seen {
				extra = append(extra, p)
			}
			in[p.Name] = append(in[p.Name], v.Name)
			also = append(also, p.Name)
		}
		if len(also) > 0 {
			fmt.Fprintf(w, "    also checks: %s\n", strings.Join(also, ", "))
		}
	}
	if err != nil {
		fmt.Fprintf(w, "  properties: cannot build the default variant: %v\n", err)
		return
	}
	for _, p := range sys.Properties() {
		fmt.Fprintf(w, "  %s\n", propertyText(p))
	}
	for _, p := range extra {
		fmt.Fprintf(w, "  %s (only in variants %s)\n", propertyText(p), strings.Join(in[p.Name], ", "))
	}
}

// variantParams compares a variant's parameters with its model's: values
// are "name=value" for those the model defines the same way but whose
// default the variant changes; own are those the variant defines
// differently (another range or description) or the model lacks; missing
// names the model's parameters the variant does not have.
func variantParams(e *catalog.Entry, v *catalog.Variant) (values []string, own []catalog.Param, missing []string) {
	if v.Params == nil {
		return nil, nil, nil
	}
	model := map[string]catalog.Param{}
	for _, p := range e.Params {
		model[p.Name] = p
	}
	has := map[string]bool{}
	for _, p := range v.Params {
		has[p.Name] = true
		m, ok := model[p.Name]
		switch {
		case !ok || m.Min != p.Min || m.Max != p.Max || m.Description != p.Description:
			own = append(own, p)
		case m.Default != p.Default:
			values = append(values, fmt.Sprintf("%s=%d", p.Name, p.Default))
		}
	}
	for _, p := range e.Params {
		if !has[p.Name] {
			missing = append(missing, p.Name)
		}
	}
	return values, own, missing
}

func propertyText(p checker.PropertyInfo) string {
	group := ""
	if p.Group != "" {
		group = ", " + p.Group
	}
	return fmt.Sprintf("property %s (%s%s): %s", p.Name, p.Kind, group, p.Description)
}

func paramText(p catalog.Param) string {
	return fmt.Sprintf("%s=%d [%d..%d]: %s", p.Name, p.Default, p.Min, p.Max, p.Description)
}

// expectText summarises the verdicts a variant is expected to get when
// they differ from "holds".
func expectText(v *catalog.Variant) string {
	byStatus := map[checker.Status][]string{}
	for name, st := range v.Expect {
		if st != checker.Holds {
			byStatus[st] = append(byStatus[st], name)
		}
	}
	var parts []string
	for _, st := range []checker.Status{checker.Violated, checker.Unknown} {
		names := byStatus[st]
		if len(names) == 0 {
			continue
		}
		sort.Strings(names)
		parts = append(parts, fmt.Sprintf("expected %s: %s", st, strings.Join(names, ", ")))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}
