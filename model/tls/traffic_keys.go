package tls

import "encoding/binary"

// Key and IV lengths of TLS_AES_128_GCM_SHA256 (RFC 8446 §B.4, RFC 5116
// §5.1: 16-byte key, iv_length = max(8, N_MIN) = 12).
const (
	AES128GCMKeyLength = 16
	AES128GCMIVLength  = 12
)

// TrafficKey is a write key and IV derived from a traffic secret.
type TrafficKey struct {
	Key []byte
	IV  []byte
}

// TrafficKeys derives the traffic keying material of RFC 8446 §7.3:
//
//	[sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length)
//	[sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length)
func TrafficKeys(trafficSecret []byte, keyLength, ivLength int) TrafficKey {
	return TrafficKey{
		Key: HKDFExpandLabel(trafficSecret, LabelKey, nil, keyLength),
		IV:  HKDFExpandLabel(trafficSecret, LabelIV, nil, ivLength),
	}
}

// AES128GCMTrafficKeys is TrafficKeys with the TLS_AES_128_GCM_SHA256
// lengths.
func AES128GCMTrafficKeys(trafficSecret []byte) TrafficKey {
	return TrafficKeys(trafficSecret, AES128GCMKeyLength, AES128GCMIVLength)
}

// PerRecordNonce is the AEAD nonce of RFC 8446 §5.3: the 64-bit record
// sequence number, big-endian and left-padded with zeros to iv_length,
// XORed with the write IV.
func PerRecordNonce(iv []byte, seq uint64) []byte {
	nonce := make([]byte, len(iv))
	copy(nonce, iv)
	var s [8]byte
	binary.BigEndian.PutUint64(s[:], seq)
	for i := range 8 {
		nonce[len(nonce)-8+i] ^= s[i]
	}
	return nonce
}
