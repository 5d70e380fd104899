// Command handshake checks the formal models of how HTTP/HTTPS connections
// are set up and torn down: it explores a model's state space exhaustively
// and reports, for each property, whether it holds, with the shortest
// counterexample drawn as a sequence diagram when it does not.
//
// Usage:
//
//	handshake list [MODEL]
//	handshake check MODEL [flags]
//	handshake matrix [MODEL] [--json | --markdown]
//	handshake simulate MODEL [flags]
//	handshake explore MODEL [flags]
//	handshake trace MODEL [--property P | --path PATH] [--format text|mermaid|json]
//	handshake replay FILE
//	handshake graph MODEL [--project ROLE] [--format dot|json]
//	handshake serve [MODEL] [--addr HOST:PORT]
//	handshake validate FILE... (- for standard input) [--capture-point auto|endpoint|path] [--json] [--width N]
//	handshake help
//
// Every command but validate is the library's (package cli), serving the
// models listed here; validate checks captured TCP connections against
// the RFC 9293 model (package capture/validation), as does serve's
// validation page.
//
// Exit status: 0 all properties hold; 1 a property is violated; 2 usage or
// input error; 3 incomplete (a limit was reached or the run was
// interrupted before every property was decided).
package main

import (
	"os"

	"github.com/handshake/handshake/capture/validation"
	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/cli"
	"github.com/handshake/handshake/spec"
)

// models are the models of this repository, which every command serves.
func models() catalog.Models {
	return catalog.Models{spec.TCP(), spec.TCPAbstract(), spec.TLS(), spec.HTTPS()}
}

// program is the handshake command with the given models.
func program(ms catalog.Models) *cli.Program {
	return &cli.Program{
		Name:     "handshake",
		Summary:  "handshake checks formal models of connection setup and teardown.",
		Models:   ms,
		Commands: []cli.Command{validateCommand},
		Validate: validation.Web,
	}
}

func main() { os.Exit(program(models()).Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
