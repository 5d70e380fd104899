package tcp

import "github.com/handshake/handshake/checker"

// An off-path attacker, the threat of RFC 5961 ("blind in-window
// attacks"): it cannot see the connection's segments but knows its ports
// and, by flooding guesses, a sequence number inside the receiver's
// window. It forges segments that appear to come from the peer and
// injects them into an endpoint in a synchronized state (ESTABLISHED ..
// TIME_WAIT, the connections RFC 5961 protects); Config.Inject bounds how
// many per behaviour.
//
// Its guesses miss what it does not know: the SEQ of a forged RST or SYN
// is in the window but not RCV.NXT itself, and the ACK of a forged ACK
// lies outside the range SND.UNA .. SND.NXT that the receiver accepts
// (beyond SND.NXT, where half of all blind guesses fall, or behind
// SND.UNA, where the other half does). A hit, RCV.NXT exactly or an ACK
// of data in flight, is a chance of about one in 2^32 per guess, which
// RFC 5961 §3.2 accepts and the model leaves out. It forges no text: an
// endpoint without the ACK check of RFC 5961 §5 (MAY-12, not modelled)
// takes forged text with any ACK up to SND.NXT, and no endpoint is sound
// against that.
//
// What a correct endpoint does with each forgery: a challenge ACK for the
// RST and the SYN (§3.10.7.4 "second" and "fourth", RFC 5961 §3.2, §4),
// an ACK for the ACK of something not yet sent (§3.10.7.4 "fifth"), and
// nothing for the old ACK (a duplicate, ignored).

// Forgery is a kind of forged segment.
type Forgery uint8

// The forgeries. Each lies at RCV.NXT + RcvWnd/2, in the middle of the
// receiver's window.
const (
	// ForgeRST is <SEQ=RCV.NXT+RcvWnd/2><CTL=RST>.
	ForgeRST Forgery = iota
	// ForgeSYN is <SEQ=RCV.NXT+RcvWnd/2><CTL=SYN>.
	ForgeSYN
	// ForgeAckAhead is <SEQ=RCV.NXT+RcvWnd/2><ACK=SND.NXT+2^30><CTL=ACK>:
	// an acknowledgment of something not yet sent.
	ForgeAckAhead
	// ForgeAckBehind is <SEQ=RCV.NXT+RcvWnd/2><ACK=SND.UNA-2^30><CTL=ACK>:
	// an acknowledgment older than SND.UNA.
	ForgeAckBehind
	NumForgeries
)

// MaxInject is the largest number of forged segments per behaviour
// (Config.Inject).
const MaxInject = 2

// guessOff is how far the forged acknowledgments are from the range the
// receiver accepts: a quarter of the sequence space.
const guessOff = 1 << 30

// forged is forgery f as it arrives at e.
func forged(e *Endpoint, f Forgery) Segment {
	seq := e.RcvNxt + RcvWnd/2
	switch f {
	case ForgeRST:
		return Segment{Seq: seq, Flags: RST}
	case ForgeSYN:
		return Segment{Seq: seq, Flags: SYN}
	case ForgeAckAhead:
		return Segment{Seq: seq, Ack: e.SndNxt + guessOff, Flags: ACK}
	}
	return Segment{Seq: seq, Ack: e.SndUna - guessOff, Flags: ACK}
}

// canInject reports whether the attacker may inject a forged segment into
// side: it has forged fewer than Config.Inject, the endpoint is
// synchronized, and the network has room for the endpoint's answer.
func (c *Config) canInject(s *State, side int) bool {
	return int(s.Ep[0].Forged)+int(s.Ep[1].Forged) < c.Inject && s.Ep[side].State.Synchronized() && c.admits(s)
}

// Arriving returns the segment that action a hands to SEGMENT ARRIVES in
// s, and the side it arrives at: a segment the network delivers (not one
// it loses), or a forged one. ok is false for every other action.
func Arriving(s State, a checker.Action) (seg Segment, side int, ok bool) {
	k, side, p := Decode(a)
	switch k {
	case Arrive:
		d := networkDelivery(p)
		if !d.Received() {
			return Segment{}, 0, false
		}
		return s.Net[1-side].Message(d), side, true
	case Inject:
		return forged(&s.Ep[side], Forgery(p)), side, true
	}
	return Segment{}, 0, false
}
