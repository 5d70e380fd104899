package web

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// stream is a response of server-sent events.
type stream struct {
	w http.ResponseWriter
	f http.Flusher
}

// newStream starts an event stream; it answers 500 and returns nil when
// the connection cannot stream.
func newStream(w http.ResponseWriter) *stream {
	f, ok := w.(http.Flusher)
	if !ok {
		fail(w, http.StatusInternalServerError, fmt.Errorf("the connection cannot stream events"))
		return nil
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	f.Flush()
	return &stream{w: w, f: f}
}

// send writes one event with v as its JSON data.
func (s *stream) send(event string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	fmt.Fprintf(s.w, "event: %s\ndata: %s\n\n", event, b)
	s.f.Flush()
}
