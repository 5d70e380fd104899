package https

import (
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcp"
)

// The server's application: it LISTENs, completes the TLS handshake, and
// reads requests one at a time, processing each and writing its response
// (head, then body) before reading the next. It closes the connection
// after a response with Connection: close (the last request asks for it;
// with ServerClose it may also choose to), on an idle timeout
// (ServerClose), or when the client has closed (close_notify or
// end-of-stream): it sends close_notify, CLOSEs (a half-close: RFC 9293
// §3.10.4) and goes on reading and discarding until end-of-stream before
// it closes its socket, the lingering close of RFC 9112 §9.6.

// owed is the request whose response the server is writing.
func (m *model) owed(s *State) (int, bool) {
	for r := 0; r < m.c.Requests; r++ {
		if s.Proc[r] && s.Resp[r] < 2 {
			return r, true
		}
	}
	return 0, false
}

// serverUnit is the unit the server's application writes next.
func (m *model) serverUnit(s *State) Unit {
	a := &s.App[Server]
	if m.c.TLS && a.Hs == 1 && !a.Closing {
		if m.c.TLS12 {
			return ServerHelloDone12
		}
		return ServerFlight
	}
	if a.Hs == 5 && !a.Closing {
		return ServerFinished12
	}
	if r, ok := m.owed(s); ok {
		if s.Resp[r] == 0 {
			return Head(r, s.CloseAfter)
		}
		return Body(r)
	}
	if a.Closing && m.c.TLS && a.Hs == 3 && !a.CNSent && !m.c.NoCloseNotify {
		return CloseNotify
	}
	return NoUnit
}

func (m *model) serverActions(s *State, u *userCalls, buf []checker.Action) []checker.Action {
	e, a := &s.T.Ep[Server], &s.App[Server]
	if u.open[Server] && (e.Opens == 0 || a.Released) {
		buf = append(buf, act(Open, Server, 0))
	}
	if e.Opens == 0 || a.Released {
		if a.Released && e.Recvd > a.Read && resetSends(e.State) && u.abort[Server] {
			buf = append(buf, act(ResetLate, Server, 0))
		}
		return buf
	}
	if e.State == tcp.CLOSED && (e.End == tcp.EndReset || e.End == tcp.EndGiveUp) {
		buf = append(buf, act(NoticeReset, Server, 0))
	}
	if un := m.serverUnit(s); un != NoUnit && m.tcp.CanWrite(&s.T, Server) {
		buf = append(buf, act(Write, Server, uint16(un)))
	}
	if un, ok := next(s, Server); ok {
		r, isReq, _, _, _ := un.Classify()
		_, busy := m.owed(s)
		switch {
		case isReq && busy && !a.Closing:
			// Reads the next request only after the response.
		case isReq && !a.Closing && m.c.ServerClose && r != m.c.Requests-1:
			buf = append(buf, act(Read, Server, 0), act(Read, Server, 1))
		default:
			buf = append(buf, act(Read, Server, 0))
		}
	}
	if canReadEOF(s, Server) {
		buf = append(buf, act(ReadEOF, Server, 0))
	}
	_, busy := m.owed(s)
	if m.c.ServerClose && !a.Closing && (!m.c.TLS || a.Hs == 3) && !busy && !unread(s, Server) &&
		(e.State == tcp.ESTABLISHED || e.State == tcp.CLOSE_WAIT) {
		buf = append(buf, act(Idle, Server, 0))
	}
	if u.close[Server] && a.Closing && !busy && (!m.c.TLS || a.Hs != 3 || a.CNSent || m.c.NoCloseNotify) {
		buf = append(buf, act(CloseCall, Server, 0))
	}
	if e.CloseCalled && (m.c.ImmediateClose || a.EOF || (e.State == tcp.CLOSED && !flushed(e))) {
		if !(unread(s, Server) && resetSends(e.State)) || u.abort[Server] {
			buf = append(buf, act(Release, Server, 0))
		}
	}
	return buf
}

func (m *model) serverStep(s *State, k Kind, p uint16) {
	a := &s.App[Server]
	switch k {
	case Open:
		m.open(s, Server)
	case Write:
		u := Unit(p)
		m.write(s, Server, u)
		switch u {
		case ServerFlight, ServerHelloDone12:
			a.Hs = 2
		case ServerFinished12:
			a.Hs = 3
		case CloseNotify:
			a.CNSent = true
		default:
			r, _, isHead, _, isBody := u.Classify()
			if isHead {
				s.Resp[r] = 1
			}
			if isBody {
				s.Resp[r] = 2
				s.WroteWhole[r] = true
				if s.CloseAfter {
					a.Closing = true
				}
			}
		}
	case Read:
		u, _ := next(s, Server)
		a.Read++
		switch u {
		case ClientHello:
			a.Hs = 1
		case ClientFinished:
			a.Hs = 3
		case ClientFinished12:
			a.Hs = 5
		case CloseNotify:
			a.CNRead = true
			a.Closing = true
		default:
			if r, isReq, _, _, _ := u.Classify(); isReq && !a.Closing {
				s.Proc[r] = true
				if s.Processed[r] < 255 {
					s.Processed[r]++
				}
				s.CloseAfter = r == m.c.Requests-1 || p == 1
			}
		}
	case ReadEOF:
		a.EOF = true
		a.Closing = true
	case Idle:
		a.Closing = true
	case CloseCall:
		m.tcpCall(s, tcp.Close, Server)
	case Release:
		m.release(s, Server, unread(s, Server) && resetSends(s.T.Ep[Server].State))
	case ResetLate:
		m.tcpCall(s, tcp.Abort, Server)
	case NoticeReset:
		a.Released = true
	}
}
