// Package web is the local web explorer of a list of models ("handshake
// serve"): an http.Handler serving one page (embedded, plain HTML, CSS
// and JavaScript: no network needed) and the JSON and SVG endpoints it
// reads. Whatever models a program hands to package cli get it:
//
//   - GET /api/models: the models, their variants, parameters and
//     properties;
//   - GET /api/state?model=M&variant=V&set=k=v&path=0.3.1: the position at
//     a path (the addressing of explore): the steps so far with their
//     events, the state lane by lane with the fields the last step
//     changed, and the enabled actions with explore's indices;
//   - GET /api/diagram.svg?...&path=P&loop=L&mark=S: the path as a
//     sequence diagram (package seqdiagram), each step linked;
//   - GET /api/check?...&property=NAME: a check as a stream of
//     server-sent events (progress, then the verdicts with the paths of
//     their counterexamples and witnesses); closing the stream (the
//     cancel button, or closing the tab) cancels the check;
//   - GET /api/matrix?model=M: the variant x property matrix, streamed
//     the same way, each cell with the path of its trace;
//   - GET /api/graph.svg?...&lane=ROLE: the state graph projected onto
//     a role, laid out without Graphviz (render.GraphSVG);
//   - POST /api/validate (multipart: capture, keylog, server-key,
//     capture-point): each connection's verdict and diagram, when the
//     program has a Validator.
//
// Page addresses are deep links: /MODEL/VARIANT/PATH?set=k=v&loop=L shows
// that position. A malformed request gets a 4xx status with a one-line
// message as text; at most Config.MaxChecks checks, matrices and graphs
// run at once.
package web

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
)

//go:embed static
var static embed.FS

// Config is what a Handler serves and its limits.
type Config struct {
	// Name is the program's name, shown in the page's title.
	Name string
	// Models are the models served; the page opens Default (default:
	// the first of Models).
	Models  catalog.Models
	Default string
	// Validate, if set, gives the page a validation page for uploaded
	// captures.
	Validate Validator
	// MaxChecks bounds the checks, matrices and graphs running at once
	// (default 2); a request beyond it gets 429.
	MaxChecks int
	// MaxUpload bounds an upload's size in bytes (default 64 MiB); a
	// larger one gets 413.
	MaxUpload int64
	// Check bounds each check and matrix (MaxStates, Timeout,
	// MaxMemory, Workers); Progress is the handler's own.
	Check checker.Options
	// ProgressEvery is how often a running check reports progress
	// (default 250ms).
	ProgressEvery time.Duration
}

// Validator checks an uploaded capture and returns a verdict per
// connection; its error is the upload's fault (a malformed file, an
// unknown capture point) and is shown as such.
type Validator func(Upload) ([]Connection, error)

// Upload is what the validation page uploads: the form parts capture,
// keylog and server-key (files) and capture-point (a word), as the
// command line's validate FILE --keylog --server-key --capture-point.
type Upload struct {
	Capture io.Reader
	// KeyLog (an NSS key log) and ServerKey (the server's private key,
	// PEM) are nil when not uploaded.
	KeyLog    io.Reader
	ServerKey io.Reader
	// CapturePoint is where the capture was taken ("auto", "endpoint",
	// "path"; "" when not given).
	CapturePoint string
}

// Connection is one connection of a validated capture.
type Connection struct {
	// Headline is the verdict in one line, Accepted whether the
	// connection is accepted at every layer checked.
	Headline string
	Accepted bool
	// Lanes and Trace are its diagram (Mark: the step to highlight, -1
	// none); Details are further verdicts as text (TLS).
	Lanes   []string
	Trace   checker.TraceReport
	Mark    int
	Details string
}

// Default limits.
const (
	DefaultMaxChecks = 2
	DefaultMaxUpload = 64 << 20
)

// Handler serves the explorer.
type Handler struct {
	cfg  Config
	mux  *http.ServeMux
	runs chan struct{} // one token per running check
}

// New makes the explorer's handler; it refuses a list of models that
// Models.Validate refuses.
func New(cfg Config) (*Handler, error) {
	if err := cfg.Models.Validate(); err != nil {
		return nil, err
	}
	if len(cfg.Models) == 0 {
		return nil, errors.New("web: no models to serve")
	}
	if cfg.Default == "" {
		cfg.Default = cfg.Models[0].Name
	}
	if _, err := cfg.Models.Lookup(cfg.Default); err != nil {
		return nil, err
	}
	if cfg.MaxChecks <= 0 {
		cfg.MaxChecks = DefaultMaxChecks
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	if cfg.ProgressEvery <= 0 {
		cfg.ProgressEvery = 250 * time.Millisecond
	}
	if cfg.Name == "" {
		cfg.Name = "handshake"
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux(), runs: make(chan struct{}, cfg.MaxChecks)}
	h.mux.HandleFunc("GET /static/{file}", h.file)
	h.mux.HandleFunc("GET /api/models", h.models)
	h.mux.HandleFunc("GET /api/state", h.state)
	h.mux.HandleFunc("GET /api/diagram.svg", h.diagram)
	h.mux.HandleFunc("GET /api/check", h.check)
	h.mux.HandleFunc("GET /api/matrix", h.matrix)
	h.mux.HandleFunc("GET /api/graph.svg", h.graph)
	h.mux.HandleFunc("POST /api/validate", h.validate)
	h.mux.HandleFunc("GET /{$}", h.page)
	h.mux.HandleFunc("GET /validate", h.page)
	h.mux.HandleFunc("GET /{model}", h.page)
	h.mux.HandleFunc("GET /{model}/{variant}", h.page)
	h.mux.HandleFunc("GET /{model}/{variant}/{path}", h.page)
	return h, nil
}

// ServeHTTP serves a request; a panic in a model's code becomes a 500
// with its message instead of a dropped connection.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			fail(w, http.StatusInternalServerError, fmt.Errorf("internal error: %v", v))
		}
	}()
	w.Header().Set("X-Content-Type-Options", "nosniff")
	h.mux.ServeHTTP(w, r)
}

// page serves the page for every page address whose model (and variant)
// exists: the page itself reads the address.
func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	if m := r.PathValue("model"); m == "api" || m == "static" {
		fail(w, http.StatusNotFound, fmt.Errorf("no endpoint %s %s", r.Method, r.URL.Path))
		return
	} else if m != "" {
		e, err := h.cfg.Models.Lookup(m)
		if err != nil {
			fail(w, http.StatusNotFound, err)
			return
		}
		if v := r.PathValue("variant"); v != "" {
			if _, err := e.Variant(v); err != nil {
				fail(w, http.StatusNotFound, err)
				return
			}
		}
		if p := r.PathValue("path"); p != "" {
			if _, err := checker.ParsePath(p); err != nil {
				fail(w, http.StatusBadRequest, err)
				return
			}
		}
	}
	b, err := static.ReadFile("static/index.html")
	if err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, strings.ReplaceAll(string(b), "{{NAME}}", htmlEscape(h.cfg.Name)))
}

// file serves an embedded file of the page.
func (h *Handler) file(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, err := static.ReadFile("static/" + name)
	if err != nil || name == "index.html" {
		fail(w, http.StatusNotFound, fmt.Errorf("no file %s", r.URL.Path))
		return
	}
	types := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
	w.Header().Set("Content-Type", types[path.Ext(name)])
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

// fail answers with status and a one-line message as text.
func fail(w http.ResponseWriter, status int, err error) {
	msg := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Del("Content-Length")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
}

// acquire takes a run token, or answers 429 and returns false.
func (h *Handler) acquire(w http.ResponseWriter) bool {
	select {
	case h.runs <- struct{}{}:
		return true
	default:
		fail(w, http.StatusTooManyRequests, fmt.Errorf("%d checks are running already (the limit): cancel one or wait", h.cfg.MaxChecks))
		return false
	}
}

func (h *Handler) release() { <-h.runs }

// startStream takes one of the run slots (acquire) and starts the event
// stream of the answer; ok is false, and the answer written, if either
// fails. The caller releases the slot when ok.
func (h *Handler) startStream(w http.ResponseWriter) (s *stream, ok bool) {
	if !h.acquire(w) {
		return nil, false
	}
	if s = newStream(w); s == nil {
		h.release()
		return nil, false
	}
	return s, true
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
