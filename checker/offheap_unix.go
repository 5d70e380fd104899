//go:build linux || darwin || freebsd

package checker

import (
	"syscall"
	"unsafe"
)

// The state tables live outside the Go heap, in an arena: one large
// reservation of address space (no memory is committed until touched),
// carved by a bump pointer into page-aligned arrays. An array that is
// replaced (a shard that grew) is handed back to the system page by page
// at once with madvise(MADV_DONTNEED), so the process's resident memory
// follows the live table closely, and the garbage collector neither scans
// nor waits for the tables. The arrays hold no Go pointers (state types
// cannot have any), so this is safe. The whole arena is marked for
// transparent huge pages: random probes into a large table would
// otherwise miss the TLB on almost every access, which is dear under
// virtualization.
//
// Small arrays (below smallArray bytes) come from the Go heap instead, and
// the reservation is made only when the first large array is asked for:
// a small model then costs no system call and no huge-page fault (each of
// which zeroes 2 MiB), which made checking thousands of tiny models (the
// engine's property-based cross-checks) spend most of their time in mmap,
// page faults and munmap. A large run leaves the heap within its first
// few growths of the table.

const (
	arenaReserve = 1 << 39 // 512 GiB of address space, not memory
	pageSize     = 4 << 10
	hugePage     = 2 << 20
	smallArray   = 64 << 10
)

type arena struct {
	mem    []byte // the reservation, nil if not made (yet) or mapping failed
	off    uintptr
	mapped bool // the reservation was attempted
}

// newArena returns an arena; its reservation is made on first need.
func newArena() *arena { return &arena{} }

// reserve makes the reservation, once.
func (a *arena) reserve() {
	if a.mapped {
		return
	}
	a.mapped = true
	b, err := syscall.Mmap(-1, 0, arenaReserve, syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_ANON|syscall.MAP_PRIVATE|mapNoReserve)
	if err != nil {
		return
	}
	a.mem = b
	// Start at a huge-page boundary.
	a.off = (hugePage - uintptr(unsafe.Pointer(&b[0]))%hugePage) % hugePage
	adviseHuge(b)
}

func allocArray[T any](a *arena, n int) []T {
	var zero T
	size := uintptr(n) * unsafe.Sizeof(zero)
	if a == nil || size < smallArray {
		return make([]T, n)
	}
	a.reserve()
	if a.mem == nil || a.off+size > uintptr(len(a.mem)) {
		return make([]T, n)
	}
	p := unsafe.Pointer(&a.mem[a.off])
	a.off += (size + pageSize - 1) &^ (pageSize - 1)
	return unsafe.Slice((*T)(p), n)
}

// freeArray returns the memory of an array from allocArray; arrays from
// the Go heap are left to the collector.
func freeArray[T any](a *arena, arr []T) {
	if a == nil || a.mem == nil || len(arr) == 0 {
		return
	}
	var zero T
	p := uintptr(unsafe.Pointer(&arr[0]))
	base := uintptr(unsafe.Pointer(&a.mem[0]))
	if p < base || p >= base+uintptr(len(a.mem)) {
		return
	}
	size := (uintptr(len(arr))*unsafe.Sizeof(zero) + pageSize - 1) &^ (pageSize - 1)
	_ = syscall.Madvise(a.mem[p-base:p-base+size], syscall.MADV_DONTNEED)
}

// release unmaps the whole arena.
func (a *arena) release() {
	if a != nil && a.mem != nil {
		_ = syscall.Munmap(a.mem)
		a.mem = nil
	}
}
