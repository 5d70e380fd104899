package tlsmodel

// The security claims, as predicates over states. Package spec names them
// and states them as properties. Every client session wants to talk to the
// honest server S, so a client's claims are about S.

// MatchingKeys: a client session and a server session that are both
// CONNECTED with the same client_random and server_random (the same
// session, as far as the randoms identify it) hold the same key.
func (c *Config) MatchingKeys(s State) bool {
	for i := 0; i < c.Clients; i++ {
		if s.C[i].Phase != ClientConnected {
			continue
		}
		for j := 0; j < c.Servers; j++ {
			if s.S[j].Phase == ServerConnected && s.S[j].CR == ClientRandom(i) && c.ServerRandom(j) == s.C[i].SR &&
				c.ClientKey(&s, i) != c.ServerKey(&s, j) {
				return false
			}
		}
	}
	return true
}

// Secrecy: the attacker does not know the key of any CONNECTED client
// session (each of which believes it talks to S).
func (c *Config) Secrecy(s State) bool {
	for i := 0; i < c.Clients; i++ {
		if s.C[i].Phase == ClientConnected && c.ClientKey(&s, i).KnownBy(&s.Know) {
			return false
		}
	}
	return true
}

// Agreement: a CONNECTED client session accepted S's certificate, and some
// server session received its client_random, sent the server_random it
// received and chose the suite it uses (Lowe's non-injective agreement on
// randoms, suite and server identity, from the client's side).
func (c *Config) Agreement(s State) bool {
	for i := 0; i < c.Clients; i++ {
		cl := &s.C[i]
		if cl.Phase != ClientConnected {
			continue
		}
		if cl.Cert != IdServer || !c.hasPartnerRunning(&s, i) {
			return false
		}
	}
	return true
}

func (c *Config) hasPartnerRunning(s *State, i int) bool {
	cl := &s.C[i]
	for j := 0; j < c.Servers; j++ {
		sv := &s.S[j]
		if sv.Phase >= ServerWaitFlight && sv.CR == ClientRandom(i) && c.ServerRandom(j) == cl.SR && sv.Suite == cl.Suite {
			return true
		}
	}
	return false
}

// Partner reports whether server session j took its client_random and
// key-exchange input from client session i.
func (c *Config) Partner(s *State, i, j int) bool {
	return s.S[j].CR == ClientRandom(i) && s.S[j].Peer == c.clientKX(i)
}

// InjectiveAgreement: at most one server session completes with the
// client_random and key-exchange input of one client session.
func (c *Config) InjectiveAgreement(s State) bool {
	for i := 0; i < c.Clients; i++ {
		n := 0
		for j := 0; j < c.Servers; j++ {
			if s.S[j].Phase == ServerConnected && c.Partner(&s, i, j) {
				n++
			}
		}
		if n > 1 {
			return false
		}
	}
	return true
}

// NoDowngrade: a CONNECTED client session uses the suite the honest server
// picks from the client's real offer (the strong one).
func (c *Config) NoDowngrade(s State) bool {
	for i := 0; i < c.Clients; i++ {
		if s.C[i].Phase == ClientConnected && s.C[i].Suite != Choose(OfferBoth) {
			return false
		}
	}
	return true
}

// HandshakeCompletes: a client session and a server session are both
// CONNECTED, with S's certificate, the same randoms and the same key.
func (c *Config) HandshakeCompletes(s State) bool {
	for i := 0; i < c.Clients; i++ {
		cl := &s.C[i]
		if cl.Phase != ClientConnected || cl.Cert != IdServer {
			continue
		}
		for j := 0; j < c.Servers; j++ {
			if s.S[j].Phase == ServerConnected && s.S[j].CR == ClientRandom(i) && c.ServerRandom(j) == cl.SR &&
				c.ClientKey(&s, i) == c.ServerKey(&s, j) {
				return true
			}
		}
	}
	return false
}
