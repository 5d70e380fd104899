//go:build !linux && (darwin || freebsd)

package checker

const mapNoReserve = 0

func adviseHuge(b []byte) {}
