//go:build !(linux || darwin || freebsd)

package checker

func allocArray[T any](n int) []T { return make([]T, n) }

func freeArray[T any](a []T) {}
