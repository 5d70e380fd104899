package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handshake/handshake/capture"
)

// realCaptures lists the real captures of package capture's testdata.
func realCaptures(t *testing.T) []string {
	t.Helper()
	fs, err := filepath.Glob("../../capture/testdata/*.pcap")
	if err != nil || len(fs) < 6 {
		t.Fatalf("captures: %v %v", fs, err)
	}
	return fs
}

// TestValidateAcceptsRealCaptures: every real capture is accepted, exit 0,
// with a sequence diagram showing the inferred states.
func TestValidateAcceptsRealCaptures(t *testing.T) {
	files := realCaptures(t)
	code, out, errOut := runCLI(t, append([]string{"validate"}, files...)...)
	if code != exitHolds || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if n := strings.Count(out, ": accepted\n"); n != len(files) {
		t.Errorf("%d connections accepted, want %d:\n%s", n, len(files), out)
	}
	for _, want := range []string{"SYN seq=0", "SYN,ACK seq=0 ack=1", "[SYN_RECEIVED]", "[FIN_WAIT_1]", "[TIME_WAIT]", "[LAST_ACK]", "RST,ACK seq=0 ack=1"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// mutatePcap copies a pcap (Ethernet, IPv4) and lets f edit the TCP
// header of record i.
func mutatePcap(t *testing.T, src string, i int, f func(tcpHdr []byte)) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	off := 24
	for k := 0; ; k++ {
		incl := int(binary.LittleEndian.Uint32(b[off+8:]))
		if k == i {
			ip := b[off+16+14:]
			f(ip[int(ip[0]&0x0f)*4:])
			break
		}
		off += 16 + incl
	}
	out := filepath.Join(t.TempDir(), "mutated.pcap")
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestValidateRejectsMutatedCapture: the server's ACK of the client's data
// acknowledges three octets more than were sent; exit 1, rejected at that
// segment (frame 5) naming RCV.NXT and RFC 9293.
func TestValidateRejectsMutatedCapture(t *testing.T) {
	bad := mutatePcap(t, "../../capture/testdata/normal_client_close.pcap", 4, func(h []byte) {
		binary.BigEndian.PutUint32(h[8:], binary.BigEndian.Uint32(h[8:])+3)
	})
	code, out, errOut := runCLI(t, "validate", bad)
	if code != exitViolated || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "rejected at segment 5 (frame 5): ACK 9 is not what server has received: RCV.NXT=6") ||
		!strings.Contains(out, "RFC 9293 §3.10.7.4") || !strings.Contains(out, "REJECTED") {
		t.Errorf("output:\n%s", out)
	}
	// With a good capture beside it, the status is still 1.
	if code, _, _ := runCLI(t, "validate", realCaptures(t)[0], bad); code != exitViolated {
		t.Errorf("good+bad: exit %d, want 1", code)
	}
}

// TestValidateJSON: --json prints one object with a verdict per
// connection; the rejected one names its segment, frame and rule.
func TestValidateJSON(t *testing.T) {
	bad := mutatePcap(t, "../../capture/testdata/refused.pcap", 0, func(h []byte) {
		h[13] |= 0x10 // ACK on the SYN: the refusal then has the wrong form
	})
	good := "../../capture/testdata/rst_abort.pcap"
	code, out, _ := runCLI(t, "validate", "--json", good, bad)
	if code != exitViolated {
		t.Fatalf("exit %d, want 1", code)
	}
	var got struct {
		Files []struct {
			File        string `json:"file"`
			Connections []struct {
				Accepted bool   `json:"accepted"`
				At       int    `json:"rejected_at"`
				Frame    int    `json:"frame"`
				Rule     string `json:"rule"`
				RFC      string `json:"rfc"`
				Segments []struct {
					From   string      `json:"from"`
					Flags  string      `json:"flags"`
					States [2][]string `json:"states"`
				} `json:"segments"`
			} `json:"connections"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if len(got.Files) != 2 || len(got.Files[0].Connections) != 1 || len(got.Files[1].Connections) != 1 {
		t.Fatalf("shape: %+v", got)
	}
	a, r := got.Files[0].Connections[0], got.Files[1].Connections[0]
	if !a.Accepted || a.At != -1 || len(a.Segments) != 6 || a.Segments[5].Flags != "RST,ACK" ||
		strings.Join(a.Segments[5].States[0], "|") != "CLOSED" {
		t.Errorf("accepted connection: %+v", a)
	}
	if r.Accepted || r.At != 0 || r.Frame != 1 || r.Rule == "" || !strings.Contains(r.RFC, "RFC") {
		t.Errorf("rejected connection: %+v", r)
	}
}

// TestValidateBadInputExit2: missing files and non-captures are one line
// on stderr and exit 2.
func TestValidateBadInputExit2(t *testing.T) {
	text := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(text, []byte("this is not a capture\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"validate"}, "missing FILE"},
		{[]string{"validate", "/nonexistent/x.pcap"}, "no such file"},
		{[]string{"validate", text}, "not a pcap or pcapng file"},
		{[]string{"validate", "--width", "3", text}, "-width: want a whole number from 40 to 1000"},
	} {
		code, out, errOut := runCLI(t, c.args...)
		if code != exitUsage || out != "" || strings.Count(errOut, "\n") != 1 ||
			!strings.HasPrefix(errOut, "handshake: ") || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", c.args, code, out, errOut, c.want)
		}
	}
}

// TestValidateTruncatedCaptureIsExit2: a capture cut short ("head -c 100",
// or its last 10 bytes lost) is unreadable input: exit 2, one line naming
// the cut record and its byte, nothing on stdout. (It used to read as "no
// TCP connections" or as a connection one segment short, accepted, exit 0.)
func TestValidateTruncatedCaptureIsExit2(t *testing.T) {
	for _, file := range realCaptures(t) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		pkts, err := capture.Read(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			n    int
			want string
		}{
			{100, ": truncated at record 1, byte 24: "},
			{len(b) - 10, fmt.Sprintf(": truncated at record %d, byte ", len(pkts))},
			{10, ": truncated in the pcap file header: 10 of 24 bytes"},
		} {
			cut := filepath.Join(t.TempDir(), "cut.pcap")
			if err := os.WriteFile(cut, b[:c.n], 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := runCLI(t, "validate", cut)
			if code != exitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "handshake: "+cut+c.want) {
				t.Errorf("%s cut to %d bytes: exit %d, stdout %q, stderr %q; want exit 2 and %q", file, c.n, code, out, errOut, c.want)
			}
		}
	}
}

// TestValidateReadsStdin: FILE "-" is standard input (tcpdump -w - ... |
// handshake validate -), named "(stdin)" in the verdicts; beside files; at
// most once; a truncated stream is exit 2 like a truncated file.
func TestValidateReadsStdin(t *testing.T) {
	files := realCaptures(t)
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runWithInput(t, string(b), "validate", "-")
	if code != exitHolds || errOut != "" || !strings.HasPrefix(out, "(stdin): client ") || !strings.Contains(out, ": accepted\n") {
		t.Fatalf("validate - < %s: exit %d, stderr %q, stdout:\n%s", files[0], code, errOut, out)
	}
	_, fromFile, _ := runCLI(t, "validate", files[0])
	if strings.TrimPrefix(out, "(stdin)") != strings.TrimPrefix(fromFile, files[0]) {
		t.Errorf("stdin and file verdicts differ:\n%s\n---\n%s", out, fromFile)
	}
	code, out, _ = runWithInput(t, string(b), "validate", files[1], "-", "--json")
	if code != exitHolds || !strings.Contains(out, `"file": "(stdin)"`) || !strings.Contains(out, `"file": "`+files[1]+`"`) {
		t.Errorf("validate FILE - --json: exit %d:\n%s", code, out)
	}
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{string(b), []string{"validate", "-", "-"}, "more than once"},
		{string(b[:len(b)-10]), []string{"validate", "-"}, "(stdin): truncated at record "},
		{"", []string{"validate", "-"}, "(stdin): not a capture file"},
	} {
		code, out, errOut := runWithInput(t, c.stdin, c.args...)
		if code != exitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errOut, c.want)
		}
	}
}

// TestValidateCapturePointFlag: --capture-point chooses where the capture
// is assumed to have been taken. The loopback bulk transfer has ACKs seen
// after later ones (per-CPU backlogs): rejected at an endpoint (exit 1),
// accepted on the path and by auto, which says so; a bad value is exit 2.
func TestValidateCapturePointFlag(t *testing.T) {
	const f = "../../capture/testdata/linux/bulk_lo.pcap"
	code, out, _ := runCLI(t, "validate", "--capture-point", "endpoint", f)
	if code != exitViolated || !strings.Contains(out, ": rejected at segment ") {
		t.Errorf("endpoint: exit %d, want 1 and a rejection:\n%.300s", code, out)
	}
	for _, p := range []string{"path", "auto"} {
		code, out, _ = runCLI(t, "validate", "--capture-point", p, f)
		if code != exitHolds || !strings.Contains(out, ": accepted with the capture point on the path") {
			t.Errorf("%s: exit %d, want 0 and accepted on the path:\n%.300s", p, code, out)
		}
	}
	code, _, errOut := runCLI(t, "validate", "--capture-point", "middle", f)
	if code != exitUsage || !strings.Contains(errOut, "want auto, endpoint or path") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("bad value: exit %d, stderr %q; want 2 and one line naming the choices", code, errOut)
	}
}

// TestValidateTLSWithKeylog: a connection that carries TLS gets a TLS
// verdict after the TCP one, its messages beside the segments that
// carried them; with the key log both Finished verify (exit 0); a secret
// changed in the key log makes a record fail to decrypt (exit 1); a
// malformed key log is a one-line usage error (exit 2); a response cut by
// a FIN without close_notify is reported as possibly truncated.
func TestValidateTLSWithKeylog(t *testing.T) {
	const dir = "../../capture/testdata/tls/"
	code, out, errOut := runCLI(t, "validate", dir+"tls13.pcap", "--keylog", dir+"tls13.keylog")
	if code != exitHolds || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{": accepted\n", "[TLS ClientHello]", "tls: accepted: TLS 1.3", "tls: keys: verified", "then FIN (frame 34): clean"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	good, err := os.ReadFile(dir + "tls13.keylog")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(good), "\n")
	for i, l := range lines {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "CLIENT_HANDSHAKE_TRAFFIC_SECRET" {
			last := f[2][len(f[2])-1]
			repl := "0"
			if last == '0' {
				repl = "1"
			}
			lines[i] = strings.Join([]string{f[0], f[1], f[2][:len(f[2])-1] + repl}, " ")
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.keylog")
	if err := os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, "validate", dir+"tls13.pcap", "--keylog", bad)
	if code != exitViolated || !strings.Contains(out, "tls: REJECTED") {
		t.Errorf("changed secret: exit %d, want 1 and a TLS rejection:\n%s", code, out)
	}
	mal := filepath.Join(t.TempDir(), "mal.keylog")
	if err := os.WriteFile(mal, []byte("not a key log\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "validate", dir+"tls13.pcap", "--keylog", mal)
	if code != exitUsage || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "line 1") {
		t.Errorf("malformed key log: exit %d, stderr %q; want 2 and one line naming the line", code, errOut)
	}
	code, out, _ = runCLI(t, "validate", dir+"cut13.pcap", "--keylog", dir+"cut13.keylog")
	if !strings.Contains(out, "FIN without close_notify, truncation possible") || !strings.Contains(out, "possibly truncated") {
		t.Errorf("cut13: exit %d, no truncation reported:\n%s", code, out)
	}
}
