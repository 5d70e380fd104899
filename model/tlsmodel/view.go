package tlsmodel

// View is what one side's transcript binds (RFC 5246 §7.4.9: Finished
// covers all handshake messages; RFC 8446 §4.4.3: CertificateVerify
// covers ClientHello .. Certificate): the randoms, the offer, the chosen
// suite, the certificate, and the key-exchange values. Two honest views
// are equal exactly when the two sides saw the same handshake messages,
// so an honest Finished or signature verifies at the other side exactly
// when their views are equal.
type View struct {
	CR, SR       Term
	Offer, Suite uint8
	Cert         uint8
	KX           Term // RSA pre_master_secret (inside the ciphertext) or the client's share
	YS           Term // the server's share (ECDHE, TLS 1.3), NoTerm for RSA
}

// ClientView is client session i's view after it received sr, suite,
// certificate cert and server share ys.
func (c *Config) ClientView(i int, sr Term, suite, cert uint8, ys Term) View {
	return View{CR: ClientRandom(i), SR: sr, Offer: OfferBoth, Suite: suite, Cert: cert, KX: c.clientKX(i), YS: ys}
}

// ServerView is server session j's view with client key-exchange input kx.
func (c *Config) ServerView(s *State, j int, kx Term) View {
	sv := &s.S[j]
	v := View{CR: sv.CR, SR: c.ServerRandom(j), Offer: sv.Offer, Suite: sv.Suite, Cert: IdServer, KX: kx, YS: NoTerm}
	if c.Protocol != TLS12RSA {
		v.YS = ServerShare(j)
	}
	return v
}

// clientViewOf is the view client session i holds in s.
func (c *Config) clientViewOf(s *State, i int) View {
	cl := &s.C[i]
	return c.ClientView(i, cl.SR, cl.Suite, cl.Cert, cl.Peer)
}

// Choose is the suite an honest server picks from an offer: the strong
// one whenever it is offered (the server supports both).
func Choose(offer uint8) uint8 {
	if offer&SuiteStrong != 0 {
		return SuiteStrong
	}
	return SuiteWeak
}

// clientSentFinished reports whether client session i has sent its
// Finished (with ClientKeyExchange in TLS 1.2, on CONNECTED in TLS 1.3).
func (c *Config) clientSentFinished(s *State, i int) bool {
	if c.NoFinished {
		return false
	}
	if c.Protocol == TLS13 {
		return s.C[i].Phase == ClientConnected
	}
	return s.C[i].Phase >= ClientWaitFinished
}

// serverSentFinished reports whether server session j has sent its
// Finished (on CONNECTED in TLS 1.2; with its first flight in TLS 1.3).
func (c *Config) serverSentFinished(s *State, j int) bool {
	if c.NoFinished {
		return false
	}
	if c.Protocol == TLS13 {
		return s.S[j].Phase >= ServerWaitFlight
	}
	return s.S[j].Phase == ServerConnected
}

// honestServerSigned reports whether a server session signed (TLS 1.2
// ECDHE ServerKeyExchange: client_random + server_random + params, RFC
// 8422 §5.4) exactly these values, so that the attacker can replay it.
func (c *Config) honestServerSigned(s *State, cr, sr, ys Term) bool {
	for j := 0; j < c.Servers; j++ {
		sv := &s.S[j]
		if sv.Phase >= ServerWaitFlight && sv.CR == cr && c.ServerRandom(j) == sr && ServerShare(j) == ys {
			return true
		}
	}
	return false
}

// serverSentFinishedFor finds a server session that sent a Finished with
// view v (in TLS 1.3 its flight: CertificateVerify over
// ClientHello..Certificate, then Finished), the one a client expects.
func (c *Config) serverSentFinishedFor(s *State, v View) (int, bool) {
	for j := 0; j < c.Servers; j++ {
		if c.serverSentFinished(s, j) && c.ServerView(s, j, s.S[j].Peer) == v {
			return j, true
		}
	}
	return -1, false
}

// clientSentFinishedFor finds a client session that sent a Finished with
// view v.
func (c *Config) clientSentFinishedFor(s *State, v View) (int, bool) {
	for i := 0; i < c.Clients; i++ {
		if c.clientSentFinished(s, i) && c.clientViewOf(s, i) == v {
			return i, true
		}
	}
	return -1, false
}
