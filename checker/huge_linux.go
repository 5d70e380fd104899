package checker

import "syscall"

const mapNoReserve = syscall.MAP_NORESERVE

func adviseHuge(b []byte) { _ = syscall.Madvise(b, 14 /* MADV_HUGEPAGE */) }
