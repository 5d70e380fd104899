package tlsmodel

// Key is a symbolic session key: a term equal to another exactly when it
// is built from the same atoms. For TLS 1.2 it is the master_secret
// PRF(pre_master_secret, "master secret", client_random + server_random)
// of RFC 5246 §8.1, where the pre_master_secret is an RSA atom or, for
// ECDHE, the Diffie-Hellman value of two shares (an unordered pair:
// DH(g^a, g^b) = DH(g^b, g^a)). For TLS 1.3 it is the key schedule of RFC
// 8446 §7.1 from the (EC)DHE value and the transcript ClientHello ..
// ServerHello, whose relevant parts are the randoms, the offer, the chosen
// suite and both shares.
type Key struct {
	Protocol Protocol
	// PMS is the RSA pre_master_secret, or NoTerm for (EC)DHE.
	PMS Term
	// DH1 <= DH2 are the two shares of the (EC)DHE value, or NoTerm.
	DH1, DH2 Term
	CR, SR   Term
	// TLS 1.3 only: the rest of the transcript hash's inputs.
	Offer, Suite uint8
	YC, YS       Term
}

// dhPair orders the shares of a Diffie-Hellman value.
func dhPair(a, b Term) (Term, Term) {
	if a > b {
		return b, a
	}
	return a, b
}

// SessionKey is the key term of a session with the given views: the
// client's key-exchange input kx (the RSA pre_master_secret, or the
// client's key share), the server's key share ys (ignored for RSA), and
// the transcript parts.
func (c *Config) SessionKey(kx, ys, cr, sr Term, offer, suite uint8) Key {
	return sessionKey(c.Protocol, kx, ys, cr, sr, offer, suite)
}

// sessionKey is SessionKey under protocol p (with Mixed, the session's).
func sessionKey(p Protocol, kx, ys, cr, sr Term, offer, suite uint8) Key {
	k := Key{Protocol: p, PMS: NoTerm, DH1: NoTerm, DH2: NoTerm, CR: cr, SR: sr, YC: NoTerm, YS: NoTerm}
	switch p {
	case TLS12RSA:
		k.PMS = kx
	case TLS12ECDHE:
		k.DH1, k.DH2 = dhPair(kx, ys)
	case TLS13:
		k.DH1, k.DH2 = dhPair(kx, ys)
		k.Offer, k.Suite, k.YC, k.YS = offer, suite, kx, ys
	}
	return k
}

// ClientKey is the key client session i derives (meaningful once it has
// received the server's flight).
func (c *Config) ClientKey(s *State, i int) Key {
	cl := &s.C[i]
	return c.clientKeyWith(i, cl.Proto, cl.SR, cl.Suite, cl.Peer)
}

// clientKeyWith is the key client session i derives from a server flight
// of protocol p with server_random sr, suite and server share ys.
func (c *Config) clientKeyWith(i int, p Protocol, sr Term, suite uint8, ys Term) Key {
	return sessionKey(p, c.clientKX(i), ys, ClientRandom(i), sr, c.ClientOffer(), suite)
}

// ServerKey is the key server session j derives (meaningful once it has
// received the client's key-exchange input).
func (c *Config) ServerKey(s *State, j int) Key {
	return c.serverKeyWith(s, j, s.S[j].Peer)
}

// serverKeyWith is the key server session j derives with client
// key-exchange input kx. MutServerKeyDropsClientRandom leaves
// client_random out of it.
func (c *Config) serverKeyWith(s *State, j int, kx Term) Key {
	sv := &s.S[j]
	cr := sv.CR
	if c.Mutation == MutServerKeyDropsClientRandom {
		cr = NoTerm
	}
	return sessionKey(sv.Proto, kx, c.ServerShare(j, sv.Suite), cr, c.ServerRandom(j), sv.Offer, sv.Suite)
}

// clientKX is client session i's own key-exchange input.
func (c *Config) clientKX(i int) Term {
	if c.Protocol == TLS12RSA {
		return ClientPMS(i)
	}
	return ClientShare(i)
}

// KnownBy reports whether the attacker can compute key k from its atoms:
// the randoms and transcript parts are public, so it needs the
// pre_master_secret, or one exponent of the Diffie-Hellman value: its own
// (of YE), or one it computes by breaking a weak-group share (YSW0+j).
func (k Key) KnownBy(know *Knowledge) bool {
	if k.PMS != NoTerm {
		return know.Has(k.PMS)
	}
	return k.DH1 == YE || k.DH2 == YE || IsWeakShare(k.DH1) || IsWeakShare(k.DH2)
}

// Weak reports whether k is built on a weak-group Diffie-Hellman value.
func (k Key) Weak() bool { return IsWeakShare(k.DH1) || IsWeakShare(k.DH2) }

// KeyKnown reports whether the attacker knows key k in s: it computes it
// from its atoms, or k is the key of a session whose key was revealed.
func (c *Config) KeyKnown(s *State, k Key) bool {
	if k.KnownBy(&s.Know) {
		return true
	}
	if !c.Compromise {
		return false
	}
	for i := 0; i < c.Clients; i++ {
		if s.C[i].Flags&FlagKeyRevealed != 0 && c.ClientKey(s, i) == k {
			return true
		}
	}
	for j := 0; j < c.Servers; j++ {
		if s.S[j].Flags&FlagKeyRevealed != 0 && c.ServerKey(s, j) == k {
			return true
		}
	}
	return false
}
