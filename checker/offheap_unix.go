//go:build linux || darwin || freebsd

package checker

import (
	"sync"
	"syscall"
	"unsafe"
)

// Large arrays of the state tables live outside the Go heap, in anonymous
// memory mappings that are returned to the system as soon as a shard
// grows. The garbage collector then neither scans nor waits for them, and
// the process's resident memory follows the live table closely. The
// arrays hold no Go pointers (state types cannot have any), so this is
// safe. Arrays of 2 MiB and more are aligned to 2 MiB and marked for
// transparent huge pages: random probes into a large table would
// otherwise miss the TLB on almost every access.

const (
	offHeapMin = 64 << 10 // smaller arrays use the Go heap
	hugeMin    = 2 << 20
	hugePage   = 2 << 20
)

var mappings sync.Map // data pointer -> whole mapping ([]byte)

func allocArray[T any](n int) []T {
	var zero T
	size := uintptr(n) * unsafe.Sizeof(zero)
	if size < offHeapMin {
		return make([]T, n)
	}
	total := size
	if size >= hugeMin {
		total += hugePage
	}
	b, err := syscall.Mmap(-1, 0, int(total), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]T, n)
	}
	data := b
	if size >= hugeMin {
		off := (hugePage - uintptr(unsafe.Pointer(&b[0]))%hugePage) % hugePage
		data = b[off : off+size]
		adviseHuge(data)
	}
	p := unsafe.Pointer(&data[0])
	mappings.Store(uintptr(p), b)
	return unsafe.Slice((*T)(p), n)
}

func freeArray[T any](a []T) {
	if len(a) == 0 {
		return
	}
	p := uintptr(unsafe.Pointer(&a[0]))
	if b, ok := mappings.LoadAndDelete(p); ok {
		_ = syscall.Munmap(b.([]byte))
	}
}
