package spec

import (
	"fmt"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/network"
	"github.com/handshake/handshake/model/tcp"
)

// The parameters of the "tcp" model. The network semantics are parameters
// too (loss, dup, reorder), so that any variant can be checked on any
// network; the variants named rfc9293-lossy and so on are the sound
// protocol with other defaults.
func tcpParams(defaults map[string]int) []Param {
	ps := []Param{
		{Name: "data", Default: 2, Min: 0, Max: tcp.MaxData,
			Description: "data segments (one octet each) each side's application may send per connection"},
		{Name: "cap", Default: 3, Min: 1, Max: network.MaxCap,
			Description: "segments in flight: a channel never holds more; an action that originates a segment is enabled only below it"},
		{Name: "conns", Default: 1, Min: 1, Max: tcp.MaxConns,
			Description: "connections each side may open in sequence between the same pair of ports (param iss-step: how far the ISN clock advances between them)"},
		{Name: "iss-step", Default: 1, Min: 0, Max: 1 << 16,
			Description: "how far the ISN clock (§3.4.1) advances between two connections of a side: 1 is a clock slower than the data rate (TIME-WAIT must keep old segments out), above 1024 (the receive window) a clock that moves the new connection out of every old window"},
		{Name: "server-iss-step", Default: 0, Min: 0, Max: 1 << 16,
			Description: "how far the server's ISN clock advances between two connections, if not as far as the client's (0: param iss-step for both)"},
		{Name: "retx", Default: 0, Min: 0, Max: tcp.MaxRetx,
			Description: "retransmissions of each unacknowledged SYN, data octet or FIN on a timeout; after that many the endpoint gives up (R2, §3.8.3)"},
		{Name: "roles", Default: 0, Min: 0, Max: 1,
			Description: "1 = the client only opens actively and the server only passively, and never SENDs in LISTEN (no simultaneous open); 0 = either side opens either way"},
		{Name: "abort", Default: 1, Min: 0, Max: 1,
			Description: "1 = the applications may ABORT (its RST is never retransmitted: on a lossy network its loss leaves the peer half-open)"},
		{Name: "inject", Default: 0, Min: 0, Max: tcp.MaxInject,
			Description: "segments an off-path attacker forges in a behaviour (RFC 5961's blind in-window attacker): a RST or SYN in the window but not at RCV.NXT, or an ACK outside SND.UNA..SND.NXT, injected into a synchronized endpoint"},
		{Name: "loss", Default: 0, Min: 0, Max: 2,
			Description: "network semantics: losses in a behaviour, both directions together: any segment in flight may be lost while fewer than this many have been (0 = no loss; loss does not go on forever)"},
		{Name: "dup", Default: 0, Min: 0, Max: 2,
			Description: "network semantics: duplications per channel, a delivered segment staying in flight to be delivered again"},
		{Name: "reorder", Default: 0, Min: 0, Max: 1,
			Description: "network semantics: 1 = reordering, any segment in flight may be delivered first (0 = FIFO)"},
	}
	for i := range ps {
		if d, ok := defaults[ps[i].Name]; ok {
			ps[i].Default = d
		}
	}
	return ps
}

// tcpVariant is a variant of "tcp" with the flaw it applies to the
// configuration (nil for the sound protocol).
type tcpVariant struct {
	Variant
	flaw func(*tcp.Config)
}

func violated(names ...string) map[string]checker.Status {
	m := map[string]checker.Status{}
	for _, n := range names {
		m[n] = checker.Violated
	}
	return m
}

// tcpVariants are the variants of "tcp". Each has its own default
// parameters (the smallest network and connection count that shows what
// the variant is about) and the verdicts it is expected to get with them.
var tcpVariants = []tcpVariant{
	{Variant: Variant{
		Name:        "rfc9293",
		Description: "endpoints as RFC 9293 §3.10 prescribes, on a reliable FIFO network",
		Params:      tcpParams(nil),
	}},
	{Variant: Variant{
		Name: "rfc9293-lossy",
		Description: "RFC 9293 endpoints on a network that may lose one segment (either direction), with one " +
			"retransmission per segment and no ABORT (its RST is never retransmitted)",
		Params: tcpParams(map[string]int{"data": 1, "cap": 2, "loss": 1, "retx": 1, "abort": 0}),
	}},
	{Variant: Variant{
		Name:        "rfc9293-duplicating",
		Description: "RFC 9293 endpoints on a network that may deliver a segment twice, with one retransmission per segment and no ABORT",
		Params:      tcpParams(map[string]int{"data": 1, "cap": 2, "dup": 1, "retx": 1, "abort": 0}),
	}},
	{Variant: Variant{
		Name: "rfc9293-reordering",
		Description: "RFC 9293 endpoints on a network that may deliver any segment in flight first, with one " +
			"retransmission per segment (a segment that overtakes the one it depends on is dropped and must be " +
			"retransmitted) and no ABORT; two data octets per side, so that the second can overtake the first",
		Params: tcpParams(map[string]int{"data": 2, "cap": 2, "reorder": 1, "retx": 1, "abort": 0}),
	}},
	{Variant: Variant{
		Name: "rfc9293-unreliable",
		Description: "RFC 9293 endpoints on a network that may lose one segment, duplicate one per direction and " +
			"reorder, with two retransmissions per segment (a reordering costs one, the loss another) and no ABORT",
		Params: tcpParams(map[string]int{"data": 1, "cap": 2, "loss": 1, "dup": 1, "reorder": 1, "retx": 2, "abort": 0}),
	}},
	{Variant: Variant{
		Name: "rfc9293-reuse",
		Description: "two connections in sequence between the same ports on a reordering network, so that segments " +
			"of the first are still in flight during the second: an ISN clock that advances beyond the receive window " +
			"between connections (iss-step=2048, §3.4.1) keeps them, and old SYNs, out of the second connection, " +
			"so that here TIME-WAIT is not what protects it (rfc9293-time-wait is the variant where it is)",
		Params: tcpParams(map[string]int{"data": 1, "cap": 2, "conns": 2, "reorder": 1, "retx": 1, "abort": 0, "iss-step": 2048}),
	}},
	{Variant: Variant{
		Name: "rfc9293-reopen",
		Description: "two connections in sequence on a reliable network, with an ISN clock that advances just past " +
			"the sequence space a connection uses (iss-step=3: SYN, one octet, FIN): a client that closed second " +
			"(LAST_ACK) may open again at once, and its new SYN arrives at RCV.NXT of the server's TIME_WAIT, " +
			"which answers it with a challenge ACK (RFC 5961 §4); the client's RST then ends TIME_WAIT (RFC 1337) " +
			"and its retransmitted SYN opens the new connection",
		Params: tcpParams(map[string]int{"data": 1, "cap": 2, "conns": 2, "iss-step": 3, "retx": 1, "abort": 0, "roles": 1}),
		// Measured with these parameters. roles=1 (the client opens,
		// the server listens) leaves simultaneous open and the arrows
		// LISTEN -> SYN_SENT and SYN_SENT -> SYN_RECEIVED uncovered.
		Expect: violated("simultaneous-open", "arrow: LISTEN -> SYN_SENT", "arrow: SYN_SENT -> SYN_RECEIVED"),
	}},
	{Variant: Variant{
		Name: "rfc9293-reopen-no-retx",
		Description: "the sound protocol with two connections and no retransmission, on a reliable network: " +
			"a path the RFC allows leaves an opener in SYN_SENT forever. The side that closed second opens again " +
			"while its peer lingers in TIME_WAIT; with the slow ISN clock (iss-step=1) the new SYN lies below the " +
			"peer's RCV.NXT and is answered with a bare ACK (§3.10.7.4 \"first\"), which SYN_SENT drops " +
			"(§3.10.7.3 \"fifth\"): the SYN is consumed and only its retransmission could open the connection",
		Params: tcpParams(map[string]int{"data": 0, "cap": 2, "conns": 2, "roles": 1}),
		// Measured with these parameters. roles=1 (the client opens,
		// the server listens) leaves simultaneous open and the arrows
		// LISTEN -> SYN_SENT and SYN_SENT -> SYN_RECEIVED uncovered.
		Expect: violated("client-syn-sent-leads-to-established-or-closed", "simultaneous-open",
			"arrow: LISTEN -> SYN_SENT", "arrow: SYN_SENT -> SYN_RECEIVED", "data-transfer"),
	}},
	{Variant: Variant{
		Name: "rfc9293-time-wait",
		Description: "two connections in sequence on a reordering network, where only TIME-WAIT keeps the first " +
			"connection's segments out of the second: the client's ISN clock is slower than its data rate (iss-step=1: " +
			"its second connection starts inside the first one's sequence space, §3.4.1), so a delayed segment of its " +
			"first connection would land in the second one's window; TIME_WAIT lasts until none is left in flight " +
			"(§3.6; no-time-wait shows what happens without it). The server's clock moves its second connection beyond " +
			"the window (server-iss-step=2048), so that its new segments stay out of the client's TIME_WAIT",
		Params: tcpParams(map[string]int{"data": 1, "cap": 2, "conns": 2, "reorder": 1, "roles": 1, "retx": 1,
			"abort": 0, "iss-step": 1, "server-iss-step": 2048}),
		// Measured with these parameters. roles=1 (the client opens,
		// the server listens) leaves simultaneous open and the arrows
		// LISTEN -> SYN_SENT and SYN_SENT -> SYN_RECEIVED uncovered.
		// With one clock for both sides (server-iss-step=0), the server's
		// second connection, opened by a delayed duplicate of the client's
		// first SYN and closed from SYN_RECEIVED, sends a FIN at exactly
		// the RCV.NXT of the client's TIME_WAIT, which takes it and
		// acknowledges it: sequence-accounting, server-close-leads-to-closed
		// and deadlock fail (the server waits in FIN_WAIT_2 forever). With
		// roles=0 the client, whose clock is slow, may play the server's
		// part in that story (measured: 433,662 states, six properties
		// fail), so roles=1 is part of what makes this variant sound.
		Expect: violated("simultaneous-open", "arrow: LISTEN -> SYN_SENT", "arrow: SYN_SENT -> SYN_RECEIVED"),
	}},
	{Variant: Variant{
		Name: "rfc9293-off-path",
		Description: "RFC 9293 endpoints on a reliable network with an off-path attacker, RFC 5961's blind " +
			"in-window attacker, that forges one segment into a synchronized endpoint (inject=1): a RST or a SYN " +
			"inside the window but not at RCV.NXT, each answered with a challenge ACK (RFC 5961 §3.2, §4), or an ACK " +
			"outside SND.UNA..SND.NXT: one of something not yet sent is answered with an ACK and dropped (§3.10.7.4 " +
			"\"fifth\"), an old one is ignored. No ABORT, for a small state space",
		Params: tcpParams(map[string]int{"data": 1, "cap": 2, "inject": 1, "abort": 0}),
	}},
	{Variant: Variant{
		Name: "two-way-handshake",
		Description: "the passive side goes ESTABLISHED as soon as a SYN arrives in LISTEN, without waiting for the " +
			"ACK of its own SYN (against §3.5 and §3.10.7.2): a delayed SYN from the client's earlier connection opens " +
			"a connection the client never asked for",
		Params: tcpParams(map[string]int{"data": 0, "conns": 2, "roles": 1}),
		// Measured with these parameters. roles=1 (the client opens, the
		// server listens) makes the first counterexample the story of
		// §3.5 Figure 8 and leaves LISTEN -> SYN_SENT, SYN_SENT ->
		// SYN_RECEIVED and simultaneous-open uncovered, as on the sound
		// model; the other arrows out of SYN_RECEIVED are never taken
		// because the flaw skips that state.
		Expect: violated("no-stale-connection", "client-syn-sent-leads-to-established-or-closed",
			"three-way-handshake", "simultaneous-open", "arrow: LISTEN -> SYN_RECEIVED", "arrow: LISTEN -> SYN_SENT",
			"arrow: SYN_SENT -> SYN_RECEIVED", "arrow: SYN_RECEIVED -> LISTEN", "arrow: SYN_RECEIVED -> ESTABLISHED",
			"arrow: SYN_RECEIVED -> FIN_WAIT_1", "diagram-conformance", "data-transfer"),
	}, flaw: func(c *tcp.Config) { c.TwoWayHandshake = true }},
	{Variant: Variant{
		Name: "no-time-wait",
		Description: "the active closer goes straight to CLOSED on the peer's FIN instead of lingering 2MSL in TIME_WAIT " +
			"(against §3.6, MUST-13): with the parameters of rfc9293-time-wait and two octets per side, a delayed octet " +
			"of the client's first connection is accepted into the second, whose ISN lies inside the first one's " +
			"sequence space",
		Params: tcpParams(map[string]int{"data": 2, "cap": 2, "conns": 2, "reorder": 1, "roles": 1, "retx": 1,
			"abort": 0, "iss-step": 1, "server-iss-step": 2048}),
		// Measured with these parameters. Without TIME_WAIT, four-way-close,
		// simultaneous-close and the arrows into and out of TIME_WAIT are
		// never taken, and FIN_WAIT_2 -> CLOSED is off the diagram; roles=1
		// leaves simultaneous open uncovered. The sound protocol with these
		// parameters gets only the verdicts roles=1 rules out, as
		// rfc9293-time-wait does (110,840 states);
		// TestTCPBrokenVariantsFailOnlyByTheirFlaw checks that the key
		// property, stream-integrity, fails by the flaw alone.
		Expect: violated("stream-integrity", "established-together",
			"client-close-leads-to-closed", "server-close-leads-to-closed", "four-way-close", "simultaneous-open",
			"simultaneous-close", "arrow: LISTEN -> SYN_SENT", "arrow: SYN_SENT -> SYN_RECEIVED",
			"arrow: FIN_WAIT_2 -> TIME_WAIT", "arrow: CLOSING -> TIME_WAIT", "arrow: TIME_WAIT -> CLOSED",
			"diagram-conformance", "deadlock", "sequence-accounting", "acknowledged-is-delivered",
			"reset-only-by-departed-peer", "client-close-leads-to-graceful-close", "server-close-leads-to-graceful-close",
			"data-transfer"),
	}, flaw: func(c *tcp.Config) { c.NoTimeWait = true }},
	{Variant: Variant{
		Name: "fixed-isn",
		Description: "every connection starts at the same ISN, no ISN clock (against §3.4.1): an old duplicate " +
			"of an earlier connection is accepted into a new one",
		Params: tcpParams(map[string]int{"data": 0, "conns": 2}),
		// Measured with these parameters (data=0 leaves LISTEN -> SYN_SENT
		// uncovered, that arrow is a SEND in LISTEN, and data-transfer).
		Expect: violated("no-stale-connection",
			"client-syn-sent-leads-to-established-or-closed", "server-syn-sent-leads-to-established-or-closed",
			"client-close-leads-to-closed", "server-close-leads-to-closed", "arrow: LISTEN -> SYN_SENT", "data-transfer",
			"no-stuck-state"),
	}, flaw: func(c *tcp.Config) { c.ISSStep = 0 }},
	{Variant: Variant{
		Name: "no-seq-check",
		Description: "SEG.SEQ is not checked against RCV.NXT (against the acceptability test of §3.10.7.4 \"first\"): " +
			"a duplicate data segment reaches the application twice",
		Params: tcpParams(map[string]int{"data": 1, "dup": 1}),
		// Measured with these parameters.
		Expect: violated("stream-integrity", "established-together",
			"client-syn-sent-leads-to-established-or-closed", "server-syn-sent-leads-to-established-or-closed",
			"client-close-leads-to-closed", "server-close-leads-to-closed", "sequence-accounting",
			"acknowledged-is-delivered", "client-data-delivered", "server-data-delivered",
			"client-close-leads-to-graceful-close", "server-close-leads-to-graceful-close", "rst-only-at-rcv-nxt",
			"no-stuck-state"),
	}, flaw: func(c *tcp.Config) { c.NoSeqCheck = true }},
	{Variant: Variant{
		Name: "no-syn-ack-check",
		Description: "in SYN_SENT, SEG.ACK of a SYN,ACK is not checked against ISS and SND.NXT (against §3.10.7.3 " +
			"\"first\"): a delayed SYN,ACK of an earlier connection completes the handshake of a new one",
		Params: tcpParams(map[string]int{"data": 0, "conns": 2, "reorder": 1}),
		// Measured with these parameters (data=0 leaves LISTEN -> SYN_SENT
		// uncovered, that arrow is a SEND in LISTEN, and data-transfer).
		Expect: violated("established-together",
			"client-syn-sent-leads-to-established-or-closed", "server-syn-sent-leads-to-established-or-closed",
			"client-close-leads-to-closed", "server-close-leads-to-closed", "arrow: LISTEN -> SYN_SENT",
			"sequence-accounting", "reset-only-by-departed-peer",
			"client-close-leads-to-graceful-close", "server-close-leads-to-graceful-close", "data-transfer",
			"no-stuck-state"),
	}, flaw: func(c *tcp.Config) { c.NoSynAckCheck = true }},
	{Variant: Variant{
		Name: "data-after-fin",
		Description: "endpoints that do not treat FIN as the end of the stream: the application may SEND after " +
			"CLOSE and the endpoint sends that data after its FIN (against §3.10.2), and segment text arriving " +
			"after the peer's FIN is delivered (against §3.10.7.4 \"seventh\")",
		// One octet per side, two segments in flight: the smallest
		// configuration that shows the flaw (an octet sent after the
		// FIN and delivered after end-of-stream).
		Params: tcpParams(map[string]int{"data": 1, "cap": 2}),
		Expect: violated("no-data-after-fin"),
	}, flaw: func(c *tcp.Config) { c.AcceptDataAfterFIN = true; c.SendAfterClose = true }},
}

// TCPVariants returns the variants of "tcp" (those of its entry, TCP).
func TCPVariants() []Variant {
	out := make([]Variant, len(tcpVariants))
	for i := range tcpVariants {
		out[i] = tcpVariants[i].Variant
	}
	return out
}

// applyTCPParams sets the configuration's parameters, network included.
func applyTCPParams(cfg *tcp.Config, params map[string]int) {
	set := func(name string, f func(int)) {
		if v, ok := params[name]; ok {
			f(v)
		}
	}
	set("data", func(v int) { cfg.Data = v })
	set("cap", func(v int) { cfg.Cap = v })
	set("conns", func(v int) { cfg.Conns = v })
	set("retx", func(v int) { cfg.Retx = v })
	set("iss-step", func(v int) { cfg.ISSStep = uint32(v) })
	set("server-iss-step", func(v int) { cfg.ServerISSStep = uint32(v) })
	set("abort", func(v int) { cfg.NoAbort = v == 0 })
	set("inject", func(v int) { cfg.Inject = v })
	set("roles", func(v int) { cfg.ClientServer = v != 0 })
	set("loss", func(v int) { cfg.Net.Loss = uint8(v) })
	set("dup", func(v int) { cfg.Net.Dup = uint8(v) })
	set("reorder", func(v int) { cfg.Net.Reorder = v != 0 })
}

// TCPSoundConfig is the configuration of a variant of "tcp" with the given
// parameters (missing ones take the variant's defaults) and without the
// variant's flaw: the sound protocol under the same conditions, the
// baseline a broken variant's verdicts are compared with.
func TCPSoundConfig(variant string, params map[string]int) (tcp.Config, error) {
	if variant == "" {
		variant = tcpVariants[0].Name
	}
	for i := range tcpVariants {
		v := &tcpVariants[i]
		if v.Name != variant {
			continue
		}
		all := map[string]int{}
		for _, p := range v.Params {
			all[p.Name] = p.Default
		}
		for k, x := range params {
			all[k] = x
		}
		// The first variant is the sound protocol; every parameter is
		// given, so none of its defaults apply.
		return TCPConfig(tcpVariants[0].Name, all)
	}
	return tcp.Config{}, fmt.Errorf("unknown variant %q of model tcp", variant)
}
