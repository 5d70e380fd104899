package matrix_test

import (
	"context"
	"fmt"
	"os"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/examples/abp/abp"
	"github.com/handshake/handshake/matrix"
)

// Every variant of a small model (the alternating-bit protocol of
// examples/abp) checked and held to its expected verdicts.
func Example() {
	m, err := matrix.Compute(context.Background(), abp.Entry(), checker.Options{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range m.Rows {
		fmt.Printf("%s: %d states, complete %v\n", r.Variant.Name, r.Report.Distinct, r.Report.Complete)
	}
	fmt.Println("unexpected:", m.Unexpected())
	matrix.WriteMarkdown(os.Stdout, []*matrix.Matrix{m})
	fmt.Println("exit status", matrix.ExitStatus([]*matrix.Matrix{m}))
	// Output:
	// sound: 38 states, complete true
	// no-bit-check: 83 states, complete true
	// unexpected: []
	// | property | `sound` | `no-bit-check` |
	// | --- | --- | --- |
	// | `in-order` | holds | **VIOLATED** |
	// | `all-delivered` | holds | holds |
	// | `delivery` | holds | holds |
	// | `deadlock` | holds | holds |
	// | distinct states | 38 | 83 |
	//
	// `abp`: 8 of 8 cells as expected.
	//
	// Variants, with the parameters that differ from the model's defaults (messages=2 loss=1):
	//
	// - `sound`: the receiver delivers a frame only if it carries the bit it expects
	// - `no-bit-check`: the receiver delivers every frame: a retransmission is delivered twice
	// exit status 0
}
