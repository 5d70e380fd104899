package spec

import (
	"fmt"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tlsmodel"
)

// tlsParams are the parameters of the "tls" model; attackerRandom is the
// default of attacker-random.
func tlsParams(attackerRandom int) []Param {
	return []Param{
		{Name: "clients", Default: 2, Min: 1, Max: tlsmodel.MaxClients,
			Description: "client sessions (each wants to talk to the honest server S)"},
		{Name: "servers", Default: 2, Min: 1, Max: tlsmodel.MaxServers,
			Description: "server sessions of S (two let a replay reach a second one)"},
		{Name: "attacker-random", Default: attackerRandom, Min: 0, Max: 1,
			Description: "1: the attacker has a random of its own; 0: it can only replay randoms it has seen " +
				"(a weaker attacker, whose attacks relay the server's)"},
	}
}

// TLS is the catalog entry of the symbolic TLS model "tls".
func TLS() *Entry {
	return &Entry{
		Name: "tls",
		Description: "symbolic TLS key agreement (TLS 1.2 RSA and ECDHE, TLS 1.3 1-RTT) between client and server " +
			"sessions, against a Dolev-Yao attacker that owns the network and has a certificate of its own",
		Params: tlsParams(1),
		Variants: []Variant{
			{
				Name: "tls12-rsa",
				Description: "TLS 1.2 with RSA key transport (RFC 5246 §7.3): the pre_master_secret encrypted to the " +
					"certified key, Finished both ways over the transcript",
			},
			{
				Name: "tls12-ecdhe",
				Description: "TLS 1.2 with ECDHE (RFC 8422): the server signs client_random + server_random + its " +
					"share; Finished both ways",
			},
			{
				Name: "tls13",
				Description: "TLS 1.3 1-RTT (RFC 8446 §2): key shares in the hellos, CertificateVerify and Finished " +
					"over the transcript",
			},
			{
				Name: "no-cert-check",
				Description: "TLS 1.2 RSA whose client accepts any certificate: the attacker answers with its own, " +
					"decrypts the pre_master_secret and plays the server (man in the middle); checked by default " +
					"against an attacker without randoms of its own, so that it relays the server's",
				Params: tlsParams(0),
				Expect: map[string]checker.Status{
					"secrecy":             checker.Violated,
					"agreement":           checker.Violated,
					"matching-keys":       checker.Violated,
					"injective-agreement": checker.Violated,
					"no-downgrade":        checker.Violated,
				},
			},
			{
				Name: "no-server-random",
				Description: "TLS 1.2 RSA whose server sends a constant server_random: a recorded ClientHello, " +
					"ClientKeyExchange and Finished replayed to a second server session verify there",
				Expect: map[string]checker.Status{
					"injective-agreement": checker.Violated,
					"matching-keys":       checker.Violated,
				},
			},
			{
				Name: "no-finished",
				Description: "TLS 1.2 RSA without Finished messages: nothing authenticates the hellos, so the " +
					"attacker removes the strong suite from the offer and the downgrade goes unnoticed; checked by " +
					"default against an attacker without randoms of its own",
				Params: tlsParams(0),
				Expect: map[string]checker.Status{
					"no-downgrade":        checker.Violated,
					"agreement":           checker.Violated,
					"matching-keys":       checker.Violated,
					"injective-agreement": checker.Violated,
				},
			},
			{
				Name: "no-ske-signature",
				Description: "TLS 1.2 ECDHE whose client checks the certificate but not the ServerKeyExchange " +
					"signature: the attacker substitutes its own share and learns the pre_master_secret",
				Expect: map[string]checker.Status{
					"secrecy":       checker.Violated,
					"agreement":     checker.Violated,
					"matching-keys": checker.Violated,
					"no-downgrade":  checker.Violated,
				},
			},
			{
				Name: "tls13-no-cert-check",
				Description: "TLS 1.3 whose client accepts any certificate: CertificateVerify and Finished then " +
					"prove only that someone, here the attacker, holds the certified key",
				Expect: map[string]checker.Status{
					"secrecy":       checker.Violated,
					"agreement":     checker.Violated,
					"matching-keys": checker.Violated,
					"no-downgrade":  checker.Violated,
				},
			},
		},
		Build: func(variant string, params map[string]int) (checker.System, error) {
			cfg, err := TLSConfig(variant, params)
			if err != nil {
				return nil, err
			}
			return checker.Erase(TLSModel(cfg))
		},
	}
}

// TLSConfig is the model configuration of a variant of "tls" with the
// given parameters (missing ones take their defaults).
func TLSConfig(variant string, params map[string]int) (tlsmodel.Config, error) {
	cfg := tlsmodel.DefaultConfig()
	switch variant {
	case "", "tls12-rsa":
	case "tls12-ecdhe":
		cfg.Protocol = tlsmodel.TLS12ECDHE
	case "tls13":
		cfg.Protocol = tlsmodel.TLS13
	case "no-cert-check":
		cfg.NoCertCheck = true
		cfg.AttackerRandom = false
	case "no-server-random":
		cfg.NoServerRandom = true
	case "no-finished":
		cfg.NoFinished = true
		cfg.AttackerRandom = false
	case "no-ske-signature":
		cfg.Protocol = tlsmodel.TLS12ECDHE
		cfg.NoSKESignature = true
	case "tls13-no-cert-check":
		cfg.Protocol = tlsmodel.TLS13
		cfg.NoCertCheck = true
	default:
		return cfg, fmt.Errorf("unknown variant %q of model tls", variant)
	}
	if v, ok := params["clients"]; ok {
		cfg.Clients = v
	}
	if v, ok := params["servers"]; ok {
		cfg.Servers = v
	}
	if v, ok := params["attacker-random"]; ok {
		cfg.AttackerRandom = v == 1
	}
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// TLSModel is the TLS model of cfg with its properties.
func TLSModel(cfg tlsmodel.Config) checker.Model[tlsmodel.State] {
	m := tlsmodel.Model(cfg)
	m.Properties = TLSProperties(cfg)
	return m
}

// TLSProperties are the security properties of the TLS model and the
// witness that an honest handshake completes.
func TLSProperties(cfg tlsmodel.Config) []checker.Property[tlsmodel.State] {
	c := &cfg
	return []checker.Property[tlsmodel.State]{
		{
			Name: "matching-keys", Kind: checker.Always,
			Description: "a client session and a server session that are both CONNECTED with the same client_random " +
				"and server_random hold the same session key",
			Holds: c.MatchingKeys,
		},
		{
			Name: "secrecy", Kind: checker.Always,
			Description: "the attacker never knows the session key of a CONNECTED client session (every client " +
				"session wants the honest server S)",
			Holds: c.Secrecy,
		},
		{
			Name: "agreement", Kind: checker.Always,
			Description: "a CONNECTED client session accepted S's certificate, and a server session of S received its " +
				"client_random and sent it the server_random and suite it uses",
			Holds: c.Agreement,
		},
		{
			Name: "injective-agreement", Kind: checker.Always,
			Description: "no two server sessions become CONNECTED with the client_random and key-exchange value " +
				"(pre_master_secret or key share) of one client session",
			Holds: c.InjectiveAgreement,
		},
		{
			Name: "no-downgrade", Kind: checker.Always,
			Description: "a CONNECTED client session uses the suite S picks from the client's real offer " +
				"(the strong one), never the weak one",
			Holds: c.NoDowngrade,
		},
		{
			Name: "handshake-completes", Kind: checker.Sometimes,
			Description: "a client session and a server session both become CONNECTED with S's certificate, the " +
				"same randoms and the same key",
			Holds: c.HandshakeCompletes,
		},
	}
}
