// Command abp checks the alternating-bit protocol (package abp) with every
// command of the handshake tool: list, check, matrix, simulate, explore,
// trace, replay and graph, with their flags, outputs and exit statuses.
//
//	go run ./examples/abp check abp --variant no-bit-check
package main

import (
	"os"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/cli"
	"github.com/handshake/handshake/examples/abp/abp"
)

// program is the whole tool serving the one model.
func program() *cli.Program {
	return &cli.Program{Name: "abp", Models: catalog.Models{abp.Entry()}}
}

func main() { os.Exit(program().Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
