package tlsmodel

// The security claims, as predicates over states, stated as the formal
// analyses of TLS state them (Lowe's agreement hierarchy; the ProVerif
// and Tamarin TLS 1.3 analyses of Bhargavan, Blanchet and Kobeissi, S&P
// 2017, and Cremers et al., CCS 2017; downgrade resilience after
// Bhargavan et al., S&P 2016). Package spec names them and states them as
// properties.
//
// Whose claims. A client session claims about the server it intends: only
// sessions that intend S make claims (one that intends E talks to the
// attacker by choice). A server session authenticates nobody (no client
// certificates): its claims are about the honest client whose
// key-exchange contribution (pre_master_secret or key share) it used, if
// that client intends S; a server session running with the attacker's
// own contribution is a legitimate session with the attacker and claims
// nothing. Server-side secrecy and agreement are claimed on the strong
// parameters only (a session on a breakable group has no secret to keep;
// the downgrade to it is server-no-downgrade's violation).
//
// Compromise (Config.Compromise). A claim is made while S's long-term key
// is unrevealed, or for a session that completed before it was revealed
// (its flag FlagBeforeReveal; the claim then holds for ever after, which
// forward-secrecy states for the keys). A key revealed by RevealKey
// breaks no claim of its own session or of a partner (a session with the
// same view and key): secrecy then states key independence, that a
// reveal gives away no other session's key.

// protectedClient reports whether client session i makes claims in s: it
// is CONNECTED, intends S, and completed while S's key was unrevealed.
func (c *Config) protectedClient(s *State, i int) bool {
	cl := &s.C[i]
	return cl.Phase == ClientConnected && c.IntendsS(i) && (!s.Know.Has(SKS) || cl.Flags&FlagBeforeReveal != 0)
}

// HonestPartner returns the client session whose key-exchange contribution
// kx is (its RSA pre_master_secret or its key share), if that session
// intends S.
func (c *Config) HonestPartner(kx Term) (int, bool) {
	for i := 0; i < c.Clients; i++ {
		if c.clientKX(i) == kx {
			return i, c.IntendsS(i)
		}
	}
	return -1, false
}

// serverHonestInput reports whether server session j is CONNECTED, has an
// honest client's contribution, and completed while S's key was
// unrevealed.
func (c *Config) serverHonestInput(s *State, j int) bool {
	sv := &s.S[j]
	if sv.Phase != ServerConnected || (s.Know.Has(SKS) && sv.Flags&FlagBeforeReveal == 0) {
		return false
	}
	_, ok := c.HonestPartner(sv.Peer)
	return ok
}

// strongServer reports whether server session j's parameters are strong:
// the strong suite, whose group is never breakable.
func (c *Config) strongServer(s *State, j int) bool { return s.S[j].Suite == SuiteStrong }

// leaked reports whether key k of a session with view v is known to the
// attacker other than by the reveal of that session's or a partner's key:
// it computes k from its atoms, or k is the key of a revealed session
// whose view differs from v.
func (c *Config) leaked(s *State, k Key, v View) bool {
	if k.KnownBy(&s.Know) {
		return true
	}
	if !c.Compromise {
		return false
	}
	for i := 0; i < c.Clients; i++ {
		if s.C[i].Flags&FlagKeyRevealed != 0 && c.ClientKey(s, i) == k && c.ClientViewOf(s, i) != v {
			return true
		}
	}
	for j := 0; j < c.Servers; j++ {
		if s.S[j].Flags&FlagKeyRevealed != 0 && c.ServerKey(s, j) == k && c.ServerViewOf(s, j) != v {
			return true
		}
	}
	return false
}

// Secrecy: while S's long-term key is unrevealed, the attacker does not
// know the key of a CONNECTED client session that intends S.
func (c *Config) Secrecy(s State) bool {
	if s.Know.Has(SKS) {
		return true
	}
	for i := 0; i < c.Clients; i++ {
		if c.protectedClient(&s, i) && c.leaked(&s, c.ClientKey(&s, i), c.ClientViewOf(&s, i)) {
			return false
		}
	}
	return true
}

// ServerSecrecy: while S's long-term key is unrevealed, the attacker does
// not know the key of a CONNECTED server session on the strong suite that
// used an honest client's contribution.
func (c *Config) ServerSecrecy(s State) bool {
	if s.Know.Has(SKS) {
		return true
	}
	for j := 0; j < c.Servers; j++ {
		if c.serverHonestInput(&s, j) && c.strongServer(&s, j) && c.leaked(&s, c.ServerKey(&s, j), c.ServerViewOf(&s, j)) {
			return false
		}
	}
	return true
}

// ForwardSecrecy: after S's long-term key is revealed, the attacker does
// not know the key of a client session that intends S, or of a server
// session on the strong suite with an honest client's contribution, that
// was CONNECTED before the reveal.
func (c *Config) ForwardSecrecy(s State) bool {
	for i := 0; i < c.Clients; i++ {
		if s.C[i].Flags&FlagBeforeReveal != 0 && c.IntendsS(i) && c.leaked(&s, c.ClientKey(&s, i), c.ClientViewOf(&s, i)) {
			return false
		}
	}
	for j := 0; j < c.Servers; j++ {
		if s.S[j].Flags&FlagBeforeReveal != 0 && c.serverHonestInput(&s, j) && c.strongServer(&s, j) &&
			c.leaked(&s, c.ServerKey(&s, j), c.ServerViewOf(&s, j)) {
			return false
		}
	}
	return true
}

// Agreement (client side, Lowe's non-injective agreement on the full
// transcript and the key): a CONNECTED client session that intends S
// accepted S's certificate, and some server session of S is committed (has
// sent its Finished) with the same view and the same key.
func (c *Config) Agreement(s State) bool {
	for i := 0; i < c.Clients; i++ {
		if !c.protectedClient(&s, i) {
			continue
		}
		if s.C[i].Cert != IdServer || c.committedServerFor(&s, c.ClientKey(&s, i), c.ClientViewOf(&s, i)) < 0 {
			return false
		}
	}
	return true
}

// committedServerFor returns a server session committed with key k and
// view v, or -1.
func (c *Config) committedServerFor(s *State, k Key, v View) int {
	for j := 0; j < c.Servers; j++ {
		if c.ServerCommitted(s, j) && c.ServerViewOf(s, j) == v && c.ServerKey(s, j) == k {
			return j
		}
	}
	return -1
}

// ServerAgreement (server side): a CONNECTED server session on the strong
// suite that used the contribution of client session i, which intends S,
// agrees with it: session i is committed (has sent its Finished) with the
// same view and the same key.
func (c *Config) ServerAgreement(s State) bool {
	for j := 0; j < c.Servers; j++ {
		if !c.serverHonestInput(&s, j) || !c.strongServer(&s, j) {
			continue
		}
		i, _ := c.HonestPartner(s.S[j].Peer)
		if !c.ClientCommitted(&s, i) || c.ClientViewOf(&s, i) != c.ServerViewOf(&s, j) || c.ClientKey(&s, i) != c.ServerKey(&s, j) {
			return false
		}
	}
	return true
}

// InjectiveAgreement: no two CONNECTED server sessions agree (same view,
// same key) with one committed client session that intends S: each run of
// the client corresponds to at most one run of the server (Lowe's
// injective agreement; with one server session it cannot fail, so the
// property needs two).
func (c *Config) InjectiveAgreement(s State) bool {
	for i := 0; i < c.Clients; i++ {
		if !c.IntendsS(i) || !c.ClientCommitted(&s, i) {
			continue
		}
		k, v := c.ClientKey(&s, i), c.ClientViewOf(&s, i)
		n := 0
		for j := 0; j < c.Servers; j++ {
			if s.S[j].Phase == ServerConnected && c.ServerViewOf(&s, j) == v && c.ServerKey(&s, j) == k {
				n++
			}
		}
		if n > 1 {
			return false
		}
	}
	return true
}

// MatchingKeys: a CONNECTED client session that intends S and a CONNECTED
// server session of S with the same view (the same transcript, S's
// certificate in it) hold the same key.
func (c *Config) MatchingKeys(s State) bool {
	for i := 0; i < c.Clients; i++ {
		if s.C[i].Phase != ClientConnected || !c.IntendsS(i) {
			continue
		}
		v := c.ClientViewOf(&s, i)
		for j := 0; j < c.Servers; j++ {
			if s.S[j].Phase == ServerConnected && c.ServerViewOf(&s, j) == v && c.ClientKey(&s, i) != c.ServerKey(&s, j) {
				return false
			}
		}
	}
	return true
}

// NoUnknownKeyShare: a CONNECTED client session and a CONNECTED server
// session of S that hold the same key agree on who the server is: the
// client intends S (RFC 7627 §1: the first step of the triple handshake
// is a client of E and a server of S sharing a master secret).
func (c *Config) NoUnknownKeyShare(s State) bool {
	for i := 0; i < c.Clients; i++ {
		if s.C[i].Phase != ClientConnected || c.IntendsS(i) {
			continue
		}
		k := c.ClientKey(&s, i)
		for j := 0; j < c.Servers; j++ {
			if s.S[j].Phase == ServerConnected && c.ServerKey(&s, j) == k {
				return false
			}
		}
	}
	return true
}

// NoDowngrade: a CONNECTED client session that intends S uses the
// parameters S picks from the client's real offer: the strong suite, a
// key exchange in the strong group, and (Mixed) TLS 1.3.
func (c *Config) NoDowngrade(s State) bool {
	for i := 0; i < c.Clients; i++ {
		if c.protectedClient(&s, i) && (s.C[i].Suite != Choose(OfferBoth) || IsWeakShare(s.C[i].Peer) ||
			s.C[i].Proto != c.Version(c.ClientOffer())) {
			return false
		}
	}
	return true
}

// ServerNoDowngrade: a CONNECTED server session that used an honest
// client's contribution uses the suite S picks from that client's real
// offer (the strong one, and with Mixed TLS 1.3).
func (c *Config) ServerNoDowngrade(s State) bool {
	for j := 0; j < c.Servers; j++ {
		if c.serverHonestInput(&s, j) && (s.S[j].Suite != Choose(OfferBoth) || s.S[j].Proto != c.Version(c.ClientOffer())) {
			return false
		}
	}
	return true
}

// HandshakeCompletes: a client session that intends S and a server
// session are both CONNECTED, with S's certificate, the same view and the
// same key.
func (c *Config) HandshakeCompletes(s State) bool {
	for i := 0; i < c.Clients; i++ {
		cl := &s.C[i]
		if cl.Phase != ClientConnected || cl.Cert != IdServer || !c.IntendsS(i) {
			continue
		}
		k, v := c.ClientKey(&s, i), c.ClientViewOf(&s, i)
		for j := 0; j < c.Servers; j++ {
			if s.S[j].Phase == ServerConnected && c.ServerViewOf(&s, j) == v && c.ServerKey(&s, j) == k {
				return true
			}
		}
	}
	return false
}
