package tlsmodel

import (
	"crypto/sha256"
	"encoding/binary"
	"testing"

	realtls "github.com/handshake/handshake/model/tls"
)

// This file encodes the messages the symbolic roles send as TLS handshake
// messages (RFC 5246 §7.4, RFC 8446 §4: a 4-byte header, msg_type and
// uint24 length, then the body with its length-prefixed vectors), so that
// the derivation test runs model/tls over real transcripts. What the
// symbolic model treats as perfect cryptography (RSA encryption, the
// signatures) is a deterministic SHA-256 stand-in of exactly the inputs
// the real primitive takes; everything that feeds the key schedule and
// Finished (randoms, suites, groups, shares, certificates, ciphertexts,
// signatures) is in the bytes.

// Handshake message types (RFC 5246 §7.4, RFC 8446 §4).
const (
	msgClientHello         = 1
	msgServerHello         = 2
	msgEncryptedExtensions = 8
	msgCertificate         = 11
	msgServerKeyExchange   = 12
	msgServerHelloDone     = 14
	msgCertificateVerify   = 15
	msgClientKeyExchange   = 16
	msgFinished            = 20
)

func handshakeMessage(typ byte, body []byte) []byte {
	n := len(body)
	return append([]byte{typ, byte(n >> 16), byte(n >> 8), byte(n)}, body...)
}

func vec8(b []byte) []byte  { return append([]byte{byte(len(b))}, b...) }
func vec16(b []byte) []byte { return append(binary.BigEndian.AppendUint16(nil, uint16(len(b))), b...) }
func vec24(b []byte) []byte {
	n := len(b)
	return append([]byte{byte(n >> 16), byte(n >> 8), byte(n)}, b...)
}
func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }

// suiteID is the IANA value standing for a symbolic suite: TLS 1.2 strong
// AES-GCM suites and weak 3DES ones; in TLS 1.3 the suite is
// TLS_AES_128_GCM_SHA256 and the strength is the group's (groupID).
func suiteID(p Protocol, suite uint8) uint16 {
	switch {
	case p == TLS13:
		return 0x1301
	case p == TLS12RSA && suite == SuiteStrong:
		return realtls.TLS_RSA_WITH_AES_128_GCM_SHA256.ID
	case p == TLS12RSA:
		return 0x000a // TLS_RSA_WITH_3DES_EDE_CBC_SHA
	case suite == SuiteStrong:
		return realtls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.ID
	}
	return 0xc012 // TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA
}

// groupID is the named group (RFC 8446 §4.2.7) of a suite's key exchange:
// x25519 for the strong one, ffdhe2048 standing for the breakable group.
func groupID(suite uint8) uint16 {
	if suite == SuiteWeak {
		return 0x0100
	}
	return 0x001d
}

// shareGroup is the group a server share is in.
func shareGroup(y Term) uint16 {
	if IsWeakShare(y) {
		return groupID(SuiteWeak)
	}
	return groupID(SuiteStrong)
}

func extension(typ uint16, data []byte) []byte { return append(u16(typ), vec16(data)...) }

// certificate is the stand-in DER of identity id's certificate.
func certificate(id uint8) []byte { return []byte("CN=" + IdName(id)) }

// standIn is the deterministic stand-in of a primitive the model treats
// symbolically, over its inputs.
func standIn(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(vec16(p))
	}
	return h.Sum(nil)
}

// transcript builds the handshake messages of view v under protocol p,
// with atom values a.
type transcript struct {
	p Protocol
	a *atoms
	v View
}

func (t transcript) clientHello() []byte {
	body := append(u16(0x0303), t.a.val[t.v.CR]...)
	body = append(body, vec8(nil)...)
	var suites, groups, shares []byte
	for s := SuiteStrong; s <= SuiteWeak; s <<= 1 {
		if t.v.Offer&s == 0 {
			continue
		}
		if t.p == TLS13 {
			// One share atom for every offered group (RFC 8446 §4.2.8).
			groups = append(groups, u16(groupID(s))...)
			shares = append(shares, append(u16(groupID(s)), vec16(t.a.pub[t.v.KX])...)...)
		} else {
			suites = append(suites, u16(suiteID(t.p, s))...)
		}
	}
	if t.p == TLS13 {
		suites = u16(suiteID(TLS13, SuiteStrong))
	}
	body = append(body, vec16(suites)...)
	body = append(body, vec8([]byte{0})...)
	var ext []byte
	if t.p == TLS13 {
		ext = append(ext, extension(0x002b, vec8(u16(0x0304)))...)
		ext = append(ext, extension(0x000a, vec16(groups))...)
		ext = append(ext, extension(0x0033, vec16(shares))...)
	}
	body = append(body, vec16(ext)...)
	return handshakeMessage(msgClientHello, body)
}

func (t transcript) serverHello() []byte {
	body := append(u16(0x0303), t.a.val[t.v.SR]...)
	body = append(body, vec8(nil)...)
	body = append(body, u16(suiteID(t.p, t.v.Suite))...)
	body = append(body, 0)
	var ext []byte
	if t.p == TLS13 {
		ext = append(ext, extension(0x002b, u16(0x0304))...)
		ext = append(ext, extension(0x0033, append(u16(groupID(t.v.Suite)), vec16(t.a.pub[t.v.YS])...))...)
	}
	body = append(body, vec16(ext)...)
	return handshakeMessage(msgServerHello, body)
}

func (t transcript) certificate() []byte {
	if t.p == TLS13 {
		entry := append(vec24(certificate(t.v.Cert)), vec16(nil)...)
		return handshakeMessage(msgCertificate, append(vec8(nil), vec24(entry)...))
	}
	return handshakeMessage(msgCertificate, vec24(vec24(certificate(t.v.Cert))))
}

// serverKeyExchange is the ECDHE ServerKeyExchange (RFC 8422 §5.4):
// ECParameters (named_curve) and the public point, signed with the
// certified key over client_random + server_random + params.
func (t transcript) serverKeyExchange() []byte {
	params := append([]byte{3}, u16(shareGroup(t.v.YS))...)
	params = append(params, vec8(t.a.pub[t.v.YS])...)
	sig := standIn([]byte("signature"), certificate(t.v.Cert), t.a.val[t.v.CR], t.a.val[t.v.SR], params)
	return handshakeMessage(msgServerKeyExchange, append(append(params, u16(0x0804)...), vec16(sig)...))
}

// clientKeyExchange: RSA EncryptedPreMasterSecret under the certified key
// (RFC 5246 §7.4.7.1), or the ECDHE public point (RFC 8422 §5.7).
func (t transcript) clientKeyExchange() []byte {
	if t.p == TLS12RSA {
		return handshakeMessage(msgClientKeyExchange, vec16(standIn([]byte("rsa"), certificate(t.v.Cert), t.a.val[t.v.KX])))
	}
	return handshakeMessage(msgClientKeyExchange, vec8(t.a.pub[t.v.KX]))
}

// tls12 is the TLS 1.2 transcript up to ClientKeyExchange: ClientHello,
// ServerHello, Certificate, [ServerKeyExchange], ServerHelloDone,
// ClientKeyExchange.
func (t transcript) tls12() [][]byte {
	msgs := [][]byte{t.clientHello(), t.serverHello(), t.certificate()}
	if t.p == TLS12ECDHE {
		msgs = append(msgs, t.serverKeyExchange())
	}
	return append(msgs, handshakeMessage(msgServerHelloDone, nil), t.clientKeyExchange())
}

// certificateVerify is TLS 1.3 CertificateVerify (RFC 8446 §4.4.3): the
// certified key's signature over the transcript hash up to Certificate.
func (t transcript) certificateVerify(hash []byte) []byte {
	sig := standIn([]byte("TLS 1.3, server CertificateVerify"), certificate(t.v.Cert), hash)
	return handshakeMessage(msgCertificateVerify, append(u16(0x0804), vec16(sig)...))
}

// secrets are the real values a side derives from its view.
type secrets struct {
	// Key is the TLS 1.2 master secret or the TLS 1.3 client handshake
	// traffic secret: what the symbolic Key stands for.
	Key string
	// ServerHS is the TLS 1.3 server handshake traffic secret.
	ServerHS string
	// ClientFinished, ServerFinished are the verify_data this side sends
	// or expects.
	ClientFinished, ServerFinished string
	// ClientAP, ServerAP are the TLS 1.3 application traffic secrets.
	ClientAP, ServerAP string
}

// derive runs model/tls over the real transcript of view v, with the
// Diffie-Hellman secret computed from private share priv and public share
// pub (or the RSA pre_master_secret pms).
func derive(t *testing.T, p Protocol, a *atoms, v View, dh []byte) secrets {
	t.Helper()
	tr := transcript{p: p, a: a, v: v}
	if p != TLS13 {
		pms := dh
		if p == TLS12RSA {
			pms = a.val[v.KX]
		}
		ms := realtls.MasterSecret(pms, a.val[v.CR], a.val[v.SR])
		msgs := tr.tls12()
		cf := realtls.ClientFinishedVerifyData(ms, realtls.TranscriptHash(msgs...))
		msgs = append(msgs, handshakeMessage(msgFinished, cf))
		sf := realtls.ServerFinishedVerifyData(ms, realtls.TranscriptHash(msgs...))
		return secrets{Key: string(ms), ClientFinished: string(cf), ServerFinished: string(sf)}
	}
	msgs := [][]byte{tr.clientHello(), tr.serverHello()}
	atSH := realtls.TranscriptHash(msgs...)
	hs := realtls.DeriveKeySchedule(nil, dh, realtls.HandshakeTranscript{ServerHello: atSH})
	msgs = append(msgs, handshakeMessage(msgEncryptedExtensions, vec16(nil)), tr.certificate())
	msgs = append(msgs, tr.certificateVerify(realtls.TranscriptHash(msgs...)))
	sf := realtls.FinishedVerifyData13(hs.ServerHandshakeTrafficSecret, realtls.TranscriptHash(msgs...))
	msgs = append(msgs, handshakeMessage(msgFinished, sf))
	atSF := realtls.TranscriptHash(msgs...)
	ks := realtls.DeriveKeySchedule(nil, dh, realtls.HandshakeTranscript{ServerHello: atSH, ServerFinished: atSF})
	cf := realtls.FinishedVerifyData13(ks.ClientHandshakeTrafficSecret, atSF)
	return secrets{
		Key: string(ks.ClientHandshakeTrafficSecret), ServerHS: string(ks.ServerHandshakeTrafficSecret),
		ClientFinished: string(cf), ServerFinished: string(sf),
		ClientAP: string(ks.ClientApplicationTrafficSecret0), ServerAP: string(ks.ServerApplicationTrafficSecret0),
	}
}
