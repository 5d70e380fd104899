package tlsmodel

import "fmt"

// Protocol is the key-agreement protocol a configuration models.
type Protocol uint8

const (
	TLS12RSA   Protocol = iota // TLS 1.2, RSA key transport (RFC 5246 §7.4.7.1)
	TLS12ECDHE                 // TLS 1.2, ephemeral (EC)DH signed by the server (RFC 8422)
	TLS13                      // TLS 1.3 1-RTT, (EC)DHE key_share (RFC 8446 §2)
)

var protocolNames = [...]string{"TLS 1.2 RSA", "TLS 1.2 ECDHE", "TLS 1.3"}

func (p Protocol) String() string {
	if int(p) < len(protocolNames) {
		return protocolNames[p]
	}
	return "Protocol(?)"
}

// MaxClients and MaxServers bound the sessions of each role (the term
// universe has a client_random, a pre_master_secret and a key share per
// possible session).
const (
	MaxClients = 2
	MaxServers = 2
)

// Config is a model configuration: the protocol, the session bounds, the
// attacker's means and the deliberate flaws of the broken variants.
type Config struct {
	Protocol Protocol
	// Clients and Servers are the numbers of client and server sessions.
	// A client session means to talk to the honest server S, except the
	// last ClientsToE ones, which mean to talk to the attacker E: E has a
	// certificate of its own and is a legitimate server to some clients,
	// whose sessions with it it runs honestly or not, as it likes. The
	// claims are made for client sessions that intend S only.
	Clients, Servers int
	ClientsToE       int
	// AttackerRandom gives the attacker a random of its own and lets it
	// put any random it knows in either hello (randoms are untyped 32-byte
	// strings). Without it the attacker has none and reuses randoms only
	// in their own role (client_random in ClientHello, server_random in
	// ServerHello), so its attacks must relay the honest server's random:
	// a weaker attacker, for showing man-in-the-middle traces. Sound
	// variants are checked with it.
	AttackerRandom bool

	// NoCertCheck: the client accepts any certificate, the attacker's
	// included (it does not check the name against the server it wants).
	NoCertCheck bool
	// NoServerRandom: the server sends a constant server_random.
	NoServerRandom bool
	// NoFinished: neither side sends or checks Finished (TLS 1.2 only);
	// the client is done once it has sent ClientKeyExchange, the server
	// once it has received it.
	NoFinished bool
	// NoSKESignature: the client does not verify the ServerKeyExchange
	// signature (TLS 1.2 ECDHE only).
	NoSKESignature bool

	// WeakGroup: the weak suite's key exchange is in a group the attacker
	// can break (an export-grade or 512-bit Diffie-Hellman group: Logjam,
	// Adrian et al. 2015): a server that chooses the weak suite sends a
	// share in it (YSW0+j), and every Diffie-Hellman value with such a
	// share is known to the attacker. The group is the server's choice
	// (TLS 1.2: the ServerKeyExchange params; TLS 1.3: the key_share's
	// named group, a client sending a share for every group it offers,
	// RFC 8446 §4.2.8). ECDHE and TLS 1.3 only.
	WeakGroup bool

	// Compromise gives the attacker the compromise actions: reveal S's
	// long-term private key (RevealLTK, at any time, once), and reveal
	// the session key of a CONNECTED session (RevealKey). Claims exclude
	// what a reveal gives away by definition: sessions that complete
	// after S's key is revealed, and a session whose own or partner's key
	// was revealed; forward-secrecy is the claim on sessions completed
	// before S's key is revealed.
	Compromise bool

	// Mixed: clients and servers support both TLS 1.3 and TLS 1.2 ECDHE
	// (Protocol TLS13); the ClientHello offers both versions, the server
	// picks 1.3 when it is offered, and the attacker may strip 1.3 from
	// the offer. A TLS 1.3 server that negotiates TLS 1.2 ends its
	// server_random with the downgrade sentinel "DOWNGRD\x01", which a
	// client that offered 1.3 checks and aborts on (RFC 8446 §4.1.3);
	// the ServerKeyExchange signature covers server_random, so the
	// attacker cannot remove the sentinel.
	Mixed bool
	// NoSentinel: in a Mixed configuration, the downgrade sentinel is
	// neither set nor checked.
	NoSentinel bool

	// Mutation is a deliberate defect of the honest roles (MutNone in
	// every variant), for showing that the properties catch it.
	Mutation Mutation
}

// Mutation is a defect of the honest protocol, applied to one side.
type Mutation uint8

const (
	MutNone Mutation = iota
	// MutServerSkipsClientFinished: the server does not verify the
	// client's Finished (it completes on any).
	MutServerSkipsClientFinished
	// MutClientSkipsServerFinished: the client does not verify the
	// server's Finished (TLS 1.3: it still checks CertificateVerify).
	MutClientSkipsServerFinished
	// MutServerKeyDropsClientRandom: the server derives its key without
	// client_random (the client derives it as RFC 5246 §8.1 / RFC 8446
	// §7.1 say).
	MutServerKeyDropsClientRandom
	// MutSignatureOmitsOffer: TLS 1.3 CertificateVerify covers the
	// transcript without the client's offer (RFC 8446 §4.4.3 covers the
	// whole ClientHello).
	MutSignatureOmitsOffer
	numMutations
)

var mutationNames = [...]string{"none", "server-skips-client-finished", "client-skips-server-finished",
	"server-key-drops-client-random", "signature-omits-offer"}

func (m Mutation) String() string {
	if int(m) < len(mutationNames) {
		return mutationNames[m]
	}
	return "Mutation(?)"
}

// Mutations lists every mutation but MutNone.
func Mutations() []Mutation {
	var out []Mutation
	for m := MutNone + 1; m < numMutations; m++ {
		out = append(out, m)
	}
	return out
}

// ClientOffer is what an honest client offers: both suites, and with
// Mixed both versions.
func (c *Config) ClientOffer() uint8 {
	if c.Mixed {
		return OfferBoth | OfferVersions
	}
	return OfferBoth
}

// Version is the protocol a server picks from an offer: TLS 1.3 whenever
// offered (Mixed), else the configuration's.
func (c *Config) Version(offer uint8) Protocol {
	if c.Mixed && offer&OfferTLS13 == 0 {
		return TLS12ECDHE
	}
	return c.Protocol
}

// IntendsS reports whether client session i means to talk to S.
func (c *Config) IntendsS(i int) bool { return i < c.Clients-c.ClientsToE }

// IntendedPeer is the identity client session i means to talk to.
func (c *Config) IntendedPeer(i int) uint8 {
	if c.IntendsS(i) {
		return IdServer
	}
	return IdAttacker
}

// DefaultConfig is TLS 1.2 RSA with one client and two server sessions
// (two, so that a replay to a second server session can show up) and an
// attacker with a random of its own.
func DefaultConfig() Config {
	return Config{Protocol: TLS12RSA, Clients: 1, Servers: 2, AttackerRandom: true}
}

// Validate reports whether c is a configuration the model can build.
func (c *Config) Validate() error {
	switch {
	case c.Protocol > TLS13:
		return fmt.Errorf("tlsmodel: unknown protocol %d", c.Protocol)
	case c.Clients < 1 || c.Clients > MaxClients:
		return fmt.Errorf("tlsmodel: %d client sessions, want 1 to %d", c.Clients, MaxClients)
	case c.Servers < 1 || c.Servers > MaxServers:
		return fmt.Errorf("tlsmodel: %d server sessions, want 1 to %d", c.Servers, MaxServers)
	case c.NoFinished && c.Protocol == TLS13:
		return fmt.Errorf("tlsmodel: NoFinished applies to TLS 1.2 only")
	case c.NoSKESignature && c.Protocol != TLS12ECDHE:
		return fmt.Errorf("tlsmodel: NoSKESignature applies to TLS 1.2 ECDHE only")
	case c.ClientsToE < 0 || c.ClientsToE > c.Clients:
		return fmt.Errorf("tlsmodel: %d client sessions to E, want 0 to %d", c.ClientsToE, c.Clients)
	case c.WeakGroup && c.Protocol == TLS12RSA:
		return fmt.Errorf("tlsmodel: WeakGroup applies to the Diffie-Hellman protocols (TLS 1.2 ECDHE, TLS 1.3) only")
	case c.Mixed && c.Protocol != TLS13:
		return fmt.Errorf("tlsmodel: Mixed is TLS 1.3 with a fallback to TLS 1.2 ECDHE: set Protocol TLS13")
	case c.NoSentinel && !c.Mixed:
		return fmt.Errorf("tlsmodel: NoSentinel applies to Mixed only")
	case c.Mutation >= numMutations:
		return fmt.Errorf("tlsmodel: unknown mutation %d", c.Mutation)
	case c.Mutation == MutSignatureOmitsOffer && c.Protocol != TLS13:
		return fmt.Errorf("tlsmodel: MutSignatureOmitsOffer applies to TLS 1.3 only")
	case (c.Mutation == MutServerSkipsClientFinished || c.Mutation == MutClientSkipsServerFinished) && c.NoFinished:
		return fmt.Errorf("tlsmodel: a Finished mutation without Finished")
	}
	return nil
}
