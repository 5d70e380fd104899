package spec

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/https"
	"github.com/handshake/handshake/model/tcp"
)

// Random walks of the composed model (rapid): a random sound
// configuration, larger than the ones the checker explores exhaustively
// (two requests, pipelining, two connections, retransmission, an attacker
// with up to two actions), driven through random enabled actions, with
// every invariant checked after every step: the safety properties of
// "https", the TCP invariants of "tcp" that an attacker cannot break
// (handshake agreement, no data after FIN, stream integrity), and the
// bookkeeping of the layers above TCP.

func drawHTTPSConfig(t *rapid.T) https.Config {
	c := https.DefaultConfig()
	c.Requests = rapid.IntRange(1, https.MaxReqs).Draw(t, "requests")
	c.Post = rapid.Bool().Draw(t, "post")
	c.Pipeline = rapid.Bool().Draw(t, "pipeline")
	c.CloseDelimited = rapid.Bool().Draw(t, "close-delimited")
	c.ServerClose = rapid.Bool().Draw(t, "server-close")
	c.TLS = rapid.IntRange(0, 3).Draw(t, "tls") != 0
	c.TLS12 = rapid.Bool().Draw(t, "tls12")
	c.Conns = rapid.IntRange(1, https.MaxConns).Draw(t, "conns")
	c.Cap = rapid.IntRange(2, 4).Draw(t, "cap")
	c.Retx = rapid.IntRange(0, 1).Draw(t, "retx")
	if c.Conns > 1 {
		c.Retx = 1 // Config.Validate: a second connection needs it
	}
	c.Attacker = rapid.IntRange(0, 2).Draw(t, "attacker")
	return c
}

// httpsBookkeeping checks the layers' own records in s.
func httpsBookkeeping(c https.Config, s https.State) error {
	if n := s.T.InFlight(); n > c.Cap {
		return fmt.Errorf("%d segments in flight, cap %d", n, c.Cap)
	}
	if int(s.Attacks) > c.Attacker {
		return fmt.Errorf("attacker took %d actions, budget %d", s.Attacks, c.Attacker)
	}
	for side := 0; side < 2; side++ {
		e, a := &s.T.Ep[side], &s.App[side]
		if a.Read > e.Recvd {
			return fmt.Errorf("%s read %d units, its TCP received %d", tcp.SideNames[side], a.Read, e.Recvd)
		}
		ch := &s.T.Net[side]
		for i := 0; i < int(ch.Len); i++ {
			g := ch.At(i)
			if g.Len == 0 {
				continue
			}
			conn, off := int(g.Tag>>4), int(g.Tag&0xf)
			if conn >= https.MaxConns || off >= https.MaxUnits || s.App[side].Units[conn][off] == https.NoUnit {
				return fmt.Errorf("%s's data segment %s carries no unit it wrote", tcp.SideNames[side], g.RFC())
			}
		}
	}
	for r := 0; r < c.Requests; r++ {
		if s.Req[r] > https.Failed {
			return fmt.Errorf("request %d status %d", r+1, s.Req[r])
		}
		if s.Resp[r] > 0 && !s.Proc[r] {
			return fmt.Errorf("response %d written for a request not processed", r+1)
		}
		if s.Req[r] == https.Done && s.Accepted[r] == 0 {
			return fmt.Errorf("response %d accepted with nothing read", r+1)
		}
	}
	return nil
}

func httpsWalk(t *rapid.T) {
	c := drawHTTPSConfig(t)
	m := HTTPSModel(c)
	var invariants []checker.Property[https.State]
	for _, p := range m.Properties {
		if p.Kind == checker.Always || p.Kind == checker.AlwaysStep {
			invariants = append(invariants, p)
		}
	}
	tcpInv := map[string]func(tcp.State) bool{
		"handshake-agreement": HandshakeAgreement, "no-data-after-fin": NoDataAfterFIN, "stream-integrity": StreamIntegrity,
	}
	s := m.Init()[0]
	var ls []string
	fail := func(what string) {
		t.Fatalf("%+v\n%s after:\n  %s\nstate:\n%s", c, what, strings.Join(ls, "\n  "), m.Format(s))
	}
	for i := 0; i < 150; i++ {
		acts := m.Actions(s, nil)
		if len(acts) == 0 {
			// Without an attacker the model ends only in an end state;
			// a dropped segment is never retransmitted with retx=0.
			if c.Attacker == 0 && !m.EndState(s) {
				fail("deadlock")
			}
			return
		}
		a := acts[rapid.IntRange(0, len(acts)-1).Draw(t, "action")]
		next := m.Next(s, a)
		ls = append(ls, m.Label(s, a))
		for _, p := range invariants {
			if (p.Kind == checker.Always && !p.Holds(next)) || (p.Kind == checker.AlwaysStep && !p.Step(s, a, next)) {
				s = next
				fail(p.Name + " violated")
			}
		}
		for name, inv := range tcpInv {
			if !inv(next.T) {
				s = next
				fail("tcp " + name + " violated")
			}
		}
		if err := httpsBookkeeping(c, next); err != nil {
			s = next
			fail(err.Error())
		}
		s = next
	}
}

// TestHTTPSRandomWalks takes 2000 walks (about a second), unless
// -rapid.checks says otherwise.
func TestHTTPSRandomWalks(t *testing.T) {
	if f := flag.Lookup("rapid.checks"); f != nil && f.Value.String() == f.DefValue {
		old := f.Value.String()
		if err := f.Value.Set("2000"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Value.Set(old) })
	}
	rapid.Check(t, httpsWalk)
}
