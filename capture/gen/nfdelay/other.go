//go:build !linux

package main

import (
	"fmt"
	"os"
)

// nfdelay speaks the Linux nfnetlink_queue protocol and runs in
// Linux network namespaces: it has nothing to do elsewhere.
func main() {
	fmt.Fprintln(os.Stderr, "nfdelay: Linux only")
	os.Exit(2)
}
