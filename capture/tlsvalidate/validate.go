package tlsvalidate

import (
	"bytes"
	"crypto/rsa"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/handshake/handshake/capture"
	"github.com/handshake/handshake/model/tls"
)

// ValidateTLS decides the TLS layer of connection c, whose TCP layer
// capture.Validate judged tv, from the captured payloads p; keys (nil
// for none) are the secrets of a key log.
func ValidateTLS(c capture.Conn, tv capture.Verdict, p capture.Payloads, keys *KeyLog) Verdict {
	return ValidateStreamsWith(Streams(c, tv, p), Options{Keys: keys})
}

// Options are the secrets the validation may use.
type Options struct {
	// Keys is a key log (nil: none).
	Keys *KeyLog
	// ServerKey is the server's RSA private key (nil: none): with RSA
	// key transport it decrypts the pre_master_secret of the
	// ClientKeyExchange, from which the master secret is computed (and
	// compared with the key log's, if it has one).
	ServerKey *rsa.PrivateKey
}

// ValidateTLSWith is ValidateTLS with options.
func ValidateTLSWith(c capture.Conn, tv capture.Verdict, p capture.Payloads, o Options) Verdict {
	return ValidateStreamsWith(Streams(c, tv, p), o)
}

// IsTLS reports whether the client's stream of c starts with a TLS
// handshake record carrying a ClientHello (how TLS is recognised on any
// port).
func IsTLS(c capture.Conn, tv capture.Verdict, p capture.Payloads) bool {
	st := Streams(c, tv, p)
	return looksLikeTLS(st[cl].Data)
}

// state is the validation of one connection in progress.
type state struct {
	st        [2]Stream
	keys      *KeyLog
	serverKey *rsa.PrivateKey
	v         *Verdict
	recs      [2][]Record

	ch, sh   *hello // the ClientHello the ServerHello answers, the ServerHello
	ch1      []byte // the first ClientHello, raw, if a HelloRetryRequest followed
	suite    suite
	known    bool // the suite is in the table
	tls13    bool
	mode     Mode
	msgs     [2][]message
	closeAt  [2]int // frame of each side's close_notify (0: none)
	encAlert [2]int // frame of an alert record that could not be read (0: none)

	// Keys (nil when not available).
	ms           []byte // TLS 1.2 master_secret
	kb           *tls.KeyBlock
	hsSecret     [2][]byte // TLS 1.3 handshake traffic secrets
	appSecret    [2][]byte // TLS 1.3 application traffic secrets
	keysMissing  string    // why keys are not checked, if they are not
	verifiedFins int
	// deferred is why a side's handshake records stopped parsing; the
	// order check names the rule first when the unreadable record is
	// out of place (e.g. a protected Finished with no ChangeCipherSpec
	// before it).
	deferred [2]*Violation
	recViol  [2]*Violation // the first violation in each side's records
	appData  [2][]byte     // decrypted application data
}

// ValidateStreams is ValidateTLS on streams already rebuilt.
func ValidateStreams(st [2]Stream, keys *KeyLog) Verdict {
	return ValidateStreamsWith(st, Options{Keys: keys})
}

// ValidateStreamsWith is ValidateStreams with options.
func ValidateStreamsWith(st [2]Stream, o Options) Verdict {
	keys := o.Keys
	v := Verdict{Accepted: true, Keys: "none (no key log)"}
	s := &state{st: st, keys: keys, serverKey: o.ServerKey, v: &v}
	for side := 0; side < 2; side++ {
		d := v.dir(side)
		d.Octets = int64(len(st[side].Data))
		d.Gap = st[side].Gap
		if g := st[side].Gap; g != nil {
			v.Undecided = append(v.Undecided, fmt.Sprintf("%s stream: a gap at offset %d: %s; nothing after it is decided", sideName(side), g.Offset, g.Reason))
		}
	}
	if !looksLikeTLS(st[cl].Data) {
		return v
	}
	v.TLS = true
	var bad [2]*Violation
	for side := 0; side < 2; side++ {
		recs, tail, b := parseRecords(st[side].Data)
		s.recs[side] = recs
		v.dir(side).Records = len(recs)
		v.dir(side).Partial = tail
		if tail > 0 {
			v.Undecided = append(v.Undecided, fmt.Sprintf("%s stream ends inside a record (%d octets of it seen)", sideName(side), tail))
		}
		if b != nil {
			b.From = sideName(side)
			b.Frame = st[side].FrameAt(b.Offset)
			bad[side] = b
		}
	}
	s.hellos()
	if s.sh != nil && v.Accepted {
		s.setupKeys()
		for side := 0; side < 2; side++ {
			s.records(side)
		}
		// Each side's records stop at their first violation; the order
		// is checked on the messages before. The verdict names the
		// violation seen first in the capture (ties: the order's).
		var cands []*Violation
		s.order(&cands)
		cands = append(cands, s.recViol[cl], s.recViol[sv], bad[cl], bad[sv], s.deferred[cl], s.deferred[sv])
		var first *Violation
		for _, c := range cands {
			if c != nil && (first == nil || c.Frame < first.Frame) {
				first = c
			}
		}
		if first != nil {
			v.Accepted, v.Violation = false, first
		}
		if v.Accepted && s.keysMissing == "" && (keys != nil || s.serverKey != nil) {
			s.finished()
		}
	} else if v.Accepted {
		for side := 0; side < 2 && v.Accepted; side++ {
			if bad[side] != nil {
				v.Accepted, v.Violation = false, bad[side]
			}
		}
	}
	s.report()
	return v
}

// fail records the first violation in a side's records.
func (s *state) fail(side int, viol *Violation) {
	if s.recViol[side] != nil {
		return
	}
	viol.From = sideName(side)
	if viol.Frame == 0 {
		viol.Frame = s.st[side].FrameAt(viol.Offset)
	}
	s.recViol[side] = viol
}

func (s *state) reject(side int, viol *Violation) {
	if !s.v.Accepted {
		return
	}
	viol.From = sideName(side)
	if viol.Frame == 0 {
		viol.Frame = s.st[side].FrameAt(viol.Offset)
	}
	s.v.Accepted = false
	s.v.Violation = viol
}

// recordFrame is the frame that completed record r of a side.
func (s *state) recordFrame(side int, r Record) int {
	return s.st[side].FrameAt(r.Offset + 5 + int64(len(r.Fragment)) - 1)
}

// hellos finds the ClientHello and the ServerHello (after a
// HelloRetryRequest, the second of each) in the plaintext records, and
// the handshake they select.
func (s *state) hellos() {
	plain := func(side int) []message {
		var a assembler
		var out []message
		for _, r := range s.recs[side] {
			if r.Type == typeChangeCipherSpec {
				continue // TLS 1.3 middlebox compatibility (RFC 8446 §D.4); TLS 1.2 stops at the next record
			}
			if r.Type != typeHandshake {
				break
			}
			ms, err := a.add(r.Fragment)
			if err != nil {
				break
			}
			for _, raw := range ms {
				out = append(out, message{from: side, typ: int(raw[0]), raw: raw, body: raw[4:]})
			}
			if len(out) > 0 && (side == sv && out[0].typ == typeServerHello) {
				// Only the ServerHello (or HRR and ServerHello) is needed here.
				if h, err := parseHello(out[len(out)-1].body, false); err == nil && !h.isHRR() && out[len(out)-1].typ == typeServerHello {
					break
				}
			}
		}
		return out
	}
	cm, sm := plain(cl), plain(sv)
	var chs []message
	for _, m := range cm {
		if m.typ == typeClientHello {
			chs = append(chs, m)
		}
	}
	if len(chs) == 0 {
		s.reject(cl, &Violation{Rule: "the client's first handshake message is not a ClientHello", RFC: "RFC 8446 §4.1.2, RFC 5246 §7.4.1.2"})
		return
	}
	ch, err := parseHello(chs[0].body, true)
	if err != nil {
		s.reject(cl, &Violation{Rule: "ClientHello: " + err.Error(), RFC: "RFC 8446 §4.1.2 (decode_error)"})
		return
	}
	s.ch = ch
	var shs []*hello
	for _, m := range sm {
		if m.typ != typeServerHello {
			continue
		}
		h, err := parseHello(m.body, false)
		if err != nil {
			s.reject(sv, &Violation{Rule: "ServerHello: " + err.Error(), RFC: "RFC 8446 §4.1.3 (decode_error)"})
			return
		}
		shs = append(shs, h)
		if !h.isHRR() {
			break
		}
	}
	if len(shs) == 0 {
		s.v.Undecided = append(s.v.Undecided, "no ServerHello in the capture: the handshake selected nothing")
		return
	}
	s.sh = shs[len(shs)-1]
	if shs[0].isHRR() {
		s.v.HRR = true
		if len(chs) < 2 || s.sh.isHRR() {
			s.v.Undecided = append(s.v.Undecided, "a HelloRetryRequest with no second ClientHello and ServerHello in the capture")
			s.sh = nil
			return
		}
		s.ch1 = chs[0].raw
		if s.ch, err = parseHello(chs[1].body, true); err != nil {
			s.reject(cl, &Violation{Rule: "second ClientHello: " + err.Error(), RFC: "RFC 8446 §4.1.2 (decode_error)"})
			return
		}
	}
	s.tls13 = s.sh.negotiated() == 0x0304
	s.suite, s.known = suites[s.sh.suite]
	s.v.Suite = suiteName(s.sh.suite)
	switch {
	case s.tls13:
		s.v.Version = "TLS 1.3"
		s.mode = Mode13Full
		if s.sh.psk {
			s.mode = Mode13PSK
		}
		if s.ch.earlyData {
			s.v.Undecided = append(s.v.Undecided, "the ClientHello offers early data (0-RTT), which this validator does not read")
		}
	case s.sh.negotiated() == 0x0303:
		s.v.Version = "TLS 1.2"
		s.v.EMS = s.ch.ems && s.sh.ems
		s.v.EncryptThenMAC = s.ch.etm && s.sh.etm && s.known && s.suite.aead == cbcHMAC
		switch {
		case len(s.sh.sessionID) > 0 && bytes.Equal(s.sh.sessionID, s.ch.sessionID):
			// RFC 5246 §7.4.1.3: the server echoes the session_id to resume.
			s.mode = Mode12Resumed
			s.v.Ticket = s.ch.ticket
		case !s.known:
			s.v.Undecided = append(s.v.Undecided, s.v.Suite+" is not known here: its key exchange, and so the message order, is not checked")
		case s.suite.kx == kxRSA:
			s.mode = Mode12RSA
		default:
			s.mode = Mode12ECDHE
		}
	default:
		s.v.Version = fmt.Sprintf("version %#04x", s.sh.negotiated())
		s.v.Undecided = append(s.v.Undecided, s.v.Version+" is outside this validator (TLS 1.2 and 1.3 only)")
		s.sh = nil
		return
	}
	s.v.Mode = s.mode.String()
	if s.tls13 && s.known && !s.suite.tls13 || !s.tls13 && s.known && s.suite.tls13 {
		s.reject(sv, &Violation{Frame: 0, Rule: fmt.Sprintf("%s selected %s, a suite of the other version", s.v.Version, s.v.Suite), RFC: "RFC 8446 §4.1.3 (illegal_parameter)"})
	}
}

// plaintextMessages are the handshake messages before the first
// ChangeCipherSpec of each side, merged by frame (TLS 1.2: everything up
// to the ClientKeyExchange).
func (s *state) plaintextMessages() [][]byte {
	type fm struct {
		frame int
		raw   []byte
	}
	var all []fm
	for side := 0; side < 2; side++ {
		var a assembler
		for _, r := range s.recs[side] {
			if r.Type != typeHandshake {
				break
			}
			ms, err := a.add(r.Fragment)
			if err != nil {
				break
			}
			for _, raw := range ms {
				all = append(all, fm{s.recordFrame(side, r), raw})
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].frame < all[j].frame })
	out := make([][]byte, len(all))
	for i, m := range all {
		out[i] = m.raw
	}
	return out
}

// setupKeys finds this connection's secrets in the key log.
func (s *state) setupKeys() {
	if s.keys == nil && (s.serverKey == nil || s.mode != Mode12RSA) {
		s.keysMissing = "no key log"
		return
	}
	cr := s.ch.random
	crHex := hex.EncodeToString(cr)[:16] + "…"
	if !s.known || s.suite.aead == aeadNone || !s.suite.sha256 {
		s.keysMissing = s.v.Suite + ": its hash or cipher is not implemented here (SHA-256 PRF suites with AES-GCM, ChaCha20-Poly1305 or AES-128-CBC only)"
		return
	}
	if s.tls13 && s.ch.earlyData {
		s.keysMissing = "the ClientHello offers 0-RTT early data, whose records this validator does not read"
		return
	}
	if s.tls13 {
		var missing []string
		for side, l := range [2][2]string{{LabelClientHandshakeTraffic, LabelClientTrafficSecret0}, {LabelServerHandshakeTraffic, LabelServerTrafficSecret0}} {
			var ok1, ok2 bool
			s.hsSecret[side], ok1 = s.keys.Secret(l[0], cr)
			s.appSecret[side], ok2 = s.keys.Secret(l[1], cr)
			if !ok1 {
				missing = append(missing, l[0])
			}
			if !ok2 {
				missing = append(missing, l[1])
			}
		}
		if len(missing) > 0 {
			s.keysMissing = fmt.Sprintf("the key log has no %v for client_random %s", missing, crHex)
		}
		return
	}
	ms, ok := s.keys.Secret(LabelClientRandom, cr)
	if s.mode == Mode12RSA {
		s.checkRSA(ms, ok)
		if !ok && s.ms != nil {
			ms, ok = s.ms, true
		}
	}
	if !ok {
		s.keysMissing = fmt.Sprintf("the key log has no CLIENT_RANDOM for client_random %s", crHex)
		return
	}
	s.ms = ms
	kb := tls.KeysFromMasterSecret(ms, cr, s.sh.random, s.suite.params)
	s.kb = &kb
}

// checkRSA recomputes the master secret from the pre_master_secret of
// an RSA key log line, and of the ClientKeyExchange decrypted with the
// server's key (RFC 5246 §7.4.7.1: RSAES-PKCS1-v1_5, and the first two
// octets are the ClientHello's client_version), as the handshake
// negotiated: MasterSecret (RFC 5246 §8.1) or ExtendedMasterSecret over
// the session hash (RFC 7627 §4). Every master secret found must be the
// same; s.ms is set to it.
func (s *state) checkRSA(logged []byte, haveLogged bool) {
	msgs := s.plaintextMessages()
	var cke []byte
	n := 0
	for i, m := range msgs {
		if m[0] == typeClientKeyExchange {
			cke, n = m, i+1
			break
		}
	}
	if cke == nil || len(cke) < 4+2+8 {
		return
	}
	frame := 0 // the client's last plaintext handshake record: its ClientKeyExchange
	for _, r := range s.recs[cl] {
		if r.Type != typeHandshake {
			break
		}
		frame = s.recordFrame(cl, r)
	}
	// Reported after the order check (a message out of order changes
	// the session hash too).
	fail := func(rule, rfc string) {
		s.deferred[cl] = &Violation{From: "client", Frame: frame, Rule: rule, RFC: rfc}
	}
	enc := cke[4+2:] // TLS 1.2: opaque EncryptedPreMasterSecret<0..2^16-1> (RFC 5246 §7.4.7.1)
	how := "MasterSecret (RFC 5246 §8.1)"
	if s.v.EMS {
		how = "ExtendedMasterSecret over the session hash ClientHello..ClientKeyExchange (RFC 7627 §4)"
	}
	master := func(pms []byte) []byte {
		if s.v.EMS {
			return tls.ExtendedMasterSecret(pms, tls.SessionHash(msgs[:n]...))
		}
		return tls.MasterSecret(pms, s.ch.random, s.sh.random)
	}
	type source struct{ name, ms string }
	var found []source
	if haveLogged {
		found = append(found, source{"the CLIENT_RANDOM line's master_secret", string(logged)})
	}
	if pms, ok := s.keys.Secret(LabelRSA, enc[:8]); ok {
		found = append(found, source{"the master_secret the RSA line's pre_master_secret gives with " + how, string(master(pms))})
	}
	if s.serverKey != nil {
		pms, err := rsa.DecryptPKCS1v15(nil, s.serverKey, enc)
		if err != nil || len(pms) != tls.PreMasterSecretLength {
			fail("the ClientKeyExchange does not decrypt to a 48-octet pre_master_secret with the server key given", "RFC 5246 §7.4.7.1")
			return
		}
		if v := uint16(pms[0])<<8 | uint16(pms[1]); v != s.ch.version {
			fail(fmt.Sprintf("the pre_master_secret's client_version is %#04x, the ClientHello's %#04x", v, s.ch.version), "RFC 5246 §7.4.7.1")
			return
		}
		found = append(found, source{"the master_secret the server key's pre_master_secret gives with " + how, string(master(pms))})
	}
	if len(found) == 0 {
		return
	}
	for _, f := range found[1:] {
		if f.ms != found[0].ms {
			fail(f.name+" is not "+found[0].name, "RFC 5246 §8.1, RFC 7627 §4")
			return
		}
	}
	s.ms = []byte(found[0].ms)
	for _, f := range found[1:] {
		s.v.Checks = append(s.v.Checks, f.name+" equals "+found[0].name)
	}
	if len(found) == 1 && !haveLogged {
		s.v.Checks = append(s.v.Checks, "master_secret: "+found[0].name)
	}
}

// epochKeys is a side's protection for its next epoch: TLS 1.2 after its
// ChangeCipherSpec; TLS 1.3 handshake (app false) or application.
func (s *state) epochKeys(side int, app bool) (*protection, error) {
	if s.keysMissing != "" {
		return nil, nil
	}
	if s.tls13 {
		secret := s.hsSecret[side]
		if app {
			secret = s.appSecret[side]
		}
		return protection13(s.suite, secret)
	}
	if s.kb == nil {
		return nil, nil
	}
	if s.suite.aead == cbcHMAC {
		etm := s.ch.etm && s.sh.etm
		if side == cl {
			return protectionCBC(s.suite, s.kb.ClientWriteKey, s.kb.ClientWriteMACKey, etm)
		}
		return protectionCBC(s.suite, s.kb.ServerWriteKey, s.kb.ServerWriteMACKey, etm)
	}
	if side == cl {
		return protection12(s.suite, s.kb.ClientWriteKey, s.kb.ClientWriteIV)
	}
	return protection12(s.suite, s.kb.ServerWriteKey, s.kb.ServerWriteIV)
}

// records walks one side's records: handshake messages across records,
// ChangeCipherSpec, alerts, application data; decrypting with the keys
// of each epoch when the key log has them.
func (s *state) records(side int) {
	d := s.v.dir(side)
	var a assembler
	var prot *protection
	protected := false // the current epoch is encrypted
	finished := false  // this side's Finished was seen
	app := false       // TLS 1.3: application epoch
	updates := 0       // KeyUpdates seen
	var pendFrame int  // where the message being assembled started
	var pendOffset int64
	for _, r := range s.recs[side] {
		frame := s.recordFrame(side, r)
		viol := func(rule, rfc string) {
			s.fail(side, &Violation{Frame: frame, Offset: r.Offset, Rule: rule, RFC: rfc})
		}
		typ, data := r.Type, r.Fragment
		if a.pending() && typ != typeHandshake {
			s.unreadable(side, pendFrame, pendOffset, fmt.Sprintf("a handshake message is interrupted by a %s record", contentTypeNames[typ]))
			return
		}
		enc := false
		switch {
		case s.tls13 && typ == typeApplicationData && !protected:
			// The first protected record of a TLS 1.3 side (RFC 8446
			// §5.2: the outer type of every protected record is
			// application_data).
			protected = true
			if a.pending() {
				viol("a handshake message spans a key change", "RFC 8446 §5.1")
				return
			}
			p, err := s.epochKeys(side, false)
			if err != nil {
				viol(err.Error(), "RFC 8446 §7.3")
				return
			}
			prot = p
		case s.tls13 && typ != typeApplicationData && protected && typ != typeChangeCipherSpec:
			viol(fmt.Sprintf("a %s record in clear after the keys changed", contentTypeNames[typ]), "RFC 8446 §5.2 (unexpected_message)")
			return
		}
		// A ChangeCipherSpec is never protected (RFC 5246 §7.1; RFC 8446
		// §5: TLS 1.3's compatibility one may come between protected
		// records before the sender's Finished).
		if protected && typ != typeChangeCipherSpec {
			enc = true
			if prot != nil {
				t, pt, err := prot.open(r)
				if err != nil {
					rfc := "RFC 8446 §5.2 (bad_record_mac)"
					if !s.tls13 {
						rfc = "RFC 5246 §6.2.3.3 (bad_record_mac)"
					}
					viol(fmt.Sprintf("the %s record does not decrypt with the key log's secrets: %v", contentTypeNames[typ], err), rfc)
					return
				}
				typ, data = t, pt
			} else {
				// Unreadable without keys: only the outer type is known
				// (TLS 1.2; in TLS 1.3 it is always application_data).
				switch {
				case typ == typeApplicationData:
					d.ApplicationRecords++
				case typ == typeAlert:
					s.encAlert[side] = frame
				case typ == typeHandshake && !finished:
					// TLS 1.2: the one protected handshake message
					// the order allows here is the Finished.
					s.msgs[side] = append(s.msgs[side], message{from: side, typ: typeFinished, frame: frame, offset: r.Offset, encrypted: true})
					finished = true
				case typ == typeHandshake:
					s.v.Undecided = append(s.v.Undecided, fmt.Sprintf("%s: an encrypted handshake record after the Finished (frame %d): renegotiation or a post-handshake message, unreadable without keys", sideName(side), frame))
				}
				continue
			}
		}
		switch typ {
		case typeChangeCipherSpec:
			if len(data) != 1 || data[0] != 1 {
				viol("a ChangeCipherSpec that is not the single octet 1", "RFC 5246 §7.1, RFC 8446 §5")
				return
			}
			if a.pending() {
				viol("a ChangeCipherSpec inside a handshake message", "RFC 5246 §7.1, RFC 8446 §5.1")
				return
			}
			s.msgs[side] = append(s.msgs[side], message{from: side, typ: msgCCS, frame: frame, offset: r.Offset})
			if s.tls13 {
				if finished {
					viol("a ChangeCipherSpec after the sender's Finished", "RFC 8446 §5 (unexpected_message)")
					return
				}
				continue
			}
			if protected {
				viol("a second ChangeCipherSpec (renegotiation is outside this validator)", "RFC 5246 §7.1")
				return
			}
			protected = true
			p, err := s.epochKeys(side, false)
			if err != nil {
				viol(err.Error(), "RFC 5246 §6.3")
				return
			}
			prot = p
		case typeHandshake:
			if !a.pending() {
				pendFrame, pendOffset = frame, r.Offset
			}
			ms, err := a.add(data)
			if err == nil {
				for _, raw := range ms {
					if _, ok := messageNames[int(raw[0])]; !ok {
						err = fmt.Errorf("a handshake message of unknown type %d", raw[0])
					}
				}
			}
			if err != nil {
				s.unreadable(side, pendFrame, pendOffset, err.Error())
				return
			}
			for _, raw := range ms {
				m := message{from: side, typ: int(raw[0]), raw: raw, body: raw[4:], frame: frame, offset: r.Offset, encrypted: enc}
				if m.typ == typeServerHello {
					if h, err := parseHello(m.body, false); err == nil && h.isHRR() {
						m.typ = msgHRR
					}
				}
				s.msgs[side] = append(s.msgs[side], m)
				if m.typ == typeFinished && !finished {
					finished = true
					if s.tls13 && !app {
						if a.pending() {
							viol("a handshake message spans a key change", "RFC 8446 §5.1")
							return
						}
						app = true
						p, err := s.epochKeys(side, true)
						if err != nil {
							viol(err.Error(), "RFC 8446 §7.3")
							return
						}
						prot = p
					}
				}
				if m.typ == typeKeyUpdate && s.tls13 && app && prot != nil {
					// RFC 8446 §4.6.3, §7.2: the next generation.
					s.appSecret[side] = tls.NextTrafficSecret(s.appSecret[side])
					updates++
					label := map[int]string{cl: LabelClientTrafficSecretN, sv: LabelServerTrafficSecretN}[side]
					if logged, ok := s.keys.Update(label, s.ch.random, updates); ok {
						if !bytes.Equal(logged, s.appSecret[side]) {
							viol(fmt.Sprintf("the key log's %s number %d is not the next traffic secret HKDF-Expand-Label(secret, \"traffic upd\", \"\", Hash.length)", label, updates), "RFC 8446 §7.2")
							return
						}
						s.v.Checks = append(s.v.Checks, fmt.Sprintf("%s KeyUpdate at frame %d: the next traffic secret equals the key log's %s", sideName(side), frame, label))
					}
					p, err := s.epochKeys(side, true)
					if err != nil {
						viol(err.Error(), "RFC 8446 §7.2")
						return
					}
					prot = p
					s.v.Checks = append(s.v.Checks, fmt.Sprintf("%s KeyUpdate at frame %d: the records after it are opened with the next traffic secret (RFC 8446 §7.2)", sideName(side), frame))
				}
			}
		case typeAlert:
			if len(data) != 2 {
				viol("an alert that is not two octets", "RFC 8446 §6, RFC 5246 §7.2")
				return
			}
			name := alertName(data[1])
			d.Alerts = append(d.Alerts, fmt.Sprintf("%s %s (frame %d)", levelName(data[0]), name, frame))
			if data[1] == 0 && s.closeAt[side] == 0 {
				s.closeAt[side] = frame
			}
		case typeApplicationData:
			if !finished {
				rfc := "RFC 5246 §7.4.9, RFC 7918 (false start)"
				if s.tls13 {
					rfc = "RFC 8446 §2 (application data after the sender's Finished; 0-RTT is outside this validator)"
				}
				viol("application data before the sender's Finished", rfc)
				return
			}
			d.ApplicationRecords++
			if prot != nil {
				d.Decrypted++
				if len(s.appData[side])+len(data) <= maxStream {
					s.appData[side] = append(s.appData[side], data...)
				}
			}
		case typeHeartbeat:
			// RFC 6520: outside this validator; counted as a record.
		}
	}
}

// unreadable ends a side's records at a handshake record that does not
// parse: it becomes a message of its own in the order (msgUnreadable),
// and the parse error the rule it breaks if the order does not reject
// it first.
func (s *state) unreadable(side, frame int, offset int64, why string) {
	s.msgs[side] = append(s.msgs[side], message{from: side, typ: msgUnreadable, frame: frame, offset: offset})
	s.deferred[side] = &Violation{From: sideName(side), Frame: frame, Offset: offset, Rule: "handshake records that do not parse as handshake messages: " + why, RFC: "RFC 8446 §4, §5.1; RFC 5246 §7.4 (decode_error)"}
}

func levelName(l uint8) string {
	switch l {
	case 1:
		return "warning"
	case 2:
		return "fatal"
	}
	return fmt.Sprintf("level(%d)", l)
}

var alertNames = map[uint8]string{0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 22: "record_overflow",
	40: "handshake_failure", 42: "bad_certificate", 43: "unsupported_certificate", 44: "certificate_revoked",
	45: "certificate_expired", 46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied",
	50: "decode_error", 51: "decrypt_error", 70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
	86: "inappropriate_fallback", 90: "user_canceled", 100: "no_renegotiation", 109: "missing_extension",
	110: "unsupported_extension", 112: "unrecognized_name", 116: "certificate_required", 120: "no_application_protocol"}

func alertName(d uint8) string {
	if n, ok := alertNames[d]; ok {
		return n
	}
	return fmt.Sprintf("alert(%d)", d)
}

// merged is both sides' messages in the order of their frames.
func (s *state) merged() []message {
	all := append(append([]message{}, s.msgs[cl]...), s.msgs[sv]...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].frame < all[j].frame })
	return all
}

// order checks the message order against Orders.
func (s *state) order(cands *[]*Violation) {
	if s.mode == ModeUnknown {
		return
	}
	var hs []message
	for _, m := range s.merged() {
		if s.tls13 && m.typ == msgCCS {
			continue // RFC 8446 §5: compatibility CCS, checked in records
		}
		hs = append(hs, m)
	}
	visible := s.keysMissing != ""
	rfc := "RFC 5246 §7.3, §7.4"
	if s.tls13 {
		rfc = "RFC 8446 §2, §4, Appendix A"
		if visible {
			s.v.Undecided = append(s.v.Undecided, "without keys the encrypted handshake (EncryptedExtensions .. Finished) cannot be read: only ClientHello and ServerHello are checked in order")
		}
	}
	var post func(message) bool
	if s.tls13 {
		post = postHandshake13
	}
	complete, viol := checkOrder(orderFor(s.mode, s.v.HRR, visible), hs, post, rfc)
	if viol != nil {
		*cands = append(*cands, viol)
		return
	}
	s.v.Complete = complete
}

// finished verifies both Finished messages over the transcript.
func (s *state) finished() {
	var transcript [][]byte
	if s.ch1 != nil {
		// RFC 8446 §4.4.1: ClientHello1 is replaced by message_hash.
		h := tls.TranscriptHash(s.ch1)
		transcript = append(transcript, append([]byte{typeMessageHash, 0, 0, byte(len(h))}, h...))
	}
	first := s.ch1 != nil
	done := 0
	for _, m := range s.merged() {
		if m.typ == msgCCS || m.raw == nil {
			continue
		}
		if first && m.typ == typeClientHello {
			first = false
			continue
		}
		if m.typ == typeFinished && done < 2 {
			hash := tls.TranscriptHash(transcript...)
			var want []byte
			var how string
			if s.tls13 {
				want = tls.FinishedVerifyData13(s.hsSecret[m.from], hash)
				how = fmt.Sprintf("HMAC(finished_key of the %s handshake traffic secret, Transcript-Hash) (RFC 8446 §4.4.4)", sideName(m.from))
			} else {
				want = tls.FinishedVerifyData12(s.ms, map[int]string{cl: tls.LabelClientFinished, sv: tls.LabelServerFinished}[m.from], hash)
				how = fmt.Sprintf("PRF(master_secret, %q, Hash(handshake_messages)) (RFC 5246 §7.4.9)", map[int]string{cl: tls.LabelClientFinished, sv: tls.LabelServerFinished}[m.from])
			}
			if !bytes.Equal(m.body, want) {
				s.reject(m.from, &Violation{Frame: m.frame, Offset: m.offset, Rule: fmt.Sprintf("the %s Finished's verify_data is not %s", sideName(m.from), how),
					RFC: map[bool]string{true: "RFC 8446 §4.4.4 (decrypt_error)", false: "RFC 5246 §7.4.9 (decrypt_error)"}[s.tls13]})
				return
			}
			s.v.Checks = append(s.v.Checks, fmt.Sprintf("%s Finished (frame %d) verify_data = %s", sideName(m.from), m.frame, how))
			done++
		}
		if s.tls13 && done == 2 {
			break
		}
		if s.tls13 && m.from == sv && m.typ == typeNewSessionTicket {
			continue
		}
		transcript = append(transcript, m.raw)
	}
	s.verifiedFins = done
}

// report fills the verdict's messages, keys and closure.
func (s *state) report() {
	v := s.v
	for _, m := range s.merged() {
		v.Messages = append(v.Messages, Message{From: sideName(m.from), Frame: m.frame, Offset: m.offset, Type: MessageName(m.typ), Encrypted: m.encrypted, Len: len(m.body)})
	}
	switch {
	case s.keys == nil && s.serverKey == nil:
	case s.keysMissing != "":
		v.Keys = "not checked: " + s.keysMissing
	case !v.Accepted:
		v.Keys = "rejected"
	case s.verifiedFins == 2:
		v.Keys = "verified: both Finished messages verify with the logged secrets over the transcript"
		if n := v.Client.ApplicationRecords + v.Server.ApplicationRecords; n > 0 {
			v.Checks = append(v.Checks, fmt.Sprintf("every application_data record decrypts (%d client, %d server): %s",
				v.Client.Decrypted, v.Server.Decrypted, map[bool]string{true: "HMAC and padding verify", false: "the AEAD tags verify"}[s.suite.aead == cbcHMAC]))
		}
	default:
		v.Keys = fmt.Sprintf("partly checked: %d of 2 Finished messages seen", s.verifiedFins)
	}
	for side := 0; side < 2; side++ {
		s.closure(side)
	}
	if v.Accepted && s.verifiedFins == 2 && s.st[sv].Gap == nil {
		if rs, ok := httpResponses(s.appData[cl], s.appData[sv], s.closeAt[sv] != 0); ok {
			v.HTTP = rs
		}
	}
}

// closure says how one side's direction ended (RFC 8446 §6.1, RFC 5246
// §7.2.1: close_notify before closing the write side; without it the
// receiver cannot tell the end of the data from a truncation).
func (s *state) closure(side int) {
	d := s.v.dir(side)
	st := &s.st[side]
	var events []string
	switch {
	case s.closeAt[side] != 0:
		events = append(events, fmt.Sprintf("close_notify (frame %d)", s.closeAt[side]))
	case s.encAlert[side] != 0:
		events = append(events, fmt.Sprintf("an encrypted alert (frame %d, unreadable without keys)", s.encAlert[side]))
	}
	if st.FIN >= 0 {
		events = append(events, fmt.Sprintf("FIN (frame %d)", st.FINFrame))
	}
	if st.RSTFrame != 0 {
		events = append(events, fmt.Sprintf("RST (frame %d)", st.RSTFrame))
	}
	text := strings.Join(events, ", then ")
	hidden := s.tls13 && s.keysMissing != "" // TLS 1.3 hides an alert's type
	switch {
	case st.Gap != nil:
		d.Closure, text = "undecidable", fmt.Sprintf("undecidable after the gap at offset %d", st.Gap.Offset)
	case st.FIN >= 0 && s.closeAt[side] != 0:
		d.Closure, text = "clean", text+": clean"
	case st.FIN >= 0 && (hidden || s.encAlert[side] != 0):
		d.Closure, text = "unknown-without-keys", text+": whether close_notify preceded the FIN is unreadable without keys"
	case st.FIN >= 0:
		d.Closure, text = "truncation-possible", text+": FIN without close_notify, truncation possible (RFC 8446 §6.1, RFC 5246 §7.2.1)"
	case st.RSTFrame != 0:
		d.Closure = "reset"
	default:
		d.Closure = "capture-ended"
		if text != "" {
			text += ", then "
		}
		text += "capture ended before FIN or RST"
	}
	d.ClosureText = text
}
