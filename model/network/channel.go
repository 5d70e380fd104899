// Package network holds the network pieces the protocol models share: a
// bounded channel of messages between two participants, with the ways the
// network may deliver them.
//
// The package knows nothing about any protocol. A model keeps one Channel
// per direction inside its state, asks Deliveries what the network may do
// next under its Semantics, and applies the chosen Delivery with Take.
// The semantics are reliable FIFO delivery and any combination of loss,
// bounded duplication and reordering; the models that use this package do
// not need to know which.
package network

// MaxCap is the largest capacity a Channel can have: the size of its
// fixed array. Models choose a capacity bound at most MaxCap.
const MaxCap = 4

// Channel is a bounded queue of messages of type M, a value type with no
// pointers: Msgs[:Len] are the messages in flight, oldest first, and the
// unused slots are always zero so that equal contents are equal values.
// Dups and Lost count the duplications and losses the channel has made
// (see Semantics.Dup and Semantics.Loss).
//
// M must be free of padding and its size a multiple of 4 for Channel to be
// free of padding too (the checker hashes the raw bytes of states).
type Channel[M comparable] struct {
	Msgs [MaxCap]M
	Len  uint16
	Dups uint8
	Lost uint8
}

// Semantics says how a channel may deliver its messages. The zero value is
// a reliable FIFO channel: every message is delivered once, in order.
// The fields combine freely.
type Semantics struct {
	// Loss bounds the losses per channel: while fewer than Loss have
	// happened, the network may drop any message in flight. Zero is no
	// loss. The bound is the model's form of "loss does not go on
	// forever": a behaviour loses finitely many messages, at most Loss
	// per channel, which a sender that retransmits each message Loss
	// times can always outlast. It also keeps the state space finite.
	Loss uint8
	// Reorder: any message in flight may be delivered first, not only the
	// oldest.
	Reorder bool
	// Dup bounds the duplications per channel: while fewer than Dup have
	// happened, a message may be delivered and stay in flight, to be
	// delivered (or duplicated, or lost) again. The bound keeps the state
	// space finite.
	Dup uint8
}

// Reliable is reliable, in-order, exactly-once delivery.
var Reliable = Semantics{}

// Unreliable reports whether the network may lose, duplicate or reorder.
func (s Semantics) Unreliable() bool { return s.Loss > 0 || s.Reorder || s.Dup > 0 }

// String names the semantics as the CLI and the variant matrix do:
// "reliable", or the kinds joined by "+" ("lossy+reordering").
func (s Semantics) String() string {
	if !s.Unreliable() {
		return "reliable"
	}
	out := ""
	add := func(k string) {
		if out != "" {
			out += "+"
		}
		out += k
	}
	if s.Loss > 0 {
		add("lossy")
	}
	if s.Dup > 0 {
		add("duplicating")
	}
	if s.Reorder {
		add("reordering")
	}
	return out
}

// Kind is what the network does with one message.
type Kind uint8

const (
	// Deliver hands the message to the receiver and removes it.
	Deliver Kind = iota
	// Duplicate hands a copy of the message to the receiver and leaves
	// the message in flight (Semantics.Dup).
	Duplicate
	// Drop loses the message (Semantics.Loss): nobody receives it, and
	// the channel counts one loss.
	Drop
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

// Received reports whether the receiver gets a message (Deliver,
// Duplicate) rather than nothing (Drop).
func (d Delivery) Received() bool { return d.Kind != Drop }

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
// semantics sem, in a fixed order: for each message that may go first
// (the oldest, or any with Reorder), deliver it, then duplicate it (while
// the duplication budget lasts); then, while the loss budget lasts, drop
// each message.
// Identical messages at different positions give one choice each.
func (c *Channel[M]) Deliveries(sem Semantics, buf []Delivery) []Delivery {
	n := int(c.Len)
	if n == 0 {
		return buf
	}
	first := 1
	if sem.Reorder {
		first = n
	}
	for i := 0; i < first; i++ {
		buf = append(buf, Delivery{Kind: Deliver, Index: uint8(i)})
		if int(c.Dups) < int(sem.Dup) {
			buf = append(buf, Delivery{Kind: Duplicate, Index: uint8(i)})
		}
	}
	if int(c.Lost) < int(sem.Loss) {
		for i := 0; i < n; i++ {
			buf = append(buf, Delivery{Kind: Drop, Index: uint8(i)})
		}
	}
	return buf
}

// Message returns the message delivery d applies to.
func (c *Channel[M]) Message(d Delivery) M { return c.Msgs[d.Index] }

// Take applies delivery d to c and returns the message it applies to
// (handed to the receiver unless d is a Drop). Deliver and Drop remove
// message d.Index, keeping the order of the others and zeroing the freed
// slot; Duplicate leaves it in place and counts one duplication; Drop
// counts one loss.
func (c *Channel[M]) Take(d Delivery) M {
	i := int(d.Index)
	m := c.Msgs[i]
	if d.Kind == Duplicate {
		c.Dups++
		return m
	}
	if d.Kind == Drop {
		c.Lost++
	}
	copy(c.Msgs[i:c.Len], c.Msgs[i+1:c.Len])
	c.Len--
	var zero M
	c.Msgs[c.Len] = zero
	return m
}
