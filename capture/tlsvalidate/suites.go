package tlsvalidate

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"hash"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/handshake/handshake/model/tls"
)

// Key exchanges of TLS 1.2 suites, as they shape the message order.
const (
	kxNone  = iota // TLS 1.3 suites: the key exchange is in the hellos
	kxRSA          // RSA key transport: no ServerKeyExchange (RFC 5246 §7.4.3)
	kxECDHE        // (EC)DHE: a ServerKeyExchange (RFC 8422 §5.4, RFC 5246 §7.4.3)
)

// AEADs.
const (
	aeadNone = iota // not implemented here: keys are not checked
	aeadAESGCM
	aeadChaCha20Poly1305
	// cbcHMAC is not an AEAD: AES-CBC with HMAC (RFC 5246 §6.2.3.2;
	// encrypt-then-MAC when negotiated, RFC 7366).
	cbcHMAC
)

// suite describes a cipher suite: its key exchange, its AEAD, and
// whether model/tls implements its hash (SHA-256: the PRF of TLS 1.2
// suites ending in _SHA256, RFC 5246 §5; the HKDF hash of TLS 1.3's).
type suite struct {
	name   string
	tls13  bool
	kx     int
	aead   int
	sha256 bool
	params tls.CipherSuite // key block layout (TLS 1.2)
}

func gcm12(id uint16, name string, kx int) suite {
	return suite{name: name, kx: kx, aead: aeadAESGCM, sha256: true,
		params: tls.CipherSuite{ID: id, Name: name, EncKeyLength: 16, FixedIVLength: 4}}
}

func cbc12(id uint16, name string, kx int, macLen int) suite {
	return suite{name: name, kx: kx, aead: cbcHMAC, sha256: true,
		params: tls.CipherSuite{ID: id, Name: name, MACKeyLength: macLen, EncKeyLength: 16}}
}

func chacha12(id uint16, name string, kx int) suite {
	return suite{name: name, kx: kx, aead: aeadChaCha20Poly1305, sha256: true,
		params: tls.CipherSuite{ID: id, Name: name, EncKeyLength: 32, FixedIVLength: 12}}
}

// suites lists the suites the validator knows (IANA TLS Cipher Suites
// registry). The TLS 1.2 PRF of every suite here but the _SHA384 ones is
// SHA-256 (RFC 5246 §5; a CBC suite's _SHA names its HMAC only). Suites
// with SHA-384 are known for their key exchange (the message order) but
// their keys are not checked.
var suites = map[uint16]suite{
	0x1301: {name: "TLS_AES_128_GCM_SHA256", tls13: true, aead: aeadAESGCM, sha256: true},
	0x1302: {name: "TLS_AES_256_GCM_SHA384", tls13: true},
	0x1303: {name: "TLS_CHACHA20_POLY1305_SHA256", tls13: true, aead: aeadChaCha20Poly1305, sha256: true},
	0x009c: gcm12(0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", kxRSA),
	0x009d: {name: "TLS_RSA_WITH_AES_256_GCM_SHA384", kx: kxRSA},
	0x002f: cbc12(0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", kxRSA, sha1.Size),
	0x0035: {name: "TLS_RSA_WITH_AES_256_CBC_SHA", kx: kxRSA},
	0x003c: cbc12(0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", kxRSA, sha256.Size),
	0x009e: gcm12(0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", kxECDHE),
	0xc02b: gcm12(0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", kxECDHE),
	0xc02f: gcm12(0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", kxECDHE),
	0xc02c: {name: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", kx: kxECDHE},
	0xc030: {name: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", kx: kxECDHE},
	0xc009: {name: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", kx: kxECDHE},
	0xc013: cbc12(0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", kxECDHE, sha1.Size),
	0xc027: cbc12(0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", kxECDHE, sha256.Size),
	0xcca8: chacha12(0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", kxECDHE),
	0xcca9: chacha12(0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", kxECDHE),
}

func suiteName(id uint16) string {
	if s, ok := suites[id]; ok {
		return s.name
	}
	return fmt.Sprintf("cipher suite %#04x", id)
}

// keyLength is the AEAD key length (RFC 8446 §B.4, RFC 8439).
func (s suite) keyLength() int {
	if s.aead == aeadChaCha20Poly1305 {
		return chacha20poly1305.KeySize
	}
	return 16
}

func newAEAD(kind int, key []byte) (cipher.AEAD, error) {
	switch kind {
	case aeadAESGCM:
		b, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		return cipher.NewGCM(b)
	case aeadChaCha20Poly1305:
		return chacha20poly1305.New(key)
	}
	return nil, errors.New("AEAD not implemented")
}

// protection is one direction's record protection in one epoch: it
// opens the records of that epoch in order (the sequence number counts
// them, RFC 5246 §6.1, RFC 8446 §5.3).
type protection struct {
	aead  cipher.AEAD
	iv    []byte
	tls13 bool
	seq   uint64
	// CBC suites: the block cipher, the HMAC key and hash, and whether
	// encrypt-then-MAC was negotiated.
	block  cipher.Block
	macKey []byte
	mac    func() hash.Hash
	etm    bool
}

var errBadRecordMAC = errors.New("bad_record_mac")

// open decrypts rec and returns its content type and plaintext.
//
// TLS 1.2 AES-GCM (RFC 5288 §3): nonce = salt(4, the key block's IV) ||
// explicit nonce (the first 8 octets of the fragment); TLS 1.2
// ChaCha20-Poly1305 (RFC 7905 §2) and TLS 1.3 (RFC 8446 §5.3): nonce = IV
// XOR the padded sequence number. Additional data: TLS 1.2 seq_num ||
// type || version || length (RFC 5246 §6.2.3.3); TLS 1.3 the record
// header (§5.2), and the true type ends the inner plaintext, after the
// zero padding.
func (p *protection) open(rec Record) (uint8, []byte, error) {
	seq := p.seq
	p.seq++
	if p.block != nil {
		pt, err := p.openCBC(rec, seq)
		return rec.Type, pt, err
	}
	frag := rec.Fragment
	var nonce, aad []byte
	if p.tls13 {
		nonce, aad = tls.PerRecordNonce(p.iv, seq), rec.Header
	} else {
		if len(p.iv) == 4 { // AES-GCM: explicit nonce
			if len(frag) < 8 {
				return 0, nil, errBadRecordMAC
			}
			nonce = append(append([]byte{}, p.iv...), frag[:8]...)
			frag = frag[8:]
		} else {
			nonce = tls.PerRecordNonce(p.iv, seq)
		}
		n := len(frag) - p.aead.Overhead()
		if n < 0 {
			return 0, nil, errBadRecordMAC
		}
		aad = []byte{byte(seq >> 56), byte(seq >> 48), byte(seq >> 40), byte(seq >> 32), byte(seq >> 24), byte(seq >> 16), byte(seq >> 8), byte(seq),
			rec.Type, byte(rec.Version >> 8), byte(rec.Version), byte(n >> 8), byte(n)}
	}
	if len(nonce) != p.aead.NonceSize() {
		return 0, nil, errBadRecordMAC
	}
	pt, err := p.aead.Open(nil, nonce, frag, aad)
	if err != nil {
		return 0, nil, errBadRecordMAC
	}
	if !p.tls13 {
		return rec.Type, pt, nil
	}
	i := len(pt) - 1
	for i >= 0 && pt[i] == 0 {
		i--
	}
	if i < 0 {
		return 0, nil, errors.New("inner plaintext of zeros only, no content type (unexpected_message, RFC 8446 §5.4)")
	}
	return pt[i], pt[:i], nil
}

// openCBC opens a TLS 1.2 AES-CBC record: the fragment is IV ||
// ciphertext (RFC 5246 §6.2.3.2). MAC-then-encrypt: the plaintext is
// content || MAC || padding, the MAC over seq_num || type || version ||
// length || content. Encrypt-then-MAC (RFC 7366 §3): the fragment ends
// with the MAC over seq_num || type || version || length || IV ||
// ciphertext. Padding: padding_length+1 octets of padding_length.
func (p *protection) openCBC(rec Record, seq uint64) ([]byte, error) {
	bs := p.block.BlockSize()
	frag := rec.Fragment
	h := hmac.New(p.mac, p.macKey)
	macLen := h.Size()
	header := func(n int) []byte {
		return []byte{byte(seq >> 56), byte(seq >> 48), byte(seq >> 40), byte(seq >> 32), byte(seq >> 24), byte(seq >> 16), byte(seq >> 8), byte(seq),
			rec.Type, byte(rec.Version >> 8), byte(rec.Version), byte(n >> 8), byte(n)}
	}
	if p.etm {
		if len(frag) < bs+macLen {
			return nil, errBadRecordMAC
		}
		body, tag := frag[:len(frag)-macLen], frag[len(frag)-macLen:]
		h.Write(header(len(body)))
		h.Write(body)
		if !hmac.Equal(h.Sum(nil), tag) {
			return nil, errBadRecordMAC
		}
		frag = body
	}
	if len(frag) < 2*bs || len(frag)%bs != 0 {
		return nil, errBadRecordMAC
	}
	pt := make([]byte, len(frag)-bs)
	cipher.NewCBCDecrypter(p.block, frag[:bs]).CryptBlocks(pt, frag[bs:])
	pad := int(pt[len(pt)-1])
	if pad+1 > len(pt) {
		return nil, errBadRecordMAC
	}
	for _, b := range pt[len(pt)-pad-1:] {
		if int(b) != pad {
			return nil, errBadRecordMAC
		}
	}
	pt = pt[:len(pt)-pad-1]
	if p.etm {
		return pt, nil
	}
	if len(pt) < macLen {
		return nil, errBadRecordMAC
	}
	content, tag := pt[:len(pt)-macLen], pt[len(pt)-macLen:]
	h.Write(header(len(content)))
	h.Write(content)
	if subtle.ConstantTimeCompare(h.Sum(nil), tag) != 1 {
		return nil, errBadRecordMAC
	}
	return content, nil
}

// protection12 is a TLS 1.2 direction's protection from the key block.
func protection12(s suite, key, iv []byte) (*protection, error) {
	if s.aead == cbcHMAC {
		return nil, errors.New("a CBC suite needs protectionCBC")
	}
	a, err := newAEAD(s.aead, key)
	if err != nil {
		return nil, err
	}
	return &protection{aead: a, iv: iv}, nil
}

// protection13 is a TLS 1.3 direction's protection from a traffic secret
// (RFC 8446 §7.3), with model/tls's derivation.
func protection13(s suite, secret []byte) (*protection, error) {
	k := tls.TrafficKeys(secret, s.keyLength(), 12)
	a, err := newAEAD(s.aead, k.Key)
	if err != nil {
		return nil, err
	}
	return &protection{aead: a, iv: k.IV, tls13: true}, nil
}

// protectionCBC is a TLS 1.2 direction's protection for a CBC suite.
func protectionCBC(s suite, key, macKey []byte, etm bool) (*protection, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	mac := sha256.New
	if s.params.MACKeyLength == sha1.Size {
		mac = sha1.New
	}
	return &protection{block: b, macKey: macKey, mac: mac, etm: etm}, nil
}
