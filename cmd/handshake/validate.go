package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/handshake/handshake/capture"
	"github.com/handshake/handshake/capture/tlsvalidate"
	"github.com/handshake/handshake/capture/validation"
	"github.com/handshake/handshake/cli"
	"github.com/handshake/handshake/render"
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
		File        string            `json:"file"`
		Connections []validation.Conn `json:"connections"`
	}
	var results []fileResult
	for _, name := range files {
		c, err := readCapture(name, stdin)
		if err != nil {
			return p.UsageError(stderr, fmt.Errorf("%s: %v", displayName(name), err))
		}
		conns, err := c.Validate(opt, tlsOpt)
		if err != nil {
			return p.UsageError(stderr, fmt.Errorf("%s: %v", displayName(name), err))
		}
		results = append(results, fileResult{File: displayName(name), Connections: conns})
	}
	status := render.ExitHolds
	for _, r := range results {
		for _, c := range r.Connections {
			if !c.OK() {
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
			validation.Write(stdout, r.File, c, width)
		}
	}
	return status
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

// readCapture reads one capture file, or stdin for "-".
func readCapture(name string, stdin io.Reader) (*validation.Capture, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	return validation.Read(r)
}

// displayName is how a FILE argument is named in verdicts and errors.
func displayName(name string) string {
	if name == "-" {
		return "(stdin)"
	}
	return name
}
