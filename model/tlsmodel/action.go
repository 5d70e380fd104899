package tlsmodel

import "github.com/handshake/handshake/checker"

// Kind is the kind of an action. Every action is one role session taking
// one step; the attacker's part (forwarding, replaying, composing) is the
// choice of the message the role receives.
type Kind uint8

const (
	// SendClientHello: client session i sends ClientHello (RFC 5246
	// §7.4.1.2; RFC 8446 §4.1.2 with its key_share).
	SendClientHello Kind = iota + 1
	// RecvClientHello: server session j receives a ClientHello the
	// attacker delivers and answers with its flight (ServerHello,
	// Certificate, [ServerKeyExchange], ServerHelloDone; TLS 1.3:
	// ServerHello, {EncryptedExtensions, Certificate, CertificateVerify,
	// Finished}).
	RecvClientHello
	// RecvServerFlight: client session i receives the server's flight and
	// answers (TLS 1.2: ClientKeyExchange, ChangeCipherSpec, Finished;
	// TLS 1.3: Finished).
	RecvServerFlight
	// RecvClientFlight: server session j receives the client's flight
	// (TLS 1.2: ClientKeyExchange and Finished, then sends its Finished;
	// TLS 1.3: Finished).
	RecvClientFlight
	// RecvServerFinished: TLS 1.2 client session i receives the server's
	// Finished.
	RecvServerFinished
	// RevealLTK: the attacker obtains S's long-term private key
	// (Config.Compromise).
	RevealLTK
	// RevealClientKey, RevealServerKey: the attacker obtains the session
	// key of CONNECTED client session i, server session j
	// (Config.Compromise).
	RevealClientKey
	RevealServerKey
)

// noField encodes an absent term in an action parameter.
const noField = 31

// An action is kind<<24 | session<<16 | param, with param packing the
// message's choices: a (5 bits) | b<<5 (5 bits) | c<<10 (2 bits) | d<<12
// (2 bits) | e<<14 (2 bits). RecvClientHello: a = client_random, b = key
// share (TLS 1.3), c = suites offered, d = versions offered (Mixed: the
// offer's upper bits). RecvServerFlight: a = server_random, b = server
// share, c = suite, d = certificate, e = the flight's protocol.
// RecvClientFlight: a = key-exchange input.
func act(k Kind, session int, a, b Term, c, d uint8) checker.Action {
	return checker.Action(uint32(k)<<24 | uint32(session)<<16 |
		uint32(field(a)) | uint32(field(b))<<5 | uint32(c&3)<<10 | uint32(d&3)<<12)
}

// actFlight is act for RecvServerFlight, with the flight's protocol p.
func actFlight(session int, sr, y Term, suite, cert uint8, p Protocol) checker.Action {
	return act(RecvServerFlight, session, sr, y, suite, cert) | checker.Action(uint32(p&3)<<14)
}

// FlightProtocol is the protocol of a RecvServerFlight action.
func FlightProtocol(a checker.Action) Protocol { return Protocol(uint32(a) >> 14 & 3) }

func field(t Term) uint8 {
	if t == NoTerm {
		return noField
	}
	return uint8(t)
}

func unfield(x uint32) Term {
	if x == noField {
		return NoTerm
	}
	return Term(x)
}

// Decode splits an action into its kind, session and message choices.
func Decode(a checker.Action) (k Kind, session int, ta, tb Term, c, d uint8) {
	u := uint32(a)
	return Kind(u >> 24), int(u>>16) & 0xff, unfield(u & 31), unfield(u >> 5 & 31), uint8(u >> 10 & 3), uint8(u >> 12 & 3)
}

// Actions appends the actions enabled in s to buf.
func (c *Config) Actions(s State, buf []checker.Action) []checker.Action {
	for i := 0; i < c.Clients; i++ {
		switch s.C[i].Phase {
		case ClientStart:
			buf = append(buf, act(SendClientHello, i, NoTerm, NoTerm, 0, 0))
		case ClientWaitSH:
			buf = c.serverFlights(&s, i, buf)
		case ClientWaitFinished:
			if c.acceptServerFinished(&s, i) {
				buf = append(buf, act(RecvServerFinished, i, NoTerm, NoTerm, 0, 0))
			}
		}
	}
	for j := 0; j < c.Servers; j++ {
		switch s.S[j].Phase {
		case ServerStart:
			buf = c.clientHellos(&s, j, buf)
		case ServerWaitFlight:
			buf = c.clientFlights(&s, j, buf)
		}
	}
	if c.Compromise {
		if !s.Know.Has(SKS) {
			buf = append(buf, act(RevealLTK, 0, NoTerm, NoTerm, 0, 0))
		}
		for i := 0; i < c.Clients; i++ {
			if s.C[i].Phase == ClientConnected && s.C[i].Flags&FlagKeyRevealed == 0 {
				buf = append(buf, act(RevealClientKey, i, NoTerm, NoTerm, 0, 0))
			}
		}
		for j := 0; j < c.Servers; j++ {
			if s.S[j].Phase == ServerConnected && s.S[j].Flags&FlagKeyRevealed == 0 {
				buf = append(buf, act(RevealServerKey, j, NoTerm, NoTerm, 0, 0))
			}
		}
	}
	return buf
}

// offers lists the offers the attacker can put in a ClientHello, the
// honest one first (so that among attacks of equal length the shortest
// counterexample prefers forwarding).
var offers = [...]uint8{OfferBoth, SuiteStrong, SuiteWeak}

// usableRandom reports whether the attacker can put random t in a hello:
// any random it knows, or, without a random of its own, only one of the
// role it is used in (a client_random in a ClientHello, a server_random in
// a ServerHello).
func (c *Config) usableRandom(s *State, t Term, asClient bool) bool {
	if !s.Know.Has(t) {
		return false
	}
	return c.AttackerRandom || (t < SR0) == asClient
}

// clientHellos appends the ClientHellos the attacker can deliver to server
// session j: any random it can use as client_random, any offer, and in
// TLS 1.3 any share it knows (an honest client's ClientHello carries a
// share for each group it offers, RFC 8446 §4.2.8, so its share atom
// stands for both).
func (c *Config) clientHellos(s *State, j int, buf []checker.Action) []checker.Action {
	for cr := Term(0); IsRandom(cr); cr++ {
		if !c.usableRandom(s, cr, true) {
			continue
		}
		for _, offer := range offers {
			if c.Protocol != TLS13 {
				buf = append(buf, act(RecvClientHello, j, cr, NoTerm, offer, 0))
				continue
			}
			for _, vers := range c.versionOffers() {
				for _, y := range shareTerms {
					if s.Know.Has(y) {
						buf = append(buf, act(RecvClientHello, j, cr, y, offer, vers>>2))
					}
				}
			}
		}
	}
	return buf
}

// versionOffers lists the supported_versions the attacker can put in a
// ClientHello: with Mixed both (the honest one), TLS 1.2 only (1.3
// stripped) or TLS 1.3 only; otherwise none (the version is fixed).
func (c *Config) versionOffers() []uint8 {
	if c.Mixed {
		return mixedVersionOffers[:]
	}
	return fixedVersionOffer[:]
}

// The lists of versionOffers and flightProtocols, static so that the hot
// path does not allocate.
var (
	mixedVersionOffers = [...]uint8{OfferVersions, OfferTLS12, OfferTLS13}
	fixedVersionOffer  = [...]uint8{0}
	mixedProtocols     = [...]Protocol{TLS13, TLS12ECDHE}
	singleProtocols    = [...]Protocol{TLS12RSA, TLS12ECDHE, TLS13}
)

// flightProtocols lists the protocols of the server flights a client may
// receive: with Mixed, TLS 1.3 and TLS 1.2 ECDHE.
func (c *Config) flightProtocols() []Protocol {
	if c.Mixed {
		return mixedProtocols[:]
	}
	return singleProtocols[c.Protocol : c.Protocol+1]
}

// acceptsCert reports whether client session i accepts a certificate of
// identity cert: the one of the server it intends, or any without the
// name check.
func (c *Config) acceptsCert(i int, cert uint8) bool {
	return c.NoCertCheck || cert == c.IntendedPeer(i)
}

// serverFlights appends the server flights client session i would accept.
func (c *Config) serverFlights(s *State, i int, buf []checker.Action) []checker.Action {
	for sr := Term(0); IsRandom(sr); sr++ {
		if !c.usableRandom(s, sr, false) {
			continue
		}
		for suite := SuiteStrong; suite <= SuiteWeak; suite <<= 1 {
			for cert := IdServer; cert <= IdAttacker; cert++ {
				if !c.acceptsCert(i, cert) {
					continue
				}
				if c.Protocol == TLS12RSA {
					buf = append(buf, actFlight(i, sr, NoTerm, suite, cert, TLS12RSA))
					continue
				}
				for _, p := range c.flightProtocols() {
					for _, y := range shareTerms {
						if s.Know.Has(y) && c.acceptServerFlight(s, i, p, sr, suite, cert, y) {
							buf = append(buf, actFlight(i, sr, y, suite, cert, p))
						}
					}
				}
			}
		}
	}
	return buf
}

// acceptServerFlight decides the signature and (TLS 1.3) Finished checks
// of a server flight with share y. With the attacker's certificate the
// attacker signs anything; with S's it needs S's signature over what the
// client's view says was signed.
func (c *Config) acceptServerFlight(s *State, i int, p Protocol, sr Term, suite, cert uint8, y Term) bool {
	v := c.ClientView(i, p, sr, suite, cert, y)
	switch p {
	case TLS12ECDHE:
		// RFC 8446 §4.1.3: a client that offered TLS 1.3 aborts on the
		// downgrade sentinel in a TLS 1.2 server_random.
		if c.Mixed && c.sentinelMarked(s, sr) {
			return false
		}
		// RFC 8422 §5.4: signed client_random + server_random + params.
		return cert == IdAttacker || c.NoSKESignature || c.canSignAsServer(s, v)
	case TLS13:
		if cert == IdServer && !c.canSignAsServer(s, v) {
			return false
		}
		return c.Mutation == MutClientSkipsServerFinished || c.serverFinishedVerifies(s, c.clientKeyWith(i, p, sr, suite, y), v)
	}
	return true
}

// clientFlights appends the client flights server session j would accept.
func (c *Config) clientFlights(s *State, j int, buf []checker.Action) []checker.Action {
	switch s.S[j].Proto {
	case TLS12RSA:
		// ClientKeyExchange: a ciphertext under the server's key the
		// attacker has seen or can make (RFC 5246 §7.4.7.1).
		for pms := PMS0; IsPMS(pms); pms++ {
			if s.Know.CanEncrypt(IdServer, pms) && c.acceptClientFinished(s, j, pms) {
				buf = append(buf, act(RecvClientFlight, j, pms, NoTerm, 0, 0))
			}
		}
	case TLS12ECDHE:
		for _, y := range shareTerms {
			if s.Know.Has(y) && c.acceptClientFinished(s, j, y) {
				buf = append(buf, act(RecvClientFlight, j, y, NoTerm, 0, 0))
			}
		}
	case TLS13:
		if kx := s.S[j].Peer; c.acceptClientFinished(s, j, kx) {
			buf = append(buf, act(RecvClientFlight, j, kx, NoTerm, 0, 0))
		}
	}
	return buf
}

// acceptClientFinished decides whether server session j, with client
// key-exchange input kx, receives a client Finished it verifies.
func (c *Config) acceptClientFinished(s *State, j int, kx Term) bool {
	if c.NoFinished || c.Mutation == MutServerSkipsClientFinished {
		return true
	}
	return c.clientFinishedVerifies(s, c.serverKeyWith(s, j, kx), c.ServerView(s, j, kx))
}

// acceptServerFinished decides whether TLS 1.2 client session i receives a
// server Finished it verifies.
func (c *Config) acceptServerFinished(s *State, i int) bool {
	return c.Mutation == MutClientSkipsServerFinished || c.serverFinishedVerifies(s, c.ClientKey(s, i), c.ClientViewOf(s, i))
}

// Next returns the successor of s under the enabled action a.
func (c *Config) Next(s State, a checker.Action) State {
	k, n, ta, tb, x, y := Decode(a)
	switch k {
	case SendClientHello:
		s.C[n].Phase = ClientWaitSH
		s.Know.Learn(ClientRandom(n))
		if c.Protocol == TLS13 {
			s.Know.Learn(ClientShare(n))
		}
	case RecvClientHello:
		sv := &s.S[n]
		offer := x | y<<2
		*sv = Server{Phase: ServerWaitFlight, CR: ta, Offer: offer, Suite: Choose(offer), Peer: NoTerm, Proto: c.Version(offer)}
		if sv.Proto == TLS13 {
			sv.Peer = tb
		}
		s.Know.Learn(c.ServerRandom(n))
		if sv.Proto != TLS12RSA {
			s.Know.Learn(c.ServerShare(n, sv.Suite))
		}
	case RecvServerFlight:
		cl := &s.C[n]
		cl.SR, cl.Suite, cl.Cert, cl.Peer, cl.Proto = ta, x, y, tb, FlightProtocol(a)
		switch {
		case cl.Proto == TLS13 || c.NoFinished:
			cl.Phase = ClientConnected
		default:
			cl.Phase = ClientWaitFinished
		}
		switch cl.Proto {
		case TLS12RSA:
			s.Know.Learn(Enc(y, ClientPMS(n)))
		case TLS12ECDHE:
			s.Know.Learn(ClientShare(n))
		}
	case RecvClientFlight:
		s.S[n].Peer = ta
		s.S[n].Phase = ServerConnected
	case RecvServerFinished:
		s.C[n].Phase = ClientConnected
	case RevealLTK:
		s.Know.Learn(SKS)
		for i := 0; i < c.Clients; i++ {
			if s.C[i].Phase == ClientConnected {
				s.C[i].Flags |= FlagBeforeReveal
			}
		}
		for j := 0; j < c.Servers; j++ {
			if s.S[j].Phase == ServerConnected {
				s.S[j].Flags |= FlagBeforeReveal
			}
		}
	case RevealClientKey:
		s.C[n].Flags |= FlagKeyRevealed
	case RevealServerKey:
		s.S[n].Flags |= FlagKeyRevealed
	default:
		panic("tlsmodel: unknown action")
	}
	return s
}
