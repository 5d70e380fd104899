package https

import (
	"fmt"

	"github.com/handshake/handshake/model/network"
	"github.com/handshake/handshake/model/tcp"
)

// Config is a configuration of the composed model.
type Config struct {
	// TLS: HTTP over TLS 1.3 (https); off, plain HTTP/1.1 over TCP.
	TLS bool
	// TLS12 runs the TLS 1.2 full handshake (RFC 5246 §7.3, 2-RTT)
	// instead of TLS 1.3 1-RTT. Its close_notify (§7.2.1) closes the
	// connection rather than half of it, which this model's applications
	// do not tell apart: a side sends close_notify only when it has
	// nothing more to write.
	TLS12 bool
	// Requests is the number of requests (1..MaxReqs) the client sends on
	// a persistent connection; the last carries Connection: close.
	Requests int
	// Post makes the last request a POST, which is not idempotent (RFC
	// 9110 §9.2.2); the others are GETs.
	Post bool
	// Pipeline lets the client send a request before the response to the
	// previous one is complete (RFC 9112 §9.3.2).
	Pipeline bool
	// CloseDelimited frames the response that ends the connection (the
	// one with Connection: close) by the connection's close instead of
	// Content-Length (RFC 9112 §6.3 item 8): over TLS its end is the
	// close_notify (§9.8), over plain TCP the FIN.
	CloseDelimited bool
	// ServerClose lets the server close a connection on its own: an
	// idle timeout between requests, or Connection: close on any
	// response (RFC 9112 §9.6).
	ServerClose bool
	// Conns is the number of connections the client may open (1..2):
	// with 2 it retries an idempotent request whose connection closed
	// before the response was complete (RFC 9112 §9.3.1).
	Conns int
	// Cap bounds the segments in flight (tcp.Config.Cap), Retx the
	// retransmissions per segment (tcp.Config.Retx).
	Cap, Retx int
	// Attacker is the attacker's budget: how many segments it may drop
	// or inject in a behaviour (0 = no attacker).
	Attacker int

	// Deliberate flaws.

	// FinAsEOF: the client takes a TCP FIN as the end of a
	// close-delimited response without waiting for close_notify.
	FinAsEOF bool
	// ImmediateClose: the server closes its socket right after its
	// CLOSE, without reading what is still coming (no lingering close,
	// against RFC 9112 §9.6).
	ImmediateClose bool
	// RetryAny: the client retries any request whose connection closed
	// before the response, not only idempotent ones (against §9.3.1).
	RetryAny bool
	// NoCloseNotify: the server closes TCP without sending close_notify
	// (against RFC 8446 §6.1).
	NoCloseNotify bool
}

// DefaultConfig is the sound protocol with one request, a POST, over TLS
// 1.3, Content-Length framing, no attacker.
func DefaultConfig() Config {
	return Config{TLS: true, Requests: 1, Post: true, ServerClose: true, Conns: 1, Cap: 3}
}

// Validate checks the ranges of the parameters.
func (c *Config) Validate() error {
	if c.Requests < 1 || c.Requests > MaxReqs {
		return fmt.Errorf("https: requests %d out of range [1, %d]", c.Requests, MaxReqs)
	}
	if c.Conns < 1 || c.Conns > MaxConns {
		return fmt.Errorf("https: connections %d out of range [1, %d]", c.Conns, MaxConns)
	}
	if c.Conns > 1 && c.Retx == 0 {
		// Measured: the second connection's SYN may meet the server's
		// first connection in TIME_WAIT, which answers it with a
		// challenge ACK (RFC 9293 §3.10.7.4 "fourth"); the client's
		// RST then closes the old connection and the SYN is gone.
		// Only its retransmission recovers.
		return fmt.Errorf("https: a second connection (conns=%d) needs retransmission (retx >= 1): its SYN may be lost to the first connection's TIME-WAIT", c.Conns)
	}
	if c.Attacker < 0 || c.Attacker > 3 {
		return fmt.Errorf("https: attacker budget %d out of range [0, 3]", c.Attacker)
	}
	t := c.TCP()
	return t.Validate()
}

// TCP is the configuration of the TCP endpoints underneath: client and
// server roles, one ISS per side, no data of tcp's own application (the
// layers above count their own units), ABORT available to the layers
// above (which call it only to reset a socket closed with unread data),
// a reliable network (the attacker drops).
func (c *Config) TCP() tcp.Config {
	return tcp.Config{
		Cap:          c.Cap,
		Data:         0,
		ISS:          [2][]uint32{{100}, {300}},
		ISSStep:      1000,
		Conns:        c.Conns,
		Net:          network.Reliable,
		Retx:         c.Retx,
		ClientServer: true,
	}
}

// idempotent reports whether request r is idempotent (a GET).
func (c *Config) idempotent(r int) bool { return !(c.Post && r == c.Requests-1) }
