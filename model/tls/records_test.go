package tls

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"sync"
)

// TLS 1.2 record content types (RFC 5246 §6.2.1) and handshake types
// (§7.4) the tests parse.
const (
	contentChangeCipherSpec = 20
	contentAlert            = 21
	contentHandshake        = 22
	contentApplicationData  = 23

	typeClientHello         = 1
	typeServerHello         = 2
	typeNewSessionTicket    = 4
	typeCertificate         = 11
	typeServerHelloDone     = 14
	typeClientKeyExchange   = 16
	typeFinished            = 20
	extExtendedMasterSecret = 23 // RFC 7627 §5.1
)

// chunk is one Read or Write on the client's side of the connection.
type chunk struct {
	fromClient bool
	data       []byte
}

// recordingConn wraps the client's net.Conn and keeps every byte written
// (client to server) and read (server to client), in the order the client
// did so, which is the order of the handshake.
type recordingConn struct {
	net.Conn
	tamper func([]byte) []byte // if set, rewrites the first write
	mu     sync.Mutex
	chunks []chunk
}

func (c *recordingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.mu.Lock()
	c.chunks = append(c.chunks, chunk{false, append([]byte(nil), b[:n]...)})
	c.mu.Unlock()
	return n, err
}

func (c *recordingConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	sent := b
	if c.tamper != nil {
		sent = c.tamper(bytes.Clone(b))
		c.tamper = nil
	}
	c.chunks = append(c.chunks, chunk{true, bytes.Clone(sent)})
	c.mu.Unlock()
	if _, err := c.Conn.Write(sent); err != nil {
		return 0, err
	}
	return len(b), nil
}

// handshakeMessage is a plaintext handshake message with its 4-byte header
// (RFC 5246 §7.4: msg_type, uint24 length).
type handshakeMessage struct {
	fromClient bool
	raw        []byte
}

func (m handshakeMessage) msgType() byte { return m.raw[0] }
func (m handshakeMessage) body() []byte  { return m.raw[4:] }

// protectedRecord is a record sent after ChangeCipherSpec (RFC 5246 §7.1)
// or with the TLS 1.3 outer type application_data (RFC 8446 §5.2),
// with the number of plaintext handshake messages seen before it.
type protectedRecord struct {
	fromClient bool
	record     []byte // header and fragment
	after      int
}

// direction reassembles one direction's records and handshake messages.
type direction struct {
	buf, hs []byte
	ccs     bool
}

// conversation is the parsed TLS 1.2 handshake of a recorded connection.
type conversation struct {
	messages  []handshakeMessage // plaintext ones, in handshake order
	protected []protectedRecord
	alerts    [][]byte // plaintext alerts (RFC 5246 §7.2): level, description
}

// parseConversation splits the recorded bytes into records (RFC 5246
// §6.2.1: type, version, uint16 length, fragment) and the plaintext
// handshake records into messages, which may span records (§6.2.1).
func parseConversation(chunks []chunk) (conversation, error) {
	var conv conversation
	dirs := map[bool]*direction{true: {}, false: {}}
	for _, ch := range chunks {
		d := dirs[ch.fromClient]
		d.buf = append(d.buf, ch.data...)
		for len(d.buf) >= 5 {
			n := int(binary.BigEndian.Uint16(d.buf[3:5]))
			if len(d.buf) < 5+n {
				break
			}
			record := d.buf[:5+n]
			d.buf = d.buf[5+n:]
			switch typ := record[0]; {
			case typ == contentChangeCipherSpec:
				d.ccs = true
			case typ == contentAlert && !d.ccs:
				conv.alerts = append(conv.alerts, record[5:])
			case d.ccs || typ == contentApplicationData:
				conv.protected = append(conv.protected, protectedRecord{ch.fromClient, record, len(conv.messages)})
			case typ == contentHandshake:
				d.hs = append(d.hs, record[5:]...)
				for len(d.hs) >= 4 {
					m := 4 + (int(d.hs[1])<<16 | int(d.hs[2])<<8 | int(d.hs[3]))
					if len(d.hs) < m {
						break
					}
					conv.messages = append(conv.messages, handshakeMessage{ch.fromClient, d.hs[:m:m]})
					d.hs = d.hs[m:]
				}
			default:
				return conv, fmt.Errorf("unexpected plaintext record type %d", typ)
			}
		}
	}
	return conv, nil
}

// serverHello is the part of a ServerHello body (RFC 5246 §7.4.1.3) the
// tests check.
type serverHello struct {
	random      []byte
	cipherSuite uint16
	extensions  map[uint16][]byte
}

// parseServerHello parses a ServerHello body: server_version, random,
// session_id<0..32>, cipher_suite, compression_method, extensions<0..2^16-1>.
func parseServerHello(b []byte) (serverHello, error) {
	var sh serverHello
	if len(b) < 2+32+1 {
		return sh, fmt.Errorf("ServerHello too short")
	}
	sh.random = b[2:34]
	b = b[34:]
	sidLen := int(b[0])
	if len(b) < 1+sidLen+3 {
		return sh, fmt.Errorf("ServerHello session_id truncated")
	}
	b = b[1+sidLen:]
	sh.cipherSuite = binary.BigEndian.Uint16(b)
	b = b[3:] // cipher_suite, compression_method
	sh.extensions = map[uint16][]byte{}
	if len(b) == 0 {
		return sh, nil
	}
	if len(b) < 2 || int(binary.BigEndian.Uint16(b)) != len(b)-2 {
		return sh, fmt.Errorf("ServerHello extensions length mismatch")
	}
	for b = b[2:]; len(b) > 0; {
		if len(b) < 4 || len(b) < 4+int(binary.BigEndian.Uint16(b[2:])) {
			return sh, fmt.Errorf("ServerHello extension truncated")
		}
		typ, n := binary.BigEndian.Uint16(b), int(binary.BigEndian.Uint16(b[2:]))
		sh.extensions[typ] = b[4 : 4+n]
		b = b[4+n:]
	}
	return sh, nil
}

// clientHelloExtensions returns the offsets, within a ClientHello
// handshake message (header included), of each extension's type field
// (RFC 5246 §7.4.1.2: client_version, random, session_id<0..32>,
// cipher_suites<2..2^16-2>, compression_methods<1..2^8-1>,
// extensions<0..2^16-1>).
func clientHelloExtensions(msg []byte) (map[uint16]int, error) {
	if len(msg) < 4 || msg[0] != typeClientHello {
		return nil, fmt.Errorf("not a ClientHello")
	}
	off := 4 + 2 + 32
	skip := func(lenBytes int) error {
		if len(msg) < off+lenBytes {
			return fmt.Errorf("ClientHello truncated at %d", off)
		}
		n := 0
		for _, c := range msg[off : off+lenBytes] {
			n = n<<8 | int(c)
		}
		off += lenBytes + n
		return nil
	}
	for _, lenBytes := range []int{1, 2, 1} { // session_id, cipher_suites, compression_methods
		if err := skip(lenBytes); err != nil {
			return nil, err
		}
	}
	if len(msg) < off+2 || int(binary.BigEndian.Uint16(msg[off:]))+off+2 != len(msg) {
		return nil, fmt.Errorf("ClientHello extensions length mismatch")
	}
	exts := map[uint16]int{}
	for off += 2; off < len(msg); {
		if len(msg) < off+4 {
			return nil, fmt.Errorf("ClientHello extension truncated")
		}
		exts[binary.BigEndian.Uint16(msg[off:])] = off
		off += 4 + int(binary.BigEndian.Uint16(msg[off+2:]))
	}
	return exts, nil
}
