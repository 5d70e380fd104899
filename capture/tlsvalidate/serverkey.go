package tlsvalidate

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
)

// ParseServerKey reads a server's RSA private key in PEM (PKCS #1 "RSA
// PRIVATE KEY" or PKCS #8 "PRIVATE KEY"), for Options.ServerKey.
func ParseServerKey(r io.Reader) (*rsa.PrivateKey, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("server key: no PEM block")
	}
	switch blk.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("server key: %v", err)
		}
		return k, nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("server key: %v", err)
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("server key: a %T, not an RSA key", k)
		}
		return rk, nil
	}
	return nil, fmt.Errorf("server key: PEM block %q, want RSA PRIVATE KEY or PRIVATE KEY", blk.Type)
}
