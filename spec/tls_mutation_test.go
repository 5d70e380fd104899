package spec

import (
	"context"
	"sort"
	"testing"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tlsmodel"
)

// tlsVerdicts checks cfg with its properties and returns each property's
// status, failing the test if the run is incomplete.
func tlsVerdicts(t *testing.T, cfg tlsmodel.Config) (map[string]string, checker.Report) {
	t.Helper()
	sys, err := checker.Erase(TLSModel(cfg))
	if err != nil {
		t.Fatal(err)
	}
	rep := sys.Check(context.Background(), checker.Options{})
	if !rep.Complete {
		t.Fatalf("incomplete: %s", rep.Reason)
	}
	out := map[string]string{}
	for _, p := range rep.Properties {
		out[p.Name] = p.Status.String()
	}
	return out, rep
}

// TestMutationsOfTheHonestProtocolAreCaught: each defect of one honest
// side (a side skipping the peer's Finished, a key derivation leaving
// client_random out on the server's side, a TLS 1.3 CertificateVerify
// that does not cover the offer) breaks a property that holds for the
// protocol without it, the ones named here. The server's key without
// client_random never equals the client's, so no Finished verifies and no
// handshake completes (handshake-completes has no witness); the others let
// the attacker complete a session the properties forbid. Each
// protocol is checked with one client session, which intends S, and two
// server sessions; the signature mutation with the breakable weak group,
// where CertificateVerify is all that protects the offer.
func TestMutationsOfTheHonestProtocolAreCaught(t *testing.T) {
	cases := []struct {
		protocol   tlsmodel.Protocol
		weakGroup  bool
		noFinished bool
		mutation   tlsmodel.Mutation
		caughtBy   []string
	}{
		{tlsmodel.TLS12RSA, false, false, tlsmodel.MutServerSkipsClientFinished, []string{"server-agreement", "server-no-downgrade"}},
		{tlsmodel.TLS12ECDHE, false, false, tlsmodel.MutServerSkipsClientFinished, []string{"server-agreement", "server-no-downgrade"}},
		{tlsmodel.TLS13, false, false, tlsmodel.MutServerSkipsClientFinished, []string{"server-agreement", "server-no-downgrade"}},
		{tlsmodel.TLS12RSA, false, false, tlsmodel.MutClientSkipsServerFinished, []string{"agreement", "no-downgrade"}},
		{tlsmodel.TLS12ECDHE, false, false, tlsmodel.MutClientSkipsServerFinished, []string{"agreement", "no-downgrade"}},
		{tlsmodel.TLS12RSA, false, false, tlsmodel.MutServerKeyDropsClientRandom, []string{"handshake-completes"}},
		{tlsmodel.TLS13, false, false, tlsmodel.MutServerKeyDropsClientRandom, []string{"handshake-completes"}},
		// Without Finished nothing stops the two sides completing with
		// different keys: matching-keys sees it.
		{tlsmodel.TLS12RSA, false, true, tlsmodel.MutServerKeyDropsClientRandom, []string{"matching-keys"}},
		{tlsmodel.TLS13, true, false, tlsmodel.MutSignatureOmitsOffer, []string{"secrecy", "agreement", "no-downgrade"}},
	}
	for _, tc := range cases {
		name := tc.protocol.String() + "/" + tc.mutation.String()
		if tc.noFinished {
			name += "/no-finished"
		}
		t.Run(name, func(t *testing.T) {
			cfg := tlsmodel.Config{Protocol: tc.protocol, Clients: 1, Servers: 2, AttackerRandom: true, WeakGroup: tc.weakGroup,
				NoFinished: tc.noFinished}
			sound, _ := tlsVerdicts(t, cfg)
			cfg.Mutation = tc.mutation
			mutated, rep := tlsVerdicts(t, cfg)
			var broken []string
			for name, st := range mutated {
				if st == checker.Violated.String() && sound[name] == checker.Holds.String() {
					broken = append(broken, name)
				}
			}
			sort.Strings(broken)
			t.Logf("%d distinct states; violated by the mutation only: %v", rep.Distinct, broken)
			for _, name := range tc.caughtBy {
				if sound[name] != checker.Holds.String() {
					t.Errorf("%s: %s without the mutation, want holds", name, sound[name])
				}
				if mutated[name] != checker.Violated.String() {
					t.Errorf("%s: %s with the mutation, want violated", name, mutated[name])
				}
			}
		})
	}
}
