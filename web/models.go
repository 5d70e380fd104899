package web

import (
	"encoding/json"
	"net/http"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
)

// modelDoc is a model as GET /api/models lists it.
type modelDoc struct {
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Lanes       []string     `json:"lanes"`
	Projects    bool         `json:"projects"`
	Variants    []variantDoc `json:"variants"`
}

type variantDoc struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Params      []catalog.Param `json:"params"`
	// Expect lists the properties expected not to hold.
	Expect map[string]checker.Status `json:"expect,omitempty"`
}

// models answers GET /api/models: the program's name, then every model
// (sorted) with its lanes, variants and their parameters. Building each
// model's default variant gives its lanes.
func (h *Handler) models(w http.ResponseWriter, r *http.Request) {
	out := struct {
		Name     string     `json:"name"`
		Default  string     `json:"default"`
		Validate bool       `json:"validate"`
		Models   []modelDoc `json:"models"`
	}{Name: h.cfg.Name, Default: h.cfg.Default, Validate: h.cfg.Validate != nil}
	for _, e := range h.cfg.Models.Sorted() {
		m := modelDoc{Name: e.Name, Description: e.Description, Lanes: []string{}}
		if sys, _, _, err := e.BuildVariant("", nil); err == nil {
			m.Lanes = sys.Lanes()
			if ex, ok := sys.(checker.Explorer); ok {
				m.Projects = ex.Projects()
			}
		}
		for i := range e.Variants {
			v := &e.Variants[i]
			params := e.ParamsOf(v)
			if params == nil {
				params = []catalog.Param{}
			}
			m.Variants = append(m.Variants, variantDoc{Name: v.Name, Description: v.Description, Params: params, Expect: v.Expect})
		}
		out.Models = append(out.Models, m)
	}
	writeJSON(w, out)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v) // the client may have gone: nothing to do about it
}
