package tcp

import (
	"fmt"

	"github.com/handshake/handshake/model/network"
)

// RcvWnd is the constant receive window (RCV.WND) of both endpoints. The
// model has no flow control; the window only matters to the acceptability
// test of §3.10.7.4.
const RcvWnd = 1 << 10

// Config is a configuration of the TCP model.
type Config struct {
	// Cap bounds the segments in flight (1..network.MaxCap). A channel
	// never holds more than Cap segments. An action that originates a
	// segment (a user call, or segmentizing queued data) is enabled only
	// while the network as a whole holds fewer than Cap segments; an
	// arriving segment emits at most one reply, so the bound then also
	// leaves room for every reply and deliveries are never blocked (two
	// full channels whose heads both need an answer would otherwise
	// deadlock).
	Cap int
	// Data is the number of data octets (one per segment) each side's
	// application may SEND (0..MaxData).
	Data int
	// ISS lists, per side, the initial sequence numbers an endpoint may
	// select (one action per choice). Empty means {0}.
	ISS [2][]uint32
	// Net is the delivery semantics of both channels.
	Net network.Semantics

	// Deliberate flaws, for showing that the properties catch them.

	// AcceptDataAfterFIN makes an endpoint process segment text in
	// CLOSE_WAIT, CLOSING, LAST_ACK and TIME_WAIT, against RFC 9293
	// §3.10.7.4 "seventh" ("Ignore the segment text").
	AcceptDataAfterFIN bool
	// SendAfterClose lets the application SEND after CLOSE, and the
	// endpoint send that data after its FIN (in FIN_WAIT_1, FIN_WAIT_2,
	// CLOSING and LAST_ACK), against §3.10.2 ("error: connection
	// closing"). With a correct sender no data ever follows a FIN, so
	// AcceptDataAfterFIN alone is harmless on a reliable network.
	SendAfterClose bool
}

// DefaultConfig is the configuration the checks run by default: two data
// octets per side, three segments in flight, the client choosing its ISS from
// {100, 2^32-1} (the second exercises wraparound: its data octet has
// sequence number 0), the server using 300.
func DefaultConfig() Config {
	return Config{
		Cap:  3,
		Data: 2,
		ISS:  [2][]uint32{{100, 1<<32 - 1}, {300}},
	}
}

// Validate checks the ranges of the parameters.
func (c *Config) Validate() error {
	if c.Cap < 1 || c.Cap > network.MaxCap {
		return fmt.Errorf("tcp: capacity %d out of range [1, %d]", c.Cap, network.MaxCap)
	}
	if c.Data < 0 || c.Data > MaxData {
		return fmt.Errorf("tcp: data segments %d out of range [0, %d]", c.Data, MaxData)
	}
	for side := range c.ISS {
		if len(c.ISS[side]) > 255 {
			return fmt.Errorf("tcp: too many ISS choices for the %s", SideNames[side])
		}
	}
	if c.Net != network.Reliable {
		return fmt.Errorf("tcp: only the reliable FIFO network is implemented")
	}
	return nil
}

func (c *Config) issChoices(side int) []uint32 {
	if len(c.ISS[side]) == 0 {
		return []uint32{0}
	}
	return c.ISS[side]
}
