package catalog

import (
	"strings"
	"testing"

	"github.com/handshake/handshake/checker"
)

func TestValidateAcceptsAWellFormedCatalog(t *testing.T) {
	build := func(string, map[string]int) (checker.System, error) { return nil, nil }
	ms := Models{
		{Name: "a", Build: build, Variants: []Variant{{Name: "x"}, {Name: "y", Params: []Param{{Name: "n", Default: 1, Min: 1, Max: 2}}}}},
		{Name: "b", Build: build, Variants: []Variant{{Name: "x"}}, Params: []Param{{Name: "n", Default: 0, Min: 0, Max: 0}}},
	}
	if err := ms.Validate(); err != nil {
		t.Errorf("well-formed catalog refused: %v", err)
	}
}

func TestValidateNamesEveryProblem(t *testing.T) {
	build := func(string, map[string]int) (checker.System, error) { return nil, nil }
	ms := Models{
		nil,
		{Build: build, Variants: []Variant{{Name: "x"}}},
		{Name: "c", Build: build},
		{Name: "d", Build: build, Variants: []Variant{{}, {Name: "v", Params: []Param{{Name: "p"}, {Name: "p"}}}}},
	}
	err := ms.Validate()
	if err == nil {
		t.Fatal("malformed catalog accepted")
	}
	for _, want := range []string{"model #0 is nil", "model #1 has no name", `model "c" has no variant`,
		`model "d": a variant has no name`, `model "d" variant "v": parameter "p" listed twice`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error is not one line: %q", err)
	}
}

func TestLookupAndVariantNameTheKnown(t *testing.T) {
	ms := Models{{Name: "b"}, {Name: "a", Variants: []Variant{{Name: "x"}, {Name: "y"}}}}
	if _, err := ms.Lookup("c"); err == nil || !strings.Contains(err.Error(), "(known: a, b)") {
		t.Errorf("Lookup(c): %v", err)
	}
	e, err := ms.Lookup("a")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := e.Variant(""); err != nil || v.Name != "x" {
		t.Errorf("default variant: %v, %v", v, err)
	}
	if _, err := e.Variant("z"); err == nil || !strings.Contains(err.Error(), "(known: x, y)") {
		t.Errorf("Variant(z): %v", err)
	}
	if got := e.Variants[1].Expected("p"); got != checker.Holds {
		t.Errorf("unlisted property expected %s, want holds", got)
	}
}
