package tlsvalidate

import (
	"crypto/rand"
	"crypto/rsa"
	"os"
	"strings"
	"testing"
)

// TestServerKey: with RSA key transport the server's private key alone
// decrypts the pre_master_secret, gives the master secret (with and
// without extended master secret) and verifies both Finished; with the
// key log too, the two master secrets must agree; another key is
// rejected at the ClientKeyExchange.
func TestServerKey(t *testing.T) {
	f, err := os.Open("../testdata/tls/server.key")
	if err != nil {
		t.Fatal(err)
	}
	key, err := ParseServerKey(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"rsa12", "rsa12_noems", "cbc12_noetm"} {
		conns, keys := load(t, name)
		c := conns[0]
		v := ValidateTLSWith(c.conn, c.tcp, c.p, Options{ServerKey: key})
		if !v.Accepted || !strings.HasPrefix(v.Keys, "verified") || !strings.Contains(strings.Join(v.Checks, "\n"), "master_secret: the master_secret the server key's pre_master_secret gives") {
			t.Fatalf("%s with the server key only:\n%s", name, v.Text())
		}
		v = ValidateTLSWith(c.conn, c.tcp, c.p, Options{Keys: keys, ServerKey: key})
		if !v.Accepted || !strings.Contains(strings.Join(v.Checks, "\n"), "the server key's pre_master_secret gives") {
			t.Fatalf("%s with both:\n%s", name, v.Text())
		}
	}
	other, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	conns, _ := load(t, "rsa12")
	st := Streams(conns[0].conn, conns[0].tcp, conns[0].p)
	v := ValidateStreamsWith(st, Options{ServerKey: other})
	rejectedAt(t, v, "client", st[cl], -1, "the ClientKeyExchange does not decrypt to a 48-octet pre_master_secret with the server key given")
	if v.Violation.Frame != v.MessagesByFrameFirst("client", "ClientKeyExchange") {
		t.Fatalf("rejected at frame %d, not the ClientKeyExchange's", v.Violation.Frame)
	}
	if _, err := ParseServerKey(strings.NewReader("not a key")); err == nil || !strings.Contains(err.Error(), "no PEM block") {
		t.Fatalf("not a key: %v", err)
	}
}
