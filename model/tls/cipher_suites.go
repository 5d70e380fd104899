package tls

// CipherSuite gives the sizes a TLS 1.2 cipher suite takes from the key
// block (RFC 5246 §6.3 and Appendix C). All suites listed here use the
// SHA-256 PRF.
type CipherSuite struct {
	ID   uint16 // IANA value, e.g. 0x009c
	Name string

	// MACKeyLength is SecurityParameters.mac_key_length: 0 for AEAD
	// suites, whose integrity comes from the AEAD (RFC 5246 §6.2.3.3).
	MACKeyLength int
	// EncKeyLength is SecurityParameters.enc_key_length.
	EncKeyLength int
	// FixedIVLength is SecurityParameters.fixed_iv_length: for AES-GCM the
	// 4-byte implicit part ("salt") of the nonce (RFC 5288 §3); for
	// ChaCha20-Poly1305 the 12-byte IV XORed with the sequence number
	// (RFC 7905 §2).
	FixedIVLength int
}

// KeyBlockLength is the number of key block bytes the suite consumes
// (RFC 5246 §6.3): two MAC keys, two write keys and two IVs.
func (s CipherSuite) KeyBlockLength() int {
	return 2 * (s.MACKeyLength + s.EncKeyLength + s.FixedIVLength)
}

// Cipher suites with their key block sizes.
var (
	// RFC 5288 §3: AES-128-GCM, 16-byte key, 4-byte implicit nonce salt.
	TLS_RSA_WITH_AES_128_GCM_SHA256 = CipherSuite{
		ID: 0x009c, Name: "TLS_RSA_WITH_AES_128_GCM_SHA256",
		MACKeyLength: 0, EncKeyLength: 16, FixedIVLength: 4,
	}
	// RFC 5289 §3: same record protection, ECDHE key exchange.
	TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = CipherSuite{
		ID: 0xc02f, Name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
		MACKeyLength: 0, EncKeyLength: 16, FixedIVLength: 4,
	}
	// RFC 7905 §2: ChaCha20-Poly1305, 32-byte key, 12-byte fixed IV.
	TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = CipherSuite{
		ID: 0xcca8, Name: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
		MACKeyLength: 0, EncKeyLength: 32, FixedIVLength: 12,
	}
	// RFC 5246 Appendix C: AES-128-CBC with HMAC-SHA256. TLS 1.2 CBC
	// records carry an explicit IV (§6.2.3.2) and the key block holds IVs
	// only for implicit nonce techniques (§6.3), so fixed_iv_length is 0.
	TLS_RSA_WITH_AES_128_CBC_SHA256 = CipherSuite{
		ID: 0x003c, Name: "TLS_RSA_WITH_AES_128_CBC_SHA256",
		MACKeyLength: 32, EncKeyLength: 16, FixedIVLength: 0,
	}
)
