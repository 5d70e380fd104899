//go:build browser

package web_test

// End-to-end tests in a real headless Chromium (chromedp), behind the build
// tag browser: go test -tags browser -run TestBrowser ./web/...
// They need Chromium: /usr/bin/chromium (Debian: apt-get install chromium)
// or the path in $HANDSHAKE_CHROMIUM; without it they fail, saying so.
// -screenshot FILE writes a PNG of the explorer after the handshake
// (docs/explorer.png in the README: regenerate it with
// go test -tags browser -run TestBrowserHandshake ./web -screenshot ../docs/explorer.png).

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/handshake/handshake/capture/validation"
	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/spec"
	"github.com/handshake/handshake/web"
)

var screenshot = flag.String("screenshot", "", "write a PNG of the explorer after the handshake to this file")

// chromium is the browser's path.
func chromium(t *testing.T) string {
	p := os.Getenv("HANDSHAKE_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("the browser tests need Chromium: %v (install it: apt-get install chromium, or set HANDSHAKE_CHROMIUM)", err)
	}
	return p
}

// browse starts the explorer of the repository's models on a test server
// and a headless Chromium; it returns the server's URL and a browser
// context that ends with the test.
func browse(t *testing.T) (string, context.Context) {
	t.Helper()
	h, err := web.New(web.Config{Name: "handshake", Models: catalog.Models{spec.TCP(), spec.TCPAbstract(), spec.TLS(), spec.HTTPS()},
		Validate: validation.Web, Check: checker.Options{Workers: 1}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return srv.URL, ctx
}

// do runs actions, failing the test with the page's error line if one fails.
func do(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v (page error: %q)", what, err, pageError(ctx))
	}
}

// pageError is the page's error line, "" if none.
func pageError(ctx context.Context) string {
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('error').textContent`))
	return s
}

// text is the text of the first element sel finds.
func text[S chromedp.Selectable](t *testing.T, ctx context.Context, sel S) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %v: %v (page error: %q)", sel, err, pageError(ctx))
	}
	return s
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// poll waits until a JavaScript expression is true.
func poll(expr string) chromedp.Action[chromedp.Void] { return chromedp.Poll[chromedp.Void](expr) }

// take clicks the enabled action whose label contains label and waits for
// the page to show the path one step longer.
func take(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	next := eval[string](t, ctx, fmt.Sprintf(`(() => {
		const b = [...document.querySelectorAll('#choices button.choice')].find((b) => b.textContent.includes(%q) && !b.disabled);
		if (!b) return '';
		const p = document.getElementById('path').textContent;
		const next = (p === '(start)' ? '' : p + '.') + b.dataset.index;
		b.click();
		return next;
	})()`, label))
	if next == "" {
		t.Fatalf("no enabled action %q among:\n%s", label, text(t, ctx, chromedp.ID("choices")))
	}
	do(t, ctx, "wait for path "+next, poll(fmt.Sprintf(`document.getElementById('path').textContent === %q`, next)))
}

// TestBrowserHandshake: open tcp, click through the three-way handshake
// (RFC 9293 §3.5 Figure 6) and see both lanes ESTABLISHED, with the
// fields the last step changed highlighted and the handshake drawn.
func TestBrowserHandshake(t *testing.T) {
	url, ctx := browse(t)
	do(t, ctx, "open tcp", chromedp.Navigate(url+"/tcp"), chromedp.WaitVisible(chromedp.CSS(`#choices button.choice`)))
	for _, label := range []string{
		"server: passive OPEN",
		"client: active OPEN (ISS=100)",
		"deliver client->server <SEQ=100><CTL=SYN>",
		"deliver server->client",
		"deliver client->server",
	} {
		take(t, ctx, label)
	}
	client := text(t, ctx, chromedp.ID("lane-client"))
	server := text(t, ctx, chromedp.ID("lane-server"))
	changed := text(t, ctx, chromedp.CSS(`#lane-server .changed`))
	arrows := eval[int](t, ctx, `document.querySelectorAll('#diagram svg line.arrow').length`)
	if !strings.Contains(client, "ESTABLISHED") || !strings.Contains(server, "ESTABLISHED") {
		t.Errorf("after the handshake: client %q, server %q; want both ESTABLISHED", client, server)
	}
	if !strings.Contains(changed, "ESTABLISHED") {
		t.Errorf("the server's new state is not highlighted as changed: %q", changed)
	}
	if arrows != 6 {
		t.Errorf("the diagram has %d arrows, want 6 (SYN, SYN-ACK, ACK: each sent, then delivered)", arrows)
	}
	// Back undoes the last step.
	do(t, ctx, "back", chromedp.Click(chromedp.ID("back")),
		poll(`document.getElementById('path').textContent.split('.').length === 5`))
	path := text(t, ctx, chromedp.ID("path"))
	server = text(t, ctx, chromedp.ID("lane-server"))
	if strings.Contains(server, "ESTABLISHED") {
		t.Errorf("after back (path %s) the server is still ESTABLISHED: %q", path, server)
	}
	if *screenshot != "" {
		take(t, ctx, "deliver client->server")
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(*screenshot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBrowserCounterexample: open the data-after-fin variant, run the
// check, follow the counterexample of no-data-after-fin, and see the
// violating step marked in the diagram and named in the banner.
func TestBrowserCounterexample(t *testing.T) {
	url, ctx := browse(t)
	do(t, ctx, "check data-after-fin", chromedp.Navigate(url+"/tcp/data-after-fin#check"),
		chromedp.WaitVisible(chromedp.ID("check-run")), chromedp.Click(chromedp.ID("check-run")),
		chromedp.WaitVisible(chromedp.ID("trace-no-data-after-fin")))
	verdict := text(t, ctx, chromedp.CSS(`tr[data-property="no-data-after-fin"] td:nth-child(3)`))
	if verdict != "VIOLATED" {
		t.Errorf("no-data-after-fin: verdict %q, want VIOLATED", verdict)
	}
	do(t, ctx, "follow the counterexample", chromedp.Click(chromedp.ID("trace-no-data-after-fin")),
		chromedp.WaitVisible(chromedp.CSS(`#diagram g.step.marked`)))
	banner := text(t, ctx, chromedp.ID("banner"))
	marked := eval[string](t, ctx, `document.querySelector('#diagram g.step.marked text.action').textContent`)
	last := text(t, ctx, chromedp.ID("last-step"))
	path := text(t, ctx, chromedp.ID("path"))
	steps := strings.Count(path, ".")
	if want := fmt.Sprintf("counterexample of no-data-after-fin: step %d violates it", steps); !strings.Contains(banner, want) {
		t.Errorf("banner %q, want %q", banner, want)
	}
	if marked == "" || !strings.Contains(last, marked) {
		t.Errorf("the marked step %q is not the last step shown (%q)", marked, last)
	}
	// The path is the one the checker reports.
	sys, _, _, err := spec.TCP().BuildVariant("data-after-fin", nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := sys.(checker.Explorer).Find(context.Background(), "no-data-after-fin", checker.Options{})
	if err != nil || f.Trace == nil {
		t.Fatalf("find: %v, trace %v", err, f.Trace)
	}
	if want := checker.FormatPath(f.Path); path != want {
		t.Errorf("path %s, want the counterexample's %s", path, want)
	}
}

// TestBrowserDeepLink: an address with a path shows that position.
func TestBrowserDeepLink(t *testing.T) {
	url, ctx := browse(t)
	sys, _, _, err := spec.TCP().BuildVariant("rfc9293", nil)
	if err != nil {
		t.Fatal(err)
	}
	pos, err := sys.(checker.Explorer).Walk([]int{0, 3, 1})
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "open a deep link", chromedp.Navigate(url+"/tcp/rfc9293/0.3.1"),
		chromedp.WaitVisible(chromedp.CSS(`#diagram svg`)))
	path := text(t, ctx, chromedp.ID("path"))
	last := text(t, ctx, chromedp.ID("last-step"))
	first := text(t, ctx, chromedp.CSS(`#choices li:first-child`))
	if path != "0.3.1" {
		t.Errorf("path %q, want 0.3.1", path)
	}
	if want := pos.Trace.Steps[2].Action; !strings.Contains(last, want) {
		t.Errorf("last step %q, want %q", last, want)
	}
	if want := pos.Choices[0].Action; !strings.Contains(first, want) {
		t.Errorf("first enabled action %q, want %q", first, want)
	}
}

// TestBrowserValidate: upload a real capture and see it accepted.
func TestBrowserValidate(t *testing.T) {
	url, ctx := browse(t)
	file, err := filepath.Abs("../capture/testdata/linux/keepalive.pcap")
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "upload", chromedp.Navigate(url+"/#validate"),
		chromedp.WaitVisible(chromedp.ID("capture-file")),
		chromedp.SetUploadFiles(chromedp.ID("capture-file"), []string{file}),
		chromedp.Click(chromedp.ID("upload-run")),
		chromedp.WaitVisible(chromedp.CSS(`.conn h3`)))
	head := text(t, ctx, chromedp.CSS(`.conn h3`))
	arrows := eval[int](t, ctx, `document.querySelectorAll('.conn svg line.arrow').length`)
	if !strings.Contains(head, "25 segments: accepted") {
		t.Errorf("verdict %q, want 25 segments accepted", head)
	}
	if arrows != 25 {
		t.Errorf("%d arrows in the diagram, want 25", arrows)
	}
	// A TLS capture with an RSA key exchange, the server's key and the
	// capture point on the path.
	rsa, err := filepath.Abs("../capture/testdata/tls/rsa12.pcap")
	if err != nil {
		t.Fatal(err)
	}
	key, err := filepath.Abs("../capture/testdata/tls/server.key")
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "upload with a server key", chromedp.SetUploadFiles(chromedp.ID("capture-file"), []string{rsa}),
		chromedp.SetUploadFiles(chromedp.ID("server-key-file"), []string{key}),
		chromedp.SetValue(chromedp.ID("capture-point"), "path"),
		chromedp.Click(chromedp.ID("upload-run")),
		poll(`(document.querySelector('.conn pre') || {}).textContent?.includes('pre_master_secret')`))
	head = text(t, ctx, chromedp.CSS(`.conn h3`))
	details := text(t, ctx, chromedp.CSS(`.conn pre`))
	if !strings.Contains(head, "accepted with the capture point on the path") {
		t.Errorf("verdict %q, want accepted on the path", head)
	}
	if !strings.Contains(details, "the server key's pre_master_secret") || !strings.Contains(details, "both Finished messages verify") {
		t.Errorf("TLS verdict %q, want both Finished verified with the server key", details)
	}
}

// TestBrowserFigure5: the state graph of tcp projected onto the client is
// drawn in the page (RFC 9293 Figure 5, laid out without Graphviz), the
// changes the figure lacks hidden until asked for.
func TestBrowserFigure5(t *testing.T) {
	url, ctx := browse(t)
	do(t, ctx, "draw the graph", chromedp.Navigate(url+"/tcp#graph"), chromedp.WaitVisible(chromedp.ID("graph-run")),
		chromedp.Click(chromedp.ID("graph-run")), chromedp.WaitVisible(chromedp.CSS(`#graph svg g.node`)))
	if n := eval[int](t, ctx, `document.querySelectorAll('#graph g.node').length`); n != 11 {
		t.Errorf("%d nodes, want the 11 states of Figure 5", n)
	}
	if title := eval[string](t, ctx, `document.querySelector('#graph svg > text').textContent`); !strings.Contains(title, "projected onto the client, compared with RFC 9293 Figure 5") {
		t.Errorf("title %q", title)
	}
	visibleOff := `[...document.querySelectorAll('#graph g.edge.off')].filter((e) => e.getBoundingClientRect().width > 0).length`
	if n := eval[int](t, ctx, visibleOff); n != 0 {
		t.Errorf("%d changes the figure lacks shown before asking", n)
	}
	do(t, ctx, "show the changes the figure lacks", chromedp.Click(chromedp.ID("graph-off")))
	if n := eval[int](t, ctx, visibleOff); n == 0 {
		t.Error("no change the figure lacks shown after asking (ABORT and RST arrows are off the figure)")
	}
}

// figure5 are the states of RFC 9293 Figure 5 (§3.3.2).
var figure5 = []string{"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2",
	"CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"}

// pickVariant chooses a variant in the picker as a user does, and waits
// for the page to show it.
func pickVariant(t *testing.T, ctx context.Context, variant string) {
	t.Helper()
	if ok := eval[bool](t, ctx, fmt.Sprintf(`(() => {
		const s = document.getElementById('variant');
		if (![...s.options].some((o) => o.value === %[1]q)) return false;
		s.value = %[1]q;
		s.dispatchEvent(new Event('change'));
		return true;
	})()`, variant)); !ok {
		t.Fatalf("the variant picker has no %q: %s", variant, text(t, ctx, chromedp.ID("variant")))
	}
	do(t, ctx, "open variant "+variant, poll(fmt.Sprintf(`location.pathname.startsWith('/tcp/%s/') && document.getElementById('choices').children.length > 0`, variant)))
}

// openTab clicks a tab as a user does.
func openTab(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	do(t, ctx, "open tab "+name, chromedp.Click(chromedp.CSS(`nav .tab[data-tab="`+name+`"]`)),
		chromedp.WaitVisible(chromedp.ID("tab-"+name)))
}

// TestBrowserNewcomer is the "done when", as a newcomer does it
// without reading anything: open the page, step through the three-way
// handshake, pick the two-way-handshake variant in the picker, check it,
// follow the counterexample of the violated no-stale-connection from the
// summary's link, see the violating step marked in the diagram and the
// state, then open the state graph and see RFC 9293 Figure 5 with the
// arrows that variant never takes greyed.
func TestBrowserNewcomer(t *testing.T) {
	url, ctx := browse(t)
	do(t, ctx, "open the page", chromedp.Navigate(url+"/"), chromedp.WaitVisible(chromedp.CSS(`#choices button.choice`)))
	if hint := text(t, ctx, chromedp.ID("hint")); !strings.Contains(hint, "Check") || !strings.Contains(hint, "State graph") {
		t.Errorf("the page does not say where to start: %q", hint)
	}
	for _, label := range []string{"server: passive OPEN", "client: active OPEN", "deliver client->server", "deliver server->client", "deliver client->server"} {
		take(t, ctx, label)
	}
	if s := text(t, ctx, chromedp.ID("lane-client")); !strings.Contains(s, "ESTABLISHED") {
		t.Fatalf("after the handshake the client is %q", s)
	}

	pickVariant(t, ctx, "two-way-handshake")
	openTab(t, ctx, "check")
	do(t, ctx, "run the check", chromedp.Click(chromedp.ID("check-run")),
		chromedp.WaitVisible(chromedp.CSS(`#check-summary a`)))
	summary := text(t, ctx, chromedp.ID("check-summary"))
	if !strings.Contains(summary, "no-stale-connection") || !strings.Contains(summary, "violated") {
		t.Errorf("summary %q does not name the violated no-stale-connection", summary)
	}
	row := `tr[data-property="no-stale-connection"]`
	if v := text(t, ctx, chromedp.CSS(row+` td:nth-child(3)`)); v != "VIOLATED" {
		t.Errorf("no-stale-connection: verdict %q, want VIOLATED", v)
	}
	link := text(t, ctx, chromedp.ID("trace-no-stale-connection"))
	var n int
	if _, err := fmt.Sscanf(link, "counterexample (%d steps)", &n); err != nil || link != fmt.Sprintf("counterexample (%d steps)", n) {
		t.Errorf("the trace link says %q, want \"counterexample (N steps)\"", link)
	}
	if w := text(t, ctx, chromedp.CSS(`tr[data-property="four-way-close"] a.trace`)); !strings.HasPrefix(w, "witness (") {
		t.Errorf("the witness link of four-way-close says %q, want \"witness (N steps)\"", w)
	}
	// The summary's link is the one a newcomer sees first.
	do(t, ctx, "follow the counterexample", chromedp.Click(chromedp.CSS(`#check-summary a`)),
		chromedp.WaitVisible(chromedp.CSS(`#diagram g.step.marked`)))
	path := text(t, ctx, chromedp.ID("path"))
	steps := strings.Count(path, ".")
	if steps != n {
		t.Errorf("path %s has %d steps, the link said %d", path, steps, n)
	}
	if m := eval[int](t, ctx, `+document.querySelector('#diagram g.step.marked').dataset.step`); m != steps {
		t.Errorf("the diagram marks step %d, want the last, %d", m, steps)
	}
	if s := text(t, ctx, chromedp.ID("state-mark")); !strings.Contains(s, fmt.Sprintf("after step %d) violates no-stale-connection", steps)) {
		t.Errorf("the state panel says %q, want that this state violates no-stale-connection", s)
	}
	if !eval[bool](t, ctx, `document.getElementById('state').classList.contains('marked')`) {
		t.Error("the state table is not marked as the violating state")
	}
	if b := text(t, ctx, chromedp.ID("banner")); !strings.Contains(b, fmt.Sprintf("counterexample of no-stale-connection: step %d violates it", steps)) {
		t.Errorf("banner %q", b)
	}
	// A connection the client never asked for: the server ESTABLISHED.
	if s := text(t, ctx, chromedp.ID("lane-server")); !strings.Contains(s, "ESTABLISHED") {
		t.Errorf("the violating state's server is %q, want ESTABLISHED", s)
	}
	sys, _, _, err := spec.TCP().BuildVariant("two-way-handshake", nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := sys.(checker.Explorer).Find(context.Background(), "no-stale-connection", checker.Options{})
	if err != nil || f.Trace == nil {
		t.Fatalf("find: %v, trace %v", err, f.Trace)
	}
	if want := checker.FormatPath(f.Path); path != want {
		t.Errorf("path %s, want the counterexample's %s", path, want)
	}

	// The state graph draws itself when its tab opens.
	openTab(t, ctx, "graph")
	do(t, ctx, "see the state graph", chromedp.WaitVisible(chromedp.CSS(`#graph svg g.node`)))
	title := eval[string](t, ctx, `document.querySelector('#graph svg > text').textContent`)
	if !strings.Contains(title, "variant two-way-handshake") || !strings.Contains(title, "projected onto the client, compared with RFC 9293 Figure 5") {
		t.Errorf("graph title %q", title)
	}
	nodes := eval[[]string](t, ctx, `[...document.querySelectorAll('#graph g.node')].map((n) => n.dataset.label).sort()`)
	want := append([]string(nil), figure5...)
	sort.Strings(want)
	if strings.Join(nodes, " ") != strings.Join(want, " ") {
		t.Errorf("graph states %v, want Figure 5's %v", nodes, want)
	}
	// The arrow the variant skips (LISTEN -> SYN_RECEIVED) is on the figure
	// but taken by no behaviour: greyed.
	if n := eval[int](t, ctx, `document.querySelectorAll('#graph g.edge.missing[data-from="LISTEN"][data-to="SYN_RECEIVED"]').length`); n != 1 {
		t.Errorf("%d greyed LISTEN -> SYN_RECEIVED arrows, want 1 (two-way-handshake never takes it)", n)
	}
}

// TestBrowserLasso: a violated leads-to property's counterexample is a
// lasso; following it shows the loop shaded in the diagram, where it
// starts marked there and in the state panel, and explained in the
// banner. (In tcp's variants the lassos stutter: the behaviour stays in
// its last state forever, the loop being that state.)
func TestBrowserLasso(t *testing.T) {
	url, ctx := browse(t)
	const prop = "client-close-leads-to-closed"
	do(t, ctx, "check fixed-isn", chromedp.Navigate(url+"/tcp/fixed-isn#check"),
		chromedp.WaitVisible(chromedp.ID("check-run")), chromedp.Click(chromedp.ID("check-run")),
		chromedp.WaitVisible(chromedp.ID("trace-"+prop)))
	link := text(t, ctx, chromedp.ID("trace-"+prop))
	if !strings.HasPrefix(link, "counterexample (") || !strings.HasSuffix(link, " steps, lasso)") {
		t.Errorf("the trace link says %q, want \"counterexample (N steps, lasso)\"", link)
	}
	do(t, ctx, "follow the lasso", chromedp.Click(chromedp.ID("trace-"+prop)),
		chromedp.WaitVisible(chromedp.CSS(`#diagram rect.loop`)))
	path := text(t, ctx, chromedp.ID("path"))
	steps := strings.Count(path, ".")
	q := eval[map[string]string](t, ctx, `Object.fromEntries(new URLSearchParams(location.search))`)
	loop, err := strconv.Atoi(q["loop"])
	if err != nil || loop < 0 || loop > steps {
		t.Fatalf("address %v: no loop within the %d steps", q, steps)
	}
	// The loop's shading covers the step it starts at, through the last.
	cover := eval[bool](t, ctx, fmt.Sprintf(`(() => {
		const shade = document.querySelector('#diagram rect.loop').getBoundingClientRect();
		const from = document.querySelector('#diagram g.step[data-step="%d"]').getBoundingClientRect();
		const last = document.querySelector('#diagram g.step[data-step="%d"]').getBoundingClientRect();
		const before = %d > 0 ? document.querySelector('#diagram g.step[data-step="%d"]').getBoundingClientRect() : null;
		return shade.top <= from.top && shade.bottom >= last.bottom - 1 && (!before || shade.top >= before.bottom - 6);
	})()`, loop, steps, loop, loop-1))
	if !cover {
		t.Errorf("the loop's shading does not cover steps %d..%d alone", loop, steps)
	}
	start := eval[string](t, ctx, fmt.Sprintf(`(document.querySelector('#diagram g.step[data-step="%d"] text.loop-start') || {}).textContent || ''`, loop))
	if !strings.Contains(start, "loop starts here") {
		t.Errorf("step %d of the diagram says %q, want \"loop starts here\"", loop, start)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#diagram text.loop-start').length`); n != 1 {
		t.Errorf("%d loop-start markers, want 1", n)
	}
	if s := text(t, ctx, chromedp.ID("state-loop")); !strings.Contains(s, "loop starts here") {
		t.Errorf("the state panel says %q, want \"loop starts here\"", s)
	}
	if b := text(t, ctx, chromedp.ID("banner")); !strings.Contains(b, "counterexample of "+prop) || !strings.Contains(b, "forever (a lasso)") {
		t.Errorf("banner %q does not explain the lasso", b)
	}
	// Back: a prefix of the lasso has no loop.
	do(t, ctx, "back", chromedp.Click(chromedp.ID("back")),
		poll(fmt.Sprintf(`document.getElementById('path').textContent.split('.').length === %d`, steps)),
		poll(fmt.Sprintf(`document.querySelector('#diagram g.step[data-step="%d"]') && !document.querySelector('#diagram g.step[data-step="%d"]')`, steps-1, steps)))
	if n := eval[int](t, ctx, `document.querySelectorAll('#diagram rect.loop, #state-loop').length`); n != 0 {
		t.Errorf("after back, %d loop markers remain", n)
	}
}
