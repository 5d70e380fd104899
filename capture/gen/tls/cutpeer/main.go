// Command cutpeer is the TLS client and server of the captures cut12 and
// cut13 (see make-tls-captures.sh): the server answers one GET with an
// HTTP/1.0 response and then closes the TCP connection without sending
// close_notify (RFC 8446 §6.1, RFC 5246 §7.2.1), as a server that crashed
// or a truncation attack would; the client writes the NSS key log
// (crypto/tls Config.KeyLogWriter) and reads until the connection ends.
// Loopback only.
package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

func main() {
	role := flag.String("role", "", "server or client")
	addr := flag.String("addr", "127.0.0.1:44399", "address (loopback)")
	maxv := flag.String("max", "1.3", "highest TLS version: 1.2 or 1.3")
	certFile := flag.String("cert", "", "server certificate (PEM)")
	keyFile := flag.String("key", "", "server key (PEM)")
	keylog := flag.String("keylog", "", "client: NSS key log file to write")
	flag.Parse()
	if err := run(*role, *addr, *maxv, *certFile, *keyFile, *keylog); err != nil {
		fmt.Fprintln(os.Stderr, "cutpeer:", err)
		os.Exit(1)
	}
}

func config(maxv string) (*tls.Config, error) {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	switch maxv {
	case "1.2":
		c.MaxVersion = tls.VersionTLS12
		c.CipherSuites = []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}
	case "1.3":
		c.MaxVersion = tls.VersionTLS13
	default:
		return nil, fmt.Errorf("-max %q: want 1.2 or 1.3", maxv)
	}
	return c, nil
}

func run(role, addr, maxv, certFile, keyFile, keylog string) error {
	c, err := config(maxv)
	if err != nil {
		return err
	}
	switch role {
	case "server":
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return err
		}
		c.Certificates = []tls.Certificate{cert}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		raw, err := ln.Accept()
		ln.Close()
		if err != nil {
			return err
		}
		t := tls.Server(raw, c)
		buf := make([]byte, 4096)
		if _, err := t.Read(buf); err != nil {
			return err
		}
		body := "hello over TLS, cut without close_notify\n"
		fmt.Fprintf(t, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n%s", body)
		// The raw close: a FIN without close_notify.
		return raw.Close()
	case "client":
		f, err := os.Create(keylog)
		if err != nil {
			return err
		}
		defer f.Close()
		c.KeyLogWriter = f
		c.InsecureSkipVerify = true // a throwaway self-signed test certificate
		raw, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			return err
		}
		t := tls.Client(raw, c)
		if _, err := io.WriteString(t, "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n"); err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, t)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return err
		}
		return t.Close()
	}
	return fmt.Errorf("-role %q: want server or client", role)
}
