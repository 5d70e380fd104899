package tls

import "crypto/sha256"

// TranscriptHash is Transcript-Hash(M1, M2, ... Mn) = Hash(M1 || M2 || ...
// || Mn) of RFC 8446 §4.4.1 with SHA-256. Each message is a complete
// handshake message including its 4-byte header (msg_type and length), and
// excluding record layer headers.
//
// With TLS 1.2 messages it is also the Hash(handshake_messages) of
// RFC 5246 §7.4.9 and, over the messages up to and including
// ClientKeyExchange, the session_hash of RFC 7627 §3 (see SessionHash).
func TranscriptHash(messages ...[]byte) []byte {
	h := sha256.New()
	for _, m := range messages {
		h.Write(m)
	}
	return h.Sum(nil)
}

// SessionHash is the session_hash of RFC 7627 §3: the hash of the handshake
// messages from ClientHello up to and including ClientKeyExchange (and
// CertificateVerify is not included: it comes later), in the order sent and
// received, with the PRF hash (SHA-256 here).
func SessionHash(handshakeMessages ...[]byte) []byte {
	return TranscriptHash(handshakeMessages...)
}
