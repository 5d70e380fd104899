package spec

import "github.com/handshake/handshake/checker"

// tlsVariants are the variants of "tls": the three protocols as their RFCs
// prescribe them, each also under the attacker's stronger powers (a
// breakable weak group, compromise), and the deliberately broken ones.
// Every variant but the compromise and mixed-versions ones (kept to one
// client session for size) has a client session that intends E by default
// (clients-to-e=1), so it is checked for unknown key-share.
func tlsVariants() []Variant {
	// The compromise variants have one client session, which intends S:
	// with compromise two client sessions reach 7 to 27 million states.
	compromiseParams := tlsVariantParams(func(d *tlsDefaults) { d.compromise, d.clientsToE = 1, 0 })
	compromiseParams[0].Default = 1
	// The mixed-versions variants too: with two client sessions they reach
	// 3.4 and 5.0 million states (TestLongMixedVersionsTwoClients).
	mixedParams := tlsVariantParams(func(d *tlsDefaults) { d.weakGroup, d.clientsToE = 1, 0 })
	mixedParams[0].Default = 1
	return []Variant{
		{
			Name: "tls12-rsa",
			Description: "TLS 1.2 with RSA key transport (RFC 5246 §7.3): the pre_master_secret encrypted to the " +
				"certified key, Finished both ways over the transcript; E decrypts the pre_master_secret of the client " +
				"that talks to it, re-encrypts it to S and completes both sides: a client of E and a server of S share " +
				"a master secret (unknown key-share, RFC 7627 §1)",
			Expect: map[string]checker.Status{
				"no-unknown-key-share": checker.Violated,
			},
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
			Name: "tls12-ecdhe-weak-group",
			Description: "TLS 1.2 ECDHE whose server also supports a breakable group for the weak suite (Logjam): " +
				"the attacker rewrites the offer to the weak suite, the ServerKeyExchange signature does not cover " +
				"the suite, it rewrites the ServerHello to the strong suite, breaks the weak share and forges the " +
				"server Finished; knowing weak keys, E also synchronises its own client's key with a server of S",
			Params: tlsVariantParams(func(d *tlsDefaults) { d.weakGroup = 1 }),
			Expect: map[string]checker.Status{
				"secrecy":              checker.Violated,
				"agreement":            checker.Violated,
				"no-downgrade":         checker.Violated,
				"server-no-downgrade":  checker.Violated,
				"no-unknown-key-share": checker.Violated,
			},
		},
		{
			Name: "tls13-weak-group",
			Description: "TLS 1.3 whose server also supports a breakable group: CertificateVerify covers the " +
				"ClientHello, so the client detects the rewritten offer and keeps its guarantees; the server, which " +
				"authenticates nobody, completes on the weak group with the attacker, who forges the client Finished",
			Params: tlsVariantParams(func(d *tlsDefaults) { d.weakGroup = 1 }),
			Expect: map[string]checker.Status{
				"server-no-downgrade": checker.Violated,
			},
		},
		{
			Name: "tls12-rsa-compromise",
			Description: "TLS 1.2 RSA with compromise of S's long-term key and of session keys: with S's key the " +
				"attacker decrypts every recorded ClientKeyExchange (no forward secrecy)",
			Params: compromiseParams,
			Expect: map[string]checker.Status{
				"forward-secrecy": checker.Violated,
			},
		},
		{
			Name: "tls12-ecdhe-compromise",
			Description: "TLS 1.2 ECDHE with compromise: S's key only signs, so the sessions completed before " +
				"the reveal keep their keys",
			Params: compromiseParams,
		},
		{
			Name:        "tls13-compromise",
			Description: "TLS 1.3 with compromise: forward secrecy as with ECDHE",
			Params:      compromiseParams,
		},
		{
			Name: "mixed-versions",
			Description: "clients and servers of TLS 1.3 and TLS 1.2 ECDHE, the weak group breakable: the attacker " +
				"strips 1.3 from the offer to get a Logjam-able TLS 1.2 handshake, but the server's TLS 1.2 " +
				"server_random ends with the downgrade sentinel (RFC 8446 §4.1.3), which the ServerKeyExchange " +
				"signature covers and the client checks",
			Params: mixedParams,
			Expect: map[string]checker.Status{
				"server-no-downgrade": checker.Violated,
			},
		},
		{
			Name: "mixed-versions-no-sentinel",
			Description: "mixed-versions without the downgrade sentinel: the attacker forces TLS 1.2 and the weak " +
				"group, and the client completes Logjam",
			Params: mixedParams,
			Expect: map[string]checker.Status{
				"secrecy":             checker.Violated,
				"agreement":           checker.Violated,
				"no-downgrade":        checker.Violated,
				"server-no-downgrade": checker.Violated,
			},
		},
		{
			Name: "no-cert-check",
			Description: "TLS 1.2 RSA whose client accepts any certificate: the attacker answers with its own, " +
				"decrypts the pre_master_secret and plays the server (man in the middle); checked by default " +
				"against an attacker without randoms of its own, so that it relays the server's",
			Params: tlsVariantParams(func(d *tlsDefaults) { d.attackerRandom = 0 }),
			Expect: map[string]checker.Status{
				"secrecy":              checker.Violated,
				"server-secrecy":       checker.Violated,
				"agreement":            checker.Violated,
				"server-agreement":     checker.Violated,
				"no-downgrade":         checker.Violated,
				"server-no-downgrade":  checker.Violated,
				"no-unknown-key-share": checker.Violated,
			},
		},
		{
			Name: "no-server-random",
			Description: "TLS 1.2 RSA whose server sends a constant server_random: a recorded ClientHello, " +
				"ClientKeyExchange and Finished replayed to a second server session verify there",
			Expect: map[string]checker.Status{
				"injective-agreement":  checker.Violated,
				"no-unknown-key-share": checker.Violated,
			},
		},
		{
			Name: "no-finished",
			Description: "TLS 1.2 RSA without Finished messages: nothing authenticates the hellos, so the " +
				"attacker removes the strong suite from the offer and the downgrade goes unnoticed; checked by " +
				"default against an attacker without randoms of its own",
			Params: tlsVariantParams(func(d *tlsDefaults) { d.attackerRandom = 0 }),
			Expect: map[string]checker.Status{
				"no-downgrade":         checker.Violated,
				"server-no-downgrade":  checker.Violated,
				"agreement":            checker.Violated,
				"server-agreement":     checker.Violated,
				"no-unknown-key-share": checker.Violated,
			},
		},
		{
			Name: "no-ske-signature",
			Description: "TLS 1.2 ECDHE whose client checks the certificate but not the ServerKeyExchange " +
				"signature: the attacker substitutes its own share and learns the pre_master_secret",
			Expect: map[string]checker.Status{
				"secrecy":      checker.Violated,
				"agreement":    checker.Violated,
				"no-downgrade": checker.Violated,
			},
		},
		{
			Name: "tls13-no-cert-check",
			Description: "TLS 1.3 whose client accepts any certificate: CertificateVerify and Finished then " +
				"prove only that someone, here the attacker, holds the certified key; a client that means E gets " +
				"S's relayed flight and shares a key with S",
			Expect: map[string]checker.Status{
				"secrecy":              checker.Violated,
				"agreement":            checker.Violated,
				"no-downgrade":         checker.Violated,
				"no-unknown-key-share": checker.Violated,
			},
		},
	}
}
