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
	// Every client session means to talk to the honest server S.
	Clients, Servers int
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
	}
	return nil
}
