package tls

import "crypto/ecdh"

// X25519PublicKey returns the 32-byte X25519 public key (key_exchange of a
// KeyShareEntry, RFC 8446 §4.2.8.2) of a 32-byte private key.
func X25519PublicKey(privateKey []byte) ([]byte, error) {
	k, err := ecdh.X25519().NewPrivateKey(privateKey)
	if err != nil {
		return nil, err
	}
	return k.PublicKey().Bytes(), nil
}

// X25519SharedSecret is the (EC)DHE input of the TLS 1.3 key schedule for
// X25519 (RFC 8446 §7.4.2, RFC 7748 §6.1): the 32-byte output of X25519
// of our private key and the peer's public key. It fails on malformed keys
// and on an all-zero result (a low-order peer key), which RFC 8446 §7.4.2
// requires peers to reject.
func X25519SharedSecret(privateKey, peerPublicKey []byte) ([]byte, error) {
	k, err := ecdh.X25519().NewPrivateKey(privateKey)
	if err != nil {
		return nil, err
	}
	peer, err := ecdh.X25519().NewPublicKey(peerPublicKey)
	if err != nil {
		return nil, err
	}
	return k.ECDH(peer)
}
