package spec

import (
	"strings"
	"testing"

	"github.com/handshake/handshake/checker"
)

// traceOf checks a variant and returns the action labels and attacker
// notes of property p's counterexample.
func traceOf(t *testing.T, variant, p string) (acts, attacker []string) {
	t.Helper()
	rep := checkTLSVariant(t, variant)
	pr := tlsProperty(t, rep, p)
	if pr.Trace == nil {
		t.Fatalf("%s %s: no trace", variant, p)
	}
	acts = actions(pr.Trace)
	t.Logf("%s, %s:\n%s", variant, p, strings.Join(acts, "\n"))
	return acts, notes(pr.Trace, 1)
}

// TestLogjamTLS12: the secrecy counterexample of tls12-ecdhe-weak-group is
// Logjam: the offer rewritten to the weak suite, the weak-group share
// broken, the ServerHello rewritten to the strong suite (the
// ServerKeyExchange signature does not cover it), the server Finished
// forged; TLS 1.3 with the same power keeps the client's claims
// (CertificateVerify covers the offer).
func TestLogjamTLS12(t *testing.T) {
	acts, att := traceOf(t, "tls12-ecdhe-weak-group", "secrecy")
	for _, want := range []string{"attacker rewrites client 1's: offer [weak]", "attacker rewrites server 1's: suite strong"} {
		if !anyContains(acts, want) {
			t.Errorf("no step %q", want)
		}
	}
	if !anyContains(att, "a share in the weak group") {
		t.Errorf("the attacker breaks no weak share: %q", att)
	}
	if last := acts[len(acts)-1]; !strings.Contains(last, "receive Finished (computed by the attacker") {
		t.Errorf("last step %q: want the client taking the attacker's Finished", last)
	}
	rep := checkTLSVariant(t, "tls13-weak-group")
	for _, p := range []string{"secrecy", "agreement", "no-downgrade", "server-secrecy", "server-agreement"} {
		if st := tlsProperty(t, rep, p).Status; st != checker.Holds {
			t.Errorf("tls13-weak-group %s: %s, want holds", p, st)
		}
	}
}

// TestUnknownKeyShareTLS12RSA: the client that means E sends its
// pre_master_secret to E, which re-encrypts it to S and completes both
// sides (RFC 7627 §1).
func TestUnknownKeyShareTLS12RSA(t *testing.T) {
	acts, att := traceOf(t, "tls12-rsa", "no-unknown-key-share")
	if !anyContains(acts, "Certificate(E)") || !anyContains(att, "learns pms2 (decrypts {pms2}pk(E)") {
		t.Errorf("E does not get the pre_master_secret of its own client: %q", att)
	}
	if !anyContains(acts, "receive ClientKeyExchange({pms2}pk(S))") {
		t.Errorf("no server session gets the client's pre_master_secret re-encrypted to S")
	}
}

// TestForwardSecrecyTLS12RSA: after a complete handshake, the reveal of
// S's key decrypts the recorded ClientKeyExchange.
func TestForwardSecrecyTLS12RSA(t *testing.T) {
	acts, att := traceOf(t, "tls12-rsa-compromise", "forward-secrecy")
	if !anyContains(acts, "reveal S's long-term private key") || !anyContains(att, "with sk(S)") {
		t.Errorf("no reveal of S's key decrypting a recorded ClientKeyExchange: %q", att)
	}
	if !strings.Contains(acts[len(acts)-1], "reveal S's long-term private key") {
		t.Errorf("the reveal is not the last step")
	}
}

// TestDowngradeSentinel: without the sentinel, the attacker strips TLS 1.3
// and the client completes TLS 1.2 with a key the attacker computes; with
// it, the client's claims hold.
func TestDowngradeSentinel(t *testing.T) {
	acts, _ := traceOf(t, "mixed-versions-no-sentinel", "secrecy")
	if !anyContains(acts, "offer [weak; 1.2]") || !anyContains(acts, "ServerHello(TLS 1.2") {
		t.Errorf("no forced TLS 1.2")
	}
	rep := checkTLSVariant(t, "mixed-versions")
	for _, p := range []string{"secrecy", "agreement", "no-downgrade"} {
		if st := tlsProperty(t, rep, p).Status; st != checker.Holds {
			t.Errorf("mixed-versions %s: %s, want holds", p, st)
		}
	}
}
