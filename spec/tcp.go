package spec

import (
	"fmt"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/network"
	"github.com/handshake/handshake/model/tcp"
)

func init() {
	Register(Entry{
		Name: "tcp",
		Description: "RFC 9293 TCP connection open and close: client and server endpoints (active or passive OPEN, " +
			"SEND, CLOSE, ABORT), SEGMENT ARRIVES step by step (§3.10.7), the 2MSL timeout, sequence numbers " +
			"modulo 2^32, and a reliable FIFO channel per direction",
		Params: []Param{
			{Name: "data", Default: 2, Min: 0, Max: tcp.MaxData,
				Description: "data segments (one octet each) each side's application may send"},
			{Name: "cap", Default: 3, Min: 1, Max: network.MaxCap,
				Description: "segments in flight: a channel never holds more; a user call that sends is enabled only below it"},
		},
		Variants: []Variant{
			{
				Name:        "rfc9293",
				Description: "endpoints as RFC 9293 §3.10 prescribes",
			},
			{
				Name: "data-after-fin",
				Description: "endpoints that do not treat FIN as the end of the stream: the application may SEND after " +
					"CLOSE and the endpoint sends that data after its FIN (against §3.10.2), and segment text arriving " +
					"after the peer's FIN is delivered (against §3.10.7.4 \"seventh\")",
				// With the default parameters the data sent after a FIN
				// also breaks liveness: a side in CLOSING ignores the
				// text (its FIN is not yet acknowledged), the octet is
				// never acknowledged nor retransmitted, and the side
				// waits in CLOSING forever.
				Expect: map[string]checker.Status{
					"no-data-after-fin": checker.Violated,
					"client-syn-sent-leads-to-established-or-closed": checker.Violated,
					"server-syn-sent-leads-to-established-or-closed": checker.Violated,
					"client-close-leads-to-closed":                   checker.Violated,
					"server-close-leads-to-closed":                   checker.Violated,
				},
			},
		},
		Build: func(variant string, params map[string]int) (checker.System, error) {
			cfg, err := TCPConfig(variant, params)
			if err != nil {
				return nil, err
			}
			return checker.Erase(TCPModel(cfg)), nil
		},
	})
}

// TCPConfig is the model configuration of a variant of "tcp" with the given
// parameters (missing ones take their defaults).
func TCPConfig(variant string, params map[string]int) (tcp.Config, error) {
	cfg := tcp.DefaultConfig()
	if v, ok := params["data"]; ok {
		cfg.Data = v
	}
	if v, ok := params["cap"]; ok {
		cfg.Cap = v
	}
	switch variant {
	case "", "rfc9293":
	case "data-after-fin":
		cfg.AcceptDataAfterFIN = true
		cfg.SendAfterClose = true
	default:
		return cfg, fmt.Errorf("unknown variant %q of model tcp", variant)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// TCPModel is the TCP model of cfg with its properties.
func TCPModel(cfg tcp.Config) checker.Model[tcp.State] {
	m := tcp.Model(cfg)
	m.Properties = TCPProperties()
	m.Project = TCPProjection(cfg)
	return m
}

// TCPProperties are the properties of the TCP model: invariants, liveness,
// witnesses of the sequences the project explains, and the state diagram.
func TCPProperties() []checker.Property[tcp.State] {
	ps := []checker.Property[tcp.State]{
		{
			Name: "no-data-after-fin", Kind: checker.Always,
			Description: "an endpoint never sends data at or beyond the sequence number of its own FIN, " +
				"and no application receives data after it has seen end-of-stream",
			Holds: NoDataAfterFIN,
		},
		{
			Name: "stream-integrity", Kind: checker.Always,
			Description: "what each application has received is a prefix of what its peer's application sent",
			Holds:       StreamIntegrity,
		},
		{
			Name: "handshake-agreement", Kind: checker.Always,
			Description: "when both sides are ESTABLISHED, each side's IRS is the other's ISS",
			Holds:       HandshakeAgreement,
		},
		{
			Name: "established-together", Kind: checker.Always,
			Description: "when no segment is in flight and one side is ESTABLISHED, so is the other",
			Holds:       EstablishedTogether,
		},
	}
	fair := tcp.EndpointFairness()
	for side := 0; side < 2; side++ {
		side := side
		name := tcp.SideNames[side]
		ps = append(ps, checker.Property[tcp.State]{
			Name: name + "-syn-sent-leads-to-established-or-closed", Kind: checker.Eventually,
			Description: "a " + name + " in SYN_SENT eventually reaches ESTABLISHED or CLOSED, under weak fairness of " +
				"delivery on each channel, of each endpoint's 2MSL timeout and sending of queued data, and of each " +
				"application's CLOSE once in CLOSE_WAIT (after a simultaneous open the endpoint may be closed from " +
				"SYN_RECEIVED and never be ESTABLISHED; it then needs its peer to close)",
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
				"CLOSED, under weak fairness of delivery on each channel, of each endpoint's 2MSL timeout and sending " +
				"of queued data, and of the peer application's CLOSE once it is in CLOSE_WAIT (it has seen " +
				"end-of-stream); without the last, the peer may keep the connection half-open forever",
			From:  func(s tcp.State) bool { return s.Ep[side].CloseCalled },
			Holds: func(s tcp.State) bool { return s.Ep[side].State == tcp.CLOSED },
			Fair:  fair,
		})
	}
	ps = append(ps, witnessProperties()...)
	ps = append(ps, diagramProperties()...)
	return ps
}

// NoDataAfterFIN: no data segment in flight from a side lies at or beyond
// that side's FIN, and no application has received data after end-of-stream.
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
			if g := ch.At(i); g.Len > 0 && seqLEQ(e.FinSeq, g.Seq) {
				return false
			}
		}
	}
	return true
}

func seqLEQ(a, b uint32) bool { return int32(a-b) <= 0 }

// StreamIntegrity: each application received octets 0, 1, ... of its
// peer's stream, no more than the peer's application wrote.
func StreamIntegrity(s tcp.State) bool {
	for side := 0; side < 2; side++ {
		e, peer := &s.Ep[side], &s.Ep[1-side]
		if e.Recvd > peer.Wrote {
			return false
		}
		for i := 0; i < int(e.Recvd) && i < tcp.MaxData; i++ {
			if e.Received[i] != uint8(i) {
				return false
			}
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

// EstablishedTogether: with an empty network, one ESTABLISHED implies both.
func EstablishedTogether(s tcp.State) bool {
	if s.InFlight() != 0 {
		return true
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
