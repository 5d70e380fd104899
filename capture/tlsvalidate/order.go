package tlsvalidate

import (
	"fmt"

	"github.com/handshake/handshake/capture"
)

// Mode is the kind of handshake a ServerHello selects.
type Mode int

const (
	ModeUnknown   Mode = iota
	Mode12RSA          // TLS 1.2 full handshake, RSA key transport (RFC 5246 §7.3, §7.4.7.1)
	Mode12ECDHE        // TLS 1.2 full handshake, ECDHE (RFC 8422 §2)
	Mode12Resumed      // TLS 1.2 abbreviated handshake (RFC 5246 §7.3 Figure 2, RFC 5077 §3.1)
	Mode13Full         // TLS 1.3 1-RTT with certificates (RFC 8446 §2 Figure 1)
	Mode13PSK          // TLS 1.3 resumption with a PSK (RFC 8446 §2.2 Figure 3)
)

var modeNames = [...]string{"unknown", "TLS 1.2 full handshake, RSA key transport", "TLS 1.2 full handshake, ECDHE",
	"TLS 1.2 abbreviated handshake (resumed session)", "TLS 1.3 full handshake", "TLS 1.3 PSK resumption"}

func (m Mode) String() string { return modeNames[m] }

// step is one message of a handshake's order: who sends it, its type,
// whether it may be absent, and whether it travels encrypted.
type step struct {
	from int
	msg  int
	opt  bool
	enc  bool
}

const (
	cl = capture.Client
	sv = capture.Server
)

// Orders are the message orders of each handshake, both sides merged in
// the order they are sent (each flight answers the other side's previous
// one, so the merged order is also the order of the capture's frames).
// This table is the one place the validator's order rules live;
// TestOrderAgreesWithTLSModel checks it against the flights of
// model/tlsmodel. RFC 5246 §7.3 (Figures 1 and 2), §7.4; RFC 5077 §3.1-3.4
// (NewSessionTicket before the server's ChangeCipherSpec); RFC 6066 §8
// (CertificateStatus); RFC 8422 §2 (ServerKeyExchange in ECDHE); RFC 8446
// §2 (Figures 1 and 3), §4.1.4 (HelloRetryRequest), Appendix A.
var Orders = map[Mode][]step{
	Mode12RSA: {
		{cl, typeClientHello, false, false},
		{sv, typeServerHello, false, false},
		{sv, typeCertificate, false, false},
		{sv, typeCertificateStatus, true, false},
		{sv, typeCertificateRequest, true, false},
		{sv, typeServerHelloDone, false, false},
		{cl, typeCertificate, true, false},
		{cl, typeClientKeyExchange, false, false},
		{cl, typeCertificateVerify, true, false},
		{cl, msgCCS, false, false},
		{cl, typeFinished, false, true},
		{sv, typeNewSessionTicket, true, false},
		{sv, msgCCS, false, false},
		{sv, typeFinished, false, true},
	},
	Mode12ECDHE: {
		{cl, typeClientHello, false, false},
		{sv, typeServerHello, false, false},
		{sv, typeCertificate, false, false},
		{sv, typeCertificateStatus, true, false},
		{sv, typeServerKeyExchange, false, false},
		{sv, typeCertificateRequest, true, false},
		{sv, typeServerHelloDone, false, false},
		{cl, typeCertificate, true, false},
		{cl, typeClientKeyExchange, false, false},
		{cl, typeCertificateVerify, true, false},
		{cl, msgCCS, false, false},
		{cl, typeFinished, false, true},
		{sv, typeNewSessionTicket, true, false},
		{sv, msgCCS, false, false},
		{sv, typeFinished, false, true},
	},
	Mode12Resumed: {
		{cl, typeClientHello, false, false},
		{sv, typeServerHello, false, false},
		{sv, typeNewSessionTicket, true, false},
		{sv, msgCCS, false, false},
		{sv, typeFinished, false, true},
		{cl, msgCCS, false, false},
		{cl, typeFinished, false, true},
	},
	Mode13Full: {
		{cl, typeClientHello, false, false},
		{sv, typeServerHello, false, false},
		{sv, typeEncryptedExtensions, false, true},
		{sv, typeCertificateRequest, true, true},
		{sv, typeCertificate, false, true},
		{sv, typeCertificateVerify, false, true},
		{sv, typeFinished, false, true},
		{cl, typeCertificate, true, true},
		{cl, typeCertificateVerify, true, true},
		{cl, typeFinished, false, true},
	},
	Mode13PSK: {
		{cl, typeClientHello, false, false},
		{sv, typeServerHello, false, false},
		{sv, typeEncryptedExtensions, false, true},
		{sv, typeFinished, false, true},
		{cl, typeEndOfEarlyData, true, true},
		{cl, typeFinished, false, true},
	},
}

// hrrPrefix is what a HelloRetryRequest adds before the ServerHello (RFC
// 8446 §4.1.4): the first ClientHello, the HelloRetryRequest, and the
// second ClientHello.
var hrrPrefix = []step{
	{cl, typeClientHello, false, false},
	{sv, msgHRR, false, false},
}

// orderFor is the order of mode m; hrr adds the HelloRetryRequest
// exchange; visible keeps only the steps that can be seen (without keys,
// TLS 1.3's encrypted messages cannot).
func orderFor(m Mode, hrr, visible bool) []step {
	var out []step
	if hrr {
		out = append(out, hrrPrefix...)
	}
	for _, s := range Orders[m] {
		if visible && s.enc && (m == Mode13Full || m == Mode13PSK) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// checkOrder matches the handshake messages (both sides, merged by frame)
// against order; it returns whether the order is complete, or the first
// message out of order. After a complete handshake only the messages
// post allows may follow (TLS 1.3's post-handshake messages, RFC 8446
// §4.6); anything else is renegotiation, outside this validator, or out
// of order.
func checkOrder(order []step, msgs []message, post func(message) bool, rfc string) (complete bool, v *Violation) {
	pos := 0
	for _, m := range msgs {
		j := pos
		for j < len(order) && (order[j].from != m.from || order[j].msg != m.typ) {
			if !order[j].opt {
				return false, &Violation{Frame: m.frame, Offset: m.offset, From: sideName(m.from),
					Rule: fmt.Sprintf("%s sent %s where the handshake requires %s's %s next",
						sideName(m.from), MessageName(m.typ), sideName(order[j].from), MessageName(order[j].msg)), RFC: rfc}
			}
			j++
		}
		if j < len(order) {
			pos = j + 1
			continue
		}
		// Every required step is done: m follows the handshake.
		pos = len(order)
		if post == nil || !post(m) {
			return true, &Violation{Frame: m.frame, Offset: m.offset, From: sideName(m.from),
				Rule: fmt.Sprintf("%s sent %s after the handshake completed (out of order, or renegotiation, which is outside this validator)", sideName(m.from), MessageName(m.typ)), RFC: rfc}
		}
	}
	complete = true
	for _, s := range order[pos:] {
		if !s.opt {
			complete = false
		}
	}
	return complete, nil
}

// postHandshake13 allows TLS 1.3's post-handshake messages: the server's
// NewSessionTicket (RFC 8446 §4.6.1), either side's KeyUpdate (§4.6.3).
func postHandshake13(m message) bool {
	return m.typ == typeNewSessionTicket && m.from == sv || m.typ == typeKeyUpdate
}

func sideName(side int) string {
	if side == capture.Client {
		return "client"
	}
	return "server"
}
