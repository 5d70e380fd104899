//go:build !(linux || darwin || freebsd)

package checker

type arena struct{}

func newArena() *arena { return &arena{} }

func allocArray[T any](a *arena, n int) []T { return make([]T, n) }

func freeArray[T any](a *arena, arr []T) {}

func (a *arena) release() {}
