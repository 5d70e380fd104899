package tlsvalidate

import (
	"bytes"
	"crypto/sha256"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
)

// Handshake message types (RFC 5246 §7.4, RFC 8446 §4), and
// change_cipher_spec as a pseudo-message of the order (msgCCS).
const (
	typeHelloRequest        = 0
	typeClientHello         = 1
	typeServerHello         = 2
	typeNewSessionTicket    = 4
	typeEndOfEarlyData      = 5
	typeEncryptedExtensions = 8
	typeCertificate         = 11
	typeServerKeyExchange   = 12
	typeCertificateRequest  = 13
	typeServerHelloDone     = 14
	typeCertificateVerify   = 15
	typeClientKeyExchange   = 16
	typeFinished            = 20
	typeCertificateStatus   = 22
	typeKeyUpdate           = 24
	typeMessageHash         = 254
	// msgCCS stands for a ChangeCipherSpec record in the order; msgHRR
	// for a ServerHello that is a HelloRetryRequest (RFC 8446 §4.1.4).
	msgCCS = 0x100 | typeChangeCipherSpec
	msgHRR = 0x200 | typeServerHello
	// msgUnreadable stands for handshake records that do not parse.
	msgUnreadable = 0x300
)

var messageNames = map[int]string{
	typeHelloRequest: "HelloRequest", typeClientHello: "ClientHello", typeServerHello: "ServerHello",
	typeNewSessionTicket: "NewSessionTicket", typeEndOfEarlyData: "EndOfEarlyData",
	typeEncryptedExtensions: "EncryptedExtensions", typeCertificate: "Certificate",
	typeServerKeyExchange: "ServerKeyExchange", typeCertificateRequest: "CertificateRequest",
	typeServerHelloDone: "ServerHelloDone", typeCertificateVerify: "CertificateVerify",
	typeClientKeyExchange: "ClientKeyExchange", typeFinished: "Finished",
	typeCertificateStatus: "CertificateStatus", typeKeyUpdate: "KeyUpdate",
	msgCCS: "ChangeCipherSpec", msgHRR: "HelloRetryRequest", msgUnreadable: "an unparseable handshake record",
}

// MessageName names a message type.
func MessageName(t int) string {
	if n, ok := messageNames[t]; ok {
		return n
	}
	return fmt.Sprintf("handshake(%d)", t)
}

// maxMessage bounds a handshake message (2^24-1 on the wire; a
// certificate chain is far below this bound).
const maxMessage = 1 << 18

// message is one handshake message (or a ChangeCipherSpec), with where
// it was seen.
type message struct {
	from      int
	typ       int // a handshake type, msgCCS or msgHRR
	raw       []byte
	body      []byte
	frame     int   // the frame that completed it
	offset    int64 // stream offset of the record that completed it
	encrypted bool
}

// assembler joins handshake records into messages (RFC 8446 §5.1: a
// message may span records; RFC 5246 §6.2.1 the same).
type assembler struct {
	buf []byte
}

// add appends a fragment and returns the messages it completes.
func (a *assembler) add(frag []byte) ([][]byte, error) {
	a.buf = append(a.buf, frag...)
	var out [][]byte
	for len(a.buf) >= 4 {
		n := int(a.buf[1])<<16 | int(a.buf[2])<<8 | int(a.buf[3])
		if n > maxMessage {
			return out, fmt.Errorf("%s of %d octets, above the %d this validator reads", MessageName(int(a.buf[0])), n, maxMessage)
		}
		if len(a.buf) < 4+n {
			break
		}
		out = append(out, bytes.Clone(a.buf[:4+n]))
		a.buf = a.buf[4+n:]
	}
	return out, nil
}

// pending reports whether a message is partly received.
func (a *assembler) pending() bool { return len(a.buf) > 0 }

// hello holds what the validator needs of a ClientHello or ServerHello
// (RFC 5246 §7.4.1.2-3, RFC 8446 §4.1.2-3).
type hello struct {
	version   uint16
	random    []byte
	sessionID []byte
	suites    []uint16 // ClientHello
	suite     uint16   // ServerHello
	// Extensions (RFC 7627 §4, RFC 8446 §4.2).
	ems       bool
	etm       bool     // encrypt_then_mac (RFC 7366)
	versions  []uint16 // supported_versions
	psk       bool     // pre_shared_key
	earlyData bool     // early_data
	ticket    bool     // session_ticket (RFC 5077), non-empty
}

// helloRetryRandom is the Random of a HelloRetryRequest (RFC 8446 §4.1.3):
// SHA-256("HelloRetryRequest").
var helloRetryRandom = func() []byte { h := sha256.Sum256([]byte("HelloRetryRequest")); return h[:] }()

// Extension numbers.
const (
	extEncryptThenMAC       = 22
	extExtendedMasterSecret = 23
	extSessionTicket        = 35
	extPreSharedKey         = 41
	extEarlyData            = 42
	extSupportedVersions    = 43
)

// parseHello parses the body of a ClientHello (client) or ServerHello.
func parseHello(body []byte, client bool) (*hello, error) {
	s := cryptobyte.String(body)
	h := &hello{}
	var random, sid cryptobyte.String
	if !s.ReadUint16(&h.version) || !s.ReadBytes((*[]byte)(&random), 32) || !s.ReadUint8LengthPrefixed(&sid) {
		return nil, fmt.Errorf("malformed hello")
	}
	h.random, h.sessionID = random, sid
	if client {
		var suites, comp cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&suites) || !s.ReadUint8LengthPrefixed(&comp) {
			return nil, fmt.Errorf("malformed ClientHello")
		}
		for !suites.Empty() {
			var id uint16
			if !suites.ReadUint16(&id) {
				return nil, fmt.Errorf("malformed ClientHello cipher_suites")
			}
			h.suites = append(h.suites, id)
		}
	} else {
		var comp uint8
		if !s.ReadUint16(&h.suite) || !s.ReadUint8(&comp) {
			return nil, fmt.Errorf("malformed ServerHello")
		}
	}
	if s.Empty() {
		return h, nil
	}
	var exts cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&exts) || !s.Empty() {
		return nil, fmt.Errorf("malformed hello extensions")
	}
	for !exts.Empty() {
		var typ uint16
		var data cryptobyte.String
		if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&data) {
			return nil, fmt.Errorf("malformed hello extension")
		}
		switch typ {
		case extExtendedMasterSecret:
			h.ems = true
		case extEncryptThenMAC:
			h.etm = true
		case extSessionTicket:
			h.ticket = len(data) > 0
		case extPreSharedKey:
			h.psk = true
		case extEarlyData:
			h.earlyData = true
		case extSupportedVersions:
			if client {
				var list cryptobyte.String
				if !data.ReadUint8LengthPrefixed(&list) {
					return nil, fmt.Errorf("malformed supported_versions")
				}
				for !list.Empty() {
					var v uint16
					if !list.ReadUint16(&v) {
						return nil, fmt.Errorf("malformed supported_versions")
					}
					h.versions = append(h.versions, v)
				}
			} else {
				var v uint16
				if !data.ReadUint16(&v) {
					return nil, fmt.Errorf("malformed supported_versions")
				}
				h.versions = []uint16{v}
			}
		}
	}
	return h, nil
}

// negotiated is the version a ServerHello selects (RFC 8446 §4.2.1).
func (h *hello) negotiated() uint16 {
	if len(h.versions) == 1 {
		return h.versions[0]
	}
	return h.version
}

func (h *hello) isHRR() bool { return bytes.Equal(h.random, helloRetryRandom) }
