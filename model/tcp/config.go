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
	// select for its first connection (one action per choice). Empty
	// means {0}.
	ISS [2][]uint32
	// ISSStep is how far the ISN clock of §3.4.1 advances between two
	// connections of a side: connection k selects from ISS + (k-1)*ISSStep.
	// A step smaller than the sequence space a connection uses (its SYN,
	// data and FIN) is a clock slower than the data rate, where TIME-WAIT
	// is what keeps old segments out of a new connection (§3.4.1). Zero
	// is the fixed-isn flaw.
	ISSStep uint32
	// ServerISSStep, if not 0, is the ISSStep of the server's ISN clock
	// (ISSStep is then the client's): each host has a clock of its own,
	// and a host that sends faster than its clock advances reuses the
	// sequence numbers of its earlier connections sooner than its peer.
	ServerISSStep uint32
	// Conns is the number of connections each side may open in sequence
	// between the same pair of ports (1..MaxConns): after its connection
	// ends, a side may OPEN again, actively or passively.
	Conns int
	// Net is the delivery semantics of both channels. Its loss bound
	// Net.Loss is shared: at most Net.Loss segments are lost in a
	// behaviour, in both directions together (a data octet delivered
	// whose ACK is lost costs its sender a retransmission just as a lost
	// data octet does, so a per-channel bound of 1 would let a sender
	// with Retx = 1 run out of retransmissions).
	Net network.Semantics
	// Retx bounds the retransmissions of each segment (0..MaxRetx). With
	// Retx > 0 an endpoint retransmits its oldest unacknowledged SYN,
	// data octet or FIN on a timeout (§3.7, §3.8.1), at most Retx times
	// in a row, and then gives up on the connection: R2 (§3.8.3), the
	// USER TIMEOUT of §3.10.8. The timeout may fire at any time while
	// something is unacknowledged (a premature timeout is a spurious
	// retransmission).
	Retx int

	// ClientServer fixes the roles of the applications: the client only
	// opens actively and the server only passively, and the server's
	// application does not SEND in LISTEN (so no SYN ever comes from the
	// server and there is no simultaneous open). Off, either side may
	// open either way (§3.10.1).
	ClientServer bool

	// NoAbort: the applications never call ABORT. ABORT's RST is never
	// retransmitted (§3.10.5); on a lossy network its loss leaves the
	// peer half-open until it sends again, forever if it waits in
	// FIN_WAIT_2 or ESTABLISHED without data.
	NoAbort bool

	// Inject bounds the segments an off-path attacker forges and injects
	// into a synchronized endpoint in a behaviour (0..MaxInject; see
	// Forgery): RFC 5961's blind in-window attacker, whose guesses miss.
	Inject int

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
	// TwoWayHandshake makes a passive endpoint enter ESTABLISHED as soon
	// as a SYN arrives in LISTEN, instead of SYN_RECEIVED until its own
	// SYN is acknowledged (§3.5, §3.10.7.2 "third").
	TwoWayHandshake bool
	// NoTimeWait makes the active closer go straight to CLOSED where it
	// should enter TIME_WAIT and linger 2MSL (§3.6, MUST-13).
	NoTimeWait bool
	// NoSeqCheck skips the check of SEG.SEQ against RCV.NXT (§3.10.7.4
	// "first", the acceptability test, and the rule that processing
	// continues with the segment that begins at RCV.NXT): every segment
	// is processed as if it were the next one expected.
	NoSeqCheck bool
	// NoSynAckCheck skips the check of SEG.ACK in SYN_SENT (§3.10.7.3
	// "first": "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset"): a
	// SYN,ACK acknowledging anything completes the handshake.
	NoSynAckCheck bool

	// Mutation, for tests only (see Mutation): one deliberate deviation
	// from RFC 9293, NoMutation (zero) for the endpoints as specified.
	Mutation Mutation
}

// MaxRetx is the largest retransmission bound (Config.Retx).
const MaxRetx = 3

// DefaultConfig is the configuration the checks run by default: two data
// octets per side, three segments in flight, the client choosing its ISS from
// {100, 2^32-1} (the second exercises wraparound: its data octet has
// sequence number 0), the server using 300.
func DefaultConfig() Config {
	return Config{
		Cap:     3,
		Data:    2,
		ISS:     [2][]uint32{{100, 1<<32 - 1}, {300}},
		ISSStep: 1,
		Conns:   1,
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
	if c.Conns < 1 || c.Conns > MaxConns {
		return fmt.Errorf("tcp: connections %d out of range [1, %d]", c.Conns, MaxConns)
	}
	if c.Mutation >= NumMutations {
		return fmt.Errorf("tcp: unknown mutation %d", c.Mutation)
	}
	if c.Inject < 0 || c.Inject > MaxInject {
		return fmt.Errorf("tcp: forged segments %d out of range [0, %d]", c.Inject, MaxInject)
	}
	if c.Retx < 0 || c.Retx > MaxRetx {
		return fmt.Errorf("tcp: retransmissions %d out of range [0, %d]", c.Retx, MaxRetx)
	}
	return nil
}

// iss is the ISS choice i of side for its connection number conn (1..).
func (c *Config) iss(side, i int, conn uint8) uint32 {
	return c.issChoices(side)[i] + uint32(conn-1)*c.issStep(side)
}

// issStep is the ISSStep of side's ISN clock.
func (c *Config) issStep(side int) uint32 {
	if side == Server && c.ServerISSStep != 0 {
		return c.ServerISSStep
	}
	return c.ISSStep
}

func (c *Config) issChoices(side int) []uint32 {
	if len(c.ISS[side]) == 0 {
		return []uint32{0}
	}
	return c.ISS[side]
}
