//go:build linux || darwin || freebsd

package checker

import (
	"syscall"
	"unsafe"
)

// Large arrays of the state tables live outside the Go heap, in anonymous
// memory mappings that are returned to the system as soon as a shard
// grows. The garbage collector then neither scans nor waits for them, and
// the process's resident memory follows the live table closely. The
// arrays hold no Go pointers (state types cannot have any), so this is
// safe.

const offHeapMin = 64 << 10 // smaller arrays use the Go heap

func allocArray[T any](n int) []T {
	var zero T
	size := uintptr(n) * unsafe.Sizeof(zero)
	if size < offHeapMin {
		return make([]T, n)
	}
	b, err := syscall.Mmap(-1, 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]T, n)
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), n)
}

func freeArray[T any](a []T) {
	var zero T
	size := uintptr(len(a)) * unsafe.Sizeof(zero)
	if size < offHeapMin || len(a) == 0 {
		return
	}
	_ = syscall.Munmap(unsafe.Slice((*byte)(unsafe.Pointer(&a[0])), size))
}
