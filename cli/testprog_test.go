package cli

import (
	"context"
	"io"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/render"
	"github.com/handshake/handshake/spec"
)

// testModels are the test-only models, added by the test files' init
// functions, so that the commands can be tested on violations and limits
// whatever the real models do.
var testModels catalog.Models

// testProgram is the handshake command as cmd/handshake makes it (without
// its validate command), serving this repository's models and the test
// models.
func testProgram() *Program {
	ms := catalog.Models{spec.TCP(), spec.TCPAbstract(), spec.TLS(), spec.HTTPS()}
	return &Program{
		Name:    "handshake",
		Summary: "handshake checks formal models of connection setup and teardown.",
		Models:  append(ms, testModels...),
	}
}

func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return testProgram().RunContext(ctx, args, stdin, stdout, stderr)
}

// Exit statuses, as the tests name them.
const (
	exitHolds      = render.ExitHolds
	exitViolated   = render.ExitViolated
	exitUsage      = render.ExitUsage
	exitIncomplete = render.ExitIncomplete
)
