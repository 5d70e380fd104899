package tlsmodel

// Term is the index of a term of the finite universe. The universe is the
// same for every configuration (sized for MaxClients and MaxServers);
// terms of sessions a configuration does not use never occur.
type Term uint8

// The atoms and the ciphertexts of the universe.
const (
	// client_random of client session i is CR0+i; server_random of server
	// session j is SR0+j (or SRConst without server randomness); RandE is
	// the attacker's own random.
	CR0     Term = 0
	SR0     Term = CR0 + MaxClients
	RandE   Term = SR0 + MaxServers
	SRConst Term = RandE + 1 // the constant server_random of NoServerRandom

	// pre_master_secret (RSA) of client session i is PMS0+i; PMSE is the
	// attacker's.
	PMS0 Term = SRConst + 1
	PMSE Term = PMS0 + MaxClients

	// EncS0+k is {PMS0+k}_pk(S), the pre_master_secret encrypted to the
	// honest server's key; EncE0+k the same under the attacker's key.
	EncS0 Term = PMSE + 1
	EncE0 Term = EncS0 + NumPMS

	// Key shares (g^x) of client session i (YC0+i), server session j
	// (YS0+j) and the attacker (YE). The exponents never travel: the
	// attacker knows only its own.
	YC0 Term = EncE0 + NumPMS
	YS0 Term = YC0 + MaxClients
	YE  Term = YS0 + MaxServers

	// YSW0+j is server session j's share in the weak group (Config.WeakGroup:
	// the share it sends when it chose the weak suite). The attacker can
	// compute the discrete logarithm of a weak-group share (Logjam, an
	// export-grade or 512-bit group), so a Diffie-Hellman value with one
	// is known to it.
	YSW0 Term = YE + 1

	// SKS is the honest server's long-term private key: the attacker
	// learns it only by the compromise action RevealLTK (Config.Compromise).
	// With it, it decrypts ClientKeyExchange ciphertexts to S and signs as S.
	SKS Term = YSW0 + MaxServers

	// NumTerms is the size of the universe.
	NumTerms = int(SKS) + 1

	// NumPMS is the number of pre_master_secret atoms.
	NumPMS = MaxClients + 1

	// NoTerm marks an unset term field of a state.
	NoTerm Term = 0xff
)

// Identities: whose certificate (and key pair) a term refers to.
const (
	IdNone     uint8 = 0
	IdServer   uint8 = 1 // the honest server S, whom every client wants
	IdAttacker uint8 = 2 // the attacker E, with a certificate of its own
)

// Cipher suites, as a bit set for offers and a single bit for a choice.
// Strong stands for a suite both sides prefer; Weak for a legacy suite the
// client still offers for compatibility. For the Diffie-Hellman protocols
// the suite also names the key-exchange group (TLS 1.2: the group of the
// ServerKeyExchange params, chosen by the server with the suite; TLS 1.3:
// the named group of the key_share). Without Config.WeakGroup the weak
// suite cannot be broken: negotiating it when both sides support the
// strong one is then only the downgrade no-downgrade forbids. With
// WeakGroup the weak group is breakable (server shares YSW0+j).
const (
	SuiteStrong uint8 = 1
	SuiteWeak   uint8 = 2
	// OfferBoth is what an honest client offers, strong first.
	OfferBoth = SuiteStrong | SuiteWeak

	// OfferTLS12 and OfferTLS13 are the versions a ClientHello offers
	// (supported_versions, RFC 8446 §4.2.1), in the offer's upper bits;
	// used with Config.Mixed only (otherwise the version is fixed and
	// the bits are zero).
	OfferTLS12 uint8 = 4
	OfferTLS13 uint8 = 8
	// OfferVersions is what a client of both versions offers.
	OfferVersions = OfferTLS12 | OfferTLS13
)

// ClientRandom is client session i's client_random.
func ClientRandom(i int) Term { return CR0 + Term(i) }

// ClientPMS is client session i's RSA pre_master_secret.
func ClientPMS(i int) Term { return PMS0 + Term(i) }

// ClientShare is client session i's key share.
func ClientShare(i int) Term { return YC0 + Term(i) }

// ServerShare is server session j's key share when it chose suite under
// c: in the weak group if c.WeakGroup and the suite is the weak one.
func (c *Config) ServerShare(j int, suite uint8) Term {
	if c.WeakGroup && suite == SuiteWeak {
		return YSW0 + Term(j)
	}
	return YS0 + Term(j)
}

// ServerRandom is server session j's server_random under c.
func (c *Config) ServerRandom(j int) Term {
	if c.NoServerRandom {
		return SRConst
	}
	return SR0 + Term(j)
}

// Enc is the ciphertext of pre_master_secret pms (PMS0.., PMSE) under the
// public key of identity id.
func Enc(id uint8, pms Term) Term {
	if id == IdAttacker {
		return EncE0 + (pms - PMS0)
	}
	return EncS0 + (pms - PMS0)
}

// IsRandom, IsShare, IsWeakShare and IsPMS classify atoms.
func IsRandom(t Term) bool    { return t <= SRConst }
func IsShare(t Term) bool     { return t >= YC0 && t < SKS }
func IsWeakShare(t Term) bool { return t >= YSW0 && t < SKS }
func IsPMS(t Term) bool       { return t >= PMS0 && t <= PMSE }

// shareTerms lists every key-share atom, in the order actions enumerate
// them.
var shareTerms = func() []Term {
	var out []Term
	for t := YC0; t < SKS; t++ {
		out = append(out, t)
	}
	return out
}()

// KnowWords is the number of 32-bit words of a knowledge bitset.
const KnowWords = (NumTerms + 31) / 32

// Knowledge is the set of terms the attacker knows, a bitset over the
// universe.
type Knowledge [KnowWords]uint32

// Has reports whether t is known.
func (k *Knowledge) Has(t Term) bool { return k[t/32]&(1<<(t%32)) != 0 }

// add marks t known, without closing.
func (k *Knowledge) add(t Term) { k[t/32] |= 1 << (t % 32) }

// Learn adds t and closes the knowledge under decomposition: a ciphertext
// under the attacker's own key yields its plaintext, and so does one under
// S's key once the attacker has S's private key SKS (RFC 5246 §7.4.7.1
// encryption is the only constructor the attacker can open; messages are
// tuples, learnt component by component by the callers).
func (k *Knowledge) Learn(t Term) {
	k.add(t)
	switch {
	case t >= EncE0 && t < EncE0+NumPMS:
		k.add(PMS0 + (t - EncE0))
	case t >= EncS0 && t < EncS0+NumPMS && k.Has(SKS):
		k.add(PMS0 + (t - EncS0))
	case t == SKS:
		for e := EncS0; e < EncS0+NumPMS; e++ {
			if k.Has(e) {
				k.add(PMS0 + (e - EncS0))
			}
		}
	}
}

// CanEncrypt reports whether the attacker can produce {pms}_pk(id): it has
// seen that ciphertext, or it knows pms and encrypts it itself.
func (k *Knowledge) CanEncrypt(id uint8, pms Term) bool {
	return k.Has(Enc(id, pms)) || k.Has(pms)
}
