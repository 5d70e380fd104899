package matrix

import (
	"encoding/json"
	"io"
)

// matrixDoc is the one JSON object "matrix --json" prints: models ->
// variants -> cells, and the tally of all cells.
type matrixDoc struct {
	Models map[string]matrixModelDoc `json:"models"`
	// Cells counts the cells that are not n/a; AsExpected, Unexpected
	// and Unknown divide them.
	Cells      int `json:"cells"`
	AsExpected int `json:"as_expected"`
	Unexpected int `json:"unexpected"`
	Unknown    int `json:"unknown"`
	ExitStatus int `json:"exit_status"`
}

// matrixModelDoc is one model's matrix. Columns and VariantOrder give the
// order of the text table.
type matrixModelDoc struct {
	Columns      []string                    `json:"columns"`
	VariantOrder []string                    `json:"variant_order"`
	Variants     map[string]matrixVariantDoc `json:"variants"`
}

// matrixVariantDoc is one variant's check, with a cell per column.
type matrixVariantDoc struct {
	Params         map[string]int  `json:"params"`
	DistinctStates uint64          `json:"distinct_states"`
	Seconds        float64         `json:"seconds"`
	Complete       bool            `json:"complete"`
	Reason         string          `json:"reason,omitempty"`
	Cells          []matrixCellDoc `json:"cells"`
}

// matrixCellDoc is a cell: status and expected are holds, violated,
// unknown or n/a. Matches is true when the verdict is the expected one
// (false for an unknown cell, true for an n/a cell that is expected to be
// n/a). A folded group (diagram) has its members, each with its own
// verdict, and Violated counts those violated.
type matrixCellDoc struct {
	Property string            `json:"property"`
	Status   Verdict           `json:"status"`
	Expected Verdict           `json:"expected"`
	Matches  bool              `json:"matches"`
	Violated *int              `json:"violated,omitempty"`
	Members  []matrixMemberDoc `json:"members,omitempty"`
}

type matrixMemberDoc struct {
	Property string  `json:"property"`
	Status   Verdict `json:"status"`
	Expected Verdict `json:"expected"`
	Matches  bool    `json:"matches"`
}

// WriteJSON prints the matrices as one JSON object: models -> variants
// -> cells, and the tally of all cells (the form of "matrix --json").
func WriteJSON(w io.Writer, ms []*Matrix) error {
	t := tally(ms)
	doc := matrixDoc{
		Models: map[string]matrixModelDoc{},
		Cells:  t.cells, AsExpected: t.match, Unexpected: t.mismatch, Unknown: t.unknown,
		ExitStatus: ExitStatus(ms),
	}
	for _, m := range ms {
		md := matrixModelDoc{Columns: []string{}, VariantOrder: []string{}, Variants: map[string]matrixVariantDoc{}}
		for _, col := range m.Columns {
			md.Columns = append(md.Columns, col.Name)
		}
		for _, r := range m.Rows {
			params := r.Params
			if params == nil {
				params = map[string]int{}
			}
			vd := matrixVariantDoc{
				Params:         params,
				DistinctStates: r.Report.Distinct,
				Seconds:        r.Report.Seconds,
				Complete:       r.Report.Complete,
				Reason:         r.Report.Reason,
				Cells:          []matrixCellDoc{},
			}
			for i, col := range m.Columns {
				c := r.Cells[i]
				out := c.Outcome()
				cd := matrixCellDoc{
					Property: col.Name,
					Status:   c.Status(),
					Expected: c.Expected(),
					Matches:  out == AsExpected || out == NotApplicable,
				}
				if col.Group {
					n := c.Count(Violated, false)
					cd.Violated = &n
					for _, mem := range c.Members {
						o := mem.Outcome()
						cd.Members = append(cd.Members, matrixMemberDoc{
							Property: mem.Property, Status: mem.Status, Expected: mem.Expected,
							Matches: o == AsExpected || o == NotApplicable,
						})
					}
				}
				vd.Cells = append(vd.Cells, cd)
			}
			md.VariantOrder = append(md.VariantOrder, r.Variant.Name)
			md.Variants[r.Variant.Name] = vd
		}
		doc.Models[m.Entry.Name] = md
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
