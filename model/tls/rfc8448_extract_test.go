package tls

import (
	"bufio"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// This file turns the RFC 8448 §3 text (testdata/rfc8448_section3.txt, an
// unmodified excerpt of the RFC) into named values
// (testdata/rfc8448_simple_1rtt.txt, one "name: hex" per line) and checks
// that the named file says exactly what the RFC text says. Regenerate the
// named file with: go test ./model/tls/ -run TestRFC8448VectorsMatchRFCText -update

var update = flag.Bool("update", false, "rewrite testdata/rfc8448_simple_1rtt.txt from the RFC 8448 excerpt")

const (
	rfc8448Excerpt = "testdata/rfc8448_section3.txt"
	rfc8448Vectors = "testdata/rfc8448_simple_1rtt.txt"
)

// rfcField is one "label (N octets):  hex..." entry of an RFC 8448 step.
type rfcField struct {
	step  string // e.g. `{server} derive secret "tls13 c hs traffic":`, with " #2" for a repeated step
	label string // e.g. "expanded"
	value []byte
}

var (
	stepStart  = regexp.MustCompile(`^   (\{(?:client|server)\}.*)$`)
	fieldStart = regexp.MustCompile(`^      (\S.*?) \((\d+) octets\):\s+(.*)$`)
	hexLine    = regexp.MustCompile(`^         ([0-9a-f]{2}(?: [0-9a-f]{2})*)\s*$`)
	pageBreak  = regexp.MustCompile(`^(Thomson .*\[Page \d+\]|RFC 8448 .*January 2019|\f)$`)
)

// parseRFC8448 extracts every step's octet fields from the RFC text,
// checking each field's length against the octet count the RFC prints.
func parseRFC8448(t *testing.T, path string) []rfcField {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		fields   []rfcField
		step     string
		inStep   bool // heading still being read (may wrap)
		cur      *rfcField
		want     int
		seen     = map[string]int{}
		finish   func()
		lineNo   int
		scanner  = bufio.NewScanner(f)
		hexBytes = func(s string) []byte {
			b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
			if err != nil {
				t.Fatalf("%s:%d: %v", path, lineNo, err)
			}
			return b
		}
	)
	finish = func() {
		if cur == nil {
			return
		}
		if len(cur.value) != want {
			t.Fatalf("%s: %s %s: got %d octets, RFC says %d", path, cur.step, cur.label, len(cur.value), want)
		}
		fields = append(fields, *cur)
		cur = nil
	}
	for scanner.Scan() {
		lineNo++
		line := strings.TrimRight(scanner.Text(), " ")
		switch {
		case pageBreak.MatchString(line):
			continue
		case line == "":
			// A value may continue after a page break's blank lines: it
			// ends only at the next field or step.
			inStep = false
		case stepStart.MatchString(line):
			finish()
			step = strings.Join(strings.Fields(stepStart.FindStringSubmatch(line)[1]), " ")
			inStep = !strings.HasSuffix(step, ":") && !strings.HasSuffix(step, ")")
			if !inStep {
				step = numbered(seen, step)
			}
		case inStep:
			step += " " + strings.Join(strings.Fields(line), " ")
			inStep = !strings.HasSuffix(step, ":") && !strings.HasSuffix(step, ")")
			if !inStep {
				step = numbered(seen, step)
			}
		case fieldStart.MatchString(line):
			finish()
			m := fieldStart.FindStringSubmatch(line)
			want, _ = strconv.Atoi(m[2])
			cur = &rfcField{step: step, label: m[1]}
			if m[3] != "(empty)" {
				cur.value = hexBytes(m[3])
			}
		case cur != nil && hexLine.MatchString(line):
			cur.value = append(cur.value, hexBytes(hexLine.FindStringSubmatch(line)[1])...)
		}
	}
	finish()
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}
	return fields
}

func numbered(seen map[string]int, step string) string {
	seen[step]++
	if n := seen[step]; n > 1 {
		return fmt.Sprintf("%s #%d", step, n)
	}
	return step
}

// rfc8448Names names the RFC 8448 §3 values the tests use, by step and
// field label.
var rfc8448Names = []struct{ step, label, name string }{
	{`{client} create an ephemeral x25519 key pair:`, "private key", "client_x25519_private_key"},
	{`{client} create an ephemeral x25519 key pair:`, "public key", "client_x25519_public_key"},
	{`{client} construct a ClientHello handshake message:`, "ClientHello", "ClientHello"},
	{`{server} extract secret "early":`, "secret", "early_secret"},
	{`{server} create an ephemeral x25519 key pair:`, "private key", "server_x25519_private_key"},
	{`{server} create an ephemeral x25519 key pair:`, "public key", "server_x25519_public_key"},
	{`{server} construct a ServerHello handshake message:`, "ServerHello", "ServerHello"},
	{`{server} derive secret for handshake "tls13 derived":`, "hash", "empty_transcript_hash"},
	{`{server} derive secret for handshake "tls13 derived":`, "info", "derived_hkdf_label"},
	{`{server} derive secret for handshake "tls13 derived":`, "expanded", "derived_for_handshake"},
	{`{server} extract secret "handshake":`, "IKM", "shared_secret"},
	{`{server} extract secret "handshake":`, "secret", "handshake_secret"},
	{`{server} derive secret "tls13 c hs traffic":`, "hash", "transcript_hash_server_hello"},
	{`{server} derive secret "tls13 c hs traffic":`, "info", "c_hs_traffic_hkdf_label"},
	{`{server} derive secret "tls13 c hs traffic":`, "expanded", "client_handshake_traffic_secret"},
	{`{server} derive secret "tls13 s hs traffic":`, "expanded", "server_handshake_traffic_secret"},
	{`{server} derive secret for master "tls13 derived":`, "expanded", "derived_for_master"},
	{`{server} extract secret "master":`, "secret", "master_secret"},
	{`{server} send handshake record:`, "complete record", "ServerHello_record"},
	{`{server} derive write traffic keys for handshake data:`, "key expanded", "server_handshake_write_key"},
	{`{server} derive write traffic keys for handshake data:`, "iv expanded", "server_handshake_write_iv"},
	{`{server} construct an EncryptedExtensions handshake message:`, "EncryptedExtensions", "EncryptedExtensions"},
	{`{server} construct a Certificate handshake message:`, "Certificate", "Certificate"},
	{`{server} construct a CertificateVerify handshake message:`, "CertificateVerify", "CertificateVerify"},
	{`{server} calculate finished "tls13 finished":`, "expanded", "server_finished_key"},
	{`{server} calculate finished "tls13 finished":`, "finished", "server_finished_verify_data"},
	{`{server} construct a Finished handshake message:`, "Finished", "server_Finished"},
	{`{server} send handshake record: #2`, "payload", "server_encrypted_handshake_payload"},
	{`{server} send handshake record: #2`, "complete record", "server_encrypted_handshake_record"},
	{`{server} derive secret "tls13 c ap traffic":`, "hash", "transcript_hash_server_finished"},
	{`{server} derive secret "tls13 c ap traffic":`, "expanded", "client_application_traffic_secret_0"},
	{`{server} derive secret "tls13 s ap traffic":`, "expanded", "server_application_traffic_secret_0"},
	{`{server} derive secret "tls13 exp master":`, "expanded", "exporter_master_secret"},
	{`{server} derive write traffic keys for application data:`, "key expanded", "server_application_write_key"},
	{`{server} derive write traffic keys for application data:`, "iv expanded", "server_application_write_iv"},
	{`{server} derive read traffic keys for handshake data:`, "key expanded", "client_handshake_write_key"},
	{`{server} derive read traffic keys for handshake data:`, "iv expanded", "client_handshake_write_iv"},
	{`{client} calculate finished "tls13 finished":`, "expanded", "client_finished_key"},
	{`{client} calculate finished "tls13 finished":`, "finished", "client_finished_verify_data"},
	{`{client} construct a Finished handshake message:`, "Finished", "client_Finished"},
	{`{client} send handshake record: #2`, "complete record", "client_encrypted_Finished_record"},
	{`{client} derive write traffic keys for application data:`, "key expanded", "client_application_write_key"},
	{`{client} derive write traffic keys for application data:`, "iv expanded", "client_application_write_iv"},
	{`{client} derive secret "tls13 res master":`, "hash", "transcript_hash_client_finished"},
	{`{client} derive secret "tls13 res master":`, "expanded", "resumption_master_secret"},
	{`{server} generate resumption secret "tls13 resumption":`, "hash", "ticket_nonce"},
	{`{server} generate resumption secret "tls13 resumption":`, "expanded", "resumption_psk"},
	{`{client} send application_data record:`, "payload", "application_data"},
	{`{client} send application_data record:`, "complete record", "client_application_data_record"},
	{`{server} send application_data record:`, "complete record", "server_application_data_record"},
}

// namedVector is one line of the vectors file.
type namedVector struct {
	Name string
	Hex  string
}

// namedRFC8448 applies rfc8448Names to the parsed RFC text, failing if a
// name matches no field or more than one.
func namedRFC8448(t *testing.T) []namedVector {
	t.Helper()
	fields := parseRFC8448(t, rfc8448Excerpt)
	var out []namedVector
	for _, n := range rfc8448Names {
		var found []rfcField
		for _, f := range fields {
			if f.step == n.step && f.label == n.label {
				found = append(found, f)
			}
		}
		if len(found) != 1 {
			t.Fatalf("RFC 8448 §3: %d fields %q in step %q, want 1", len(found), n.label, n.step)
		}
		out = append(out, namedVector{n.name, hex.EncodeToString(found[0].value)})
	}
	return out
}

// readVectors reads a "name: hex" file, keeping the order of the lines.
func readVectors(t *testing.T, path string) []namedVector {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []namedVector
	for i, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, ": ")
		if !ok {
			t.Fatalf("%s:%d: not name: hex: %q", path, i+1, line)
		}
		if _, err := hex.DecodeString(value); err != nil {
			t.Fatalf("%s:%d: %v", path, i+1, err)
		}
		out = append(out, namedVector{name, value})
	}
	return out
}

// loadRFC8448 returns the RFC 8448 §3 vectors by name, decoded.
func loadRFC8448(t *testing.T) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	for _, v := range readVectors(t, rfc8448Vectors) {
		b, _ := hex.DecodeString(v.Hex)
		if _, dup := m[v.Name]; dup {
			t.Fatalf("%s: duplicate name %q", rfc8448Vectors, v.Name)
		}
		m[v.Name] = b
	}
	return m
}

// TestRFC8448VectorsMatchRFCText checks that every named value in
// testdata/rfc8448_simple_1rtt.txt is the value RFC 8448 §3 prints.
func TestRFC8448VectorsMatchRFCText(t *testing.T) {
	fromRFC := namedRFC8448(t)
	if *update {
		var b strings.Builder
		b.WriteString("# RFC 8448 §3 (Simple 1-RTT Handshake), extracted from rfc8448_section3.txt\n")
		b.WriteString("# by rfc8448_extract_test.go (go test -run TestRFC8448VectorsMatchRFCText -update).\n")
		for _, v := range fromRFC {
			fmt.Fprintf(&b, "%s: %s\n", v.Name, v.Hex)
		}
		if err := os.WriteFile(rfc8448Vectors, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(fromRFC, readVectors(t, rfc8448Vectors)); diff != "" {
		t.Errorf("%s differs from the RFC text (-rfc +file):\n%s", rfc8448Vectors, diff)
	}
}

// TestRFC8448ExcerptParses checks the extraction itself against a few
// facts of the RFC text: the number of fields, and a step whose heading
// wraps across lines.
func TestRFC8448ExcerptParses(t *testing.T) {
	fields := parseRFC8448(t, rfc8448Excerpt)
	var steps []string
	for _, f := range fields {
		if !slices.Contains(steps, f.step) {
			steps = append(steps, f.step)
		}
	}
	// Headings such as `{client} derive read traffic keys for handshake
	// data (same as server ...)` carry no fields; the rest each do.
	if len(steps) < 30 {
		t.Errorf("parsed %d steps with octet fields, want at least 30: %q", len(steps), steps)
	}
	for _, f := range fields {
		if strings.Contains(f.step, "  ") || !strings.HasPrefix(f.step, "{") {
			t.Errorf("badly normalized step %q", f.step)
		}
	}
}
