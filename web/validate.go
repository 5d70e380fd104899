package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/handshake/handshake/internal/humanize"
)

// connectionDoc is a validated connection as POST /api/validate answers.
type connectionDoc struct {
	Headline string `json:"headline"`
	Accepted bool   `json:"accepted"`
	SVG      string `json:"svg"`
	Details  string `json:"details,omitempty"`
}

// uploadParts are the form parts POST /api/validate takes, and the most
// bytes a text part may have.
var uploadParts = []string{"capture", "keylog", "server-key", "capture-point"}

const maxFieldBytes = 64

// validate answers POST /api/validate, a multipart form with the parts
// capture (a pcap or pcapng file, required), keylog and server-key
// (optional files) and capture-point (optional: auto, endpoint or path):
// each connection's verdict and diagram. The whole request is limited to
// Config.MaxUpload bytes (413 beyond); nothing is stored.
func (h *Handler) validate(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Validate == nil {
		fail(w, http.StatusNotFound, errors.New("this program validates no captures"))
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		fail(w, http.StatusUnsupportedMediaType, errors.New("want a multipart/form-data upload with a part named capture (and optionally keylog, server-key, capture-point)"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.cfg.MaxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	parts := map[string][]byte{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err == nil {
			name := part.FormName()
			if !slices.Contains(uploadParts, name) {
				fail(w, http.StatusBadRequest, fmt.Errorf("unknown form part %q (want %s)", name, strings.Join(uploadParts, ", ")))
				return
			}
			if _, dup := parts[name]; dup {
				fail(w, http.StatusBadRequest, fmt.Errorf("form part %q given twice", name))
				return
			}
			parts[name], err = io.ReadAll(part)
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(w, http.StatusRequestEntityTooLarge, fmt.Errorf("upload larger than the limit of %s", humanize.Bytes(float64(h.cfg.MaxUpload))))
			return
		}
		if err != nil {
			fail(w, http.StatusBadRequest, fmt.Errorf("malformed upload: %v", err))
			return
		}
	}
	if len(parts["capture"]) == 0 {
		fail(w, http.StatusBadRequest, errors.New("no capture uploaded (the form part capture is missing or empty)"))
		return
	}
	point := strings.TrimSpace(string(parts["capture-point"]))
	if len(point) > maxFieldBytes {
		fail(w, http.StatusBadRequest, fmt.Errorf("capture-point: longer than %d bytes", maxFieldBytes))
		return
	}
	up := Upload{Capture: bytes.NewReader(parts["capture"]), CapturePoint: point}
	if b := parts["keylog"]; len(b) > 0 {
		up.KeyLog = bytes.NewReader(b)
	}
	if b, ok := parts["server-key"]; ok {
		// An empty key file is a mistake worth a message, not no key:
		// the browser sends no part when no file was chosen.
		up.ServerKey = bytes.NewReader(b)
	}
	conns, err := h.cfg.Validate(up)
	if err != nil {
		fail(w, http.StatusUnprocessableEntity, err)
		return
	}
	out := struct {
		Connections []connectionDoc `json:"connections"`
	}{Connections: []connectionDoc{}}
	for _, c := range conns {
		var svg strings.Builder
		renderSVG(&svg, c.Lanes, c.Trace, c.Mark, nil)
		out.Connections = append(out.Connections, connectionDoc{Headline: c.Headline, Accepted: c.Accepted, SVG: svg.String(), Details: c.Details})
	}
	writeJSON(w, out)
}
