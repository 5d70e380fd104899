package validation

import (
	"fmt"
	"io"

	"github.com/handshake/handshake/capture"
	"github.com/handshake/handshake/capture/tlsvalidate"
	"github.com/handshake/handshake/web"
)

// Web is the web explorer's validation page (a web.Validator): an
// uploaded capture, with an optional NSS key log, validated as
// "handshake validate --keylog" validates it, each connection with its
// headline, diagram (the rejected segment marked) and TLS verdict.
func Web(r io.Reader, keylog io.Reader) ([]web.Connection, error) {
	var tlsOpt tlsvalidate.Options
	if keylog != nil {
		keys, err := tlsvalidate.ParseKeyLog(keylog)
		if err != nil {
			return nil, fmt.Errorf("key log: %v", err)
		}
		tlsOpt.Keys = keys
	}
	c, err := Read(r)
	if err != nil {
		return nil, fmt.Errorf("capture: %v", err)
	}
	conns, err := c.Validate(capture.Options{}, tlsOpt)
	if err != nil {
		return nil, fmt.Errorf("capture: %v", err)
	}
	out := []web.Connection{}
	for i, conn := range conns {
		t := Trace(conn)
		wc := web.Connection{Headline: Headline(fmt.Sprintf("connection %d", i+1), conn), Accepted: conn.OK(),
			Lanes: Lanes(), Trace: t, Mark: -1}
		if !conn.Accepted && conn.Rejected >= 0 {
			wc.Mark = len(t.Steps) - 1
		}
		if !conn.Accepted && conn.Error == "" && conn.Limit != "" {
			wc.Details = fmt.Sprintf("The rejection assumes a bound of the search: %s.\n", conn.Limit)
		}
		if conn.TLS != nil {
			wc.Details += conn.TLS.Text()
		}
		out = append(out, wc)
	}
	return out, nil
}
