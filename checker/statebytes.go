package checker

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"reflect"
	"unsafe"
)

// A state's bytes are its identity: the engine hashes them into a 64-bit
// fingerprint. That is sound only if equal states have equal bytes, so a
// state type may hold only booleans and integers, in arrays and structs,
// with no padding between or after fields (padding bytes are not copied
// reliably) and no blank (_) fields (== ignores them). Floats are refused
// too: -0 == +0 with different bytes, and NaN != NaN.

// stateTypeError returns an error if S cannot be hashed by its bytes. Its
// message starts with the offending type or field ("tcp.State.Conn[i].RTT
// is a float64 (...)"); Validate reports it as a problem of the model.
func stateTypeError[S comparable]() error {
	var zero S
	t := reflect.TypeOf(&zero).Elem()
	return checkBytesType(t, t.String())
}

func checkBytesType(t reflect.Type, path string) error {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return nil
	case reflect.Array:
		return checkBytesType(t.Elem(), path+"[i]")
	case reflect.Struct:
		var off uintptr
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Name == "_" {
				return fmt.Errorf("%s has a blank field (name it, so that == compares it)", path)
			}
			if f.Offset != off {
				return fmt.Errorf("%s has %d padding bytes before field %s (reorder or size the fields)", path, f.Offset-off, f.Name)
			}
			if err := checkBytesType(f.Type, path+"."+f.Name); err != nil {
				return err
			}
			off += f.Type.Size()
		}
		if off != t.Size() {
			return fmt.Errorf("%s has %d padding bytes at its end (add a named field)", path, t.Size()-off)
		}
		return nil
	}
	return fmt.Errorf("%s is a %s (states may hold only booleans and integers, in arrays and structs)", path, t.Kind())
}

// stateBytes views the bytes of *s.
func stateBytes[S comparable](s *S) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(s)), unsafe.Sizeof(*s))
}

// mix64 is the splitmix64 finalizer: a bijection on 64-bit words with
// good avalanche, so fingerprints of states of at most 8 bytes are
// injective (exact) and still well spread.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// fingerprint hashes the bytes of a state to 64 bits. For states of at
// most 8 bytes it is injective.
func fingerprint[S comparable](s *S) uint64 {
	b := stateBytes(s)
	n := len(b)
	switch {
	case n == 8:
		return mix64(binary.LittleEndian.Uint64(b))
	case n < 8:
		var w uint64
		for i := n - 1; i >= 0; i-- {
			w = w<<8 | uint64(b[i])
		}
		return mix64(w)
	}
	// Wider states: a multiply-mix over 64-bit words (in the manner of
	// wyhash), then a final avalanche.
	const k0, k1 = 0xa0761d6478bd642f, 0xe7037ed1a0b428db
	h := uint64(n) * k0
	for len(b) >= 16 {
		hi, lo := bits.Mul64(binary.LittleEndian.Uint64(b)^k0, binary.LittleEndian.Uint64(b[8:])^h)
		h = hi ^ lo ^ k1
		b = b[16:]
	}
	if len(b) >= 8 {
		hi, lo := bits.Mul64(binary.LittleEndian.Uint64(b)^k1, h^k0)
		h = hi ^ lo
		b = b[8:]
	}
	if len(b) > 0 {
		var w uint64
		for i := len(b) - 1; i >= 0; i-- {
			w = w<<8 | uint64(b[i])
		}
		hi, lo := bits.Mul64(w^k0, h^k1)
		h = hi ^ lo
	}
	return mix64(h)
}

// injective reports whether fingerprints of S are exact.
func injective[S comparable]() bool {
	var s S
	return unsafe.Sizeof(s) <= 8
}
