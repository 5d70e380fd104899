package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/handshake/handshake/checker"
)

// progressDoc is a running check's progress event.
type progressDoc struct {
	Phase    string  `json:"phase"`
	Distinct uint64  `json:"distinct"`
	Queue    uint64  `json:"queue"`
	Depth    int     `json:"depth"`
	Seconds  float64 `json:"seconds"`
}

// verdictDoc is a property's verdict, with the path of its trace.
type verdictDoc struct {
	checker.PropertyInfo
	Status   checker.Status `json:"status"`
	Expected checker.Status `json:"expected"`
	// Path is the counterexample's (or witness's) path, "" if none;
	// Loop the step its lasso returns to (-1: none), Stutter whether it
	// stays in its last state forever.
	Path    string `json:"path,omitempty"`
	Loop    int    `json:"loop"`
	Stutter bool   `json:"stutter,omitempty"`
	Steps   int    `json:"steps,omitempty"`
}

// resultDoc is a finished check.
type resultDoc struct {
	Distinct   uint64       `json:"distinct"`
	Depth      int          `json:"depth"`
	Seconds    float64      `json:"seconds"`
	Complete   bool         `json:"complete"`
	Reason     string       `json:"reason,omitempty"`
	Properties []verdictDoc `json:"properties"`
}

// check answers GET /api/check with a stream of events: "progress"
// (about every Config.ProgressEvery), then "result". property= (repeatable)
// selects properties or groups as check --property does. The check runs
// in the request's context: when the client closes the stream (its
// cancel button, or the tab), the check stops.
func (h *Handler) check(w http.ResponseWriter, r *http.Request) {
	t, err := h.openTarget(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	opt := h.cfg.Check
	opt.Properties = r.URL.Query()["property"]
	if err := knownProperties(t.sys, opt.Properties); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	s, ok := h.startStream(w)
	if !ok {
		return
	}
	defer h.release()
	progress := make(chan checker.Progress, 1)
	opt.Progress = func(p checker.Progress) {
		select {
		case progress <- p:
		default: // the last one is not sent yet: skip this one
		}
	}
	opt.ProgressEvery = h.cfg.ProgressEvery
	done := make(chan checker.Report, 1)
	go func() { done <- t.sys.Check(r.Context(), opt) }()
	for {
		select {
		case p := <-progress:
			s.send("progress", progressDoc{Phase: p.Phase.String(), Distinct: p.Distinct, Queue: p.Queue, Depth: p.Depth, Seconds: p.Elapsed.Seconds()})
		case rep := <-done:
			rep.DistrustIncomplete()
			s.send("result", h.result(t, rep))
			return
		case <-time.After(time.Minute):
			s.send("ping", struct{}{}) // keeps proxies from closing an idle stream
		}
	}
}

// result is a report with each verdict's trace as a path.
func (h *Handler) result(t *target, rep checker.Report) resultDoc {
	d := resultDoc{Distinct: rep.Distinct, Depth: rep.Depth, Seconds: rep.Seconds, Complete: rep.Complete, Reason: rep.Reason, Properties: []verdictDoc{}}
	for _, p := range rep.Properties {
		v := verdictDoc{PropertyInfo: p.PropertyInfo, Status: p.Status, Expected: t.variant.Expected(p.Name), Loop: -1}
		if p.Trace != nil {
			v.Path = checker.FormatPath(checker.PathOf(p.Trace))
			v.Loop, v.Stutter, v.Steps = p.Trace.Loop, p.Trace.Stutter, len(p.Trace.Steps)-1
		}
		d.Properties = append(d.Properties, v)
	}
	return d
}

// knownProperties refuses a name that is neither a property nor a group
// of sys.
func knownProperties(sys checker.System, names []string) error {
	known := map[string]bool{}
	var list []string
	for _, p := range sys.Properties() {
		known[p.Name] = true
		list = append(list, p.Name)
		if p.Group != "" && !known[p.Group] {
			known[p.Group] = true
			list = append(list, p.Group)
		}
	}
	for _, n := range names {
		if !known[n] {
			return fmt.Errorf("property=%q: no such property or group of model %s (known: %s)", n, sys.Name(), strings.Join(list, ", "))
		}
	}
	return nil
}
