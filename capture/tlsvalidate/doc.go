// Package tlsvalidate checks the TLS layer of a captured TCP connection
// (package capture decides the TCP layer): it rebuilds each direction's
// byte stream from the segments the TCP validation explained (stream.go),
// splits it into TLS records (RFC 5246 §6.2, RFC 8446 §5.1) and handshake
// messages spanning records (record.go, message.go), checks the order of
// the handshake messages against the TLS state machine (order.go), and,
// with the secrets of an NSS key log (keylog.go), decrypts the protected
// records and verifies both Finished messages with the derivations of
// package model/tls (keys12.go, keys13.go): that proves both sides derived
// the same keys over the same transcript. Finally it says how each
// direction ended (closure.go): close_notify then FIN, FIN without
// close_notify (truncation possible), RST, or the capture ended.
//
// What is decided and what is not: a gap in a stream (octets no captured
// segment carries) makes everything after it undecidable; it is reported,
// never skipped. Without a key log the protected part of a handshake
// cannot be read: the verdict says which checks were not made. Only the
// SHA-256 cipher suites are checked with keys (model/tls implements
// SHA-256 only); for others the keys are reported unchecked.
package tlsvalidate
