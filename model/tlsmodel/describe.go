package tlsmodel

import (
	"fmt"
	"strings"

	"github.com/handshake/handshake/checker"
)

// ClientHelloText renders a ClientHello.
func (c *Config) ClientHelloText(cr Term, offer uint8, y Term) string {
	if c.Protocol == TLS13 {
		return fmt.Sprintf("ClientHello(%s, %s, %s)", TermName(cr), OfferName(offer), TermName(y))
	}
	return fmt.Sprintf("ClientHello(%s, %s)", TermName(cr), OfferName(offer))
}

// randomText renders a server_random, with the downgrade sentinel if the
// server sets it (RFC 8446 §4.1.3).
func (c *Config) randomText(p Protocol, sr Term, sentinel bool) string {
	if c.Mixed && p == TLS12ECDHE && sentinel && !c.NoSentinel {
		return TermName(sr) + "·DOWNGRD01"
	}
	return TermName(sr)
}

// ServerFlightText renders the server's first flight of protocol p;
// sentinel says whether S sends it (and sets the sentinel under Mixed).
func (c *Config) ServerFlightText(p Protocol, sr Term, suite, cert uint8, y Term, sentinel bool) string {
	r := c.randomText(p, sr, sentinel)
	switch p {
	case TLS12ECDHE:
		v := ""
		if c.Mixed {
			v = "TLS 1.2, "
		}
		return fmt.Sprintf("ServerHello(%s%s, %s), Certificate(%s), ServerKeyExchange(%s, sig_%s), ServerHelloDone",
			v, r, SuiteName(suite), IdName(cert), TermName(y), IdName(cert))
	case TLS13:
		return fmt.Sprintf("ServerHello(%s, %s, %s), {Certificate(%s), CertificateVerify, Finished}",
			r, SuiteName(suite), TermName(y), IdName(cert))
	}
	return fmt.Sprintf("ServerHello(%s, %s), Certificate(%s), ServerHelloDone", r, SuiteName(suite), IdName(cert))
}

// ClientFlightText renders the client's second flight of protocol p with
// key-exchange input kx, encrypted (RSA) to identity cert.
func (c *Config) ClientFlightText(p Protocol, kx Term, cert uint8) string {
	var cke string
	switch p {
	case TLS12RSA:
		cke = "ClientKeyExchange(" + TermName(Enc(cert, kx)) + ")"
	case TLS12ECDHE:
		cke = "ClientKeyExchange(" + TermName(kx) + ")"
	case TLS13:
		return "{Finished}"
	}
	if c.NoFinished {
		return cke
	}
	return cke + ", Finished"
}

// Label names action a taken in s.
func (c *Config) Label(s State, a checker.Action) string {
	k, n, ta, tb, x, y := Decode(a)
	switch k {
	case SendClientHello:
		return c.clientName(n) + ": send " + c.ClientHelloText(ClientRandom(n), c.ClientOffer(), ClientShare(n))
	case RecvClientHello:
		offer := x | y<<2
		p := c.Version(offer)
		return fmt.Sprintf("%s: receive %s (%s), send %s", c.serverName(n), c.ClientHelloText(ta, offer, tb),
			c.helloOrigin(&s, ta, offer, tb), c.ServerFlightText(p, c.ServerRandom(n), Choose(offer), IdServer, c.ServerShare(n, Choose(offer)), true))
	case RecvServerFlight:
		p := FlightProtocol(a)
		return fmt.Sprintf("%s: receive %s (%s), send %s", c.clientName(n), c.ServerFlightText(p, ta, x, y, tb, c.sentinelMarked(&s, ta)),
			c.serverFlightOrigin(&s, n, p, ta, x, y, tb), c.ClientFlightText(p, c.clientKX(n), y))
	case RecvClientFlight:
		p := s.S[n].Proto
		msg := c.ClientFlightText(p, ta, IdServer)
		if p != TLS13 && !c.NoFinished {
			return fmt.Sprintf("%s: receive %s (%s), send Finished", c.serverName(n), msg, c.clientFlightOrigin(&s, n, ta))
		}
		return fmt.Sprintf("%s: receive %s (%s)", c.serverName(n), msg, c.clientFlightOrigin(&s, n, ta))
	case RecvServerFinished:
		return fmt.Sprintf("%s: receive Finished (%s)", c.clientName(n), c.serverFinishedOrigin(&s, n))
	case RevealLTK:
		return "attacker: reveal S's long-term private key sk(S)"
	case RevealClientKey:
		return fmt.Sprintf("attacker: reveal %s's session key %s", c.clientName(n), c.ClientKey(&s, n))
	case RevealServerKey:
		return fmt.Sprintf("attacker: reveal %s's session key %s", c.serverName(n), c.ServerKey(&s, n))
	}
	return fmt.Sprintf("action %#x", uint32(a))
}

// helloOrigin says how the attacker came by a ClientHello it delivers.
func (c *Config) helloOrigin(s *State, cr Term, offer uint8, y Term) string {
	for i := 0; i < c.Clients; i++ {
		if s.C[i].Phase == ClientStart || cr != ClientRandom(i) {
			continue
		}
		var changed []string
		if offer != c.ClientOffer() {
			changed = append(changed, "offer "+OfferName(offer))
		}
		if c.Protocol == TLS13 && y != ClientShare(i) {
			changed = append(changed, "share "+TermName(y))
		}
		if len(changed) == 0 {
			for j := 0; j < c.Servers; j++ {
				if sv := &s.S[j]; sv.Phase >= ServerWaitFlight && sv.CR == cr && sv.Offer == offer && (c.Protocol != TLS13 || sv.Peer == y) {
					return "attacker replays " + c.clientName(i) + "'s, already delivered to " + c.serverName(j)
				}
			}
			return "attacker forwards " + c.clientName(i) + "'s"
		}
		return "attacker rewrites " + c.clientName(i) + "'s: " + strings.Join(changed, ", ")
	}
	return "composed by the attacker"
}

// serverFlightOrigin says how the attacker came by a server flight it
// delivers to client session i.
func (c *Config) serverFlightOrigin(s *State, i int, p Protocol, sr Term, suite, cert uint8, y Term) string {
	for j := 0; j < c.Servers; j++ {
		sv := &s.S[j]
		if sv.Phase < ServerWaitFlight || c.ServerRandom(j) != sr {
			continue
		}
		var changed []string
		if p != sv.Proto {
			changed = append(changed, "version "+p.String())
		}
		if suite != sv.Suite {
			changed = append(changed, "suite "+SuiteName(suite))
		}
		if cert != IdServer {
			changed = append(changed, "its own certificate")
		}
		if p != TLS12RSA && y != c.ServerShare(j, sv.Suite) {
			changed = append(changed, "share "+TermName(y))
		}
		if len(changed) == 0 {
			if sv.CR == ClientRandom(i) {
				return "attacker forwards " + c.serverName(j) + "'s"
			}
			return "attacker replays " + c.serverName(j) + "'s"
		}
		return "attacker rewrites " + c.serverName(j) + "'s: " + strings.Join(changed, ", ")
	}
	return "composed by the attacker"
}

// clientFlightOrigin says how the attacker came by the client flight it
// delivers to server session j with key-exchange input kx.
func (c *Config) clientFlightOrigin(s *State, j int, kx Term) string {
	if i, ok := c.clientSentFinishedFor(s, c.serverKeyWith(s, j, kx), c.ServerView(s, j, kx)); ok {
		for o := 0; o < c.Servers; o++ {
			if o != j && s.S[o].Phase == ServerConnected && s.S[o].CR == ClientRandom(i) && s.S[o].Peer == kx {
				return "attacker replays " + c.clientName(i) + "'s, already delivered to " + c.serverName(o)
			}
		}
		if s.C[i].SR == c.ServerRandom(j) && c.serverTalkedTo(s, j, i) {
			return "attacker forwards " + c.clientName(i) + "'s"
		}
		return "attacker replays " + c.clientName(i) + "'s"
	}
	if c.NoFinished || c.Mutation == MutServerSkipsClientFinished {
		for i := 0; i < c.Clients; i++ {
			if s.C[i].Phase >= ClientWaitFinished && c.clientKX(i) == kx && s.C[i].Cert == IdServer {
				return "attacker passes on " + c.clientName(i) + "'s"
			}
		}
		if c.Mutation == MutServerSkipsClientFinished {
			return "composed by the attacker, Finished unchecked"
		}
	}
	if s.S[j].Proto == TLS13 {
		return "Finished computed by the attacker with " + c.serverKeyWith(s, j, kx).String()
	}
	return "composed by the attacker, Finished with " + c.serverKeyWith(s, j, kx).String()
}

// serverTalkedTo: server session j's ClientHello came from client i
// unchanged.
func (c *Config) serverTalkedTo(s *State, j, i int) bool {
	return s.S[j].CR == ClientRandom(i) && s.S[j].Offer == c.ClientOffer()
}

// serverFinishedOrigin says how the attacker came by the server Finished
// it delivers to TLS 1.2 client session i.
func (c *Config) serverFinishedOrigin(s *State, i int) string {
	if j, ok := c.serverSentFinishedFor(s, c.ClientKey(s, i), c.ClientViewOf(s, i)); ok {
		return "attacker forwards " + c.serverName(j) + "'s"
	}
	if !c.KeyKnown(s, c.ClientKey(s, i)) && c.Mutation == MutClientSkipsServerFinished {
		return "forged by the attacker, unchecked"
	}
	return "computed by the attacker with " + c.ClientKey(s, i).String()
}

// learnt lists the secrets the attacker learnt between s and t, with how.
func learnt(s, t *State) []string {
	var out []string
	if t.Know.Has(SKS) && !s.Know.Has(SKS) {
		out = append(out, "learns sk(S) (compromise of S's long-term key)")
	}
	for p := PMS0; IsPMS(p); p++ {
		if t.Know.Has(p) && !s.Know.Has(p) {
			if t.Know.Has(Enc(IdAttacker, p)) {
				out = append(out, fmt.Sprintf("learns %s (decrypts %s with its own key)", TermName(p), TermName(Enc(IdAttacker, p))))
			} else {
				out = append(out, fmt.Sprintf("learns %s (decrypts %s with sk(S))", TermName(p), TermName(Enc(IdServer, p))))
			}
		}
	}
	for j := YSW0; j < SKS; j++ {
		if t.Know.Has(j) && !s.Know.Has(j) {
			out = append(out, fmt.Sprintf("learns %s, a share in the weak group: computes its discrete logarithm", TermName(j)))
		}
	}
	return out
}

// Describe explains the transition s -a-> t for sequence diagrams: the
// attacker (the network) receives every message an honest role sends and
// delivers every message an honest role receives.
func (c *Config) Describe(s State, a checker.Action, t State) []checker.Event {
	k, n, ta, tb, x, y := Decode(a)
	var ev []checker.Event
	deliver := func(from, to int, text string) {
		ev = append(ev,
			checker.Event{Kind: checker.Send, Lane: from, Peer: to, Text: text},
			checker.Event{Kind: checker.Receive, Lane: to, Peer: from, Text: text})
	}
	note := func(lane int, text string) {
		ev = append(ev, checker.Event{Kind: checker.Note, Lane: lane, Text: text})
	}
	change := func(lane int, text string) {
		ev = append(ev, checker.Event{Kind: checker.Change, Lane: lane, Text: text})
	}
	switch k {
	case SendClientHello:
		deliver(LaneClient, LaneAttacker, c.ClientHelloText(ClientRandom(n), c.ClientOffer(), ClientShare(n)))
		change(LaneClient, c.clientName(n)+" "+ClientPhaseName(t.C[n].Phase))
	case RecvClientHello:
		offer := x | y<<2
		deliver(LaneAttacker, LaneServer, c.ClientHelloText(ta, offer, tb))
		deliver(LaneServer, LaneAttacker, c.ServerFlightText(t.S[n].Proto, c.ServerRandom(n), Choose(offer), IdServer, c.ServerShare(n, Choose(offer)), true))
		change(LaneServer, c.serverName(n)+" "+c.ServerPhaseName(t.S[n].Proto, t.S[n].Phase))
	case RecvServerFlight:
		p := FlightProtocol(a)
		deliver(LaneAttacker, LaneClient, c.ServerFlightText(p, ta, x, y, tb, c.sentinelMarked(&s, ta)))
		deliver(LaneClient, LaneAttacker, c.ClientFlightText(p, c.clientKX(n), y))
		change(LaneClient, c.clientName(n)+" "+ClientPhaseName(t.C[n].Phase))
	case RecvClientFlight:
		deliver(LaneAttacker, LaneServer, c.ClientFlightText(s.S[n].Proto, ta, IdServer))
		if s.S[n].Proto != TLS13 && !c.NoFinished {
			deliver(LaneServer, LaneAttacker, "Finished")
		}
		change(LaneServer, c.serverName(n)+" "+c.ServerPhaseName(t.S[n].Proto, t.S[n].Phase))
	case RecvServerFinished:
		deliver(LaneAttacker, LaneClient, "Finished")
		change(LaneClient, c.clientName(n)+" "+ClientPhaseName(t.C[n].Phase))
	case RevealLTK:
		note(LaneServer, "S's long-term key revealed")
	case RevealClientKey:
		note(LaneClient, c.clientName(n)+"'s session key revealed")
	case RevealServerKey:
		note(LaneServer, c.serverName(n)+"'s session key revealed")
	}
	for _, l := range learnt(&s, &t) {
		note(LaneAttacker, l)
	}
	return ev
}

// Format renders a state: each session's phase, what it received and its
// key, then the attacker's knowledge.
func (c *Config) Format(s State) string {
	var b strings.Builder
	for i := 0; i < c.Clients; i++ {
		cl := &s.C[i]
		fmt.Fprintf(&b, "%s (wants %s): %s", c.clientName(i), IdName(c.IntendedPeer(i)), ClientPhaseName(cl.Phase))
		if cl.Phase >= ClientWaitFinished {
			if c.Mixed {
				fmt.Fprintf(&b, " %s", cl.Proto)
			}
			fmt.Fprintf(&b, " sr=%s suite=%s cert=%s", TermName(cl.SR), SuiteName(cl.Suite), IdName(cl.Cert))
			if cl.Peer != NoTerm {
				fmt.Fprintf(&b, " share=%s", TermName(cl.Peer))
			}
			fmt.Fprintf(&b, " key=%s", c.ClientKey(&s, i))
		}
		b.WriteString(flagText(cl.Flags) + "\n")
	}
	for j := 0; j < c.Servers; j++ {
		sv := &s.S[j]
		fmt.Fprintf(&b, "%s: %s", c.serverName(j), c.ServerPhaseName(sv.Proto, sv.Phase))
		if c.Mixed && sv.Phase >= ServerWaitFlight {
			fmt.Fprintf(&b, " %s", sv.Proto)
		}
		if sv.Phase >= ServerWaitFlight {
			fmt.Fprintf(&b, " cr=%s offer=%s suite=%s", TermName(sv.CR), OfferName(sv.Offer), SuiteName(sv.Suite))
		}
		if sv.Phase == ServerConnected || (sv.Proto == TLS13 && sv.Phase >= ServerWaitFlight) {
			if sv.Proto == TLS12RSA {
				fmt.Fprintf(&b, " pms=%s", TermName(sv.Peer))
			} else {
				fmt.Fprintf(&b, " share=%s", TermName(sv.Peer))
			}
			fmt.Fprintf(&b, " key=%s", c.ServerKey(&s, j))
		}
		b.WriteString(flagText(sv.Flags) + "\n")
	}
	b.WriteString("attacker knows:")
	for t := Term(0); int(t) < NumTerms; t++ {
		if s.Know.Has(t) {
			b.WriteString(" " + TermName(t))
		}
	}
	return b.String()
}

// flagText renders a session's compromise flags.
func flagText(f uint8) string {
	var out string
	if f&FlagKeyRevealed != 0 {
		out += " [key revealed]"
	}
	if f&FlagBeforeReveal != 0 {
		out += " [connected before sk(S) revealed]"
	}
	return out
}

// DescribeInit shows each lane's starting state.
func (c *Config) DescribeInit(s State) []checker.Event {
	ev := []checker.Event{{Kind: checker.Change, Lane: LaneClient, Text: "START"}}
	if c.AttackerRandom {
		ev = append(ev, checker.Event{Kind: checker.Note, Lane: LaneAttacker, Text: "owns certificate E, rE, pmsE, YE"})
	} else {
		ev = append(ev, checker.Event{Kind: checker.Note, Lane: LaneAttacker, Text: "owns certificate E, pmsE, YE (no random of its own)"})
	}
	ev = append(ev, checker.Event{Kind: checker.Change, Lane: LaneServer, Text: "START"})
	return ev
}
