package tlsmodel

import (
	"testing"

	"github.com/handshake/handshake/checker"
	realtls "github.com/handshake/handshake/model/tls"
)

// reachable returns every state of c reachable from its initial state.
func reachable(c *Config) []State {
	seen := map[State]bool{}
	init := c.Init()
	queue := []State{init}
	seen[init] = true
	var buf []checker.Action
	for n := 0; n < len(queue); n++ {
		s := queue[n]
		buf = c.Actions(s, buf[:0])
		for _, a := range buf {
			if t := c.Next(s, a); !seen[t] {
				seen[t] = true
				queue = append(queue, t)
			}
		}
	}
	return queue
}

// record is one side of a session in a reachable state: its view and the
// symbolic key the model gives it, and the real values derived from it.
type record struct {
	view View
	key  Key
	real secrets
}

// sessionRecords collects, over the reachable states of c, the distinct
// (view, key) of every client session that has derived its key (TLS 1.2:
// sent ClientKeyExchange; TLS 1.3: CONNECTED) and every server session
// that has (TLS 1.2: CONNECTED; TLS 1.3: sent its flight), through
// ClientKey, ServerKey, ClientViewOf and ServerViewOf: the functions the
// claims use.
func sessionRecords(c *Config) (clients, servers map[View]map[Key]bool) {
	clients, servers = map[View]map[Key]bool{}, map[View]map[Key]bool{}
	add := func(m map[View]map[Key]bool, v View, k Key) {
		if m[v] == nil {
			m[v] = map[Key]bool{}
		}
		m[v][k] = true
	}
	for _, s := range reachable(c) {
		for i := 0; i < c.Clients; i++ {
			if s.C[i].Phase >= ClientWaitFinished {
				add(clients, c.ClientViewOf(&s, i), c.ClientKey(&s, i))
			}
		}
		for j := 0; j < c.Servers; j++ {
			if s.S[j].Phase == ServerConnected || (c.Protocol == TLS13 && s.S[j].Phase >= ServerWaitFlight) {
				add(servers, c.ServerViewOf(&s, j), c.ServerKey(&s, j))
			}
		}
	}
	return clients, servers
}

// realRecords derives each side's real values from its view with model/tls:
// the client from its own secrets (its pre_master_secret, its share's
// private key) and the server's public share; the server from its share's
// private key and the client's public share (or the pre_master_secret it
// decrypted).
func realRecords(t *testing.T, c *Config, a *atoms, m map[View]map[Key]bool, serverSide bool) []record {
	var out []record
	for v, keys := range m {
		var dh []byte
		if c.Protocol != TLS12RSA {
			priv, pub := a.priv[v.KX], a.pub[v.YS]
			if serverSide {
				priv, pub = a.priv[v.YS], a.pub[v.KX]
			}
			var err error
			if dh, err = realtls.X25519SharedSecret(priv, pub); err != nil {
				t.Fatal(err)
			}
		}
		sec := derive(t, c.Protocol, a, v, dh)
		for k := range keys {
			out = append(out, record{view: v, key: k, real: sec})
		}
	}
	return out
}

// compareSides checks every client record against every server record and
// returns the number of disagreements between the symbolic and the real
// equalities, and how many pairs agreed, shared only a key, or neither.
func compareSides(t *testing.T, c *Config, clients, servers []record, report bool) (bad, agree, keyOnly, differ int) {
	for _, cl := range clients {
		for _, sv := range servers {
			symKey := cl.key == sv.key
			symAgree := symKey && cl.view == sv.view
			checks := []struct {
				what      string
				sym, eq   bool
				onlyTLS13 bool
			}{
				{"key (master secret / client handshake traffic secret)", symKey, cl.real.Key == sv.real.Key, false},
				{"server handshake traffic secret", symKey, cl.real.ServerHS == sv.real.ServerHS, true},
				{"client Finished verify_data", symAgree, cl.real.ClientFinished == sv.real.ClientFinished, false},
				{"server Finished verify_data", symAgree, cl.real.ServerFinished == sv.real.ServerFinished, false},
				{"client application traffic secret", symAgree, cl.real.ClientAP == sv.real.ClientAP, true},
				{"server application traffic secret", symAgree, cl.real.ServerAP == sv.real.ServerAP, true},
			}
			for _, ch := range checks {
				if ch.onlyTLS13 && c.Protocol != TLS13 {
					continue
				}
				if ch.sym != ch.eq {
					bad++
					if report && bad <= 5 {
						t.Errorf("%s: symbolic equal %v, real equal %v\n client view %+v key %v\n server view %+v key %v",
							ch.what, ch.sym, ch.eq, cl.view, cl.key, sv.view, sv.key)
					}
				}
			}
			switch {
			case symAgree:
				agree++
			case symKey:
				keyOnly++
			default:
				differ++
			}
		}
	}
	return bad, agree, keyOnly, differ
}

// TestReachableSessionsDeriveWhatTheirSymbolicTermsSay_RFC5246_8_1_7_4_9_RFC8446_7_1_4_4_4:
// over every reachable state of each protocol (with a client session of
// E, so that certificates differ, and the breakable group, so that weak
// shares occur), each client session's and each server session's view and
// key, as ClientKey and ServerKey give them, are run through model/tls on
// the real transcript of the messages the roles send: a client's and a
// server's real master secret (TLS 1.3: handshake traffic secrets) are
// equal exactly when their symbolic keys are, and their real Finished
// verify_data (TLS 1.3: and application traffic secrets) exactly when
// their keys and views are, which is the model's rule for accepting a
// Finished. A server deriving its key differently from the real
// derivation (the mutation without client_random) is caught.
func TestReachableSessionsDeriveWhatTheirSymbolicTermsSay_RFC5246_8_1_7_4_9_RFC8446_7_1_4_4_4(t *testing.T) {
	a := newAtoms(t, 0x5eed)
	for _, p := range []Protocol{TLS12RSA, TLS12ECDHE, TLS13} {
		t.Run(p.String(), func(t *testing.T) {
			c := Config{Protocol: p, Clients: 2, ClientsToE: 1, Servers: 1, AttackerRandom: true, WeakGroup: p != TLS12RSA}
			cm, sm := sessionRecords(&c)
			clients, servers := realRecords(t, &c, a, cm, false), realRecords(t, &c, a, sm, true)
			bad, agree, keyOnly, differ := compareSides(t, &c, clients, servers, true)
			t.Logf("%d client and %d server records: %d pairs agree, %d share only the key, %d differ; %d mismatches",
				len(clients), len(servers), agree, keyOnly, differ, bad)
			if agree == 0 || differ == 0 {
				t.Errorf("want pairs that agree and pairs that differ")
			}
			if p == TLS12RSA && keyOnly == 0 {
				t.Errorf("TLS 1.2 RSA: want pairs with the same master secret and different transcripts (the client of E)")
			}

			if bad := sameViewKeys(t, &c, a, sm, true); bad > 0 {
				t.Errorf("%d server records whose key is not what a client with the same transcript derives", bad)
			}
			if bad := sameViewKeys(t, &c, a, cm, false); bad > 0 {
				t.Errorf("%d client records whose key is not what a server with the same transcript derives", bad)
			}

			c.Mutation = MutServerKeyDropsClientRandom
			_, sm = sessionRecords(&c)
			if bad := sameViewKeys(t, &c, a, sm, true); bad == 0 {
				t.Errorf("a server key term without client_random passes for the real derivation")
			}
		})
	}
}

// sameViewKeys checks each record of one side against the other side's
// derivation from the same view: in reality the two are equal (the real
// values computed on each side from one view agree), so the record's
// symbolic key must be the other side's key term of that view. It returns
// the number of records where one of the two fails.
func sameViewKeys(t *testing.T, c *Config, a *atoms, m map[View]map[Key]bool, serverSide bool) int {
	bad := 0
	for v, keys := range m {
		mine := realRecords(t, c, a, map[View]map[Key]bool{v: keys}, serverSide)[0].real
		other := realRecords(t, c, a, map[View]map[Key]bool{v: keys}, !serverSide)[0].real
		if mine != other {
			t.Errorf("real derivations of one view differ between the sides: %+v", v)
			bad++
		}
		want := c.SessionKey(v.KX, v.YS, v.CR, v.SR, v.Offer, v.Suite)
		for k := range keys {
			if k != want {
				bad++
			}
		}
	}
	return bad
}
