// Package catalog describes models for the tools: a model's name, what it
// is, the integer parameters its configuration takes, and its variants
// (sound protocols and deliberately broken ones), each with the verdicts
// it is expected to get.
//
// An Entry builds a checker.System for a variant and parameter values;
// the command-line tool (package cli) and the variant matrix (package
// matrix) take a list of entries, Models, and serve every entry alike,
// whatever its state type. Nothing is registered globally: a program lists
// the entries it serves.
//
//	models := catalog.Models{
//		&catalog.Entry{
//			Name: "abp",
//			Variants: []catalog.Variant{
//				{Name: "sound"},
//				{Name: "no-bit-check", Expect: map[string]checker.Status{"in-order": checker.Violated}},
//			},
//			Build: func(variant string, params map[string]int) (checker.System, error) {
//				return checker.Erase(abp.Model(2, 1, variant == "sound"))
//			},
//		},
//	}
//
// (examples/abp/abp is this entry in full.) Models.Validate reports
// what makes a list unusable; the tools call it before anything runs.
package catalog

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/handshake/handshake/checker"
)

// Param is an integer parameter of a model configuration, set on the
// command line with --set name=value.
type Param struct {
	Name        string
	Default     int
	Min, Max    int
	Description string
}

// Variant is a named configuration of a model: a sound protocol or a
// deliberately broken one, with the verdicts it is expected to get.
type Variant struct {
	Name        string
	Description string
	// Params, if non-nil, replaces the entry's parameters for this variant.
	Params []Param
	// Expect maps property names to their expected verdicts; a property
	// not listed is expected to hold.
	Expect map[string]checker.Status
}

// Expected is the verdict the variant expects for the property: its
// Expect entry, or checker.Holds.
func (v *Variant) Expected(property string) checker.Status {
	if st, ok := v.Expect[property]; ok {
		return st
	}
	return checker.Holds
}

// Entry is a model as the tools see it.
type Entry struct {
	Name        string
	Description string
	Params      []Param
	// Variants lists the variants; the first is the default.
	Variants []Variant
	// Build makes the system for a variant and resolved parameters.
	Build func(variant string, params map[string]int) (checker.System, error)
}

// Models is the list of models a program serves.
type Models []*Entry

// Sorted returns the models sorted by name.
func (ms Models) Sorted() Models {
	out := append(Models(nil), ms...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names lists the models' names, sorted.
func (ms Models) Names() []string {
	var names []string
	for _, e := range ms.Sorted() {
		names = append(names, e.Name)
	}
	return names
}

// Lookup finds a model by name.
func (ms Models) Lookup(name string) (*Entry, error) {
	for _, e := range ms {
		if e.Name == name {
			return e, nil
		}
	}
	known := strings.Join(ms.Names(), ", ")
	if known == "" {
		known = "none"
	}
	return nil, fmt.Errorf("unknown model %q (known: %s)", name, known)
}

// Validate reports, in one error, every entry that the tools cannot
// serve: a nil entry, one without a name or Build function or variants, a
// name used twice (of a model, or of a variant or parameter within one),
// and a parameter whose default is outside its range.
func (ms Models) Validate() error {
	var problems []string
	seen := map[string]bool{}
	for i, e := range ms {
		if e == nil {
			problems = append(problems, fmt.Sprintf("model #%d is nil", i))
			continue
		}
		name := strconv.Quote(e.Name)
		switch {
		case e.Name == "":
			problems = append(problems, fmt.Sprintf("model #%d has no name", i))
		case seen[e.Name]:
			problems = append(problems, fmt.Sprintf("model %s listed twice", name))
		}
		seen[e.Name] = true
		if e.Build == nil {
			problems = append(problems, fmt.Sprintf("model %s: Build is nil", name))
		}
		if len(e.Variants) == 0 {
			problems = append(problems, fmt.Sprintf("model %s has no variant", name))
		}
		problems = append(problems, paramProblems(name, e.Params)...)
		variants := map[string]bool{}
		for _, v := range e.Variants {
			switch {
			case v.Name == "":
				problems = append(problems, fmt.Sprintf("model %s: a variant has no name", name))
			case variants[v.Name]:
				problems = append(problems, fmt.Sprintf("model %s: variant %q listed twice", name, v.Name))
			}
			variants[v.Name] = true
			problems = append(problems, paramProblems(name+" variant "+strconv.Quote(v.Name), v.Params)...)
		}
	}
	if len(problems) > 0 {
		return errors.New("catalog: " + strings.Join(problems, "; "))
	}
	return nil
}

func paramProblems(where string, params []Param) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range params {
		switch {
		case p.Name == "":
			out = append(out, fmt.Sprintf("model %s: a parameter has no name", where))
		case seen[p.Name]:
			out = append(out, fmt.Sprintf("model %s: parameter %q listed twice", where, p.Name))
		case p.Default < p.Min || p.Default > p.Max:
			out = append(out, fmt.Sprintf("model %s: parameter %q: default %d outside [%d, %d]", where, p.Name, p.Default, p.Min, p.Max))
		}
		seen[p.Name] = true
	}
	return out
}

// Variant finds a variant by name; "" is the default variant.
func (e *Entry) Variant(name string) (*Variant, error) {
	if name == "" {
		if len(e.Variants) == 0 {
			return nil, fmt.Errorf("model %s has no variant", e.Name)
		}
		return &e.Variants[0], nil
	}
	var names []string
	for i := range e.Variants {
		if e.Variants[i].Name == name {
			return &e.Variants[i], nil
		}
		names = append(names, e.Variants[i].Name)
	}
	return nil, fmt.Errorf("unknown variant %q of model %s (known: %s)", name, e.Name, strings.Join(names, ", "))
}

// ParamsOf returns the parameters that apply to variant v.
func (e *Entry) ParamsOf(v *Variant) []Param {
	if v.Params != nil {
		return v.Params
	}
	return e.Params
}

// Resolve checks "key=value" settings against the variant's parameters
// and returns every parameter's value, defaults filled in.
func (e *Entry) Resolve(v *Variant, sets []string) (map[string]int, error) {
	params := e.ParamsOf(v)
	out := map[string]int{}
	for _, p := range params {
		out[p.Name] = p.Default
	}
	for _, kv := range sets {
		k, val, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("--set %q: want key=value", kv)
		}
		var p *Param
		for i := range params {
			if params[i].Name == k {
				p = &params[i]
			}
		}
		if p == nil {
			var names []string
			for _, q := range params {
				names = append(names, q.Name)
			}
			known := strings.Join(names, ", ")
			if known == "" {
				known = "none"
			}
			return nil, fmt.Errorf("unknown parameter %q for %s variant %s (known: %s)", k, e.Name, v.Name, known)
		}
		n, err := strconv.Atoi(val)
		if err != nil {
			return nil, fmt.Errorf("parameter %s=%q: not an integer", k, val)
		}
		if n < p.Min || n > p.Max {
			return nil, fmt.Errorf("parameter %s=%d out of range [%d, %d]", k, n, p.Min, p.Max)
		}
		out[k] = n
	}
	return out, nil
}

// BuildVariant resolves the settings and builds the variant's system.
func (e *Entry) BuildVariant(variant string, sets []string) (checker.System, *Variant, map[string]int, error) {
	v, err := e.Variant(variant)
	if err != nil {
		return nil, nil, nil, err
	}
	params, err := e.Resolve(v, sets)
	if err != nil {
		return nil, nil, nil, err
	}
	if e.Build == nil {
		return nil, nil, nil, fmt.Errorf("model %s: Build is nil", e.Name)
	}
	sys, err := e.Build(v.Name, params)
	if err != nil {
		return nil, nil, nil, err
	}
	return sys, v, params, nil
}
