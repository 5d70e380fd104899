//go:build !linux

package checker

func adviseHuge(b []byte) {}
