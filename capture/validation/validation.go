// Package validation checks whole captures, every TCP connection in them,
// at both layers: against the RFC 9293 endpoints (package capture), then,
// for a connection whose stream is TLS, one layer up (package
// capture/tlsvalidate). It is what "handshake validate" prints and what
// the web explorer's validation page shows: one implementation for both.
package validation

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/handshake/handshake/capture"
	"github.com/handshake/handshake/capture/tlsvalidate"
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
	"github.com/handshake/handshake/model/tcp"
	"github.com/handshake/handshake/seqdiagram"
)

// Conn is one connection's verdicts: TCP (its fields inline) and, for a
// TLS stream, TLS.
type Conn struct {
	capture.Verdict
	TLS *tlsvalidate.Verdict `json:"tls,omitempty"`
}

// OK reports whether the connection is accepted at every layer checked.
func (c Conn) OK() bool { return c.Accepted && (c.TLS == nil || c.TLS.Accepted) }

// Capture is a capture read into memory: its connections, the segments'
// captured text and the key log of a pcapng file's Decryption Secrets
// Blocks (nil if it has none).
type Capture struct {
	Conns    []capture.Conn
	Payloads capture.Payloads
	Keys     *tlsvalidate.KeyLog
}

// Read reads a pcap or pcapng capture of at most capture.MaxBytes bytes
// and groups its segments into connections.
func Read(r io.Reader) (*Capture, error) {
	b, err := io.ReadAll(io.LimitReader(r, capture.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	pkts, payloads, err := capture.ReadPayloads(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	keys, err := tlsvalidate.PcapngKeyLog(b)
	if err != nil {
		return nil, fmt.Errorf("decryption secrets: %v", err)
	}
	return &Capture{Conns: capture.Group(pkts), Payloads: payloads, Keys: keys}, nil
}

// Validate checks every connection of the capture with opt and, for a TLS
// stream, tlsOpt (whose key log is merged with the capture's own).
func (c *Capture) Validate(opt capture.Options, tlsOpt tlsvalidate.Options) ([]Conn, error) {
	if c.Keys != nil {
		keys, err := c.Keys.Merge(tlsOpt.Keys)
		if err != nil {
			return nil, fmt.Errorf("decryption secrets: %v", err)
		}
		tlsOpt.Keys = keys
	}
	out := []Conn{}
	for _, conn := range c.Conns {
		cr := Conn{Verdict: capture.ValidateWith(conn, opt)}
		if tlsvalidate.IsTLS(conn, cr.Verdict, c.Payloads) {
			tv := tlsvalidate.ValidateTLSWith(conn, cr.Verdict, c.Payloads, tlsOpt)
			cr.TLS = &tv
		}
		out = append(out, cr)
	}
	return out, nil
}

// Headline is the connection's TCP verdict in one line, after the name of
// its file: "f.pcap: client ..., server ..., 9 segments: accepted".
func Headline(file string, c Conn) string {
	v := c.Verdict
	head := fmt.Sprintf("%s: client %s, server %s, %s", file, v.Client, v.Server, humanize.Plural(len(v.Steps), "segment"))
	switch {
	case v.Accepted && v.CapturePoint == capture.OnPath.String():
		return head + ": accepted with the capture point on the path (seen out of the order sent)"
	case v.Accepted:
		return head + ": accepted"
	case v.Error != "":
		return fmt.Sprintf("%s: undecided at segment %d (frame %d): %s", head, v.Rejected+1, v.Frame, v.Error)
	}
	return fmt.Sprintf("%s: rejected at segment %d (frame %d): %s (%s)", head, v.Rejected+1, v.Frame, v.Rule, v.RFC)
}

// Lanes are the participants of a connection's diagram.
func Lanes() []string { return []string{tcp.SideNames[tcp.Client], tcp.SideNames[tcp.Server]} }

// Write prints one connection's verdict and its sequence diagram (up to
// the rejected segment, which is marked), then its TLS verdict.
func Write(w io.Writer, file string, c Conn, width int) {
	v := c.Verdict
	fmt.Fprintln(w, Headline(file, c))
	if !v.Accepted && v.Error == "" && v.Limit != "" {
		fmt.Fprintf(w, "The rejection assumes a bound of the search: %s.\n", v.Limit)
	}
	fmt.Fprintln(w, "Each arrow is a segment seen on the wire (seq relative to the sender's ISN, ack to the receiver's);")
	fmt.Fprintln(w, "[STATE] is what the endpoints were in after it, on the simplest executions that explain the capture.")
	fmt.Fprintln(w)
	seqdiagram.Render(w, Lanes(), Trace(c), seqdiagram.Options{Width: width})
	if c.TLS != nil {
		fmt.Fprintln(w)
		fmt.Fprint(w, c.TLS.Text())
	}
}

// Trace draws a connection's verdict as a trace: one step per segment,
// with a state change for each endpoint whose possible states differ from
// those after the previous segment, and the TLS messages a frame
// completed next to its segment.
func Trace(c Conn) checker.TraceReport {
	v := c.Verdict
	var msgs map[int][]string
	if c.TLS != nil {
		msgs = c.TLS.MessagesByFrame()
	}
	t := checker.TraceReport{Loop: -1}
	prev := [2]string{"", ""}
	init := checker.TraceStep{Index: -1, Action: ""}
	t.Steps = append(t.Steps, init)
	n := len(v.Steps)
	if !v.Accepted && v.Rejected >= 0 {
		n = v.Rejected + 1
	}
	for i := 0; i < n && i < len(v.Steps); i++ {
		s := v.Steps[i]
		from := tcp.Client
		if s.From == tcp.SideNames[tcp.Server] {
			from = tcp.Server
		}
		label := fmt.Sprintf("frame %d: %s", s.Frame, s.From)
		if m := msgs[s.Frame]; len(m) > 0 {
			label += " [TLS " + strings.Join(m, ", ") + "]"
		}
		if i == v.Rejected && !v.Accepted {
			label += "   <-- REJECTED: no execution sends this segment"
		}
		st := checker.TraceStep{Index: i, Action: label}
		st.Events = append(st.Events, checker.Event{Kind: checker.Send, Lane: from, Peer: 1 - from, Text: s.Text()})
		if i != v.Rejected || v.Accepted {
			for side := 0; side < 2; side++ {
				text := strings.Join(s.States[side], "|")
				if text != "" && text != prev[side] {
					st.Events = append(st.Events, checker.Event{Kind: checker.Change, Lane: side, Text: text})
					prev[side] = text
				}
			}
		}
		t.Steps = append(t.Steps, st)
	}
	return t
}
