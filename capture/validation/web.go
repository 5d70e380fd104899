package validation

import (
	"fmt"
	"strings"

	"github.com/handshake/handshake/capture"
	"github.com/handshake/handshake/capture/tlsvalidate"
	"github.com/handshake/handshake/web"
)

// Web is the web explorer's validation page (a web.Validator): an
// uploaded capture, with an optional NSS key log and server's RSA key,
// validated at the capture point asked for, as "handshake validate
// --capture-point P --keylog F --server-key K" validates it (the same
// parsers, Read and Capture.Validate), each connection with its headline,
// diagram (the rejected segment marked) and TLS verdict.
func Web(u web.Upload) ([]web.Connection, error) {
	var opt capture.Options
	if u.CapturePoint != "" {
		p, err := capture.ParseCapturePoint(u.CapturePoint)
		if err != nil {
			return nil, err
		}
		opt.CapturePoint = p
	}
	var tlsOpt tlsvalidate.Options
	if u.KeyLog != nil {
		keys, err := tlsvalidate.ParseKeyLog(u.KeyLog)
		if err != nil {
			return nil, fmt.Errorf("key log: %v", err)
		}
		tlsOpt.Keys = keys
	}
	if u.ServerKey != nil {
		key, err := tlsvalidate.ParseServerKey(u.ServerKey)
		if err != nil {
			return nil, fmt.Errorf("server key: %v", strings.TrimPrefix(err.Error(), "server key: "))
		}
		tlsOpt.ServerKey = key
	}
	c, err := Read(u.Capture)
	if err != nil {
		return nil, fmt.Errorf("capture: %v", err)
	}
	conns, err := c.Validate(opt, tlsOpt)
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
