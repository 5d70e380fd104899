package tlsvalidate

import (
	"fmt"

	"golang.org/x/crypto/cryptobyte"
)

// Content types (RFC 5246 §6.2.1, RFC 8446 §5.1).
const (
	typeChangeCipherSpec = 20
	typeAlert            = 21
	typeHandshake        = 22
	typeApplicationData  = 23
	typeHeartbeat        = 24 // RFC 6520
)

var contentTypeNames = map[uint8]string{
	typeChangeCipherSpec: "change_cipher_spec", typeAlert: "alert", typeHandshake: "handshake",
	typeApplicationData: "application_data", typeHeartbeat: "heartbeat",
}

// maxCiphertext is the longest record fragment: 2^14 + 2048 octets (RFC
// 5246 §6.2.3; RFC 8446 §5.2 allows 2^14 + 256, and §5.1 2^14 for
// plaintext).
const maxCiphertext = 1<<14 + 2048

// Record is one TLS record as it crossed the wire: TLSPlaintext or
// TLSCiphertext (RFC 5246 §6.2.1, RFC 8446 §5.1-5.2).
type Record struct {
	Offset   int64 // stream offset of the record's header
	Type     uint8
	Version  uint16
	Fragment []byte
	Header   []byte // the 5 header octets (the AEAD's additional data in TLS 1.3)
}

// Violation is a rule the traffic breaks, where.
type Violation struct {
	From   string `json:"from"` // "client" or "server"
	Frame  int    `json:"frame"`
	Offset int64  `json:"offset"` // stream offset
	Rule   string `json:"rule"`
	RFC    string `json:"rfc"`
}

func (v *Violation) Error() string {
	return fmt.Sprintf("%s frame %d (stream offset %d): %s (%s)", v.From, v.Frame, v.Offset, v.Rule, v.RFC)
}

// parseRecords splits a stream into records. It returns the complete
// records, the octets of a record the stream ends inside (0 if none), and
// the first malformed record header, if any (the records before it are
// returned).
func parseRecords(data []byte) (recs []Record, tail int, bad *Violation) {
	s := cryptobyte.String(data)
	off := int64(0)
	for !s.Empty() {
		start := s
		var typ uint8
		var vers uint16
		var frag cryptobyte.String
		if len(s) < 5 {
			return recs, len(s), nil
		}
		s.ReadUint8(&typ)
		s.ReadUint16(&vers)
		n := int(start[3])<<8 | int(start[4])
		if _, ok := contentTypeNames[typ]; !ok {
			return recs, 0, &Violation{Offset: off, Rule: fmt.Sprintf("record of unknown content type %d (not TLS, or out of step)", typ), RFC: "RFC 8446 §5 (unexpected_message)"}
		}
		if vers>>8 != 3 {
			return recs, 0, &Violation{Offset: off, Rule: fmt.Sprintf("record version %#04x is not a TLS version", vers), RFC: "RFC 5246 §6.2.1"}
		}
		if n > maxCiphertext {
			return recs, 0, &Violation{Offset: off, Rule: fmt.Sprintf("record of %d octets, above 2^14+2048", n), RFC: "RFC 5246 §6.2.3 (record_overflow)"}
		}
		if !s.ReadUint16LengthPrefixed(&frag) {
			return recs, len(start), nil
		}
		recs = append(recs, Record{Offset: off, Type: typ, Version: vers, Fragment: frag, Header: start[:5]})
		off += int64(5 + n)
	}
	return recs, 0, nil
}

// looksLikeTLS reports whether a stream starts with a TLS handshake
// record: the way a connection on any port is recognised as TLS.
func looksLikeTLS(data []byte) bool {
	return len(data) >= 6 && data[0] == typeHandshake && data[1] == 3 && data[2] <= 4 && data[5] == typeClientHello
}
