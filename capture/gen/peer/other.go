//go:build !linux

package main

import (
	"fmt"
	"os"
)

// The peer drives Linux socket options (TCP_KEEPIDLE, ...) and runs in
// Linux network namespaces: it has nothing to do elsewhere.
func main() {
	fmt.Fprintln(os.Stderr, "peer: Linux only")
	os.Exit(2)
}
