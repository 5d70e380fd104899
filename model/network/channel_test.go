package network

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

type msg struct{ A, B uint32 }

func TestChannelIsFIFOAndBounded(t *testing.T) {
	var c Channel[msg]
	for i := uint32(1); i <= 3; i++ {
		if !c.Push(msg{A: i}, 3) {
			t.Fatalf("push %d refused below capacity", i)
		}
	}
	if c.Push(msg{A: 4}, 3) {
		t.Fatalf("push accepted beyond capacity 3")
	}
	var got []uint32
	for !c.Empty() {
		ds := c.Deliveries(Reliable, nil)
		if diff := cmp.Diff([]Delivery{{Kind: Deliver, Index: 0}}, ds); diff != "" {
			t.Fatalf("deliveries (-want +got):\n%s", diff)
		}
		got = append(got, c.Take(ds[0]).A)
	}
	if diff := cmp.Diff([]uint32{1, 2, 3}, got); diff != "" {
		t.Errorf("delivery order (-want +got):\n%s", diff)
	}
	if len(c.Deliveries(Reliable, nil)) != 0 {
		t.Errorf("empty channel offers a delivery")
	}
}

func TestChannelTakeZeroesFreedSlot(t *testing.T) {
	var a, b Channel[msg]
	a.Push(msg{A: 1, B: 1}, MaxCap)
	a.Push(msg{A: 2, B: 2}, MaxCap)
	a.Take(Delivery{Kind: Deliver, Index: 0})
	b.Push(msg{A: 2, B: 2}, MaxCap)
	if a != b {
		t.Errorf("same contents, different values: %+v vs %+v", a, b)
	}
}

func TestDeliveryCodeRoundTrips(t *testing.T) {
	for _, d := range []Delivery{{Deliver, 0}, {Deliver, 3}} {
		if got := DeliveryOf(d.Code()); got != d {
			t.Errorf("DeliveryOf(%#x) = %+v, want %+v", d.Code(), got, d)
		}
	}
}
