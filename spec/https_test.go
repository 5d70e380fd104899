package spec

import (
	"context"
	"strings"
	"testing"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/https"
)

// checkHTTPS checks a variant of "https" with its default parameters
// (changed by sets) through the typed model.
func checkHTTPS(t *testing.T, variant string, sets map[string]int) checker.Result[https.State] {
	t.Helper()
	cfg, err := HTTPSConfig(variant, sets)
	if err != nil {
		t.Fatal(err)
	}
	res, err := checker.Check(context.Background(), HTTPSModel(cfg), checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Complete {
		t.Fatalf("incomplete: %s", res.Reason)
	}
	t.Logf("%s %v: %d distinct states, depth %d", variant, sets, res.Distinct, res.Depth)
	return res
}

func httpsResult(t *testing.T, res checker.Result[https.State], name string) checker.PropertyResult[https.State] {
	t.Helper()
	for _, p := range res.Properties {
		if p.Property.Name == name {
			return p
		}
	}
	t.Fatalf("no property %q", name)
	return checker.PropertyResult[https.State]{}
}

// labels renders a trace's actions with the model's labels.
func labels(cfg https.Config, tr *checker.Trace[https.State]) []string {
	m := https.Model(cfg)
	var out []string
	for i := 1; i < len(tr.Steps); i++ {
		out = append(out, m.Label(tr.Steps[i-1].State, tr.Steps[i].Action))
	}
	return out
}

// inOrder reports whether each of wants is a substring of some label, in
// order.
func inOrder(ls []string, wants ...string) bool {
	i := 0
	for _, l := range ls {
		if i < len(wants) && strings.Contains(l, wants[i]) {
			i++
		}
	}
	return i == len(wants)
}

// TestHTTPSSoundHoldsAndTellsTheWholeStory: the sound default holds every
// property, and the lifecycle witness runs from the SYN through the TLS
// handshake, the request and response, close_notify both ways and FIN
// both ways to TIME-WAIT.
func TestHTTPSSoundHoldsAndTellsTheWholeStory(t *testing.T) {
	res := checkHTTPS(t, "https", nil)
	for _, p := range res.Properties {
		if p.Status != checker.Holds {
			t.Errorf("%s: %s", p.Property.Name, p.Status)
		}
	}
	cfg, _ := HTTPSConfig("https", nil)
	w := httpsResult(t, res, "https-lifecycle").Trace
	if w == nil {
		t.Fatal("no lifecycle witness")
	}
	ls := labels(cfg, w)
	if !inOrder(ls, "deliver client->server SYN", "deliver server->client SYN,ACK", "client: SEND ClientHello",
		"server: SEND ServerHello..Finished", "client: SEND Finished", "client: SEND request 1", "server: RECEIVE request 1",
		"server: SEND response 1 head", "server: SEND response 1 body", "client: RECEIVE response 1 body") {
		t.Errorf("witness out of order:\n%s", strings.Join(ls, "\n"))
	}
	for _, want := range []string{"client: SEND close_notify", "server: SEND close_notify", "client: CLOSE", "server: CLOSE", "2MSL timeout"} {
		if !inOrder(ls, want) {
			t.Errorf("witness lacks %q:\n%s", want, strings.Join(ls, "\n"))
		}
	}
}

// TestHTTPSOverTLS12: the TLS 1.2 full handshake takes a second round
// trip before the request, and the sound protocol still holds everything.
func TestHTTPSOverTLS12(t *testing.T) {
	sets := map[string]int{"tls-version": 12}
	res := checkHTTPS(t, "https", sets)
	for _, p := range res.Properties {
		if p.Status != checker.Holds {
			t.Errorf("%s: %s", p.Property.Name, p.Status)
		}
	}
	cfg, _ := HTTPSConfig("https", sets)
	ls := labels(cfg, httpsResult(t, res, "https-lifecycle").Trace)
	if !inOrder(ls, "client: SEND ClientHello", "server: SEND ServerHello..ServerHelloDone",
		"client: SEND ClientKeyExchange,ChangeCipherSpec,Finished", "server: SEND ChangeCipherSpec,Finished",
		"client: RECEIVE ChangeCipherSpec,Finished", "client: SEND request 1") {
		t.Errorf("not the TLS 1.2 handshake before the request:\n%s", strings.Join(ls, "\n"))
	}
}

// TestHTTPSTruncationOverPlainHTTP: over plain TCP a forged FIN ends a
// close-delimited response: the counterexample of no-truncation is the
// attacker's FIN taken for the end of the body. The sound protocol over
// TLS, with the same parameters, is not truncated (checked in the long
// matrix test, variant https-attacked).
func TestHTTPSTruncationOverPlainHTTP(t *testing.T) {
	res := checkHTTPS(t, "http", nil)
	p := httpsResult(t, res, "no-truncation")
	if p.Status != checker.Violated || p.Trace == nil {
		t.Fatalf("no-truncation: %s", p.Status)
	}
	cfg, _ := HTTPSConfig("http", nil)
	ls := labels(cfg, p.Trace)
	if !inOrder(ls, "client: RECEIVE response 1 head", "attacker: inject FIN,ACK", "deliver server->client FIN,ACK", "client: reads end-of-stream") {
		t.Errorf("counterexample is not the forged FIN:\n%s", strings.Join(ls, "\n"))
	}
	if ls[len(ls)-1] != "client: reads end-of-stream" {
		t.Errorf("last step %q, want the client reading end-of-stream", ls[len(ls)-1])
	}
}

// TestHTTPSNoCloseNotify: a server that closes without close_notify
// breaks close-notify-before-fin with its CLOSE, and with a
// close-delimited response the client cannot tell the end (the response
// is never delivered); with Content-Length framing it still can.
func TestHTTPSNoCloseNotify(t *testing.T) {
	res := checkHTTPS(t, "no-close-notify", nil)
	p := httpsResult(t, res, "close-notify-before-fin")
	if p.Status != checker.Violated {
		t.Fatalf("close-notify-before-fin: %s", p.Status)
	}
	cfg, _ := HTTPSConfig("no-close-notify", nil)
	ls := labels(cfg, p.Trace)
	if ls[len(ls)-1] != "server: CLOSE" {
		t.Errorf("last step %q, want the server's CLOSE", ls[len(ls)-1])
	}
	if s := httpsResult(t, res, "response-delivered").Status; s != checker.Violated {
		t.Errorf("close-delimited: response-delivered %s, want violated", s)
	}
	res = checkHTTPS(t, "no-close-notify", map[string]int{"framing": 0})
	if s := httpsResult(t, res, "response-delivered").Status; s != checker.Holds {
		t.Errorf("Content-Length: response-delivered %s, want holds", s)
	}
	if s := httpsResult(t, res, "close-notify-before-fin").Status; s != checker.Violated {
		t.Errorf("Content-Length: close-notify-before-fin %s, want violated", s)
	}
}

// TestHTTPSImmediateCloseResets: a server that closes its socket with a
// pipelined request unread resets the connection, and the RST erases the
// response the client had not read yet; the lingering close of the sound
// server, same parameters, delivers it.
func TestHTTPSImmediateCloseResets(t *testing.T) {
	res := checkHTTPS(t, "immediate-close", nil)
	p := httpsResult(t, res, "response-delivered")
	if p.Status != checker.Violated {
		t.Fatalf("response-delivered: %s", p.Status)
	}
	cfg, _ := HTTPSConfig("immediate-close", nil)
	if ls := labels(cfg, p.Trace); !inOrder(ls, "server: SEND response 1 body", "with unread data: ABORT (RST)", "deliver server->client RST") {
		t.Errorf("counterexample is not the RST after close:\n%s", strings.Join(ls, "\n"))
	}
	sound := checkHTTPS(t, "https", map[string]int{"requests": 2, "pipeline": 1})
	for _, p := range sound.Properties {
		if p.Status != checker.Holds {
			t.Errorf("sound, requests=2 pipeline=1: %s %s", p.Property.Name, p.Status)
		}
	}
}

// TestHTTPSModelIsWellFormed: every variant builds a model the checker
// accepts (fixed-size state without padding, properties well formed).
func TestHTTPSModelIsWellFormed(t *testing.T) {
	e := HTTPS()
	for _, v := range e.Variants {
		if _, _, _, err := e.BuildVariant(v.Name, nil); err != nil {
			t.Errorf("%s: %v", v.Name, err)
		}
	}
	if _, _, _, err := e.BuildVariant("https", []string{"requests=3"}); err == nil {
		t.Error("requests=3 accepted")
	}
}
