package tcp

import "github.com/handshake/handshake/checker"

// Hooks for an upper layer that drives these endpoints itself (package
// https): it decides when its application calls OPEN, SEND, CLOSE and
// ABORT, and takes the endpoints' own steps (SEGMENT ARRIVES, timeouts,
// retransmission) from Actions.

// Act encodes the action of kind k for side with parameter param, as
// Actions does (the inverse of Decode).
func Act(k Kind, side int, param uint16) checker.Action { return act(k, side, param) }

// CanWrite reports whether side's application may SEND one more octet
// now: the rule of canSend without the Config.Data bound, which only the
// model's own application counts (an upper layer counts its own octets,
// and may send more than MaxData of them: Endpoint.Received then records
// only the first MaxData tags, Recvd counts them all). SEND is serviced in
// ESTABLISHED and CLOSE_WAIT (§3.10.2) once the queue is empty, and only
// while the network has room (Config.Cap).
func (c *Config) CanWrite(s *State, side int) bool {
	e := &s.Ep[side]
	return e.State != LISTEN && e.Wrote == e.Sent && c.sendEnabled(e.State) && c.admits(s)
}
