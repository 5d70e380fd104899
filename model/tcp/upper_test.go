package tcp

import "testing"

// TestActInvertsDecode: the encoding an upper layer uses is Actions' own.
func TestActInvertsDecode(t *testing.T) {
	for _, k := range []Kind{PassiveOpen, ActiveOpen, Send, Close, Abort, Segmentize, Timeout, Arrive, Retransmit, GiveUp} {
		for side := 0; side < 2; side++ {
			for _, p := range []uint16{0, 1, 0x1203} {
				a := Act(k, side, p)
				if k2, s2, p2 := Decode(a); k2 != k || s2 != side || p2 != p {
					t.Errorf("Decode(Act(%d, %d, %#x)) = %d, %d, %#x", k, side, p, k2, s2, p2)
				}
			}
		}
	}
}

// TestCanWriteIsCanSendWithoutTheDataBound: on every state of a small
// model, CanWrite agrees with the application's own SEND (outside LISTEN)
// while the application has data left, and still allows SEND once it has
// written Config.Data octets.
func TestCanWriteIsCanSendWithoutTheDataBound(t *testing.T) {
	c := DefaultConfig()
	c.Data, c.Cap = 1, 2
	seen := map[State]bool{}
	queue := []State{Init()}
	wroteAll := 0
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if seen[s] {
			continue
		}
		seen[s] = true
		for side := 0; side < 2; side++ {
			e := &s.Ep[side]
			if e.State == LISTEN {
				continue
			}
			if int(e.Wrote) < c.Data {
				if got, want := c.CanWrite(&s, side), c.canSend(&s, side); got != want {
					t.Fatalf("%s in %s: CanWrite %v, canSend %v", SideNames[side], e.State, got, want)
				}
			} else if c.CanWrite(&s, side) {
				wroteAll++
			}
		}
		for _, a := range c.Actions(s, nil) {
			queue = append(queue, c.Next(s, a))
		}
	}
	if wroteAll == 0 {
		t.Error("CanWrite never allowed a SEND beyond Config.Data")
	}
}
