package spec

import (
	"fmt"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
)

// TCP is the catalog entry of the RFC 9293 model "tcp".
func TCP() *Entry {
	return &Entry{
		Name: "tcp",
		Description: "RFC 9293 TCP connection open and close: client and server endpoints (active or passive OPEN, " +
			"SEND, CLOSE, ABORT), SEGMENT ARRIVES step by step (§3.10.7), the 2MSL timeout, sequence numbers " +
			"modulo 2^32, retransmission, connections in sequence between the same ports, and one channel per " +
			"direction: reliable FIFO, or lossy, duplicating, reordering (params loss, dup, reorder); optionally an " +
			"off-path attacker forging segments into synchronized endpoints (param inject)",
		Params:   tcpParams(nil),
		Variants: TCPVariants(),
		Build: func(variant string, params map[string]int) (checker.System, error) {
			cfg, err := TCPConfig(variant, params)
			if err != nil {
				return nil, err
			}
			return checker.Erase(TCPModel(cfg))
		},
	}
}

// TCPConfig is the model configuration of a variant of "tcp" with the given
// parameters (missing ones take the variant's defaults).
func TCPConfig(variant string, params map[string]int) (tcp.Config, error) {
	if variant == "" {
		variant = tcpVariants[0].Name
	}
	var v *tcpVariant
	for i := range tcpVariants {
		if tcpVariants[i].Name == variant {
			v = &tcpVariants[i]
		}
	}
	if v == nil {
		return tcp.Config{}, fmt.Errorf("unknown variant %q of model tcp", variant)
	}
	cfg := tcp.DefaultConfig()
	for _, p := range v.Params {
		if _, ok := params[p.Name]; !ok {
			applyTCPParams(&cfg, map[string]int{p.Name: p.Default})
		}
	}
	applyTCPParams(&cfg, params)
	if cfg.Net.Reorder {
		// Without the wraparound choice 2^32-1: its SND.NXT after the
		// SYN is 0, the SEQ of the RST a CLOSED port sends to a SYN
		// (§3.10.7.1), and a reordered RST from before the connection
		// would reset it: a real coincidence, but one that hides what
		// the reordering variants are about.
		cfg.ISS[tcp.Client] = []uint32{100}
	}
	if v.flaw != nil {
		v.flaw(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// TCPModel is the TCP model of cfg with its properties.
func TCPModel(cfg tcp.Config) checker.Model[tcp.State] {
	m := tcp.Model(cfg)
	m.Properties = nil
	for _, p := range TCPProperties() {
		if p.Name == "no-stale-connection" && cfg.Conns < 2 {
			// With one connection per side there is no earlier
			// connection to be stale: the property is n/a.
			continue
		}
		m.Properties = append(m.Properties, p)
		if p.Name == "reset-only-by-departed-peer" {
			m.Properties = append(m.Properties, configProperties(cfg)...)
		}
	}
	m.Project = TCPProjection(cfg)
	return m
}

// fairLoss states the assumption about loss of the liveness properties.
const fairLoss = "Loss is not fair (a behaviour need not lose anything) and does not go on forever: at most " +
	"`loss` segments are lost in a behaviour, both directions together (param loss). Liveness on a lossy network holds when " +
	"loss <= retx, so that some copy of every segment, or its ACK, outlasts the losses; on any unreliable network it " +
	"also needs the applications not to ABORT (abort=0): ABORT sends its RST once (§3.10.5), none in CLOSING, LAST_ACK " +
	"and TIME_WAIT, and if the RST is lost or never sent a peer waiting in FIN_WAIT_2 stays half-open forever (§3.5.1: " +
	"a half-open connection is found out only when its side sends)"

// TCPProperties are the properties of the TCP model: invariants, liveness,
// witnesses of the sequences the project explains, and the state diagram.
func TCPProperties() []checker.Property[tcp.State] {
	ps := []checker.Property[tcp.State]{
		{
			Name: "no-data-after-fin", Kind: checker.Always,
			Description: "an endpoint never sends data at or beyond the sequence number of its own FIN in the same connection, " +
				"and no application receives data after it has seen end-of-stream",
			Holds: NoDataAfterFIN,
		},
		{
			Name: "stream-integrity", Kind: checker.Always,
			Description: "what each application has received is a prefix of what its peer's application sent in the " +
				"connection it is paired with (never an octet of an earlier connection)",
			Holds: StreamIntegrity,
		},
		{
			Name: "no-stale-connection", Kind: checker.Always,
			Description: "an endpoint whose current connection has been ESTABLISHED is paired with the peer's latest " +
				"connection or with a peer connection that accepted its SYN: a delayed SYN of an earlier connection never " +
				"opens a connection by itself (§3.5, Figure 8). (A connection closed from SYN_RECEIVED, never ESTABLISHED, " +
				"is not held to this: it was never open, and it ends with its FIN unacknowledged.)",
			Holds: NoStaleConnection,
		},
		{
			Name: "handshake-agreement", Kind: checker.Always,
			Description: "when both sides are ESTABLISHED, each side's IRS is the other's ISS",
			Holds:       HandshakeAgreement,
		},
		{
			Name: "established-together", Kind: checker.Always,
			Description: "when no segment is in flight, nothing is unacknowledged and no side gave up retransmitting " +
				"or aborted, one side is ESTABLISHED only if the other is. (On a lossy network a side that gave up, or " +
				"whose ABORT's RST was lost, leaves its peer half-open, §3.5.1: the peer finds out only when it sends.)",
			Holds: EstablishedTogether,
		},
	}
	// One Fair slice for every liveness property: properties that share
	// it share its groups, which the engine then evaluates once per
	// transition for all of them.
	fair := tcp.EndpointFairness()
	for side := 0; side < 2; side++ {
		side := side
		name := tcp.SideNames[side]
		ps = append(ps, checker.Property[tcp.State]{
			Name: name + "-syn-sent-leads-to-established-or-closed", Kind: checker.Eventually,
			Description: "a " + name + " in SYN_SENT eventually reaches ESTABLISHED or CLOSED, under weak fairness of " +
				"delivery on each channel, of each endpoint's 2MSL timeout, retransmission timeout and sending of " +
				"queued data, and of each application's CLOSE once in CLOSE_WAIT (after a simultaneous open the " +
				"endpoint may be closed from SYN_RECEIVED and never be ESTABLISHED; it then needs its peer to close). " +
				fairLoss,
			From:  func(s tcp.State) bool { return s.Ep[side].State == tcp.SYN_SENT },
			Holds: func(s tcp.State) bool { st := s.Ep[side].State; return st == tcp.ESTABLISHED || st == tcp.CLOSED },
			Fair:  fair,
		})
	}
	for side := 0; side < 2; side++ {
		side := side
		name := tcp.SideNames[side]
		ps = append(ps, checker.Property[tcp.State]{
			Name: name + "-close-leads-to-closed", Kind: checker.Eventually,
			Description: "once the " + name + "'s application has called CLOSE, the " + name + " eventually reaches " +
				"CLOSED, under weak fairness of delivery on each channel, of each endpoint's 2MSL timeout, " +
				"retransmission timeout and sending of queued data, and of the peer application's CLOSE once it is in CLOSE_WAIT (it has seen " +
				"end-of-stream); without the last, the peer may keep the connection half-open forever. " + fairLoss,
			From:  func(s tcp.State) bool { return s.Ep[side].CloseCalled },
			Holds: func(s tcp.State) bool { return s.Ep[side].State == tcp.CLOSED },
			Fair:  fair,
		})
	}
	ps = append(ps, deliveryProperties(fair)...)
	ps = append(ps, rfc5961Properties()...)
	ps = append(ps, witnessProperties()...)
	ps = append(ps, diagramProperties()...)
	return ps
}

// NoDataAfterFIN: no data segment in flight from a side's current
// connection lies at or beyond that side's FIN (a delayed segment of an
// earlier connection is stream-integrity's business), and no application has received data after end-of-stream.
func NoDataAfterFIN(s tcp.State) bool {
	for side := 0; side < 2; side++ {
		e := &s.Ep[side]
		if e.EOS && e.Recvd != e.RecvdAtEOS {
			return false
		}
		if !e.FinSent {
			continue
		}
		ch := &s.Net[side]
		for i := 0; i < int(ch.Len); i++ {
			if g := ch.At(i); g.Len > 0 && g.Inc == e.Opens && tcp.SeqLEQ(e.FinSeq, g.Seq) {
				return false
			}
		}
	}
	return true
}

// StreamIntegrity: each application received octets 0, 1, ... of the
// stream of the peer connection its connection is paired with (the one
// whose SYN it accepted), no more than the peer's application wrote in it.
// An octet of an earlier connection (its tag names the connection) breaks
// it.
func StreamIntegrity(s tcp.State) bool {
	for side := 0; side < 2; side++ {
		e, peer := &s.Ep[side], &s.Ep[1-side]
		if e.Recvd == 0 {
			continue
		}
		if e.PeerInc == 0 || (peer.Opens == e.PeerInc && e.Recvd > peer.Wrote) {
			return false
		}
		for i := 0; i < int(e.Recvd) && i < tcp.MaxData; i++ {
			if e.Received[i] != tcp.DataTag(e.PeerInc, uint8(i)) {
				return false
			}
		}
	}
	return true
}

// NoStaleConnection: an endpoint whose current connection has been
// ESTABLISHED (Endpoint.Seen restarts with each connection) is paired with a peer connection that is the peer's latest, or
// that accepted this endpoint's SYN. A connection opened by a delayed SYN
// of an earlier peer connection alone (§3.5 Figure 9: "old duplicate SYN")
// breaks it.
func NoStaleConnection(s tcp.State) bool {
	for side := 0; side < 2; side++ {
		e, peer := &s.Ep[side], &s.Ep[1-side]
		if e.State == tcp.CLOSED || !e.SawState(tcp.ESTABLISHED) {
			continue
		}
		c := e.PeerInc
		if c == 0 || c == peer.Opens {
			continue
		}
		if int(c) > tcp.MaxConns || peer.Paired[c-1] != e.Opens {
			return false
		}
	}
	return true
}

// HandshakeAgreement: both ESTABLISHED implies crossed ISS/IRS.
func HandshakeAgreement(s tcp.State) bool {
	c, v := &s.Ep[tcp.Client], &s.Ep[tcp.Server]
	if c.State != tcp.ESTABLISHED || v.State != tcp.ESTABLISHED {
		return true
	}
	return c.IRS == v.ISS && v.IRS == c.ISS
}

// EstablishedTogether: when the network is quiet (nothing in flight,
// nothing unacknowledged) and no endpoint gave up retransmitting or
// aborted, one ESTABLISHED implies both. On a lossy network a side that
// gave up, or whose ABORT's RST (sent once, §3.10.5) was lost, leaves its
// peer half-open: TCP finds out only when the peer sends again (§3.5.1).
func EstablishedTogether(s tcp.State) bool {
	if s.InFlight() != 0 {
		return true
	}
	for i := range s.Ep {
		e := &s.Ep[i]
		if e.End == tcp.EndGiveUp || e.End == tcp.EndAbort || (e.State != tcp.CLOSED && e.SndUna != e.SndNxt) {
			return true
		}
	}
	return (s.Ep[0].State == tcp.ESTABLISHED) == (s.Ep[1].State == tcp.ESTABLISHED)
}

// TCPInvariants are the Always properties, for tests that drive the model.
func TCPInvariants() []checker.Property[tcp.State] {
	var out []checker.Property[tcp.State]
	for _, p := range TCPProperties() {
		if p.Kind == checker.Always || p.Kind == checker.AlwaysStep {
			out = append(out, p)
		}
	}
	return out
}
