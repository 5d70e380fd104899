package tlsvalidate

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tlsmodel"
)

// modelRun is the honest run of model/tlsmodel for protocol p (one client,
// one server): the messages each action sends, in order, from the
// model's own labels ("client: send ClientHello(...)", "server: receive
// ..., send ServerHello(...), Certificate(S), ServerHelloDone").
func modelRun(t *testing.T, p tlsmodel.Protocol) []step {
	t.Helper()
	c := tlsmodel.Config{Protocol: p, Clients: 1, Servers: 1}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	s := c.Init()
	kinds := []tlsmodel.Kind{tlsmodel.SendClientHello, tlsmodel.RecvClientHello, tlsmodel.RecvServerFlight, tlsmodel.RecvClientFlight, tlsmodel.RecvServerFinished}
	names := map[string]int{}
	for t, n := range messageNames {
		names[n] = t
	}
	word := regexp.MustCompile(`[A-Z][A-Za-z]+`)
	var out []step
	for _, k := range kinds {
		var act checker.Action
		found := false
		for _, a := range c.Actions(s, nil) {
			if kk, _, _, _, _, _ := tlsmodel.Decode(a); kk == k {
				act, found = a, true
				break
			}
		}
		if !found {
			continue // RecvServerFinished: TLS 1.3 has none
		}
		label := c.Label(s, act)
		from := cl
		if strings.HasPrefix(label, "server") {
			from = sv
		}
		i := strings.LastIndex(label, "send ")
		if i < 0 {
			s = c.Next(s, act)
			continue
		}
		sent := label[i+len("send "):]
		// Drop the terms in parentheses: what is left are message names.
		depth := 0
		var b strings.Builder
		for _, r := range sent {
			switch r {
			case '(':
				depth++
			case ')':
				depth--
			default:
				if depth == 0 {
					b.WriteRune(r)
				}
			}
		}
		for _, w := range word.FindAllString(b.String(), -1) {
			typ, ok := names[w]
			if !ok {
				t.Fatalf("%s: the model sends %q, which the validator does not know", p, w)
			}
			out = append(out, step{from: from, msg: typ})
		}
		s = c.Next(s, act)
	}
	return out
}

// TestOrderAgreesWithTLSModel: the validator's message orders (Orders)
// and the symbolic model's honest runs agree. The model abstracts away
// what does not bear on key agreement: ChangeCipherSpec, the optional
// messages, and TLS 1.3's EncryptedExtensions (a model message for each
// would only add steps), so the validator's order restricted to the
// model's messages must be exactly the model's run.
func TestOrderAgreesWithTLSModel(t *testing.T) {
	for p, mode := range map[tlsmodel.Protocol]Mode{tlsmodel.TLS12RSA: Mode12RSA, tlsmodel.TLS12ECDHE: Mode12ECDHE, tlsmodel.TLS13: Mode13Full} {
		model := modelRun(t, p)
		var ours []step
		for _, s := range Orders[mode] {
			if s.opt || s.msg == msgCCS || s.msg == typeEncryptedExtensions {
				continue
			}
			ours = append(ours, step{from: s.from, msg: s.msg})
		}
		if !slices.Equal(model, ours) {
			t.Errorf("%s: model %s, validator %s", p, render(model), render(ours))
		}
	}
}

func render(steps []step) string {
	var parts []string
	for _, s := range steps {
		parts = append(parts, sideName(s.from)+":"+MessageName(s.msg))
	}
	return strings.Join(parts, " ")
}

// TestCheckOrder: each required message missing, and each message
// swapped with its successor, is rejected; every optional message
// dropped is accepted.
func TestCheckOrder(t *testing.T) {
	for mode, order := range Orders {
		msgs := func(steps []step) []message {
			var out []message
			for i, s := range steps {
				out = append(out, message{from: s.from, typ: s.msg, frame: i + 1})
			}
			return out
		}
		var post func(message) bool
		if mode == Mode13Full || mode == Mode13PSK {
			post = postHandshake13
		}
		if complete, v := checkOrder(order, msgs(order), post, ""); v != nil || !complete {
			t.Fatalf("%s: the full order: complete=%v %v", mode, complete, v)
		}
		for i := range order {
			dropped := slices.Delete(slices.Clone(order), i, i+1)
			complete, v := checkOrder(order, msgs(dropped), post, "")
			if order[i].opt && (v != nil || !complete) {
				t.Errorf("%s: without optional %s: %v", mode, MessageName(order[i].msg), v)
			}
			if !order[i].opt && v == nil && complete {
				t.Errorf("%s: without required %s: accepted", mode, MessageName(order[i].msg))
			}
			if i+1 < len(order) && order[i] != order[i+1] {
				swapped := slices.Clone(order)
				swapped[i], swapped[i+1] = swapped[i+1], swapped[i]
				if _, v := checkOrder(order, msgs(swapped), post, ""); v == nil {
					t.Errorf("%s: %s and %s swapped: accepted", mode, MessageName(order[i].msg), MessageName(order[i+1].msg))
				}
			}
		}
	}
}
