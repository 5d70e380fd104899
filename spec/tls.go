package spec

import (
	"fmt"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tlsmodel"
)

// tlsDefaults are the defaults of the "tls" parameters a variant may
// change.
type tlsDefaults struct {
	attackerRandom, clientsToE, weakGroup, compromise int
}

// tlsModelDefaults are the model's defaults: the attacker has a random of
// its own, one of the two client sessions intends E, no breakable group,
// no compromise.
var tlsModelDefaults = tlsDefaults{attackerRandom: 1, clientsToE: 1}

// tlsParams are the parameters of the "tls" model with defaults d.
func tlsParams(d tlsDefaults) []Param {
	return []Param{
		{Name: "clients", Default: 2, Min: 1, Max: tlsmodel.MaxClients,
			Description: "client sessions"},
		{Name: "servers", Default: 2, Min: 1, Max: tlsmodel.MaxServers,
			Description: "server sessions of S (two let a replay reach a second one)"},
		{Name: "attacker-random", Default: d.attackerRandom, Min: 0, Max: 1,
			Description: "1: the attacker has a random of its own; 0: it can only replay randoms it has seen " +
				"(a weaker attacker, whose attacks relay the server's)"},
		{Name: "clients-to-e", Default: d.clientsToE, Min: 0, Max: tlsmodel.MaxClients,
			Description: "how many of the client sessions (the last ones) intend the attacker E, a legitimate " +
				"server with a certificate of its own; the others intend S"},
		{Name: "weak-group", Default: d.weakGroup, Min: 0, Max: 1,
			Description: "1: the weak suite's Diffie-Hellman group is breakable (export-grade: the attacker computes " +
				"discrete logarithms in it); ECDHE and TLS 1.3 only"},
		{Name: "compromise", Default: d.compromise, Min: 0, Max: 1,
			Description: "1: the attacker may reveal S's long-term private key and session keys (adds forward-secrecy)"},
	}
}

// tlsVariantParams are the parameters of a variant whose defaults differ
// from the model's by change.
func tlsVariantParams(change func(*tlsDefaults)) []Param {
	d := tlsModelDefaults
	change(&d)
	return tlsParams(d)
}

// TLS is the catalog entry of the symbolic TLS model "tls".
func TLS() *Entry {
	return &Entry{
		Name: "tls",
		Description: "symbolic TLS key agreement (TLS 1.2 RSA and ECDHE, TLS 1.3 1-RTT) between client and server " +
			"sessions, against a Dolev-Yao attacker that owns the network and has a certificate of its own",
		Params:   tlsParams(tlsModelDefaults),
		Variants: tlsVariants(),
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
// given parameters (missing ones take the variant's defaults).
func TLSConfig(variant string, params map[string]int) (tlsmodel.Config, error) {
	e := TLS()
	v, err := e.Variant(variant)
	if err != nil {
		return tlsmodel.Config{}, err
	}
	cfg := tlsmodel.DefaultConfig()
	switch v.Name {
	case "tls12-rsa", "tls12-rsa-compromise":
	case "tls12-ecdhe", "tls12-ecdhe-weak-group", "tls12-ecdhe-compromise":
		cfg.Protocol = tlsmodel.TLS12ECDHE
	case "tls13", "tls13-weak-group", "tls13-compromise":
		cfg.Protocol = tlsmodel.TLS13
	case "mixed-versions":
		cfg.Protocol = tlsmodel.TLS13
		cfg.Mixed = true
	case "mixed-versions-no-sentinel":
		cfg.Protocol = tlsmodel.TLS13
		cfg.Mixed = true
		cfg.NoSentinel = true
	case "no-cert-check":
		cfg.NoCertCheck = true
	case "no-server-random":
		cfg.NoServerRandom = true
	case "no-finished":
		cfg.NoFinished = true
	case "no-ske-signature":
		cfg.Protocol = tlsmodel.TLS12ECDHE
		cfg.NoSKESignature = true
	case "tls13-no-cert-check":
		cfg.Protocol = tlsmodel.TLS13
		cfg.NoCertCheck = true
	default:
		return cfg, fmt.Errorf("variant %q of model tls has no configuration", variant)
	}
	for _, p := range e.ParamsOf(v) {
		val, ok := params[p.Name]
		if !ok {
			val = p.Default
		}
		switch p.Name {
		case "clients":
			cfg.Clients = val
		case "servers":
			cfg.Servers = val
		case "attacker-random":
			cfg.AttackerRandom = val == 1
		case "clients-to-e":
			cfg.ClientsToE = val
		case "weak-group":
			cfg.WeakGroup = val == 1
		case "compromise":
			cfg.Compromise = val == 1
		}
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
