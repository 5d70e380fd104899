package tls

import (
	"crypto/hmac"
	"crypto/sha256"
)

// TLS 1.2 PRF labels (RFC 5246 §7.4.9, §8.1, §6.3; RFC 7627 §4).
const (
	LabelMasterSecret         = "master secret"
	LabelExtendedMasterSecret = "extended master secret"
	LabelKeyExpansion         = "key expansion"
	LabelClientFinished       = "client finished"
	LabelServerFinished       = "server finished"
)

// PSHA256 is the data expansion function P_SHA256 of RFC 5246 §5:
//
//	P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) +
//	                       HMAC_hash(secret, A(2) + seed) + ...
//	A(0) = seed
//	A(i) = HMAC_hash(secret, A(i-1))
//
// iterated as many times as needed to produce length bytes; the surplus of
// the last iteration is discarded.
func PSHA256(secret, seed []byte, length int) []byte {
	out := make([]byte, 0, length+sha256.Size)
	mac := hmac.New(sha256.New, secret)
	mac.Write(seed)
	a := mac.Sum(nil) // A(1)
	for len(out) < length {
		mac.Reset()
		mac.Write(a)
		mac.Write(seed)
		out = mac.Sum(out)
		mac.Reset()
		mac.Write(a)
		a = mac.Sum(a[:0]) // A(i+1)
	}
	return out[:length]
}

// PRF is the TLS 1.2 pseudorandom function with SHA-256 (RFC 5246 §5):
//
//	PRF(secret, label, seed) = P_SHA256(secret, label + seed)
//
// where label is an ASCII string without length byte or trailing NUL.
func PRF(secret []byte, label string, seed []byte, length int) []byte {
	labelAndSeed := make([]byte, 0, len(label)+len(seed))
	labelAndSeed = append(labelAndSeed, label...)
	labelAndSeed = append(labelAndSeed, seed...)
	return PSHA256(secret, labelAndSeed, length)
}
