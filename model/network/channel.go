// Package network holds the network pieces the protocol models share: a
// bounded channel of messages between two participants, with the ways the
// network may deliver them.
//
// The package knows nothing about any protocol. A model keeps one Channel
// per direction inside its state, asks Deliveries what the network may do
// next, and applies the chosen Delivery with Take. Only reliable FIFO
// delivery exists today; loss, duplication and reordering are further
// delivery kinds and Semantics bits that Deliveries will enumerate, so the
// models that use this package will not need to change.
package network

// MaxCap is the largest capacity a Channel can have: the size of its
// fixed array. Models choose a capacity bound at most MaxCap.
const MaxCap = 4

// Channel is a bounded queue of messages of type M, a value type with no
// pointers: Msgs[:Len] are the messages in flight, oldest first, and the
// unused slots are always zero so that equal contents are equal values.
//
// M must be free of padding and its size a multiple of 4 for Channel to be
// free of padding too (the checker hashes the raw bytes of states).
type Channel[M comparable] struct {
	Msgs [MaxCap]M
	Len  uint32
}

// Semantics says how a channel may deliver its messages. The zero value is
// a reliable FIFO channel: every message is delivered once, in order.
type Semantics uint8

// Reliable is reliable, in-order, exactly-once delivery.
const Reliable Semantics = 0

// Kind is what the network does with one message.
type Kind uint8

const (
	// Deliver hands the message to the receiver and removes it.
	Deliver Kind = iota
)

// Delivery is one thing the network may do next on a channel: a kind and
// the index of the message it applies to.
type Delivery struct {
	Kind  Kind
	Index uint8
}

// Code packs a Delivery into 8 bits (kind in the high nibble, index in the
// low one) for use inside a model's action encoding.
func (d Delivery) Code() uint8 { return uint8(d.Kind)<<4 | d.Index&0xf }

// DeliveryOf unpacks Code.
func DeliveryOf(code uint8) Delivery { return Delivery{Kind: Kind(code >> 4), Index: code & 0xf} }

// Empty reports whether no message is in flight.
func (c *Channel[M]) Empty() bool { return c.Len == 0 }

// Room reports whether one more message fits under capacity bound cap.
func (c *Channel[M]) Room(cap int) bool { return int(c.Len) < cap && c.Len < MaxCap }

// At returns the i-th message in flight (0 is the oldest).
func (c *Channel[M]) At(i int) M { return c.Msgs[i] }

// Push appends m. It reports false, leaving c unchanged, if the channel
// already holds cap messages (or MaxCap).
func (c *Channel[M]) Push(m M, cap int) bool {
	if !c.Room(cap) {
		return false
	}
	c.Msgs[c.Len] = m
	c.Len++
	return true
}

// Deliveries appends to buf what the network may do next on c under
// semantics sem. For a Reliable channel that is delivering the oldest
// message, if any.
func (c *Channel[M]) Deliveries(sem Semantics, buf []Delivery) []Delivery {
	if c.Len == 0 {
		return buf
	}
	return append(buf, Delivery{Kind: Deliver, Index: 0})
}

// Message returns the message delivery d applies to.
func (c *Channel[M]) Message(d Delivery) M { return c.Msgs[d.Index] }

// Take applies delivery d to c and returns the message handed to the
// receiver. For Deliver that removes message d.Index, keeping the order of
// the others and zeroing the freed slot.
func (c *Channel[M]) Take(d Delivery) M {
	i := int(d.Index)
	m := c.Msgs[i]
	copy(c.Msgs[i:c.Len], c.Msgs[i+1:c.Len])
	c.Len--
	var zero M
	c.Msgs[c.Len] = zero
	return m
}
