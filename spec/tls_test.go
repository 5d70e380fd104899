package spec

import (
	"context"
	"strings"
	"testing"

	"github.com/handshake/handshake/checker"
)

// checkTLSVariant checks a variant of "tls" with its default parameters
// through the type-erased System, as the CLI does.
func checkTLSVariant(t *testing.T, variant string) checker.Report {
	t.Helper()
	sys, _, _, err := TLS().BuildVariant(variant, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := sys.Check(context.Background(), checker.Options{})
	if !rep.Complete {
		t.Fatalf("incomplete: %s", rep.Reason)
	}
	return rep
}

func tlsProperty(t *testing.T, rep checker.Report, name string) checker.PropertyReport {
	t.Helper()
	for _, p := range rep.Properties {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no property %q", name)
	return checker.PropertyReport{}
}

// TestTLSVariantsGetTheirExpectedVerdicts checks every variant against its
// Expect map, through the variant matrix: a sound variant whose property
// fails is a bug in the model, a broken variant that stops failing is a
// regression of the model's attacker. Every violation and every witness
// comes with a trace.
func TestTLSVariantsGetTheirExpectedVerdicts(t *testing.T) {
	m := checkMatrix(t, TLS())
	for _, r := range m.Rows {
		for _, p := range r.Report.Properties {
			if p.Status == checker.Violated || p.Kind == checker.Sometimes {
				if p.Trace == nil || len(p.Trace.Steps) < 2 {
					t.Errorf("%s: %s (%s): no trace", r.Variant.Name, p.Name, p.Status)
				}
			}
		}
	}
}

// actions lists a trace's action labels; events its events of a kind.
func actions(tr *checker.TraceReport) []string {
	var out []string
	for _, st := range tr.Steps[1:] {
		out = append(out, st.Action)
	}
	return out
}

func anyContains(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func notes(tr *checker.TraceReport, lane int) []string {
	var out []string
	for _, st := range tr.Steps {
		for _, ev := range st.Events {
			if ev.Kind == checker.Note && ev.Lane == lane {
				out = append(out, ev.Text)
			}
		}
	}
	return out
}

// TestNoCertCheckManInTheMiddle: the secrecy counterexample is the man in
// the middle: the attacker relays the ClientHello to the server, hands the
// client its own certificate with the server's random, decrypts the
// pre_master_secret and completes the client's handshake; all three lanes
// take part.
func TestNoCertCheckManInTheMiddle(t *testing.T) {
	rep := checkTLSVariant(t, "no-cert-check")
	p := tlsProperty(t, rep, "secrecy")
	if p.Trace == nil {
		t.Fatal("no trace")
	}
	acts := actions(p.Trace)
	t.Logf("trace:\n%s", strings.Join(acts, "\n"))
	if !anyContains(acts, "server") || !anyContains(acts, "receive ClientHello") {
		t.Errorf("the server takes no part")
	}
	if !anyContains(acts, "Certificate(E)") {
		t.Errorf("the client never gets the attacker's certificate")
	}
	if !anyContains(notes(p.Trace, 1), "learns pms") {
		t.Errorf("the attacker never decrypts a pre_master_secret; attacker notes %q", notes(p.Trace, 1))
	}
	if last := acts[len(acts)-1]; !strings.Contains(last, "receive Finished (computed by the attacker") {
		t.Errorf("last step %q: want the client taking the attacker's Finished", last)
	}
	lanes := map[int]bool{}
	for _, st := range p.Trace.Steps[1:] {
		for _, ev := range st.Events {
			lanes[ev.Lane] = true
		}
	}
	if len(lanes) != 3 {
		t.Errorf("lanes used: %v, want all three", lanes)
	}
}

// TestNoServerRandomReplay: the injective-agreement counterexample delivers
// one client session's ClientKeyExchange and Finished to two server
// sessions, which both complete.
func TestNoServerRandomReplay(t *testing.T) {
	rep := checkTLSVariant(t, "no-server-random")
	p := tlsProperty(t, rep, "injective-agreement")
	if p.Trace == nil {
		t.Fatal("no trace")
	}
	acts := actions(p.Trace)
	t.Logf("trace:\n%s", strings.Join(acts, "\n"))
	var cke []string
	for _, a := range acts {
		if strings.Contains(a, "receive ClientKeyExchange(") {
			cke = append(cke, a[strings.Index(a, "ClientKeyExchange("):strings.Index(a, ")")+1])
		}
	}
	if len(cke) != 2 || cke[0] != cke[1] {
		t.Fatalf("server ClientKeyExchanges %q: want the same one twice", cke)
	}
	if !anyContains(acts, "attacker replays") {
		t.Errorf("no step replays a recorded message")
	}
}

// TestNoFinishedDowngrade: the no-downgrade counterexample ends with the
// client CONNECTED on the weak suite, which the attacker got by rewriting
// a hello.
func TestNoFinishedDowngrade(t *testing.T) {
	rep := checkTLSVariant(t, "no-finished")
	p := tlsProperty(t, rep, "no-downgrade")
	if p.Trace == nil {
		t.Fatal("no trace")
	}
	acts := actions(p.Trace)
	t.Logf("trace:\n%s", strings.Join(acts, "\n"))
	last := acts[len(acts)-1]
	if !strings.Contains(last, "client") || !strings.Contains(last, "weak") {
		t.Errorf("last step %q: want a client taking the weak suite", last)
	}
	if !anyContains(acts, "rewrites") {
		t.Errorf("no step rewrites a hello")
	}
	if anyContains(acts, "Certificate(E)") {
		t.Errorf("the downgrade needs no certificate of the attacker's")
	}
}
