package catalog_test

import (
	"fmt"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
)

// A malformed catalog is refused with every problem named, before any
// command runs.
func ExampleModels_Validate() {
	build := func(string, map[string]int) (checker.System, error) { return nil, nil }
	ms := catalog.Models{
		{Name: "abp", Build: build, Variants: []catalog.Variant{{Name: "sound"}, {Name: "sound"}}},
		{Name: "abp", Variants: []catalog.Variant{{Name: "sound"}},
			Params: []catalog.Param{{Name: "loss", Default: 5, Min: 0, Max: 3}}},
	}
	fmt.Println(ms.Validate())
	// Output:
	// catalog: model "abp": variant "sound" listed twice; model "abp" listed twice; model "abp": Build is nil; model "abp": parameter "loss": default 5 outside [0, 3]
}
