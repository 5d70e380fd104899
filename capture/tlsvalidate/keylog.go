package tlsvalidate

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// KeyLog holds the secrets of an NSS key log file (the format
// SSLKEYLOGFILE, curl, OpenSSL's SSL_CTX_set_keylog_callback and Go's
// crypto/tls Config.KeyLogWriter write): one "LABEL client_random secret"
// line per secret, hex encoded; "#" starts a comment. Secrets are indexed
// by label and client_random (the ClientHello's Random, which names the
// connection); RSA lines by the first 8 octets of the encrypted
// pre_master_secret.
type KeyLog struct {
	secrets map[string]map[string][]byte // label -> hex(client_random) -> secret
	// updates holds the _N secrets in the order logged.
	updates map[string]map[string][][]byte
	lines   int
}

// Labels of the NSS key log format.
const (
	LabelClientRandom             = "CLIENT_RANDOM" // TLS 1.2 master_secret
	LabelRSA                      = "RSA"           // TLS 1.2 pre_master_secret, by encrypted-PMS prefix
	LabelClientHandshakeTraffic   = "CLIENT_HANDSHAKE_TRAFFIC_SECRET"
	LabelServerHandshakeTraffic   = "SERVER_HANDSHAKE_TRAFFIC_SECRET"
	LabelClientTrafficSecret0     = "CLIENT_TRAFFIC_SECRET_0"
	LabelServerTrafficSecret0     = "SERVER_TRAFFIC_SECRET_0"
	LabelExporterSecret           = "EXPORTER_SECRET"
	LabelEarlyExporterSecret      = "EARLY_EXPORTER_SECRET"
	LabelClientEarlyTrafficSecret = "CLIENT_EARLY_TRAFFIC_SECRET"
	// OpenSSL logs each traffic secret after a KeyUpdate (RFC 8446
	// §7.2) under these labels, "N" literally, in order.
	LabelClientTrafficSecretN = "CLIENT_TRAFFIC_SECRET_N"
	LabelServerTrafficSecretN = "SERVER_TRAFFIC_SECRET_N"
)

// keyLogLabels gives each label's key length (the client_random, or 8 for
// RSA's encrypted prefix).
var keyLogLabels = map[string]int{
	LabelClientRandom: 32, LabelRSA: 8, LabelClientHandshakeTraffic: 32, LabelServerHandshakeTraffic: 32,
	LabelClientTrafficSecret0: 32, LabelServerTrafficSecret0: 32, LabelExporterSecret: 32,
	LabelEarlyExporterSecret: 32, LabelClientEarlyTrafficSecret: 32,
	LabelClientTrafficSecretN: 32, LabelServerTrafficSecretN: 32,
}

// maxKeyLogLines bounds a key log.
const maxKeyLogLines = 1 << 20

// ParseKeyLog reads an NSS key log. A malformed line (unknown label,
// bad hex, wrong length) is an error naming the line: a key log that is
// partly read would make connections look undecided, or wrong.
func ParseKeyLog(r io.Reader) (*KeyLog, error) {
	k := &KeyLog{secrets: map[string]map[string][]byte{}, updates: map[string]map[string][][]byte{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), 1<<16)
	n := 0
	for sc.Scan() {
		n++
		if n > maxKeyLogLines {
			return nil, fmt.Errorf("key log: more than %d lines", maxKeyLogLines)
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			return nil, fmt.Errorf("key log line %d: want LABEL CLIENT_RANDOM SECRET, got %d fields", n, len(f))
		}
		keyLen, ok := keyLogLabels[f[0]]
		if !ok {
			return nil, fmt.Errorf("key log line %d: unknown label %q", n, f[0])
		}
		id, err := hex.DecodeString(f[1])
		if err != nil || len(id) != keyLen {
			return nil, fmt.Errorf("key log line %d: %s: the second field must be %d octets in hex", n, f[0], keyLen)
		}
		secret, err := hex.DecodeString(f[2])
		if err != nil || len(secret) == 0 || len(secret) > 64 {
			return nil, fmt.Errorf("key log line %d: %s: the secret must be 1 to 64 octets in hex", n, f[0])
		}
		if f[0] == LabelClientRandom || f[0] == LabelRSA {
			if len(secret) != 48 {
				return nil, fmt.Errorf("key log line %d: %s: the secret must be 48 octets, got %d", n, f[0], len(secret))
			}
		}
		key := hex.EncodeToString(id)
		if f[0] == LabelClientTrafficSecretN || f[0] == LabelServerTrafficSecretN {
			u := k.updates[f[0]]
			if u == nil {
				u = map[string][][]byte{}
				k.updates[f[0]] = u
			}
			u[key] = append(u[key], secret)
			k.lines++
			continue
		}
		m := k.secrets[f[0]]
		if m == nil {
			m = map[string][]byte{}
			k.secrets[f[0]] = m
		}
		if old, ok := m[key]; ok && string(old) != string(secret) {
			return nil, fmt.Errorf("key log line %d: %s for %s was logged before with another secret", n, f[0], f[1])
		}
		m[key] = secret
		k.lines++
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("key log: %v", err)
	}
	return k, nil
}

// Secret returns the secret of label for id (a client_random, or an
// encrypted pre_master_secret's first 8 octets), if logged.
func (k *KeyLog) Secret(label string, id []byte) ([]byte, bool) {
	if k == nil {
		return nil, false
	}
	s, ok := k.secrets[label][hex.EncodeToString(id)]
	return s, ok
}

// Update returns the n-th (1-based) traffic secret logged after a
// KeyUpdate under label (LabelClientTrafficSecretN or
// LabelServerTrafficSecretN) for client_random id, if logged.
func (k *KeyLog) Update(label string, id []byte, n int) ([]byte, bool) {
	if k == nil {
		return nil, false
	}
	u := k.updates[label][hex.EncodeToString(id)]
	if n < 1 || n > len(u) {
		return nil, false
	}
	return u[n-1], true
}

// Len is the number of key log lines read (for a Merge, of both).
func (k *KeyLog) Len() int {
	if k == nil {
		return 0
	}
	return k.lines
}
