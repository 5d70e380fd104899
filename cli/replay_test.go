package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/handshake/handshake/render"
)

// writeTemp writes data to a file in a test directory.
func writeTemp(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// traceJSON runs trace --format json and returns its output.
func traceJSON(t *testing.T, a ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, append(append([]string{"trace"}, a...), "--format", "json")...)
	if code != exitHolds {
		t.Fatalf("trace %q: exit %d, stderr %q", a, code, errOut)
	}
	return out
}

// The round trip trace -> JSON -> replay: the replayed behaviour follows
// the same path, draws the same diagram as the text trace, and is still a
// counterexample.
func TestTraceJSONReplayRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name  string
		args  []string
		still string
	}{
		{"data-after-fin", args("tcp", "--variant", "data-after-fin", smallTCP), "still a counterexample: the last state violates the invariant"},
		{"witness", args("tcp", "--property", "simultaneous-open", smallTCP), "still a witness: the last step is the step sought"},
		{"lasso", args("test-retransmit"), "not re-judged"},
		{"path", args("test-counter", "--path", "0.0.0"), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			js := traceJSON(t, c.args...)
			var doc render.TraceDoc
			if err := json.Unmarshal([]byte(js), &doc); err != nil {
				t.Fatal(err)
			}
			file := writeTemp(t, "trace.json", js)
			code, out, errOut := runCLI(t, "replay", file)
			if code != exitHolds || errOut != "" {
				t.Fatalf("replay: exit %d, stderr %q", code, errOut)
			}
			if !strings.Contains(out, "\npath: "+doc.Path+"\n") {
				t.Errorf("replay does not follow path %s:\n%s", doc.Path, out)
			}
			if c.still != "" && !strings.Contains(out, c.still) {
				t.Errorf("replay does not say %q:\n%s", c.still, out)
			}
			// The diagram and steps are those of the text trace.
			_, text, _ := runCLI(t, append([]string{"trace"}, c.args...)...)
			_, wantDiagram, _ := strings.Cut(text, "\n\n")
			_, gotDiagram, _ := strings.Cut(out, "\n\n")
			if diff := cmp.Diff(wantDiagram, gotDiagram); diff != "" {
				t.Errorf("replayed diagram differs from the trace's (-trace +replay):\n%s", diff)
			}
		})
	}
}

func TestReplayGolden(t *testing.T) {
	js := traceJSON(t, "test-counter", "--variant", "broken", "--set", "limit=3")
	dir := t.TempDir()
	file := filepath.Join(dir, "cex.json")
	if err := os.WriteFile(file, []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, "replay", file)
	if code != exitHolds {
		t.Fatalf("exit %d", code)
	}
	golden(t, "replay_counter_broken.txt", strings.ReplaceAll(out, dir+string(filepath.Separator), ""))
}

// A trace of one variant is not a behaviour of another: the sound
// endpoints never send data after their FIN.
func TestReplayOnOtherVariantFails(t *testing.T) {
	js := traceJSON(t, args("tcp", "--variant", "data-after-fin", smallTCP)...)
	js = strings.Replace(js, `"variant": "data-after-fin"`, `"variant": "rfc9293"`, 1)
	code, out, errOut := runCLI(t, "replay", writeTemp(t, "t.json", js))
	if code != exitNotBehaviour || out != "" || strings.Count(errOut, "\n") != 1 ||
		!strings.Contains(errOut, "not a behaviour of model tcp, variant rfc9293") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// Tampered files: exit 1 with one line when the file is well formed but
// not a behaviour of the model; exit 2 with one line when it is malformed.
func TestReplayTamperedFile(t *testing.T) {
	orig := traceJSON(t, args("tcp", "--variant", "data-after-fin", smallTCP)...)
	lasso := traceJSON(t, "test-retransmit")
	edit := func(src string, f func(d map[string]any)) string {
		var d map[string]any
		if err := json.Unmarshal([]byte(src), &d); err != nil {
			t.Fatal(err)
		}
		f(d)
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	step := func(d map[string]any, i int) map[string]any { return d["steps"].([]any)[i].(map[string]any) }
	cases := []struct {
		name string
		data string
		code int
		want string
	}{
		{"state changed", edit(orig, func(d map[string]any) {
			s := step(d, 3)
			s["state"] = strings.Replace(s["state"].(string), "ISS=100", "ISS=101", 1)
		}), exitNotBehaviour, "step 3: action"},
		{"action renamed", edit(orig, func(d map[string]any) { step(d, 2)["action"] = "server: teleport" }), exitNotBehaviour, `step 2: no enabled action is "server: teleport"`},
		{"initial state changed", edit(orig, func(d map[string]any) { step(d, 0)["state"] = "nothing" }), exitNotBehaviour, "step 0"},
		{"steps swapped", edit(orig, func(d map[string]any) {
			st := d["steps"].([]any)
			st[1], st[2] = st[2], st[1]
			d["path"] = ""
		}), exitNotBehaviour, "step 1"},
		{"lasso not closed", edit(lasso, func(d map[string]any) {
			st := d["steps"].([]any)
			d["steps"] = st[:2]
			d["path"] = "0.0"
			d["loop"] = 0
		}), exitNotBehaviour, "the lasso does not close"},
		{"not JSON", "{\"model\": \"tcp\", ", exitUsage, "malformed trace file"},
		{"unknown field", edit(orig, func(d map[string]any) { d["colour"] = "red" }), exitUsage, `unknown field "colour"`},
		{"no steps", edit(orig, func(d map[string]any) { d["steps"] = []any{} }), exitUsage, `no "steps"`},
		{"no model", edit(orig, func(d map[string]any) { delete(d, "model") }), exitUsage, `no "model"`},
		{"unknown model", edit(orig, func(d map[string]any) { d["model"] = "sctp" }), exitUsage, `unknown model "sctp"`},
		{"path disagrees", edit(orig, func(d map[string]any) { step(d, 1)["index"] = 7 }), exitUsage, "the step says 7"},
		{"bad param", edit(orig, func(d map[string]any) { d["params"].(map[string]any)["cap"] = 99 }), exitUsage, "out of range"},
		{"trailing data", orig + "{}", exitUsage, "data after the trace object"},
		// What is wrong, in the file's terms, never a Go type name.
		{"an array", "[" + orig + "]", exitUsage, "malformed trace file: want a JSON object (a trace written by 'handshake trace --format json'), found an array"},
		{"a string", `"trace"`, exitUsage, "want a JSON object"},
		{"steps not an array", edit(orig, func(d map[string]any) { d["steps"] = "all of them" }), exitUsage, `field "steps": want an array, found a string`},
		{"index not a number", edit(orig, func(d map[string]any) { step(d, 1)["index"] = "one" }), exitUsage, `field "steps.index": want a whole number, found a string`},
		{"loop a fraction", edit(orig, func(d map[string]any) { d["loop"] = 1.5 }), exitUsage, `field "loop": want a whole number, found a number 1.5`},
		{"empty", "", exitUsage, "malformed trace file: empty file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "replay", writeTemp(t, "t.json", c.data))
			if code != c.code || out != "" {
				t.Errorf("exit %d, stdout %q; want exit %d and nothing on stdout", code, out, c.code)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "handshake: ") || !strings.Contains(errOut, c.want) ||
				strings.Contains(errOut, "Go value") || strings.Contains(errOut, "main.") {
				t.Errorf("stderr %q: want one line naming %q", errOut, c.want)
			}
		})
	}
}

func TestReplayMissingFileIsExit2(t *testing.T) {
	code, _, errOut := runCLI(t, "replay", filepath.Join(t.TempDir(), "nope.json"))
	if code != exitUsage || strings.Count(errOut, "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "replay")
	if code != exitUsage || !strings.Contains(errOut, "one FILE") {
		t.Errorf("no file: exit %d, stderr %q", code, errOut)
	}
}
