package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
	"github.com/handshake/handshake/render"
)

// Limits of the graphs drawn: those of the graph command.
const (
	maxGraphStates     = 2000
	maxProjectedStates = 1_000_000
)

// graph answers GET /api/graph.svg: the state graph of the target
// projected onto lane= (a role such as client), or the full graph
// without lane= (refused beyond 2,000 states), laid out without
// Graphviz. The exploration stops when the client goes.
func (h *Handler) graph(w http.ResponseWriter, r *http.Request) {
	t, ex, err := h.openExplorer(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	opt := checker.GraphOptions{Lane: -1, MaxStates: maxGraphStates}
	if lane := r.URL.Query().Get("lane"); lane != "" {
		lanes := t.sys.Lanes()
		for i, l := range lanes {
			if l == lane {
				opt.Lane = i
			}
		}
		switch {
		case !ex.Projects():
			fail(w, http.StatusBadRequest, fmt.Errorf("lane=: model %s has no projection onto roles", t.entry.Name))
			return
		case opt.Lane < 0:
			fail(w, http.StatusBadRequest, fmt.Errorf("lane=%q: unknown role of model %s (known: %s)", lane, t.entry.Name, strings.Join(lanes, ", ")))
			return
		}
		opt.MaxStates = maxProjectedStates
	}
	if !h.acquire(w) {
		return
	}
	defer h.release()
	g, err := ex.Graph(r.Context(), opt)
	var big *checker.TooLargeError
	if errors.As(err, &big) {
		fail(w, http.StatusUnprocessableEntity, fmt.Errorf("the graph has more than %s states: choose a role (lane=) or smaller parameters", humanize.Grouped(uint64(big.Limit))))
		return
	}
	if err != nil {
		fail(w, http.StatusServiceUnavailable, err)
		return
	}
	title := humanize.Target(t.entry.Name, t.variant.Name, t.params)
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	render.GraphSVG(w, title, g)
}
