package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/handshake/handshake/capture"
	"github.com/handshake/handshake/capture/tlsvalidate"
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/cli"
	"github.com/handshake/handshake/internal/humanize"
	"github.com/handshake/handshake/model/tcp"
	"github.com/handshake/handshake/render"
	"github.com/handshake/handshake/seqdiagram"
)

// validateCommand is "handshake validate".
var validateCommand = cli.Command{
	Name: "validate",
	Help: `  handshake validate FILE... [--capture-point auto|endpoint|path] [--keylog FILE]
                    [--server-key FILE] [--json] [--width N]
      Checks every TCP connection in pcap/pcapng captures against the
      RFC 9293 model: accepted with a sequence diagram of the inferred
      states, or rejected at the first impossible segment (exit 1). FILE
      - reads standard input (tcpdump -w - ... | handshake validate -); a
      capture cut inside a record is refused (exit 2). --capture-point
      says where the capture was taken: at an endpoint (each side's
      segments in the order sent), on the path (lost, duplicated and
      reordered on both sides of it), or auto (endpoint, then path:
      the default). A connection that carries TLS also gets a TLS
      verdict (records, message order, closure); with --keylog (an NSS
      key log: SSLKEYLOGFILE) both Finished are verified and every
      record decrypted; --server-key (PEM) decrypts an RSA key exchange.
`,
	Run: runValidate,
}

// runValidate implements "handshake validate FILE... [--capture-point P]
// [--keylog FILE] [--server-key FILE] [--json] [--width N]":
// every TCP connection in each capture is checked against the RFC 9293
// endpoints (package capture). FILE "-" is standard input, so that
// "tcpdump -w - ... | handshake validate -" works (once: stdin can be read
// only once). A connection whose stream is TLS is then checked one layer
// up (package capture/tlsvalidate). Exit 0 if every connection is
// accepted, 1 if one is rejected at either layer (or the search gave up),
// 2 if a file cannot be read or is truncated, or the key log or server
// key is malformed.
func runValidate(p *cli.Program, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var (
		width             int
		asJSON            bool
		opt               capture.Options
		keylog, serverKey string
	)
	fs := cli.NewFlagSet("validate")
	cli.WidthVar(fs, &width)
	fs.Func("capture-point", "where the capture was taken: auto, endpoint or path", func(s string) error {
		p, err := capture.ParseCapturePoint(s)
		opt.CapturePoint = p
		return err
	})
	fs.StringVar(&keylog, "keylog", "", "NSS key log (SSLKEYLOGFILE) for the TLS connections")
	fs.StringVar(&serverKey, "server-key", "", "the server's RSA private key (PEM), for an RSA key exchange")
	fs.BoolVar(&asJSON, "json", false, "JSON output")
	files, err := cli.ParseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return p.Help(stdout)
	}
	if err == nil && len(files) == 0 {
		err = errors.New("validate: missing FILE (a pcap or pcapng capture, or - for standard input)")
	}
	if err == nil {
		stdins := 0
		for _, f := range files {
			if f == "-" {
				stdins++
			}
		}
		if stdins > 1 {
			err = errors.New("validate: - (standard input) given more than once")
		}
	}
	if err != nil {
		return p.UsageError(stderr, err)
	}
	tlsOpt, err := tlsOptions(keylog, serverKey)
	if err != nil {
		return p.UsageError(stderr, err)
	}
	type fileResult struct {
		File        string       `json:"file"`
		Connections []connResult `json:"connections"`
	}
	var results []fileResult
	for _, name := range files {
		conns, payloads, fileKeys, err := readCapture(name, stdin)
		if err != nil {
			return p.UsageError(stderr, fmt.Errorf("%s: %v", displayName(name), err))
		}
		o := tlsOpt
		if fileKeys != nil {
			if o.Keys, err = fileKeys.Merge(o.Keys); err != nil {
				return p.UsageError(stderr, fmt.Errorf("%s: decryption secrets: %v", displayName(name), err))
			}
		}
		r := fileResult{File: displayName(name), Connections: []connResult{}}
		for _, c := range conns {
			cr := connResult{Verdict: capture.ValidateWith(c, opt)}
			if tlsvalidate.IsTLS(c, cr.Verdict, payloads) {
				tv := tlsvalidate.ValidateTLSWith(c, cr.Verdict, payloads, o)
				cr.TLS = &tv
			}
			r.Connections = append(r.Connections, cr)
		}
		results = append(results, r)
	}
	status := render.ExitHolds
	for _, r := range results {
		for _, c := range r.Connections {
			if !c.Accepted || (c.TLS != nil && !c.TLS.Accepted) {
				status = render.ExitViolated
			}
		}
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(map[string]any{"files": results}); err != nil {
			p.UsageError(stderr, fmt.Errorf("writing JSON: %v", err))
		}
		return status
	}
	for i, r := range results {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		if len(r.Connections) == 0 {
			fmt.Fprintf(stdout, "%s: no TCP connections\n", r.File)
		}
		for j, c := range r.Connections {
			if j > 0 {
				fmt.Fprintln(stdout)
			}
			writeVerdict(stdout, r.File, c, width)
		}
	}
	return status
}

// connResult is one connection's verdicts: TCP (its fields inline, as
// before TLS was checked) and, for a TLS stream, TLS.
type connResult struct {
	capture.Verdict
	TLS *tlsvalidate.Verdict `json:"tls,omitempty"`
}

// tlsOptions reads the key log and the server's key named by the flags.
func tlsOptions(keylog, serverKey string) (tlsvalidate.Options, error) {
	var o tlsvalidate.Options
	err := parseFile("--keylog", keylog, func(r io.Reader) (err error) {
		o.Keys, err = tlsvalidate.ParseKeyLog(r)
		return err
	})
	if err == nil {
		err = parseFile("--server-key", serverKey, func(r io.Reader) (err error) {
			o.ServerKey, err = tlsvalidate.ParseServerKey(r)
			return err
		})
	}
	return o, err
}

// parseFile hands the file at path, given by flag name, to parse; an empty
// path names none.
func parseFile(name, path string, parse func(io.Reader) error) error {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	defer f.Close()
	if err := parse(f); err != nil {
		return fmt.Errorf("%s %s: %v", name, path, err)
	}
	return nil
}

// readCapture reads and groups one capture file, or stdin for "-", with
// the segments' captured text and the key log of a pcapng file's
// Decryption Secrets Blocks (nil if it has none).
func readCapture(name string, stdin io.Reader) ([]capture.Conn, capture.Payloads, *tlsvalidate.KeyLog, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, nil, nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, capture.MaxBytes+1))
	if err != nil {
		return nil, nil, nil, err
	}
	pkts, payloads, err := capture.ReadPayloads(bytes.NewReader(b))
	if err != nil {
		return nil, nil, nil, err
	}
	keys, err := tlsvalidate.PcapngKeyLog(b)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("decryption secrets: %v", err)
	}
	return capture.Group(pkts), payloads, keys, nil
}

// writeVerdict prints one connection's verdict and its sequence diagram
// (up to the rejected segment, which is marked).
func writeVerdict(w io.Writer, file string, c connResult, width int) {
	v := c.Verdict
	head := fmt.Sprintf("%s: client %s, server %s, %s", file, v.Client, v.Server, humanize.Plural(len(v.Steps), "segment"))
	switch {
	case v.Accepted && v.CapturePoint == capture.OnPath.String():
		fmt.Fprintf(w, "%s: accepted with the capture point on the path (seen out of the order sent)\n", head)
	case v.Accepted:
		fmt.Fprintf(w, "%s: accepted\n", head)
	case v.Error != "":
		fmt.Fprintf(w, "%s: undecided at segment %d (frame %d): %s\n", head, v.Rejected+1, v.Frame, v.Error)
	default:
		fmt.Fprintf(w, "%s: rejected at segment %d (frame %d): %s (%s)\n", head, v.Rejected+1, v.Frame, v.Rule, v.RFC)
		if v.Limit != "" {
			fmt.Fprintf(w, "The rejection assumes a bound of the search: %s.\n", v.Limit)
		}
	}
	fmt.Fprintln(w, "Each arrow is a segment seen on the wire (seq relative to the sender's ISN, ack to the receiver's);")
	fmt.Fprintln(w, "[STATE] is what the endpoints were in after it, on the simplest executions that explain the capture.")
	fmt.Fprintln(w)
	var msgs map[int][]string
	if c.TLS != nil {
		msgs = c.TLS.MessagesByFrame()
	}
	seqdiagram.Render(w, []string{tcp.SideNames[tcp.Client], tcp.SideNames[tcp.Server]}, verdictTrace(v, msgs), seqdiagram.Options{Width: width})
	if c.TLS != nil {
		fmt.Fprintln(w)
		fmt.Fprint(w, c.TLS.Text())
	}
}

// verdictTrace draws a verdict as a trace: one step per segment, with a
// state change for each endpoint whose possible states differ from those
// after the previous segment; msgs names the TLS messages a frame
// completed, shown next to its segment.
func verdictTrace(v capture.Verdict, msgs map[int][]string) checker.TraceReport {
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

// displayName is how a FILE argument is named in verdicts and errors.
func displayName(name string) string {
	if name == "-" {
		return "(stdin)"
	}
	return name
}
