package web

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
)

// target is a model variant built from a request's query: model, variant
// (default: the first) and set=k=v (repeatable), as the command line's
// MODEL, --variant and --set.
type target struct {
	entry   *catalog.Entry
	variant *catalog.Variant
	params  map[string]int
	sys     checker.System
	ex      checker.Explorer
}

// openTarget builds the target a request names; the error is the
// request's fault.
func (h *Handler) openTarget(r *http.Request) (*target, error) {
	q := r.URL.Query()
	name := q.Get("model")
	if name == "" {
		return nil, errors.New("missing model= (GET /api/models lists them)")
	}
	e, err := h.cfg.Models.Lookup(name)
	if err != nil {
		return nil, err
	}
	sys, v, params, err := e.BuildVariant(q.Get("variant"), q["set"])
	if err != nil {
		return nil, err
	}
	t := &target{entry: e, variant: v, params: params, sys: sys}
	t.ex, _ = sys.(checker.Explorer)
	return t, nil
}

// openExplorer is openTarget followed by its explorer: the target of r and
// how to step through it, or an error for a 400 answer.
func (h *Handler) openExplorer(r *http.Request) (*target, checker.Explorer, error) {
	t, err := h.openTarget(r)
	if err != nil {
		return nil, nil, err
	}
	ex, err := t.explorer()
	return t, ex, err
}

// explorer is t's checker.Explorer, or an error saying the model has none.
func (t *target) explorer() (checker.Explorer, error) {
	if t.ex == nil {
		return nil, fmt.Errorf("model %s cannot be explored (its system does not implement checker.Explorer)", t.entry.Name)
	}
	return t.ex, nil
}

// sets are the target's parameters as set=k=v values, sorted, those at
// their default left out.
func (t *target) sets() []string {
	defaults := map[string]int{}
	for _, p := range t.entry.ParamsOf(t.variant) {
		defaults[p.Name] = p.Default
	}
	out := []string{}
	for k, v := range t.params {
		if d, ok := defaults[k]; !ok || d != v {
			out = append(out, k+"="+strconv.Itoa(v))
		}
	}
	sort.Strings(out)
	return out
}

// intParam reads an optional integer query parameter (def when absent).
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s=%q: want a whole number from %d to %d", name, s, lo, hi)
	}
	return n, nil
}

// pathParam reads path= (a path of action indices such as 0.3.1).
func pathParam(r *http.Request) ([]int, error) {
	p, err := checker.ParsePath(r.URL.Query().Get("path"))
	if err != nil {
		return nil, fmt.Errorf("path=: %w", err)
	}
	return p, nil
}
