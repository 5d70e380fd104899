package tlsvalidate

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handshake/handshake/capture"
)

// loaded is one connection of a real capture, with its TCP verdict.
type loaded struct {
	conn capture.Conn
	tcp  capture.Verdict
	p    capture.Payloads
}

func load(t testing.TB, name string) ([]loaded, *KeyLog) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "tls", name+".pcap"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pkts, p, err := capture.ReadPayloads(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []loaded
	for _, c := range capture.Group(pkts) {
		v := capture.Validate(c)
		if !v.Accepted {
			t.Fatalf("%s: TCP rejected %s: %s", name, v.Client, v.Rule)
		}
		out = append(out, loaded{c, v, p})
	}
	kf, err := os.ReadFile(filepath.Join("..", "testdata", "tls", name+".keylog"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := ParseKeyLog(bytes.NewReader(kf))
	if err != nil {
		t.Fatal(err)
	}
	return out, keys
}

// want is what the validator must find in one connection of a capture.
type want struct {
	mode             Mode
	suite            string
	ems, hrr, etm    bool
	ticket           bool
	client, server   string // closures
	checkContains    string // one of the Checks must contain this
	noKeysServerDone string // the server's closure without keys
}

// The captures of make-tls-captures.sh and what each connection is: the
// expectations state how the captures were made (see the script), not
// what the validator printed.
var captures = map[string][]want{
	"tls13": {
		{mode: Mode13Full, suite: "TLS_AES_128_GCM_SHA256", client: "clean", server: "clean", checkContains: "RFC 8446 §4.4.4", noKeysServerDone: "unknown-without-keys"},
		{mode: Mode13PSK, suite: "TLS_AES_128_GCM_SHA256", client: "clean", server: "clean", checkContains: "RFC 8446 §4.4.4", noKeysServerDone: "unknown-without-keys"},
	},
	"hrr13": {
		{mode: Mode13Full, suite: "TLS_AES_128_GCM_SHA256", hrr: true, client: "clean", server: "clean", checkContains: "RFC 8446 §4.4.4", noKeysServerDone: "unknown-without-keys"},
	},
	// OpenSSL logs the secret after each KeyUpdate as *_TRAFFIC_SECRET_N.
	"keyupdate13": {
		{mode: Mode13Full, suite: "TLS_AES_128_GCM_SHA256", client: "clean", server: "clean", checkContains: "the next traffic secret equals the key log's SERVER_TRAFFIC_SECRET_N", noKeysServerDone: "unknown-without-keys"},
	},
	"ecdhe12": {
		{mode: Mode12ECDHE, suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", ems: true, client: "clean", server: "clean", checkContains: "RFC 5246 §7.4.9", noKeysServerDone: "unknown-without-keys"},
		{mode: Mode12Resumed, suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", ems: true, client: "clean", server: "clean", checkContains: "RFC 5246 §7.4.9", noKeysServerDone: "unknown-without-keys"},
	},
	"chacha12": {
		{mode: Mode12ECDHE, suite: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", ems: true, client: "clean", server: "clean", checkContains: "RFC 5246 §7.4.9", noKeysServerDone: "unknown-without-keys"},
		{mode: Mode12Resumed, suite: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", ems: true, client: "clean", server: "clean", checkContains: "RFC 5246 §7.4.9", noKeysServerDone: "unknown-without-keys"},
	},
	"ticket12": {
		{mode: Mode12ECDHE, suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", ems: true, client: "clean", server: "clean", checkContains: "RFC 5246 §7.4.9", noKeysServerDone: "unknown-without-keys"},
		{mode: Mode12Resumed, suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", ems: true, ticket: true, client: "clean", server: "clean", checkContains: "RFC 5246 §7.4.9", noKeysServerDone: "unknown-without-keys"},
	},
	"cbc12": {
		{mode: Mode12ECDHE, suite: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", ems: true, etm: true, client: "clean", server: "clean", checkContains: "HMAC and padding verify", noKeysServerDone: "unknown-without-keys"},
	},
	"cbc12_noetm": {
		{mode: Mode12RSA, suite: "TLS_RSA_WITH_AES_128_CBC_SHA", ems: true, client: "clean", server: "clean", checkContains: "HMAC and padding verify", noKeysServerDone: "unknown-without-keys"},
	},
	"rsa12": {
		{mode: Mode12RSA, suite: "TLS_RSA_WITH_AES_128_GCM_SHA256", ems: true, client: "clean", server: "clean", checkContains: "ExtendedMasterSecret over the session hash", noKeysServerDone: "unknown-without-keys"},
	},
	"rsa12_noems": {
		{mode: Mode12RSA, suite: "TLS_RSA_WITH_AES_128_GCM_SHA256", client: "clean", server: "clean", checkContains: "with MasterSecret (RFC 5246 §8.1) equals", noKeysServerDone: "unknown-without-keys"},
	},
	// cutpeer's server closes TCP without close_notify; its client then
	// sends close_notify to a closed socket, which answers with a reset.
	"cut12": {
		{mode: Mode12ECDHE, suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", ems: true, client: "capture-ended", server: "truncation-possible", checkContains: "RFC 5246 §7.4.9", noKeysServerDone: "truncation-possible"},
	},
	"cut13": {
		{mode: Mode13Full, client: "capture-ended", server: "truncation-possible", checkContains: "RFC 8446 §4.4.4", noKeysServerDone: "unknown-without-keys"},
	},
}

// TestRealCaptures: every real capture is accepted with both Finished
// messages verified and every application record decrypted, its
// handshake and closure as the script made them; without keys it is
// accepted too, with the keys unchecked.
func TestRealCaptures(t *testing.T) {
	for name, wants := range captures {
		conns, keys := load(t, name)
		if len(conns) != len(wants) {
			t.Fatalf("%s: %d connections, want %d", name, len(conns), len(wants))
		}
		for i, w := range wants {
			v := ValidateTLS(conns[i].conn, conns[i].tcp, conns[i].p, keys)
			where := name + " #" + string(rune('0'+i))
			if !v.TLS || !v.Accepted || !v.Complete {
				t.Fatalf("%s: tls=%v accepted=%v complete=%v\n%s", where, v.TLS, v.Accepted, v.Complete, v.Text())
			}
			if v.Mode != w.mode.String() || w.suite != "" && v.Suite != w.suite || v.EMS != w.ems || v.HRR != w.hrr || v.EncryptThenMAC != w.etm || v.Ticket != w.ticket {
				t.Errorf("%s: %s, %s, ems=%v hrr=%v etm=%v; want %s, %s, ems=%v hrr=%v etm=%v", where, v.Mode, v.Suite, v.EMS, v.HRR, v.EncryptThenMAC, w.mode, w.suite, w.ems, w.hrr, w.etm)
			}
			if !strings.HasPrefix(v.Keys, "verified") {
				t.Errorf("%s: keys %q", where, v.Keys)
			}
			if !strings.Contains(strings.Join(v.Checks, "\n"), w.checkContains) {
				t.Errorf("%s: no check mentions %q:\n%s", where, w.checkContains, v.Text())
			}
			for _, d := range []Direction{v.Client, v.Server} {
				if d.ApplicationRecords == 0 || d.Decrypted != d.ApplicationRecords {
					t.Errorf("%s: %d of %d application records decrypted", where, d.Decrypted, d.ApplicationRecords)
				}
			}
			if v.Client.Closure != w.client || v.Server.Closure != w.server {
				t.Errorf("%s: closure client %s server %s, want %s %s", where, v.Client.ClosureText, v.Server.ClosureText, w.client, w.server)
			}
			nk := ValidateTLS(conns[i].conn, conns[i].tcp, conns[i].p, nil)
			if !nk.Accepted || nk.Mode != w.mode.String() || nk.Keys != "none (no key log)" || nk.Server.Closure != w.noKeysServerDone {
				t.Errorf("%s without keys: accepted=%v mode=%s keys=%q server closure %s (want %s)", where, nk.Accepted, nk.Mode, nk.Keys, nk.Server.Closure, w.noKeysServerDone)
			}
		}
	}
}
