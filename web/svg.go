package web

import (
	"io"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/seqdiagram"
)

// renderSVG draws a trace with package seqdiagram.
func renderSVG(w io.Writer, lanes []string, t checker.TraceReport, mark int, link func(int) string) error {
	return seqdiagram.SVG(w, lanes, t, seqdiagram.SVGOptions{Mark: mark, Link: link})
}
