package tlsvalidate

import (
	"strings"
	"testing"
)

func TestParseKeyLog(t *testing.T) {
	cr := strings.Repeat("ab", 32)
	ms := strings.Repeat("01", 48)
	good := "# a comment\n\nCLIENT_RANDOM " + cr + " " + ms + "\nSERVER_HANDSHAKE_TRAFFIC_SECRET " + cr + " " + strings.Repeat("02", 32) + "\n"
	k, err := ParseKeyLog(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if k.Len() != 2 {
		t.Fatalf("%d secrets, want 2", k.Len())
	}
	if s, ok := k.Secret(LabelClientRandom, []byte(strings.Repeat("\xab", 32))); !ok || len(s) != 48 || s[0] != 1 {
		t.Fatalf("CLIENT_RANDOM: %x %v", s, ok)
	}
	if _, ok := k.Secret(LabelClientTrafficSecret0, []byte(strings.Repeat("\xab", 32))); ok {
		t.Fatal("a secret that was not logged")
	}
	// After KeyUpdates OpenSSL logs *_TRAFFIC_SECRET_N, once per update.
	upd := "CLIENT_TRAFFIC_SECRET_N " + cr + " " + strings.Repeat("04", 32) + "\nCLIENT_TRAFFIC_SECRET_N " + cr + " " + strings.Repeat("05", 32) + "\n"
	k, err = ParseKeyLog(strings.NewReader(upd))
	if err != nil {
		t.Fatal(err)
	}
	id := []byte(strings.Repeat("\xab", 32))
	if s, ok := k.Update(LabelClientTrafficSecretN, id, 2); !ok || s[0] != 5 {
		t.Fatalf("second update: %x %v", s, ok)
	}
	if _, ok := k.Update(LabelClientTrafficSecretN, id, 3); ok {
		t.Fatal("a third update that was not logged")
	}
	for _, bad := range []struct{ text, err string }{
		{"CLIENT_RANDOM " + cr + "\n", "line 1: want LABEL CLIENT_RANDOM SECRET, got 2 fields"},
		{"# x\nSERVER_SECRET " + cr + " " + ms + "\n", `line 2: unknown label "SERVER_SECRET"`},
		{"CLIENT_RANDOM " + cr[2:] + " " + ms + "\n", "line 1: CLIENT_RANDOM: the second field must be 32 octets in hex"},
		{"CLIENT_RANDOM " + cr + " zz" + ms[2:] + "\n", "line 1: CLIENT_RANDOM: the secret must be 1 to 64 octets in hex"},
		{"CLIENT_RANDOM " + cr + " " + ms[2:] + "\n", "line 1: CLIENT_RANDOM: the secret must be 48 octets, got 47"},
		{"CLIENT_RANDOM " + cr + " " + ms + "\nCLIENT_RANDOM " + cr + " " + strings.Repeat("03", 48) + "\n", "line 2: CLIENT_RANDOM for " + cr + " was logged before with another secret"},
	} {
		_, err := ParseKeyLog(strings.NewReader(bad.text))
		if err == nil || !strings.Contains(err.Error(), bad.err) {
			t.Errorf("%q: error %v, want %q", bad.text, err, bad.err)
		}
	}
}
