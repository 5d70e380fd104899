package spec

import (
	"fmt"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/https"
	"github.com/handshake/handshake/model/tcp"
)

// httpsParams are the parameters of the "https" model, with defaults
// overridden per variant.
func httpsParams(defaults map[string]int) []Param {
	ps := []Param{
		{Name: "requests", Default: 1, Min: 1, Max: https.MaxReqs,
			Description: "requests the client sends on a persistent connection (the last with Connection: close)"},
		{Name: "post", Default: 1, Min: 0, Max: 1,
			Description: "1 = the last request is a POST (not idempotent, never retried); 0 = all are GETs"},
		{Name: "pipeline", Default: 0, Min: 0, Max: 1,
			Description: "1 = the client may send a request before the previous response is complete (RFC 9112 §9.3.2)"},
		{Name: "framing", Default: 0, Min: 0, Max: 1,
			Description: "0 = responses framed by Content-Length; 1 = the response that ends the connection is delimited by its close (close_notify over TLS, the FIN over TCP)"},
		{Name: "server-close", Default: 1, Min: 0, Max: 1,
			Description: "1 = the server may close on its own: an idle timeout, or Connection: close on any response"},
		{Name: "conns", Default: 1, Min: 1, Max: https.MaxConns,
			Description: "connections the client may open: with 2 it retries a request whose connection closed under it"},
		{Name: "cap", Default: 3, Min: 1, Max: 4,
			Description: "segments in flight, both directions together"},
		{Name: "retx", Default: 0, Min: 0, Max: tcp.MaxRetx,
			Description: "TCP retransmissions per segment before giving up"},
		{Name: "tls-version", Default: 13, Min: 12, Max: 13,
			Description: "13 = TLS 1.3 1-RTT (RFC 8446 §2); 12 = the TLS 1.2 full handshake, 2-RTT (RFC 5246 §7.3)"},
		{Name: "attacker", Default: 0, Min: 0, Max: 3,
			Description: "on-path attacker's budget: segments it may drop or inject (FIN or RST with the right sequence numbers) in a behaviour; 0 = no attacker"},
	}
	for i := range ps {
		if d, ok := defaults[ps[i].Name]; ok {
			ps[i].Default = d
		}
	}
	return ps
}

// httpsVariant is a variant of "https" and what it changes.
type httpsVariant struct {
	Variant
	apply func(*https.Config)
}

// liveness are the names of the Eventually properties of "https".
var httpsLiveness = []string{"response-delivered", "request-settled"}

var httpsVariants = []httpsVariant{
	{Variant: Variant{
		Name: "https",
		Description: "HTTP/1.1 over TLS 1.3 over RFC 9293 TCP, sound: Content-Length or close_notify-terminated " +
			"bodies, close_notify before FIN, lingering close (RFC 9112 §9.6), retry of idempotent requests only",
		Params: httpsParams(nil),
	}},
	{Variant: Variant{
		Name: "https-attacked",
		Description: "the sound protocol with a close-delimited response, against an on-path attacker that may " +
			"drop or inject one segment: safety holds; liveness does not (a dropped segment is never " +
			"retransmitted: everything stops, a deadlock; an injected RST ends the connection)",
		Params: httpsParams(map[string]int{"attacker": 1, "framing": 1}),
		Expect: violated("response-delivered", "request-settled", "deadlock"),
	}},
	{Variant: Variant{
		Name: "fin-as-eof",
		Description: "the client takes a TCP FIN as the end of a close-delimited response without waiting for " +
			"close_notify: the attacker's injected FIN truncates the response",
		Params: httpsParams(map[string]int{"attacker": 1, "framing": 1}),
		Expect: violated("no-truncation", "response-delivered", "request-settled", "deadlock"),
	}, apply: func(c *https.Config) { c.FinAsEOF = true }},
	{Variant: Variant{
		Name: "http",
		Description: "plain HTTP/1.1 over TCP: a close-delimited response ends at the FIN, which the attacker can " +
			"forge: the same truncation, which TLS closure (close_notify) prevents",
		Params: httpsParams(map[string]int{"attacker": 1, "framing": 1}),
		Expect: violated("no-truncation", "response-delivered", "request-settled", "deadlock"),
	}, apply: func(c *https.Config) { c.TLS = false }},
	{Variant: Variant{
		Name: "immediate-close",
		Description: "the server closes its socket right after its CLOSE, with a pipelined request still unread: " +
			"its TCP sends RST (RFC 1122 §4.2.2.13) and the client's TCP flushes the response before the " +
			"application reads it",
		Params: httpsParams(map[string]int{"requests": 2, "pipeline": 1}),
		Expect: violated("response-delivered"),
	}, apply: func(c *https.Config) { c.ImmediateClose = true }},
	{Variant: Variant{
		Name: "retry-non-idempotent",
		Description: "the client retries any request whose connection closed before the response, the POST " +
			"included: when the on-path attacker resets the connection after the POST has reached the server, " +
			"the client retries it on a second connection and the server processes it twice",
		// Measured: with these parameters the sound client (variant
		// https, the same params) keeps at-most-once (425,848 states);
		// both lose the liveness properties and deadlock-freedom to the
		// attacker, as https-attacked does. A TCP that gives up no longer
		// shows it: R2 gives up only after the peer's retransmissions
		// are spent (model/tcp), so the attacker's RST is the way.
		Params: httpsParams(map[string]int{"conns": 2, "retx": 1, "cap": 2, "attacker": 1}),
		Expect: violated("at-most-once", "response-delivered", "request-settled", "deadlock"),
	}, apply: func(c *https.Config) { c.RetryAny = true }},
	{Variant: Variant{
		Name: "no-close-notify",
		Description: "the server closes TCP without close_notify: with a close-delimited response the client cannot " +
			"tell the end from a truncation and reports an error (with Content-Length, framing=0, it still can)",
		Params: httpsParams(map[string]int{"framing": 1}),
		Expect: violated("close-notify-before-fin", "response-delivered", "https-lifecycle"),
	}, apply: func(c *https.Config) { c.NoCloseNotify = true }},
}

// HTTPS is the catalog entry of the composed model "https".
func HTTPS() *Entry {
	var vs []Variant
	for _, v := range httpsVariants {
		vs = append(vs, v.Variant)
	}
	return &Entry{
		Name: "https",
		Description: "the whole life of an HTTPS request: HTTP/1.1 client and server (RFC 9112) over TLS 1.3 " +
			"flights and close_notify (RFC 8446) over this repository's RFC 9293 TCP endpoints, from the SYN to " +
			"TIME-WAIT, with an optional on-path attacker (drop, forged FIN and RST)",
		Params:   httpsParams(nil),
		Variants: vs,
		Build: func(variant string, params map[string]int) (checker.System, error) {
			cfg, err := HTTPSConfig(variant, params)
			if err != nil {
				return nil, err
			}
			return checker.Erase(HTTPSModel(cfg))
		},
	}
}

// HTTPSConfig is the configuration of a variant of "https" with the given
// parameters (missing ones take the variant's defaults).
func HTTPSConfig(variant string, params map[string]int) (https.Config, error) {
	if variant == "" {
		variant = httpsVariants[0].Name
	}
	var v *httpsVariant
	for i := range httpsVariants {
		if httpsVariants[i].Name == variant {
			v = &httpsVariants[i]
		}
	}
	if v == nil {
		return https.Config{}, fmt.Errorf("unknown variant %q of model https", variant)
	}
	all := map[string]int{}
	for _, p := range v.Params {
		all[p.Name] = p.Default
	}
	for k, x := range params {
		all[k] = x
	}
	cfg := https.DefaultConfig()
	cfg.Requests = all["requests"]
	cfg.Post = all["post"] != 0
	cfg.Pipeline = all["pipeline"] != 0
	cfg.CloseDelimited = all["framing"] != 0
	cfg.ServerClose = all["server-close"] != 0
	cfg.Conns = all["conns"]
	cfg.Cap = all["cap"]
	cfg.Retx = all["retx"]
	cfg.Attacker = all["attacker"]
	cfg.TLS12 = all["tls-version"] == 12
	if v.apply != nil {
		v.apply(&cfg)
	}
	return cfg, cfg.Validate()
}

// HTTPSModel is the model of cfg with its properties.
func HTTPSModel(cfg https.Config) checker.Model[https.State] {
	m := https.Model(cfg)
	m.Properties = HTTPSProperties(cfg)
	m.Project = HTTPSProjection(cfg, m.Lanes)
	return m
}
