package tlsvalidate

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// pcapng block types and the Decryption Secrets Block's secrets type for
// a TLS key log (draft-ietf-opsawg-pcapng §4.7: "TLSK", the NSS key log
// format).
const (
	ngSectionHeader     = 0x0a0d0d0a
	ngDecryptionSecrets = 0x0000000a
	ngSecretsTLSKeyLog  = 0x544c534b
)

// PcapngKeyLog reads the TLS key logs of a pcapng capture's Decryption
// Secrets Blocks (as `editcap --inject-secrets` writes them), all of them
// as one key log; nil if the capture is not pcapng or has none. Package
// capture's readers skip these blocks (they carry no packet). A malformed
// block or key log is an error.
func PcapngKeyLog(b []byte) (*KeyLog, error) {
	if len(b) < 12 || binary.LittleEndian.Uint32(b) != ngSectionHeader {
		return nil, nil
	}
	var order binary.ByteOrder = binary.LittleEndian
	var text bytes.Buffer
	found := false
	for off, blk := 0, 1; off+12 <= len(b); blk++ {
		if binary.LittleEndian.Uint32(b[off:]) == ngSectionHeader {
			if binary.BigEndian.Uint32(b[off+8:]) == 0x1a2b3c4d {
				order = binary.BigEndian
			} else {
				order = binary.LittleEndian
			}
		}
		typ, n := order.Uint32(b[off:]), int(order.Uint32(b[off+4:]))
		if n < 12 || n%4 != 0 || n > len(b)-off {
			return nil, fmt.Errorf("pcapng block %d at byte %d: length %d", blk, off, n)
		}
		if typ == ngDecryptionSecrets {
			body := b[off+8 : off+n-4]
			if len(body) < 8 {
				return nil, fmt.Errorf("pcapng block %d: a Decryption Secrets Block of %d octets", blk, n)
			}
			st, sl := order.Uint32(body), int(order.Uint32(body[4:]))
			if sl > len(body)-8 {
				return nil, fmt.Errorf("pcapng block %d: secrets of %d octets in a block of %d", blk, sl, n)
			}
			if st == ngSecretsTLSKeyLog {
				found = true
				text.Write(body[8 : 8+sl])
				text.WriteByte('\n')
			}
		}
		off += n
	}
	if !found {
		return nil, nil
	}
	k, err := ParseKeyLog(&text)
	if err != nil {
		return nil, fmt.Errorf("pcapng Decryption Secrets Block: %v", err)
	}
	return k, nil
}

// Merge adds the secrets of o to k (either may be nil; the result is
// nil only if both are). A secret logged in both with different values
// is an error.
func (k *KeyLog) Merge(o *KeyLog) (*KeyLog, error) {
	if k == nil {
		return o, nil
	}
	if o == nil {
		return k, nil
	}
	out := &KeyLog{secrets: map[string]map[string][]byte{}, updates: map[string]map[string][][]byte{}, lines: k.lines + o.lines}
	for _, src := range []*KeyLog{k, o} {
		for l, m := range src.secrets {
			if out.secrets[l] == nil {
				out.secrets[l] = map[string][]byte{}
			}
			for id, s := range m {
				if old, ok := out.secrets[l][id]; ok && !bytes.Equal(old, s) {
					return nil, fmt.Errorf("key logs disagree on %s for %s", l, id)
				}
				out.secrets[l][id] = s
			}
		}
	}
	// KeyUpdate secrets: the first key log's, else the second's (the
	// same connection's updates come from one writer).
	for _, src := range []*KeyLog{o, k} {
		for l, m := range src.updates {
			if out.updates[l] == nil {
				out.updates[l] = map[string][][]byte{}
			}
			for id, list := range m {
				out.updates[l][id] = list
			}
		}
	}
	return out, nil
}
