package tls

// MasterSecretLength is the length of the TLS 1.2 master_secret: always 48
// bytes (RFC 5246 §8.1).
const MasterSecretLength = 48

// RandomLength is the length of ClientHello.random and ServerHello.random
// (RFC 5246 §7.4.1.2).
const RandomLength = 32

// PreMasterSecretLength is the length of the RSA pre_master_secret
// (RFC 5246 §7.4.7.1): client_version (2 bytes) and 46 random bytes.
const PreMasterSecretLength = 48

// MasterSecret computes the TLS 1.2 master secret (RFC 5246 §8.1):
//
//	master_secret = PRF(pre_master_secret, "master secret",
//	                    ClientHello.random + ServerHello.random)
//	                    [0..47];
//
// This is the derivation used when the extended master secret extension was
// not negotiated.
func MasterSecret(preMaster, clientRandom, serverRandom []byte) []byte {
	seed := make([]byte, 0, len(clientRandom)+len(serverRandom))
	seed = append(seed, clientRandom...)
	seed = append(seed, serverRandom...)
	return PRF(preMaster, LabelMasterSecret, seed, MasterSecretLength)
}

// ExtendedMasterSecret computes the master secret when both peers
// negotiated the extended_master_secret extension (RFC 7627 §4):
//
//	master_secret = PRF(pre_master_secret, "extended master secret",
//	                    session_hash)
//	                    [0..47];
//
// The randoms are not part of the seed: they are covered by session_hash
// (see SessionHash), which binds the master secret to the whole handshake
// up to ClientKeyExchange.
func ExtendedMasterSecret(preMaster, sessionHash []byte) []byte {
	return PRF(preMaster, LabelExtendedMasterSecret, sessionHash, MasterSecretLength)
}
