package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/render"
)

// stateDoc is a position as GET /api/state answers it.
type stateDoc struct {
	Model   string         `json:"model"`
	Variant string         `json:"variant"`
	Params  map[string]int `json:"params"`
	// Sets are the parameters that differ from their defaults, as
	// set=k=v values for links.
	Sets  []string `json:"sets"`
	Lanes []string `json:"lanes"`
	// Path is the position ("0.3.1"), Home the path of the start
	// (explore's: the initial state when there is only one).
	Path  string    `json:"path"`
	Home  string    `json:"home"`
	Steps []stepDoc `json:"steps"`
	// Rows are the current state's lines, a lane's first (empty at the
	// start).
	Rows     []rowDoc         `json:"rows"`
	Raw      string           `json:"raw,omitempty"`
	Choices  []checker.Choice `json:"choices"`
	End      bool             `json:"end,omitempty"`
	Deadlock bool             `json:"deadlock,omitempty"`
	// Properties are the variant's properties (with the verdict each is
	// expected to get).
	Properties []propertyDoc `json:"properties"`
}

// stepDoc is one step of the path: its index, action and events in words.
type stepDoc struct {
	Index  int      `json:"index"`
	Action string   `json:"action"`
	Events []string `json:"events"`
}

// rowDoc is a line of the state ("client: SYN_SENT ISS=100 ..."): the lane
// (or other part: a channel) it describes, its words, and which of them
// the last step changed.
type rowDoc struct {
	Name    string     `json:"name"`
	Lane    bool       `json:"lane"`
	Changed bool       `json:"changed"`
	Words   []fieldDoc `json:"words"`
}

type fieldDoc struct {
	Text    string `json:"text"`
	Changed bool   `json:"changed,omitempty"`
}

type propertyDoc struct {
	checker.PropertyInfo
	Expected checker.Status `json:"expected"`
}

// state answers GET /api/state: the position at path= of the target.
func (h *Handler) state(w http.ResponseWriter, r *http.Request) {
	t, ex, err := h.openExplorer(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	path, err := pathParam(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	pos, err := ex.Walk(path)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	lanes := t.sys.Lanes()
	d := stateDoc{Model: t.entry.Name, Variant: t.variant.Name, Params: t.params, Sets: t.sets(),
		Lanes: lanes, Path: checker.FormatPath(pos.Path), Home: checker.FormatPath(home(ex)),
		Steps: []stepDoc{}, Rows: []rowDoc{}, Raw: pos.Raw, Choices: pos.Choices, End: pos.End, Deadlock: pos.Deadlock}
	if d.Choices == nil {
		d.Choices = []checker.Choice{}
	}
	for _, st := range pos.Trace.Steps {
		sd := stepDoc{Index: st.Index, Action: st.Action, Events: []string{}}
		for _, e := range st.Events {
			sd.Events = append(sd.Events, render.EventText(lanes, e))
		}
		d.Steps = append(d.Steps, sd)
	}
	if n := len(pos.Trace.Steps); n > 0 {
		prev := ""
		if n > 1 {
			prev = pos.Trace.Steps[n-2].State
		}
		d.Rows = stateRows(lanes, prev, pos.Trace.Steps[n-1].State, n > 1)
	}
	for _, p := range t.sys.Properties() {
		d.Properties = append(d.Properties, propertyDoc{PropertyInfo: p, Expected: t.variant.Expected(p.Name)})
	}
	writeJSON(w, d)
}

// home is explore's start: the initial state if there is only one (and
// it is not pruned), the choice of initial states otherwise.
func home(ex checker.Explorer) []int {
	if pos, err := ex.Walk(nil); err == nil && len(pos.Choices) == 1 && !pos.Choices[0].Pruned {
		return []int{0}
	}
	return nil
}

// stateRows splits a state's text into its lines ("name: words"), and
// marks the lines and words that differ from the previous state's (diff
// false: the first state, nothing changed). A word changed when the
// previous line has no word at its position, or another.
func stateRows(lanes []string, prev, cur string, diff bool) []rowDoc {
	before := map[string][]string{}
	for _, l := range strings.Split(prev, "\n") {
		name, words := splitRow(l)
		before[name] = words
	}
	isLane := map[string]bool{}
	for _, l := range lanes {
		isLane[l] = true
	}
	var rows []rowDoc
	for _, l := range strings.Split(cur, "\n") {
		name, words := splitRow(l)
		old, had := before[name]
		row := rowDoc{Name: name, Lane: isLane[name], Words: []fieldDoc{}}
		for i, wd := range words {
			changed := diff && (!had || i >= len(old) || old[i] != wd)
			row.Changed = row.Changed || changed
			row.Words = append(row.Words, fieldDoc{Text: wd, Changed: changed})
		}
		if diff && had && len(old) != len(words) {
			row.Changed = true
		}
		rows = append(rows, row)
	}
	return rows
}

// splitRow cuts "client: SYN_SENT ISS=100" into its name and words; a
// line without "name: " has the name "".
func splitRow(line string) (string, []string) {
	name, rest, ok := strings.Cut(line, ": ")
	if !ok || strings.ContainsAny(name, " []") {
		return "", strings.Fields(line)
	}
	return name, strings.Fields(rest)
}

// diagram answers GET /api/diagram.svg: the path as a sequence diagram;
// loop= is the step a lasso returns to, mark= the step to highlight.
func (h *Handler) diagram(w http.ResponseWriter, r *http.Request) {
	t, ex, err := h.openExplorer(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	path, err := pathParam(r)
	if err == nil && len(path) == 0 {
		err = errors.New("path=: the diagram of the start is empty (want a path such as 0.2.1)")
	}
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	pos, err := ex.Walk(path)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	n := len(pos.Trace.Steps)
	loop, err := intParam(r, "loop", -1, -1, n-1)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	mark, err := intParam(r, "mark", -1, -1, n-1)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	pos.Trace.Loop = loop
	q := r.URL.Query()
	link := func(i int) string {
		u := "/" + t.entry.Name + "/" + t.variant.Name + "/" + checker.FormatPath(path[:i+1])
		var extra []string
		for _, s := range t.sets() {
			extra = append(extra, "set="+s)
		}
		if l := q.Get("loop"); l != "" {
			extra = append(extra, "loop="+l)
		}
		if len(extra) > 0 {
			u += "?" + strings.Join(extra, "&")
		}
		return u
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	renderSVG(w, t.sys.Lanes(), pos.Trace, mark, link)
}
