// Package spec holds what the models must satisfy: their properties, the
// RFC state diagrams as data, and the named protocol variants with the
// verdicts each is expected to get. It is also the registry the CLI uses to
// find models by name.
package spec

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/handshake/handshake/checker"
)

// Param is an integer parameter of a model configuration.
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

// Entry is a registered model.
type Entry struct {
	Name        string
	Description string
	Params      []Param
	// Variants lists the variants; the first is the default.
	Variants []Variant
	// Build makes the system for a variant and resolved parameters.
	Build func(variant string, params map[string]int) (checker.System, error)
}

var registry = map[string]*Entry{}

// Register adds a model to the registry. It panics on a duplicate name,
// which is a programming error caught by any test.
func Register(e Entry) {
	if _, dup := registry[e.Name]; dup {
		panic("spec: model registered twice: " + e.Name)
	}
	registry[e.Name] = &e
}

// Models returns the registered models sorted by name.
func Models() []*Entry {
	var out []*Entry
	for _, e := range registry {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup finds a model by name.
func Lookup(name string) (*Entry, error) {
	if e, ok := registry[name]; ok {
		return e, nil
	}
	var names []string
	for _, e := range Models() {
		names = append(names, e.Name)
	}
	return nil, fmt.Errorf("unknown model %q (known: %s)", name, strings.Join(names, ", "))
}

// Variant finds a variant by name; "" is the default variant.
func (e *Entry) Variant(name string) (*Variant, error) {
	if name == "" {
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
	sys, err := e.Build(v.Name, params)
	if err != nil {
		return nil, nil, nil, err
	}
	return sys, v, params, nil
}
