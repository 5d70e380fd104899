package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
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

// validate answers POST /api/validate, a multipart form with the parts
// capture (a pcap or pcapng file, required) and keylog (optional): each
// connection's verdict and diagram. The whole request is limited to
// Config.MaxUpload bytes (413 beyond); nothing is stored.
func (h *Handler) validate(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Validate == nil {
		fail(w, http.StatusNotFound, errors.New("this program validates no captures"))
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		fail(w, http.StatusUnsupportedMediaType, errors.New("want a multipart/form-data upload with a part named capture (and optionally keylog)"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.cfg.MaxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	var capture, keylog []byte
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err == nil {
			var b []byte
			b, err = io.ReadAll(part)
			switch part.FormName() {
			case "capture":
				capture = b
			case "keylog":
				keylog = b
			}
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
	if len(capture) == 0 {
		fail(w, http.StatusBadRequest, errors.New("no capture uploaded (the form part capture is missing or empty)"))
		return
	}
	var kl io.Reader
	if len(keylog) > 0 {
		kl = bytes.NewReader(keylog)
	}
	conns, err := h.cfg.Validate(bytes.NewReader(capture), kl)
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
