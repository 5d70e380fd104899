// Package https composes the life of an HTTPS request: an HTTP/1.1 client
// and server (RFC 9112) over TLS 1.3 (RFC 8446) over this repository's RFC
// 9293 TCP endpoints (package tcp, on the channels of package network),
// from the client's SYN to the last TIME-WAIT, with an optional on-path
// attacker that drops segments and injects FIN and RST segments with the
// right sequence numbers but holds no TLS keys.
//
// TCP is not modelled again here: the state embeds a tcp.State and every
// TCP step (SEGMENT ARRIVES, timeouts, retransmission) is taken from
// tcp.Config.Actions and applied with tcp.Config.Next; the applications'
// OPEN, SEND, CLOSE and ABORT are tcp's user calls. Each octet of a TCP
// stream carries one message unit of the layers above (a TLS flight, an
// HTTP request, a part of a response, a close_notify alert): the sender
// records which unit it wrote at each stream offset of each connection,
// the receiver learns it from the offset it reads. TCP delivers octets
// into a receive queue (tcp.Endpoint.Recvd counts them); the application
// RECEIVEs them one by one (Side.Read), so that a RST flushing the queue
// (RFC 9293 §3.10.7.4 "second") can erase data the application has not
// read, and a socket closed with unread data resets the connection (RFC
// 1122 §4.2.2.13), as Linux does.
//
// The properties the model must satisfy live in package spec.
package https

import "github.com/handshake/handshake/model/tcp"

// Unit is a message unit of the layers above TCP, carried by one octet.
type Unit uint8

// The units. Requests, heads and bodies come one per request r (0 or 1):
// Request1+r, Head1+r, HeadClose1+r and Body1+r. A head carries the status
// line, the header fields and the first part of the body; Body the rest.
// HeadClose is a head with "Connection: close" (RFC 9112 §9.6).
const (
	NoUnit         Unit = iota
	ClientHello         // TLS 1.3 ClientHello with key_share (RFC 8446 §2)
	ServerFlight        // ServerHello .. server Finished (RFC 8446 §2)
	ClientFinished      // client Finished
	Request1
	Request2
	Head1
	Head2
	HeadClose1
	HeadClose2
	Body1
	Body2
	CloseNotify // close_notify alert (RFC 8446 §6.1)
	// TLS 1.2 full handshake (RFC 5246 §7.3), 2-RTT: the server's first
	// flight ends with ServerHelloDone, the client's second is
	// ClientKeyExchange, ChangeCipherSpec and Finished, and the server
	// answers with ChangeCipherSpec and Finished.
	ServerHelloDone12
	ClientFinished12
	ServerFinished12
	numUnits
)

// MaxReqs is the largest number of requests (Config.Requests).
const MaxReqs = 2

// MaxConns is the largest number of connections the client may open
// (Config.Conns): a retry needs a second one.
const MaxConns = 2

// MaxUnits bounds the units a side writes on one connection.
const MaxUnits = 8

// Request status, as the client's application sees it.
const (
	Pending uint8 = iota // not sent on the current connection (not yet, or to be retried)
	Sent                 // sent on the current connection, response not complete
	Done                 // response complete, handed to the user
	Failed               // error reported to the user
)

// Side is the state of one side's application and TLS endpoint above its
// TCP endpoint. The fields below Units restart with each connection.
type Side struct {
	// Units[c][k] is the unit this side wrote at stream offset k of its
	// connection c+1.
	Units [MaxConns][MaxUnits]Unit
	// Read counts the units of the current connection the application
	// has RECEIVEd (read from the TCP receive queue).
	Read uint8
	// Hs is the TLS handshake progress. Client: 1 ClientHello sent, 2
	// server flight read, 3 established (TLS 1.3: its Finished sent;
	// TLS 1.2: the server's Finished read, 4 while it waits for it).
	// Server: 1 ClientHello read, 2 flight sent, 3 established (the
	// client's Finished read; TLS 1.2: its own Finished sent, 5 while it
	// is to send it).
	Hs       uint8
	CNSent   bool // close_notify sent
	CNRead   bool // close_notify read
	EOF      bool // the application has read end-of-stream (TCP FIN after all data)
	Closing  bool // server: the application has decided to close the connection
	Released bool // the application has closed its socket (close(2))
	Pad      uint8
}

// State is the composed system.
type State struct {
	T   tcp.State
	App [2]Side

	// The client's requests.
	Req [MaxReqs]uint8 // Pending, Sent, Done, Failed
	Got [MaxReqs]uint8 // units of response r read on the current connection
	// Accepted is a ghost: the units of response r the client had read
	// when it accepted the response as complete.
	Accepted [MaxReqs]uint8
	// SrvClose: the client has read a head with Connection: close on
	// the current connection.
	SrvClose bool

	// The server's requests on the current connection: Proc[r] it has
	// processed request r, Resp[r] the units of its response written
	// (1 head, 2 body), CloseAfter the response being written says
	// Connection: close.
	Proc       [MaxReqs]bool
	Resp       [MaxReqs]uint8
	CloseAfter bool

	// Ghosts for the properties: how often the server's application has
	// processed request r, over all connections, and whether it has
	// written response r whole.
	Processed  [MaxReqs]uint8
	WroteWhole [MaxReqs]bool

	// Attacks is the number of attacker actions taken.
	Attacks uint8
	Pad     [3]uint8
}

// Client and Server index the sides, as in package tcp.
const (
	Client = tcp.Client
	Server = tcp.Server
)

var unitNames = [...]string{"-", "ClientHello", "ServerHello..Finished", "Finished", "request 1", "request 2",
	"response 1 head", "response 2 head", "response 1 head, Connection: close", "response 2 head, Connection: close",
	"response 1 body", "response 2 body", "close_notify",
	"ServerHello..ServerHelloDone", "ClientKeyExchange,ChangeCipherSpec,Finished", "ChangeCipherSpec,Finished"}

func (u Unit) String() string {
	if u < numUnits {
		return unitNames[u]
	}
	return "Unit(?)"
}

// Request is the unit of request r.
func Request(r int) Unit { return Request1 + Unit(r) }

// Head is the head unit of response r, with Connection: close if close.
func Head(r int, close bool) Unit {
	if close {
		return HeadClose1 + Unit(r)
	}
	return Head1 + Unit(r)
}

// Body is the body unit of response r.
func Body(r int) Unit { return Body1 + Unit(r) }

// Classify splits a unit: which request or response it belongs to (-1
// for TLS units), and whether it is a request, a head (with close) or a
// body.
func (u Unit) Classify() (r int, isReq, isHead, close, isBody bool) {
	switch {
	case u >= Request1 && u <= Request2:
		return int(u - Request1), true, false, false, false
	case u >= Head1 && u <= Head2:
		return int(u - Head1), false, true, false, false
	case u >= HeadClose1 && u <= HeadClose2:
		return int(u - HeadClose1), false, true, true, false
	case u >= Body1 && u <= Body2:
		return int(u - Body1), false, false, false, true
	}
	return -1, false, false, false, false
}
