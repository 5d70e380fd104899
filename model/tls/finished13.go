package tls

import (
	"crypto/hmac"
	"crypto/sha256"
)

// FinishedKey is finished_key = HKDF-Expand-Label(BaseKey, "finished", "",
// Hash.length) (RFC 8446 §4.4.4). BaseKey is the sender's handshake traffic
// secret (server or client) in a full handshake.
func FinishedKey(baseKey []byte) []byte {
	return HKDFExpandLabel(baseKey, LabelFinished, nil, HashLength)
}

// FinishedVerifyData13 is the TLS 1.3 Finished verify_data (RFC 8446
// §4.4.4):
//
//	verify_data = HMAC(finished_key,
//	                   Transcript-Hash(Handshake Context,
//	                                   Certificate*, CertificateVerify*))
//
// transcriptHash covers every handshake message before this Finished.
func FinishedVerifyData13(baseKey, transcriptHash []byte) []byte {
	mac := hmac.New(sha256.New, FinishedKey(baseKey))
	mac.Write(transcriptHash)
	return mac.Sum(nil)
}
