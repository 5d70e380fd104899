package cli

import (
	"fmt"
	"sort"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
)

// target is a model variant opened for exploring, tracing or graphing.
type target struct {
	entry   *catalog.Entry
	variant *catalog.Variant
	params  map[string]int
	sys     checker.System
	ex      checker.Explorer
}

// build builds the variant of the model named by positional, with the
// parameters set (--variant and --set).
func (p *Program) build(positional []string, variant string, sets []string) (*target, error) {
	e, err := p.lookup(positional)
	if err != nil {
		return nil, err
	}
	sys, v, params, err := e.BuildVariant(variant, sets)
	if err != nil {
		return nil, err
	}
	return &target{entry: e, variant: v, params: params, sys: sys}, nil
}

// openTarget builds the variant as build does, for the commands that
// need its checker.Explorer.
func (p *Program) openTarget(positional []string, variant string, sets []string) (*target, error) {
	t, err := p.build(positional, variant, sets)
	if err != nil {
		return nil, err
	}
	ex, ok := t.sys.(checker.Explorer)
	if !ok {
		return nil, fmt.Errorf("model %s cannot be explored (its system does not implement checker.Explorer)", t.entry.Name)
	}
	t.ex = ex
	return t, nil
}

// title is "model tcp, variant rfc9293, params cap=2 data=1".
func (t *target) title() string {
	return humanize.Target(t.entry.Name, t.variant.Name, t.params)
}

// sets turns params back into --set arguments, sorted.
func setsOf(params map[string]int) []string {
	var out []string
	for k, v := range params {
		out = append(out, fmt.Sprintf("%s=%d", k, v))
	}
	sort.Strings(out)
	return out
}

// pathText is a path for people: "0.2.1", or "(start)" when empty.
func pathText(path []int) string {
	if len(path) == 0 {
		return "(start)"
	}
	return checker.FormatPath(path)
}
