package tls

import (
	"crypto/hkdf"
	"crypto/sha256"
)

// HashLength is Hash.length for the SHA-256 key schedule (RFC 8446 §7.1).
const HashLength = sha256.Size

// TLS 1.3 labels (RFC 8446 §7.1, §7.2, §7.3, §4.4.4, §4.6.1), without the
// "tls13 " prefix that HKDFExpandLabel adds.
const (
	LabelExternalBinder           = "ext binder"
	LabelResumptionBinder         = "res binder"
	LabelClientEarlyTraffic       = "c e traffic"
	LabelEarlyExporterMaster      = "e exp master"
	LabelDerived                  = "derived"
	LabelClientHandshakeTraffic   = "c hs traffic"
	LabelServerHandshakeTraffic   = "s hs traffic"
	LabelClientApplicationTraffic = "c ap traffic"
	LabelServerApplicationTraffic = "s ap traffic"
	LabelExporterMaster           = "exp master"
	LabelResumptionMaster         = "res master"
	LabelTrafficUpdate            = "traffic upd"
	LabelKey                      = "key"
	LabelIV                       = "iv"
	LabelFinished                 = "finished"
	LabelResumption               = "resumption"
)

// HKDFExtract is HKDF-Extract(salt, IKM) of RFC 5869 §2.2 with SHA-256,
// as used by the key schedule (RFC 8446 §7.1). A nil or empty salt or IKM
// stands for a string of HashLength zero bytes, as the key schedule
// prescribes when no PSK or no (EC)DHE is in use.
func HKDFExtract(salt, ikm []byte) []byte {
	if len(ikm) == 0 {
		ikm = make([]byte, HashLength)
	}
	if len(salt) == 0 {
		salt = make([]byte, HashLength)
	}
	prk, err := hkdf.Extract(sha256.New, ikm, salt)
	if err != nil {
		panic("tls: HKDF-Extract: " + err.Error())
	}
	return prk
}

// HKDFLabel encodes the HkdfLabel structure of RFC 8446 §7.1:
//
//	struct {
//	    uint16 length = Length;
//	    opaque label<7..255> = "tls13 " + Label;
//	    opaque context<0..255> = Context;
//	} HkdfLabel;
//
// It panics if the label or context does not fit its length prefix.
func HKDFLabel(label string, context []byte, length int) []byte {
	full := "tls13 " + label
	if len(full) > 255 || len(context) > 255 || length < 0 || length > 0xffff {
		panic("tls: HkdfLabel field too long")
	}
	b := make([]byte, 0, 2+1+len(full)+1+len(context))
	b = append(b, byte(length>>8), byte(length))
	b = append(b, byte(len(full)))
	b = append(b, full...)
	b = append(b, byte(len(context)))
	b = append(b, context...)
	return b
}

// HKDFExpandLabel is HKDF-Expand-Label(Secret, Label, Context, Length) of
// RFC 8446 §7.1: HKDF-Expand(Secret, HkdfLabel, Length) with SHA-256.
func HKDFExpandLabel(secret []byte, label string, context []byte, length int) []byte {
	out, err := hkdf.Expand(sha256.New, secret, string(HKDFLabel(label, context, length)), length)
	if err != nil {
		panic("tls: HKDF-Expand-Label: " + err.Error())
	}
	return out
}

// DeriveSecret is Derive-Secret(Secret, Label, Messages) of RFC 8446 §7.1,
// taking the transcript hash rather than the messages themselves:
//
//	Derive-Secret(Secret, Label, Messages) =
//	    HKDF-Expand-Label(Secret, Label,
//	                      Transcript-Hash(Messages), Hash.length)
//
// Pass TranscriptHash(messages...) as transcriptHash (TranscriptHash() for
// the empty transcript).
func DeriveSecret(secret []byte, label string, transcriptHash []byte) []byte {
	return HKDFExpandLabel(secret, label, transcriptHash, HashLength)
}
