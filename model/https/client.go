package https

import (
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
)

// The client's application: an HTTP/1.1 user agent over TLS 1.3 (or
// plain TCP). On each connection it runs the TLS handshake, sends its
// pending requests in order (the next one only once the previous response
// is complete, unless it pipelines), reads the responses, and when it is
// done with the connection sends close_notify, CLOSEs and reads until
// end-of-stream before closing its socket. A connection that ends before
// a response is complete fails the request: it is retried on a new
// connection if it is idempotent (RFC 9112 §9.3.1) and one is left,
// otherwise the error is reported.

// pending reports whether some request waits for a connection.
func (m *model) pending(s *State) bool {
	for r := 0; r < m.c.Requests; r++ {
		if s.Req[r] == Pending {
			return true
		}
	}
	return false
}

// clientDone reports whether the client is done with its connection: it
// has read the server's close_notify or end-of-stream, or it has no
// request in progress and none to send on it.
func (m *model) clientDone(s *State) bool {
	a := &s.App[Client]
	if a.EOF || a.CNRead {
		return true
	}
	for r := 0; r < m.c.Requests; r++ {
		if s.Req[r] == Sent {
			return false
		}
	}
	return s.SrvClose || !m.pending(s)
}

// clientUnit is the unit the client's application writes next.
func (m *model) clientUnit(s *State) Unit {
	a := &s.App[Client]
	if m.clientDone(s) {
		if m.c.TLS && a.Hs == 3 && !a.CNSent {
			return CloseNotify
		}
		return NoUnit
	}
	if m.c.TLS {
		switch a.Hs {
		case 0:
			return ClientHello
		case 1, 4:
			return NoUnit
		case 2:
			if m.c.TLS12 {
				return ClientFinished12
			}
			return ClientFinished
		}
	}
	for r := 0; r < m.c.Requests; r++ {
		switch s.Req[r] {
		case Sent:
			if !m.c.Pipeline {
				return NoUnit
			}
		case Pending:
			return Request(r)
		}
	}
	return NoUnit
}

func (m *model) clientActions(s *State, u *userCalls, buf []checker.Action) []checker.Action {
	e, a := &s.T.Ep[Client], &s.App[Client]
	if u.open[Client] && (e.Opens == 0 || a.Released) && m.pending(s) {
		buf = append(buf, act(Open, Client, 0))
	}
	if e.Opens == 0 || a.Released {
		return buf
	}
	if e.State == tcp.CLOSED && (e.End == tcp.EndReset || e.End == tcp.EndGiveUp) {
		buf = append(buf, act(NoticeReset, Client, 0))
	}
	if un := m.clientUnit(s); un != NoUnit && m.tcp.CanWrite(&s.T, Client) {
		buf = append(buf, act(Write, Client, uint16(un)))
	}
	if _, ok := next(s, Client); ok {
		buf = append(buf, act(Read, Client, 0))
	}
	if canReadEOF(s, Client) {
		buf = append(buf, act(ReadEOF, Client, 0))
	}
	if u.close[Client] && m.clientDone(s) && (!m.c.TLS || a.Hs != 3 || a.CNSent) {
		buf = append(buf, act(CloseCall, Client, 0))
	}
	if e.CloseCalled && (a.EOF || (e.State == tcp.CLOSED && !flushed(e))) {
		if !(unread(s, Client) && resetSends(e.State)) || u.abort[Client] {
			buf = append(buf, act(Release, Client, 0))
		}
	}
	return buf
}

// accept hands response r to the user as complete.
func accept(s *State, r int) {
	s.Req[r] = Done
	s.Accepted[r] = s.Got[r]
}

// closeDelimited reports whether the response being read, r, ends with
// the connection: its head said Connection: close and the framing is by
// close.
func (m *model) closeDelimited(s *State) (int, bool) {
	if !m.c.CloseDelimited || !s.SrvClose {
		return 0, false
	}
	for r := 0; r < m.c.Requests; r++ {
		if s.Req[r] == Sent && s.Got[r] >= 1 {
			return r, true
		}
	}
	return 0, false
}

// settle ends the client's connection: each request sent on it without a
// complete response is retried on a new connection if it is idempotent
// (or the RetryAny flaw) and a connection is left, or failed; a pending
// request fails if no connection is left.
func (m *model) settle(s *State) {
	left := int(s.T.Ep[Client].Opens) < m.c.Conns
	for r := 0; r < m.c.Requests; r++ {
		switch s.Req[r] {
		case Sent:
			if left && (m.c.idempotent(r) || m.c.RetryAny) {
				s.Req[r] = Pending
			} else {
				s.Req[r] = Failed
			}
		case Pending:
			if !left {
				s.Req[r] = Failed
			}
		}
	}
}

func (m *model) clientStep(s *State, k Kind, p uint16) {
	a := &s.App[Client]
	switch k {
	case Open:
		m.open(s, Client)
	case Write:
		u := Unit(p)
		m.write(s, Client, u)
		switch u {
		case ClientHello:
			a.Hs = 1
		case ClientFinished:
			a.Hs = 3
		case ClientFinished12:
			a.Hs = 4
		case CloseNotify:
			a.CNSent = true
		default:
			if r, isReq, _, _, _ := u.Classify(); isReq {
				s.Req[r] = Sent
			}
		}
	case Read:
		u, _ := next(s, Client)
		a.Read++
		switch u {
		case ServerFlight, ServerHelloDone12:
			a.Hs = 2
		case ServerFinished12:
			a.Hs = 3
		case CloseNotify:
			a.CNRead = true
			if r, ok := m.closeDelimited(s); ok {
				accept(s, r) // close_notify ends a close-delimited body (RFC 9112 §9.8)
			}
		default:
			r, _, isHead, close, isBody := u.Classify()
			if s.Req[r] != Sent {
				break // a response to a request already settled
			}
			if isHead {
				s.Got[r] = 1
				s.SrvClose = s.SrvClose || close
			}
			if isBody {
				s.Got[r] = 2
				if _, ok := m.closeDelimited(s); !ok {
					accept(s, r) // Content-Length reached (RFC 9112 §6.3 item 6)
				}
			}
		}
	case ReadEOF:
		a.EOF = true
		if r, ok := m.closeDelimited(s); ok && (!m.c.TLS || m.c.FinAsEOF) {
			// Plain HTTP: the FIN is the end of the body (§6.3
			// item 8). Over TLS only the FinAsEOF flaw takes it for
			// one without close_notify (§9.8: an incomplete close).
			accept(s, r)
		}
	case CloseCall:
		m.tcpCall(s, tcp.Close, Client)
	case Release:
		m.release(s, Client, unread(s, Client) && resetSends(s.T.Ep[Client].State))
		m.settle(s)
	case NoticeReset:
		a.Released = true
		m.settle(s)
	}
}
