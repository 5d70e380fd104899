package spec

import (
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tlsmodel"
)

// TLSProperties are the security properties of the TLS model and the
// witness that an honest handshake completes. Their descriptions are the
// exact statements (`handshake list` prints them); claims.go in
// model/tlsmodel says whose claims they are and why. forward-secrecy is a
// property of the configurations with compromise only, injective-agreement
// of those with two server sessions (with one it cannot fail: a replay
// needs a second server session to reach), no-unknown-key-share of those
// with a client session that intends E.
func TLSProperties(cfg tlsmodel.Config) []checker.Property[tlsmodel.State] {
	c := &cfg
	ps := []checker.Property[tlsmodel.State]{
		{
			Name: "secrecy", Kind: checker.Always,
			Description: "while S's long-term key is unrevealed, the attacker does not know the session key of a " +
				"CONNECTED client session that intends S (a key revealed by the compromise action is excluded for its " +
				"own session and sessions with the same transcript and key)",
			Holds: c.Secrecy,
		},
		{
			Name: "server-secrecy", Kind: checker.Always,
			Description: "while S's long-term key is unrevealed, the attacker does not know the session key of a " +
				"CONNECTED server session on the strong suite whose key-exchange input (pre_master_secret or key share) " +
				"is that of a client session that intends S",
			Holds: c.ServerSecrecy,
		},
		{
			Name: "agreement", Kind: checker.Always,
			Description: "Lowe's agreement, client side: a CONNECTED client session that intends S (and completed " +
				"while S's key was unrevealed) accepted S's certificate, and some server session of S has sent its " +
				"Finished with the same transcript (randoms, offer, suite, certificate, key-exchange values) and the " +
				"same session key",
			Holds: c.Agreement,
		},
		{
			Name: "server-agreement", Kind: checker.Always,
			Description: "Lowe's agreement, server side: a CONNECTED server session on the strong suite whose " +
				"key-exchange input is that of a client session that intends S (completed while S's key was " +
				"unrevealed): that client session has sent its Finished with the same transcript and the same key",
			Holds: c.ServerAgreement,
		},
	}
	if cfg.Servers >= 2 {
		ps = append(ps, checker.Property[tlsmodel.State]{
			Name: "injective-agreement", Kind: checker.Always,
			Description: "no two CONNECTED server sessions have the transcript and key of one client session that " +
				"intends S and has sent its Finished (needs two server sessions to be able to fail)",
			Holds: c.InjectiveAgreement,
		})
	}
	ps = append(ps,
		checker.Property[tlsmodel.State]{
			Name: "matching-keys", Kind: checker.Always,
			Description: "a CONNECTED client session that intends S and a CONNECTED server session with the same " +
				"transcript (S's certificate in it) hold the same session key",
			Holds: c.MatchingKeys,
		},
		checker.Property[tlsmodel.State]{
			Name: "no-downgrade", Kind: checker.Always,
			Description: "a CONNECTED client session that intends S uses the parameters S picks from the client's " +
				"real offer: the strong suite, a key exchange in the strong group, and TLS 1.3 when client and server " +
				"support both versions",
			Holds: c.NoDowngrade,
		},
		checker.Property[tlsmodel.State]{
			Name: "server-no-downgrade", Kind: checker.Always,
			Description: "a CONNECTED server session whose key-exchange input is that of a client session that " +
				"intends S uses the suite S picks from that client's real offer (the strong one, and TLS 1.3 when both " +
				"support both versions)",
			Holds: c.ServerNoDowngrade,
		},
	)
	if cfg.ClientsToE > 0 {
		ps = append(ps, checker.Property[tlsmodel.State]{
			Name: "no-unknown-key-share", Kind: checker.Always,
			Description: "a CONNECTED client session that intends E and a CONNECTED server session of S never hold " +
				"the same session key (RFC 7627 §1, the first step of the triple handshake)",
			Holds: c.NoUnknownKeyShare,
		})
	}
	if cfg.Compromise {
		ps = append(ps, checker.Property[tlsmodel.State]{
			Name: "forward-secrecy", Kind: checker.Always,
			Description: "after S's long-term key is revealed, the attacker does not know the session key of a " +
				"client session that intends S, or of a server session on the strong suite with such a client's " +
				"key-exchange input, that was CONNECTED before the reveal",
			Holds: c.ForwardSecrecy,
		})
	}
	ps = append(ps, checker.Property[tlsmodel.State]{
		Name: "handshake-completes", Kind: checker.Sometimes,
		Description: "a client session that intends S and a server session both become CONNECTED with S's " +
			"certificate, the same transcript and the same key",
		Holds: c.HandshakeCompletes,
	})
	return ps
}
