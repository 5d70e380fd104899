package tcp

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/handshake/handshake/checker"
)

// fieldBytes sums the sizes of the leaf fields of a type.
func fieldBytes(t reflect.Type) uintptr {
	switch t.Kind() {
	case reflect.Struct:
		var n uintptr
		for i := 0; i < t.NumField(); i++ {
			n += fieldBytes(t.Field(i).Type)
		}
		return n
	case reflect.Array:
		return uintptr(t.Len()) * fieldBytes(t.Elem())
	}
	return t.Size()
}

func TestStateHasNoPadding(t *testing.T) {
	var s State
	if got, want := unsafe.Sizeof(s), fieldBytes(reflect.TypeOf(s)); got != want {
		t.Errorf("State is %d bytes but its fields are %d: padding", got, want)
	}
}

// reachable explores the model breadth first (a plain BFS, independent of
// the checker engine).
func reachable(cfg Config) []State {
	seen := map[State]bool{Init(): true}
	q := []State{Init()}
	var buf []checker.Action
	for i := 0; i < len(q); i++ {
		buf = cfg.Actions(q[i], buf[:0])
		for _, a := range buf {
			n := cfg.Next(q[i], a)
			if !seen[n] {
				seen[n] = true
				q = append(q, n)
			}
		}
	}
	return q
}

func TestActionsAndNextDoNotAllocate(t *testing.T) {
	cfg := DefaultConfig()
	states := reachable(cfg)
	buf := make([]checker.Action, 0, 64)
	allocs := testing.AllocsPerRun(3, func() {
		for _, s := range states[:2000] {
			buf = cfg.Actions(s, buf[:0])
			for _, a := range buf {
				_ = cfg.Next(s, a)
			}
		}
	})
	if allocs != 0 {
		t.Errorf("Actions/Next allocate %.0f times per run", allocs)
	}
}

func TestChannelsNeverExceedTheCapacity(t *testing.T) {
	for _, c := range []int{1, 2, 3} {
		cfg := DefaultConfig()
		cfg.Cap = c
		for _, s := range reachable(cfg) {
			if s.InFlight() > c {
				t.Fatalf("cap %d: %d segments in flight:\n%s", c, s.InFlight(), Format(s))
			}
		}
	}
}

func TestOnlyEndStatesHaveNoActions(t *testing.T) {
	cfg := DefaultConfig()
	ends := 0
	for _, s := range reachable(cfg) {
		if len(cfg.Actions(s, nil)) == 0 {
			if !EndState(s) {
				t.Fatalf("deadlock:\n%s", Format(s))
			}
			ends++
		}
	}
	if ends == 0 {
		t.Errorf("no end state reachable")
	}
}

func TestActionEncodingRoundTrips(t *testing.T) {
	a := act(Arrive, Server, 0x1203)
	k, side, p := Decode(a)
	if k != Arrive || side != Server || p != 0x1203 {
		t.Errorf("Decode(act(Arrive, Server, 0x1203)) = %v %v %#x", k, side, p)
	}
}
