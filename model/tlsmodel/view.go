package tlsmodel

// View is a session's transcript: what the handshake messages it sent and
// received bind (RFC 5246 §7.4.9: Finished covers all handshake messages;
// RFC 8446 §4.4.3: CertificateVerify covers ClientHello .. Certificate,
// §4.4.4 Finished everything before it): the randoms, the offer, the
// chosen suite, the certificate, and the key-exchange values. Two views
// are equal exactly when the two sides saw the same handshake messages.
type View struct {
	Proto        Protocol // the version (with Mixed, the one negotiated)
	CR, SR       Term
	Offer, Suite uint8
	Cert         uint8
	KX           Term // RSA pre_master_secret (inside the ciphertext) or the client's share
	YS           Term // the server's share (ECDHE, TLS 1.3), NoTerm for RSA
}

// ClientView is client session i's view after it received a server flight
// of protocol p with sr, suite, certificate cert and server share ys.
func (c *Config) ClientView(i int, p Protocol, sr Term, suite, cert uint8, ys Term) View {
	return View{Proto: p, CR: ClientRandom(i), SR: sr, Offer: c.ClientOffer(), Suite: suite, Cert: cert, KX: c.clientKX(i), YS: ys}
}

// ServerView is server session j's view with client key-exchange input kx.
func (c *Config) ServerView(s *State, j int, kx Term) View {
	sv := &s.S[j]
	v := View{Proto: sv.Proto, CR: sv.CR, SR: c.ServerRandom(j), Offer: sv.Offer, Suite: sv.Suite, Cert: IdServer, KX: kx, YS: NoTerm}
	if sv.Proto != TLS12RSA {
		v.YS = c.ServerShare(j, sv.Suite)
	}
	return v
}

// ClientViewOf is the view client session i holds in s.
func (c *Config) ClientViewOf(s *State, i int) View {
	cl := &s.C[i]
	return c.ClientView(i, cl.Proto, cl.SR, cl.Suite, cl.Cert, cl.Peer)
}

// ServerViewOf is the view server session j holds in s.
func (c *Config) ServerViewOf(s *State, j int) View {
	return c.ServerView(s, j, s.S[j].Peer)
}

// Choose is the suite an honest server picks from an offer: the strong
// one whenever it is offered (the server supports both).
func Choose(offer uint8) uint8 {
	if offer&SuiteStrong != 0 {
		return SuiteStrong
	}
	return SuiteWeak
}

// ClientCommitted reports whether client session i has sent its last
// handshake message, the Finished (with ClientKeyExchange in TLS 1.2, on
// CONNECTED in TLS 1.3; without Finished, ClientKeyExchange): it is
// committed to its view and key. Lowe's agreement asks for a committed
// peer.
func (c *Config) ClientCommitted(s *State, i int) bool {
	if s.C[i].Proto == TLS13 {
		return s.C[i].Phase == ClientConnected
	}
	return s.C[i].Phase >= ClientWaitFinished
}

// ServerCommitted reports whether server session j has sent its last
// handshake message: its Finished (on CONNECTED in TLS 1.2; with its
// first flight in TLS 1.3); without Finished, it is committed once
// CONNECTED.
func (c *Config) ServerCommitted(s *State, j int) bool {
	if s.S[j].Proto == TLS13 {
		return s.S[j].Phase >= ServerWaitFlight
	}
	return s.S[j].Phase == ServerConnected
}

// clientSentFinished reports whether client session i has sent a Finished
// message.
func (c *Config) clientSentFinished(s *State, i int) bool {
	return !c.NoFinished && c.ClientCommitted(s, i)
}

// serverSentFinished reports whether server session j has sent a Finished
// message.
func (c *Config) serverSentFinished(s *State, j int) bool {
	return !c.NoFinished && c.ServerCommitted(s, j)
}

// A Finished message is a MAC under the sender's key over the sender's
// transcript (RFC 5246 §7.4.9: PRF(master_secret, finished_label,
// Hash(handshake_messages)); RFC 8446 §4.4.4: HMAC(finished_key,
// Transcript-Hash)). A receiver verifies it with its own key and
// transcript: it accepts it exactly when the MAC key and the transcript
// are its own. The attacker can compute the MAC for any key it knows, and
// replay one an honest session sent.

// clientFinishedVerifies reports whether server session j, with key k and
// view v, can receive a client Finished that verifies.
func (c *Config) clientFinishedVerifies(s *State, k Key, v View) bool {
	if c.KeyKnown(s, k) {
		return true
	}
	for i := 0; i < c.Clients; i++ {
		if c.clientSentFinished(s, i) && c.ClientViewOf(s, i) == v && c.ClientKey(s, i) == k {
			return true
		}
	}
	return false
}

// serverFinishedVerifies reports whether a client session with key k and
// view v can receive a server Finished that verifies.
func (c *Config) serverFinishedVerifies(s *State, k Key, v View) bool {
	if c.KeyKnown(s, k) {
		return true
	}
	_, ok := c.serverSentFinishedFor(s, k, v)
	return ok
}

// serverSentFinishedFor finds a server session that sent a Finished under
// key k over view v.
func (c *Config) serverSentFinishedFor(s *State, k Key, v View) (int, bool) {
	for j := 0; j < c.Servers; j++ {
		if c.serverSentFinished(s, j) && c.ServerViewOf(s, j) == v && c.ServerKey(s, j) == k {
			return j, true
		}
	}
	return -1, false
}

// clientSentFinishedFor finds a client session that sent a Finished under
// key k over view v.
func (c *Config) clientSentFinishedFor(s *State, k Key, v View) (int, bool) {
	for i := 0; i < c.Clients; i++ {
		if c.clientSentFinished(s, i) && c.ClientViewOf(s, i) == v && c.ClientKey(s, i) == k {
			return i, true
		}
	}
	return -1, false
}

// canSignAsServer reports whether a signature of S over the signed part
// of view v is available to the attacker: it holds S's private key
// (revealed), or a server session signed exactly that (TLS 1.2 ECDHE
// ServerKeyExchange: client_random + server_random + params, RFC 8422
// §5.4, which leaves out the offer and the suite; TLS 1.3
// CertificateVerify: the transcript ClientHello .. Certificate, RFC 8446
// §4.4.3, the offer left out under MutSignatureOmitsOffer).
func (c *Config) canSignAsServer(s *State, v View) bool {
	if s.Know.Has(SKS) {
		return true
	}
	for j := 0; j < c.Servers; j++ {
		if s.S[j].Phase < ServerWaitFlight {
			continue
		}
		w := c.ServerViewOf(s, j)
		switch {
		case v.Proto != w.Proto:
		case v.Proto == TLS12ECDHE:
			if w.CR == v.CR && w.SR == v.SR && w.YS == v.YS {
				return true
			}
		case c.Mutation == MutSignatureOmitsOffer:
			w.Offer = v.Offer
			fallthrough
		default:
			if w == v {
				return true
			}
		}
	}
	return false
}

// sentinelMarked reports whether server_random sr carries the TLS 1.2
// downgrade sentinel (RFC 8446 §4.1.3): it is the random of a server
// session of S that negotiated TLS 1.2 although it supports TLS 1.3
// (Mixed, unless NoSentinel).
func (c *Config) sentinelMarked(s *State, sr Term) bool {
	if !c.Mixed || c.NoSentinel {
		return false
	}
	for j := 0; j < c.Servers; j++ {
		if s.S[j].Phase >= ServerWaitFlight && s.S[j].Proto == TLS12ECDHE && c.ServerRandom(j) == sr {
			return true
		}
	}
	return false
}
