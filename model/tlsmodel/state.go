package tlsmodel

// Phase is a role session's protocol state. The names follow the state
// machines of RFC 8446 Appendix A (client START, WAIT_SH, WAIT_FINISHED,
// CONNECTED; server START, WAIT_FLIGHT2/WAIT_FINISHED, CONNECTED), used
// for TLS 1.2 too.
type Phase uint8

const (
	// Client phases.
	ClientStart        Phase = iota // nothing sent
	ClientWaitSH                    // ClientHello sent, waiting for the server's flight
	ClientWaitFinished              // TLS 1.2: ClientKeyExchange + Finished sent, waiting for the server's Finished
	ClientConnected                 // handshake complete
)

const (
	// Server phases.
	ServerStart      Phase = iota // waiting for a ClientHello
	ServerWaitFlight              // own flight sent, waiting for the client's (ClientKeyExchange + Finished, or Finished)
	ServerConnected               // handshake complete
)

// Client is a client session. Its own client_random, pre_master_secret
// and key share are fixed by its index; the fields are what it received.
type Client struct {
	Phase Phase
	SR    Term  // server_random received
	Suite uint8 // suite the server chose
	Cert  uint8 // identity of the certificate accepted (IdServer, IdAttacker)
	Peer  Term  // server key share received (ECDHE, TLS 1.3)
	Flags uint8 // FlagKeyRevealed, FlagBeforeReveal
	// Proto is the protocol of the session: the configuration's, or with
	// Mixed the version the server's flight chose (TLS 1.3 until then).
	Proto Protocol
}

// Session flags (Config.Compromise).
const (
	// FlagKeyRevealed: the session's key was revealed (RevealKey).
	FlagKeyRevealed uint8 = 1 << iota
	// FlagBeforeReveal: the session was CONNECTED when S's long-term key
	// was revealed (RevealLTK): forward-secrecy's sessions.
	FlagBeforeReveal
)

// Server is a server session. Its own server_random and key share are
// fixed by its index; the fields are what it received and chose.
type Server struct {
	Phase Phase
	CR    Term  // client_random received
	Offer uint8 // suites offered in the ClientHello received
	Suite uint8 // suite chosen
	// Peer is the client's key-exchange input: the pre_master_secret
	// decrypted from ClientKeyExchange (RSA), or the client's key share
	// (ECDHE: from ClientKeyExchange; TLS 1.3: from the ClientHello).
	Peer  Term
	Flags uint8    // FlagKeyRevealed, FlagBeforeReveal
	Proto Protocol // the version chosen (the configuration's, or with Mixed from the offer)
}

// State is the whole system: every session of both roles and the
// attacker's knowledge, which is also the network (the attacker receives
// every message sent and delivers what it likes). The struct has no
// padding: Knowledge is 32-bit words and the sessions bytes.
type State struct {
	Know Knowledge
	C    [MaxClients]Client
	S    [MaxServers]Server
}

func (c *Config) initClient() Client { return Client{SR: NoTerm, Peer: NoTerm, Proto: c.Protocol} }
func (c *Config) initServer() Server { return Server{CR: NoTerm, Peer: NoTerm, Proto: c.Protocol} }

// Init is the initial state under c: every session at its start, and the
// attacker knowing its own atoms (its random if any, its
// pre_master_secret, its key share) and the public constant server_random.
func (c *Config) Init() State {
	var s State
	for i := range s.C {
		s.C[i] = c.initClient()
	}
	for j := range s.S {
		s.S[j] = c.initServer()
	}
	if c.AttackerRandom {
		s.Know.Learn(RandE)
	}
	if c.NoServerRandom {
		s.Know.Learn(SRConst)
	}
	s.Know.Learn(PMSE)
	s.Know.Learn(YE)
	return s
}
