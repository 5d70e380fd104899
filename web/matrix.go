package web

import (
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/matrix"
)

// matrixDoc is a model's variant x property matrix.
type matrixDoc struct {
	Model   string         `json:"model"`
	Columns []string       `json:"columns"`
	Rows    []matrixRowDoc `json:"rows"`
}

type matrixRowDoc struct {
	Variant  string          `json:"variant"`
	Complete bool            `json:"complete"`
	Reason   string          `json:"reason,omitempty"`
	Distinct uint64          `json:"distinct"`
	Seconds  float64         `json:"seconds"`
	Cells    []matrixCellDoc `json:"cells"`
}

// matrixCellDoc is a cell: its verdict, the expected one, how they
// compare, and the trace it links to: that of its first violated member,
// else of its first member with a witness.
type matrixCellDoc struct {
	Status   string `json:"status"`
	Expected string `json:"expected"`
	Outcome  string `json:"outcome"`
	Violated int    `json:"violated,omitempty"`
	Members  int    `json:"members"`
	Property string `json:"property,omitempty"`
	Path     string `json:"path,omitempty"`
	Loop     int    `json:"loop"`
}

var outcomeWords = map[matrix.Outcome]string{
	matrix.NotApplicable: "n/a", matrix.AsExpected: "as-expected", matrix.Undecided: "undecided", matrix.Unexpected: "unexpected",
}

// matrix answers GET /api/matrix?model=M with a stream of events: a
// "progress" line per variant checked, then "result" (matrixDoc). Every
// variant is checked with its default parameters, as "matrix" does, so
// that a cell's path is a deep link of that variant. Closing the stream
// stops it.
func (h *Handler) matrix(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("model")
	if name == "" {
		fail(w, http.StatusBadRequest, errors.New("missing model= (GET /api/models lists them)"))
		return
	}
	e, err := h.cfg.Models.Lookup(name)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	s, ok := h.startStream(w)
	if !ok {
		return
	}
	defer h.release()
	var mu sync.Mutex
	lines := lineWriter(func(l string) {
		mu.Lock()
		defer mu.Unlock()
		s.send("progress", map[string]string{"line": l})
	})
	m, err := matrix.Compute(r.Context(), e, h.cfg.Check, lines)
	mu.Lock()
	defer mu.Unlock()
	if err != nil {
		s.send("failure", map[string]string{"error": err.Error()})
		return
	}
	s.send("result", matrixOf(m))
}

// matrixOf is the JSON form of m with the cells' trace paths.
func matrixOf(m *matrix.Matrix) matrixDoc {
	d := matrixDoc{Model: m.Entry.Name, Columns: []string{}, Rows: []matrixRowDoc{}}
	for _, c := range m.Columns {
		d.Columns = append(d.Columns, c.Name)
	}
	for _, row := range m.Rows {
		traces := map[string]*checker.TraceReport{}
		for _, p := range row.Report.Properties {
			traces[p.Name] = p.Trace
		}
		rd := matrixRowDoc{Variant: row.Variant.Name, Complete: row.Report.Complete, Reason: row.Report.Reason,
			Distinct: row.Report.Distinct, Seconds: row.Report.Seconds, Cells: []matrixCellDoc{}}
		for _, c := range row.Cells {
			cd := matrixCellDoc{Status: c.Status().String(), Expected: c.Expected().String(), Outcome: outcomeWords[c.Outcome()],
				Violated: c.Count(matrix.Violated, false), Members: len(c.Members), Loop: -1}
			for _, pass := range []matrix.Verdict{matrix.Violated, matrix.Holds} {
				for _, mem := range c.Members {
					if cd.Path == "" && mem.Status == pass && traces[mem.Property] != nil {
						tr := traces[mem.Property]
						cd.Property, cd.Path, cd.Loop = mem.Property, checker.FormatPath(checker.PathOf(tr)), tr.Loop
					}
				}
			}
			rd.Cells = append(rd.Cells, cd)
		}
		d.Rows = append(d.Rows, rd)
	}
	return d
}

// lineWriter is an io.Writer calling its function with each whole line.
type lineWriter func(string)

func (f lineWriter) Write(b []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		f(l)
	}
	return len(b), nil
}
