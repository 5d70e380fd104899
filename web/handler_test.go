package web_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/handshake/handshake/capture/validation"
	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/examples/abp/abp"
	"github.com/handshake/handshake/spec"
	"github.com/handshake/handshake/web"
)

// server is the explorer of the repository's models (and the example's
// abp) on a test server.
func server(t *testing.T, cfg web.Config) *httptest.Server {
	t.Helper()
	if cfg.Models == nil {
		cfg.Models = catalog.Models{spec.TCP(), spec.TLS(), abp.Entry()}
	}
	if cfg.Check.Workers == 0 {
		cfg.Check.Workers = 1
	}
	cfg.Validate = validation.Web
	h, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// get fetches url and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	r, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return r.StatusCode, string(b)
}

// TestBadRequests: every endpoint answers malformed input with a 4xx and a
// one-line message naming the problem.
func TestBadRequests(t *testing.T) {
	srv := server(t, web.Config{})
	for _, c := range []struct {
		path   string
		status int
		want   string
	}{
		{"/api/state", 400, "missing model="},
		{"/api/state?model=nope", 400, `unknown model "nope" (known: abp, tcp, tls)`},
		{"/api/state?model=tcp&variant=nope", 400, `unknown variant "nope" of model tcp`},
		{"/api/state?model=tcp&set=data", 400, `want key=value`},
		{"/api/state?model=tcp&set=data=9", 400, `parameter data=9 out of range [0, 3]`},
		{"/api/state?model=tcp&set=nope=1", 400, `unknown parameter "nope"`},
		{"/api/state?model=tcp&path=0.x", 400, `"x" is not an index`},
		{"/api/state?model=tcp&path=0.99", 400, `step 1 (index 99): out of range: 5 actions enabled`},
		{"/api/state?model=tcp&path=-1", 400, `is not an index`},
		{"/api/diagram.svg?model=tcp", 400, "the diagram of the start is empty"},
		{"/api/diagram.svg?model=tcp&path=0.3&loop=5", 400, "loop=\"5\": want a whole number from -1 to 1"},
		{"/api/diagram.svg?model=tcp&path=0.3&mark=x", 400, "mark=\"x\""},
		{"/api/diagram.svg?model=tcp&path=0.3.77", 400, "out of range"},
		{"/api/check?model=tcp&property=nope", 400, `property="nope": no such property or group of model tcp`},
		{"/api/check?model=nope", 400, `unknown model "nope"`},
		{"/api/matrix", 400, "missing model="},
		{"/api/matrix?model=nope", 400, `unknown model "nope"`},
		{"/api/graph.svg?model=tcp&lane=router", 400, `lane="router": unknown role of model tcp (known: client, server)`},
		{"/api/graph.svg?model=tcp", 422, "the graph has more than 2,000 states"},
		{"/api/graph.svg?model=abp&lane=sender", 400, "model abp has no projection onto roles"},
		{"/api/nope", 404, "no endpoint GET /api/nope"},
		{"/static/nope.js", 404, "no file /static/nope.js"},
		{"/nope", 404, `unknown model "nope"`},
		{"/tcp/nope", 404, `unknown variant "nope" of model tcp`},
		{"/tcp/rfc9293/0.x", 400, `"x" is not an index`},
	} {
		status, body := get(t, srv.URL+c.path)
		if status != c.status || !strings.Contains(body, c.want) || strings.Count(body, "\n") != 1 {
			t.Errorf("GET %s: %d %q; want %d and one line containing %q", c.path, status, body, c.status, c.want)
		}
	}
	// The wrong method.
	r, err := http.Post(srv.URL+"/api/state?model=tcp", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /api/state: %d, want 405", r.StatusCode)
	}
}

// TestModels: the models, sorted, with variants, parameters and lanes.
func TestModels(t *testing.T) {
	srv := server(t, web.Config{Models: catalog.Models{spec.TCP(), abp.Entry()}})
	status, body := get(t, srv.URL+"/api/models")
	var doc struct {
		Default  string
		Validate bool
		Models   []struct {
			Name     string
			Lanes    []string
			Projects bool
			Variants []struct {
				Name   string
				Params []catalog.Param
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &doc); status != 200 || err != nil {
		t.Fatalf("GET /api/models: %d %v\n%s", status, err, body)
	}
	if doc.Default != "tcp" || !doc.Validate || len(doc.Models) != 2 || doc.Models[0].Name != "abp" || doc.Models[1].Name != "tcp" {
		t.Fatalf("models: %+v", doc)
	}
	tcp := doc.Models[1]
	if strings.Join(tcp.Lanes, ",") != "client,server" || !tcp.Projects || len(tcp.Variants) != len(spec.TCP().Variants) {
		t.Errorf("tcp: %+v", tcp)
	}
	if v := tcp.Variants[0]; v.Name != "rfc9293" || len(v.Params) != len(spec.TCP().Params) {
		t.Errorf("tcp's first variant: %+v", v)
	}
}

// TestState: the position at a path has explore's choices (same indices,
// same order), the steps' events in words, and the lines and words the
// last step changed.
func TestState(t *testing.T) {
	srv := server(t, web.Config{})
	status, body := get(t, srv.URL+"/api/state?model=tcp&variant=rfc9293&set=data=1&path=0.3")
	var doc struct {
		Path, Home string
		Params     map[string]int
		Sets       []string
		Steps      []struct {
			Action string
			Events []string
		}
		Rows []struct {
			Name    string
			Lane    bool
			Changed bool
			Words   []struct {
				Text    string
				Changed bool
			}
		}
		Choices    []checker.Choice
		Properties []struct{ Name, Expected string }
	}
	if err := json.Unmarshal([]byte(body), &doc); status != 200 || err != nil {
		t.Fatalf("GET /api/state: %d %v\n%s", status, err, body)
	}
	sys, _, _, err := spec.TCP().BuildVariant("rfc9293", []string{"data=1"})
	if err != nil {
		t.Fatal(err)
	}
	pos, err := sys.(checker.Explorer).Walk([]int{0, 3})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Path != "0.3" || doc.Home != "0" || doc.Params["data"] != 1 || strings.Join(doc.Sets, ",") != "data=1" {
		t.Errorf("path %q home %q params %v sets %v", doc.Path, doc.Home, doc.Params, doc.Sets)
	}
	if len(doc.Choices) != len(pos.Choices) {
		t.Fatalf("%d choices, want %d", len(doc.Choices), len(pos.Choices))
	}
	for i, c := range pos.Choices {
		if doc.Choices[i] != c {
			t.Errorf("choice %d: %+v, want %+v", i, doc.Choices[i], c)
		}
	}
	if len(doc.Steps) != 2 || doc.Steps[1].Action != "server: passive OPEN" || strings.Join(doc.Steps[1].Events, ";") != "server enters LISTEN" {
		t.Errorf("steps: %+v", doc.Steps)
	}
	changed := map[string]string{}
	for _, r := range doc.Rows {
		for _, w := range r.Words {
			if w.Changed {
				changed[r.Name] += w.Text
			}
		}
		if r.Changed != (changed[r.Name] != "") {
			t.Errorf("row %s: changed %v, but its changed words are %q", r.Name, r.Changed, changed[r.Name])
		}
	}
	if len(changed) != 1 || changed["server"] != "LISTEN;" {
		t.Errorf("changed words: %v, want the server's LISTEN only", changed)
	}
	if len(doc.Properties) != len(sys.Properties()) {
		t.Errorf("%d properties, want %d", len(doc.Properties), len(sys.Properties()))
	}
	// The start: the choice of initial states, nothing changed.
	status, body = get(t, srv.URL+"/api/state?model=tcp")
	if status != 200 || !strings.Contains(body, `"path":""`) || !strings.Contains(body, `"initial state: client: CLOSED`) {
		t.Errorf("the start: %d %s", status, body)
	}
}

// TestDiagram: the path's diagram is SVG with a linked group per step, the
// loop and the marked step.
func TestDiagram(t *testing.T) {
	srv := server(t, web.Config{})
	r, err := http.Get(srv.URL + "/api/diagram.svg?model=tcp&set=data=1&path=0.3.1&loop=1&mark=2")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	body := string(b)
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("%d %s\n%s", r.StatusCode, r.Header.Get("Content-Type"), body)
	}
	for _, want := range []string{`data-step="0"`, `data-step="2"`, `class="step marked" data-step="2"`, `class="loop"`,
		`href="/tcp/rfc9293/0.3?set=data=1&amp;loop=1"`, `>LISTEN<`, `>SYN_SENT<`, `SYN seq=100`} {
		if !strings.Contains(body, want) {
			t.Errorf("diagram lacks %q:\n%s", want, body)
		}
	}
}

// events reads a stream of server-sent events until it ends.
func events(t *testing.T, r io.Reader) (names []string, data []string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "event: "):
			names = append(names, strings.TrimPrefix(l, "event: "))
		case strings.HasPrefix(l, "data: "):
			data = append(data, strings.TrimPrefix(l, "data: "))
		}
	}
	return names, data
}

// TestCheck: a check streams its result, each verdict with the path of
// its trace, which the state endpoint then walks.
func TestCheck(t *testing.T) {
	srv := server(t, web.Config{})
	r, err := http.Get(srv.URL + "/api/check?model=tcp&variant=data-after-fin")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("%d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	names, data := events(t, r.Body)
	if len(names) == 0 || names[len(names)-1] != "result" {
		t.Fatalf("events %v, want the result last", names)
	}
	var res struct {
		Complete   bool
		Properties []struct {
			Name, Status, Expected, Path string
			Loop                         int
		}
	}
	if err := json.Unmarshal([]byte(data[len(data)-1]), &res); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range res.Properties {
		if p.Name == "no-data-after-fin" {
			found = true
			if p.Status != "violated" || p.Expected != "violated" || p.Path == "" || p.Loop != -1 {
				t.Errorf("no-data-after-fin: %+v", p)
			}
			status, body := get(t, srv.URL+"/api/state?model=tcp&variant=data-after-fin&path="+p.Path)
			if status != 200 {
				t.Errorf("its path %s: %d %s", p.Path, status, body)
			}
		}
	}
	if !res.Complete || !found {
		t.Errorf("complete %v, no-data-after-fin found %v", res.Complete, found)
	}
}

// TestCheckLimitAndCancel: beyond Config.MaxChecks a check is refused with
// 429; a client that goes away cancels its check, which frees its place.
func TestCheckLimitAndCancel(t *testing.T) {
	srv := server(t, web.Config{MaxChecks: 1, ProgressEvery: 10 * time.Millisecond,
		Check: checker.Options{Workers: 1, MaxMemory: 1 << 30}})
	// A check too large to finish during the test.
	long := srv.URL + "/api/check?model=tcp&variant=rfc9293&set=data=3&set=cap=4&set=conns=3&set=retx=3&set=loss=2&set=dup=2&set=reorder=1"
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", long, nil)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(r.Body)
	if l, err := br.ReadString('\n'); err != nil || l != "event: progress\n" {
		t.Fatalf("first line %q %v, want a progress event", l, err)
	}
	status, body := get(t, srv.URL+"/api/check?model=abp")
	if status != http.StatusTooManyRequests || !strings.Contains(body, "1 checks are running already") {
		t.Errorf("a second check: %d %q, want 429", status, body)
	}
	cancel()
	r.Body.Close()
	// The place is freed once the cancelled check has stopped.
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, body = get(t, srv.URL+"/api/check?model=abp")
		if status == 200 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status != 200 || !strings.Contains(body, "event: result") {
		t.Errorf("after the cancel: %d %q, want the check to run", status, body)
	}
}

// TestMatrix: the matrix streams a line per variant, then the cells with
// the paths of their traces.
func TestMatrix(t *testing.T) {
	srv := server(t, web.Config{})
	r, err := http.Get(srv.URL + "/api/matrix?model=abp")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	names, data := events(t, r.Body)
	e := abp.Entry()
	if len(names) != len(e.Variants)+1 || names[len(names)-1] != "result" {
		t.Fatalf("events %v, want a progress per variant, then the result", names)
	}
	var m struct {
		Columns []string
		Rows    []struct {
			Variant string
			Cells   []struct{ Status, Expected, Outcome, Property, Path string }
		}
	}
	if err := json.Unmarshal([]byte(data[len(data)-1]), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Rows) != len(e.Variants) {
		t.Fatalf("%d rows, want %d", len(m.Rows), len(e.Variants))
	}
	violated := 0
	for _, row := range m.Rows {
		for i, c := range row.Cells {
			if c.Outcome == "unexpected" {
				t.Errorf("%s %s: %+v", row.Variant, m.Columns[i], c)
			}
			if c.Status == "violated" {
				violated++
				if c.Path == "" || c.Property == "" {
					t.Errorf("%s %s: violated without a trace: %+v", row.Variant, m.Columns[i], c)
				}
				if status, body := get(t, srv.URL+"/api/state?model=abp&variant="+row.Variant+"&path="+c.Path); status != 200 {
					t.Errorf("its path: %d %s", status, body)
				}
			}
		}
	}
	if violated == 0 {
		t.Error("no violated cell: the broken variant's counterexample is missing")
	}
}

// TestGraph: tcp projected onto the client is RFC 9293 Figure 5, drawn.
func TestGraph(t *testing.T) {
	srv := server(t, web.Config{})
	status, body := get(t, srv.URL+"/api/graph.svg?model=tcp&lane=client")
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	for _, state := range []string{"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSING", "TIME_WAIT", "CLOSE_WAIT", "LAST_ACK"} {
		if !strings.Contains(body, `data-label="`+state+`"`) {
			t.Errorf("no node %s", state)
		}
	}
	for _, want := range []string{"RFC 9293 Figure 5", `data-from="LISTEN" data-to="SYN_RECEIVED"`, "rcv SYN / snd SYN,ACK", `class="edge off"`} {
		if !strings.Contains(body, want) {
			t.Errorf("graph lacks %q", want)
		}
	}
}

// upload posts a multipart form with the given parts.
func upload(t *testing.T, url string, parts map[string][]byte) (int, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for name, data := range parts {
		w, err := mw.CreateFormFile(name, name+".bin")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	mw.Close()
	r, err := http.Post(url+"/api/validate", mw.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	body, _ := io.ReadAll(r.Body)
	return r.StatusCode, string(body)
}

// TestValidate: an uploaded capture gets a verdict and a diagram per
// connection; bad uploads get 4xx.
func TestValidate(t *testing.T) {
	srv := server(t, web.Config{MaxUpload: 1 << 20})
	pcap, err := os.ReadFile("../capture/testdata/linux/keepalive.pcap")
	if err != nil {
		t.Fatal(err)
	}
	status, body := upload(t, srv.URL, map[string][]byte{"capture": pcap})
	var doc struct {
		Connections []struct {
			Headline string
			Accepted bool
			SVG      string
		}
	}
	if err := json.Unmarshal([]byte(body), &doc); status != 200 || err != nil {
		t.Fatalf("%d %v %s", status, err, body)
	}
	if len(doc.Connections) != 1 || !doc.Connections[0].Accepted || !strings.HasSuffix(doc.Connections[0].Headline, "25 segments: accepted") ||
		strings.Count(doc.Connections[0].SVG, `class="step"`) != 26 {
		t.Errorf("connections: %+v", doc.Connections)
	}
	tls, err := os.ReadFile("../capture/testdata/tls/tls13.pcap")
	if err != nil {
		t.Fatal(err)
	}
	keylog, err := os.ReadFile("../capture/testdata/tls/tls13.keylog")
	if err != nil {
		t.Fatal(err)
	}
	status, body = upload(t, srv.URL, map[string][]byte{"capture": tls, "keylog": keylog})
	if status != 200 || !strings.Contains(body, "accepted") || !strings.Contains(body, "TLS") {
		t.Errorf("a TLS capture with its key log: %d %s", status, body)
	}
	for _, c := range []struct {
		parts  map[string][]byte
		status int
		want   string
	}{
		{map[string][]byte{"keylog": keylog}, 400, "no capture uploaded"},
		{map[string][]byte{"capture": []byte("not a capture")}, 422, "capture: "},
		{map[string][]byte{"capture": pcap, "keylog": []byte("CLIENT_RANDOM zz")}, 422, "key log: "},
		{map[string][]byte{"capture": make([]byte, 2<<20)}, 413, "upload larger than the limit of 1.0 MiB"},
		{map[string][]byte{"capture": pcap, "server-key": []byte("not a key")}, 422, "server key: no PEM block"},
		{map[string][]byte{"capture": pcap, "server-key": {}}, 422, "server key: no PEM block"},
		{map[string][]byte{"capture": pcap, "server-key": ecKey(t)}, 422, "server key: a *ecdsa.PrivateKey, not an RSA key"},
		{map[string][]byte{"capture": pcap, "capture-point": []byte("sideways")}, 422, `capture point "sideways": want auto, endpoint or path`},
		{map[string][]byte{"capture": pcap, "capture-point": bytes.Repeat([]byte("x"), 100)}, 400, "capture-point: longer than 64 bytes"},
		{map[string][]byte{"capture": pcap, "key": keylog}, 400, `unknown form part "key" (want capture, keylog, server-key, capture-point)`},
	} {
		status, body := upload(t, srv.URL, c.parts)
		if status != c.status || !strings.Contains(body, c.want) || strings.Count(body, "\n") != 1 {
			t.Errorf("upload %d parts: %d %q; want %d and one line containing %q", len(c.parts), status, body, c.status, c.want)
		}
	}
	r, err := http.Post(srv.URL+"/api/validate", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("a JSON body: %d, want 415", r.StatusCode)
	}
}

// TestPage: the page and its files are served for every page address.
func TestPage(t *testing.T) {
	srv := server(t, web.Config{Name: "abp <&>"})
	for _, p := range []string{"/", "/tcp", "/tcp/data-after-fin", "/tcp/rfc9293/0.3.1", "/validate"} {
		status, body := get(t, srv.URL+p)
		if status != 200 || !strings.Contains(body, "<title>abp &lt;&amp;&gt; explorer</title>") || !strings.Contains(body, `src="/static/app.js"`) {
			t.Errorf("GET %s: %d\n%s", p, status, body)
		}
	}
	for _, p := range []string{"/static/app.js", "/static/app.css"} {
		if status, body := get(t, srv.URL+p); status != 200 || len(body) < 1000 {
			t.Errorf("GET %s: %d, %d bytes", p, status, len(body))
		}
	}
}

// TestNew: a handler needs models, valid ones, and a known default.
func TestNew(t *testing.T) {
	for _, cfg := range []web.Config{
		{},
		{Models: catalog.Models{spec.TCP(), spec.TCP()}},
		{Models: catalog.Models{spec.TCP()}, Default: "nope"},
	} {
		if _, err := web.New(cfg); err == nil {
			t.Errorf("New(%d models, default %q): no error", len(cfg.Models), cfg.Default)
		}
	}
}

// ecKey is a PEM private key that is not RSA.
func ecKey(t *testing.T) []byte {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// TestValidateOptions: the capture point and the server's key are
// validate's --capture-point and --server-key: a capture taken at an
// endpoint is accepted as such by default, and with its segments possibly
// reordered when the page says it was taken on the path; an RSA key
// exchange is decrypted with the server's key alone.
func TestValidateOptions(t *testing.T) {
	srv := server(t, web.Config{})
	read := func(name string) []byte {
		b, err := os.ReadFile("../capture/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	headline := func(parts map[string][]byte) string {
		t.Helper()
		status, body := upload(t, srv.URL, parts)
		var doc struct {
			Connections []struct {
				Headline string
				Details  string
			}
		}
		if err := json.Unmarshal([]byte(body), &doc); status != 200 || err != nil || len(doc.Connections) != 1 {
			t.Fatalf("%d %v %s", status, err, body)
		}
		return doc.Connections[0].Headline + "\n" + doc.Connections[0].Details
	}
	pcap := read("normal_client_close.pcap")
	for point, want := range map[string]string{
		"":         "10 segments: accepted\n",
		"auto":     "10 segments: accepted\n",
		"endpoint": "10 segments: accepted\n",
		"path":     "10 segments: accepted with the capture point on the path",
	} {
		parts := map[string][]byte{"capture": pcap}
		if point != "" {
			parts["capture-point"] = []byte(point)
		}
		if h := headline(parts); !strings.Contains(h, want) {
			t.Errorf("capture-point %q: %q, want %q", point, h, want)
		}
	}
	// Taken on the loopback at full speed, bulk_lo needs the path.
	bulk := read("linux/bulk_lo.pcap")
	if h := headline(map[string][]byte{"capture": bulk, "capture-point": []byte("endpoint")}); !strings.Contains(h, "rejected at segment 280") {
		t.Errorf("bulk_lo at an endpoint: %q, want rejected at segment 280", h)
	}
	rsa := read("tls/rsa12.pcap")
	if h := headline(map[string][]byte{"capture": rsa}); !strings.Contains(h, "keys: none") {
		t.Errorf("rsa12 without a key: %q", h)
	}
	if h := headline(map[string][]byte{"capture": rsa, "server-key": read("tls/server.key")}); !strings.Contains(h, "the server key's pre_master_secret") ||
		!strings.Contains(h, "both Finished messages verify") {
		t.Errorf("rsa12 with the server's key: %q, want both Finished verified with the server key's pre_master_secret", h)
	}
}
