package network

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func twoInFlight() Channel[msg] {
	var c Channel[msg]
	c.Push(msg{A: 1}, 4)
	c.Push(msg{A: 2}, 4)
	return c
}

func TestDeliveriesPerSemantics(t *testing.T) {
	for _, tc := range []struct {
		sem  Semantics
		want []Delivery
	}{
		{Reliable, []Delivery{{Deliver, 0}}},
		{Semantics{Loss: 1}, []Delivery{{Deliver, 0}, {Drop, 0}, {Drop, 1}}},
		{Semantics{Reorder: true}, []Delivery{{Deliver, 0}, {Deliver, 1}}},
		{Semantics{Dup: 1}, []Delivery{{Deliver, 0}, {Duplicate, 0}}},
	} {
		c := twoInFlight()
		if diff := cmp.Diff(tc.want, c.Deliveries(tc.sem, nil)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.sem, diff)
		}
	}
}

func TestDuplicateKeepsTheMessageAndSpendsTheBudget(t *testing.T) {
	c := twoInFlight()
	sem := Semantics{Dup: 1}
	if got := c.Take(Delivery{Duplicate, 0}); got.A != 1 || c.Len != 2 || c.Dups != 1 {
		t.Fatalf("after duplicate: got %v, len %d, dups %d", got, c.Len, c.Dups)
	}
	if diff := cmp.Diff([]Delivery{{Deliver, 0}}, c.Deliveries(sem, nil)); diff != "" {
		t.Errorf("budget spent, deliveries (-want +got):\n%s", diff)
	}
}

func TestDropRemovesWithoutDelivering(t *testing.T) {
	c := twoInFlight()
	d := Delivery{Drop, 1}
	if d.Received() {
		t.Errorf("a drop is received")
	}
	c.Take(d)
	if c.Len != 1 || c.At(0).A != 1 || c.Msgs[1] != (msg{}) {
		t.Errorf("after dropping the second: %+v", c)
	}
}

func TestLossSpendsTheBudget(t *testing.T) {
	c := twoInFlight()
	sem := Semantics{Loss: 1}
	c.Take(Delivery{Drop, 0})
	if c.Lost != 1 || c.Len != 1 {
		t.Fatalf("after a drop: lost %d, len %d", c.Lost, c.Len)
	}
	if diff := cmp.Diff([]Delivery{{Deliver, 0}}, c.Deliveries(sem, nil)); diff != "" {
		t.Errorf("loss budget spent, deliveries (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Delivery{{Deliver, 0}, {Drop, 0}}, c.Deliveries(Semantics{Loss: 2}, nil)); diff != "" {
		t.Errorf("one loss of two left, deliveries (-want +got):\n%s", diff)
	}
}
