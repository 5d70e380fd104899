package tlsvalidate

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// streamsOf rebuilds connection i of a capture, with copies of its data
// that a mutation may change.
func streamsOf(t *testing.T, name string, i int) ([2]Stream, *KeyLog) {
	t.Helper()
	conns, keys := load(t, name)
	st := Streams(conns[i].conn, conns[i].tcp, conns[i].p)
	for side := range st {
		st[side].Data = bytes.Clone(st[side].Data)
	}
	return st, keys
}

// recordIndex finds side's n-th record (0-based) of content type typ.
func recordIndex(t *testing.T, s Stream, typ uint8, n int) Record {
	t.Helper()
	recs, _, _ := parseRecords(s.Data)
	for _, r := range recs {
		if r.Type == typ {
			if n == 0 {
				return r
			}
			n--
		}
	}
	t.Fatalf("no record of type %d", typ)
	return Record{}
}

// rejectedAt checks that v rejects at side's record starting at offset,
// with a rule containing rule.
func rejectedAt(t *testing.T, v Verdict, side string, st Stream, offset int64, rule string) {
	t.Helper()
	if v.Accepted || v.Violation == nil {
		t.Fatalf("accepted, want rejected (%s):\n%s", rule, v.Text())
	}
	x := v.Violation
	if x.From != side || !strings.Contains(x.Rule, rule) {
		t.Fatalf("rejected %s: %s (%s), want %s: ...%s...", x.From, x.Rule, x.RFC, side, rule)
	}
	if offset >= 0 && x.Offset != offset {
		t.Fatalf("rejected at offset %d (frame %d), want %d (frame %d): %s", x.Offset, x.Frame, offset, st.FrameAt(offset), x.Rule)
	}
}

// TestFlippedEncryptedFinished: one octet changed in the ciphertext of an
// encrypted Finished: the record's AEAD tag no longer verifies, and the
// rejection names that record.
func TestFlippedEncryptedFinished(t *testing.T) {
	// TLS 1.3: the client's first protected record is its Finished.
	st, keys := streamsOf(t, "tls13", 0)
	r := recordIndex(t, st[cl], typeApplicationData, 0)
	st[cl].Data[r.Offset+5+3] ^= 0x40
	rejectedAt(t, ValidateStreams(st, keys), "client", st[cl], r.Offset, "does not decrypt with the key log's secrets")
	// TLS 1.2: the handshake record after the client's ChangeCipherSpec
	// (ClientHello, ClientKeyExchange, Finished): AES-GCM, ChaCha20-Poly1305,
	// AES-CBC with encrypt-then-MAC, and MAC-then-encrypt (an octet of
	// the last block, which holds the MAC and padding).
	for _, name := range []string{"ecdhe12", "chacha12", "cbc12", "cbc12_noetm"} {
		st, keys = streamsOf(t, name, 0)
		r = recordIndex(t, st[cl], typeHandshake, 2)
		st[cl].Data[r.Offset+5+int64(len(r.Fragment))-3] ^= 1
		rejectedAt(t, ValidateStreams(st, keys), "client", st[cl], r.Offset, "does not decrypt")
		if v := ValidateStreams(st, nil); !v.Accepted {
			t.Fatalf("%s: without keys the flipped ciphertext cannot be told: want accepted, got %s", name, v.Violation.Error())
		}
	}
}

// TestChangedTranscript: one octet changed in a plaintext handshake
// message: every record still decrypts, but the first Finished over the
// changed transcript does not verify (RFC 5246 §7.4.9, RFC 8446 §4.4.4).
func TestChangedTranscript(t *testing.T) {
	// TLS 1.2: a octet in the middle of the server's certificate. The
	// client's Finished, first, is the one rejected.
	st, keys := streamsOf(t, "ecdhe12", 0)
	st[sv].Data[400] ^= 1
	v := ValidateStreams(st, keys)
	rejectedAt(t, v, "client", st[cl], -1, `verify_data is not PRF(master_secret, "client finished"`)
	if fr := v.Violation.Frame; fr != v.MessagesByFrameFirst("client", "Finished") {
		t.Errorf("rejected at frame %d, want the client Finished's", fr)
	}
	// TLS 1.3: an octet of the ClientHello's legacy_session_id (5 record
	// + 4 message + 2 version + 32 random + 1 length octets in): the
	// server Finished, first, is rejected.
	st, keys = streamsOf(t, "tls13", 0)
	st[cl].Data[44] ^= 1
	rejectedAt(t, ValidateStreams(st, keys), "server", st[sv], -1, "verify_data is not HMAC(finished_key of the server handshake traffic secret")
}

// MessagesByFrameFirst is the frame of the first message of type typ from
// side (0 if none).
func (v *Verdict) MessagesByFrameFirst(side, typ string) int {
	for _, m := range v.Messages {
		if m.From == side && m.Type == typ {
			return m.Frame
		}
	}
	return 0
}

// rebuildHandshake replaces the leading plaintext handshake records of a
// stream with one record per message, in the order perm gives.
func rebuildHandshake(t *testing.T, s *Stream, perm func([][]byte) [][]byte) {
	t.Helper()
	recs, _, _ := parseRecords(s.Data)
	var a assembler
	var msgs [][]byte
	end := 0
	for _, r := range recs {
		if r.Type != typeHandshake {
			break
		}
		ms, err := a.add(r.Fragment)
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, ms...)
		end = int(r.Offset) + 5 + len(r.Fragment)
	}
	var out []byte
	for _, m := range perm(msgs) {
		out = append(out, typeHandshake, 3, 3, byte(len(m)>>8), byte(len(m)))
		out = append(out, m...)
	}
	splice(s, 0, int64(end), out)
}

// TestReorderedMessages: the server's Certificate and ServerKeyExchange
// swapped (TLS 1.2 ECDHE), or its ServerHelloDone dropped: the order check
// names the message out of place.
func TestReorderedMessages(t *testing.T) {
	st, keys := streamsOf(t, "ecdhe12", 0)
	var at int64 // the record of the ServerKeyExchange, after the ServerHello's
	rebuildHandshake(t, &st[sv], func(m [][]byte) [][]byte {
		if m[1][0] != typeCertificate || m[2][0] != typeServerKeyExchange {
			t.Fatalf("server flight %d %d", m[1][0], m[2][0])
		}
		m[1], m[2] = m[2], m[1]
		at = int64(5 + len(m[0]))
		return m
	})
	for _, k := range []*KeyLog{keys, nil} {
		rejectedAt(t, ValidateStreams(st, k), "server", st[sv], at, "server sent ServerKeyExchange where the handshake requires server's Certificate next")
	}
	// RSA key transport without the ServerHelloDone: the client's
	// ClientKeyExchange (its second handshake record) is out of place.
	st, keys = streamsOf(t, "rsa12", 0)
	rebuildHandshake(t, &st[sv], func(m [][]byte) [][]byte {
		if last := m[len(m)-1]; last[0] != typeServerHelloDone {
			t.Fatalf("last server message %d", last[0])
		}
		return m[:len(m)-1]
	})
	cke := recordIndex(t, st[cl], typeHandshake, 1)
	rejectedAt(t, ValidateStreams(st, keys), "client", st[cl], cke.Offset, "client sent ClientKeyExchange where the handshake requires server's ServerHelloDone next")
}

// removeRecord deletes a stream's record r.
func removeRecord(s *Stream, r Record) {
	splice(s, r.Offset, r.Offset+5+int64(len(r.Fragment)), nil)
}

// splice replaces s.Data[from:to] with repl, and moves the pieces after
// it, so that every octet keeps the frame that carried it (the replaced
// octets take the frame of the first).
func splice(s *Stream, from, to int64, repl []byte) {
	delta := int64(len(repl)) - (to - from)
	s.Data = append(append(bytes.Clone(s.Data[:from]), repl...), s.Data[to:]...)
	var out []Piece
	for _, p := range s.Pieces {
		end := p.Offset + int64(p.Len)
		switch {
		case end <= from:
			out = append(out, p)
		case p.Offset >= to:
			p.Offset += delta
			out = append(out, p)
		default: // overlaps the splice: keep its parts outside, and the new octets
			lo, hi := min(p.Offset, from), max(end, to)+delta
			if hi > lo {
				out = append(out, Piece{Offset: lo, Len: int(hi - lo), Frame: p.Frame})
			}
		}
	}
	// Merge overlapping pieces made by the default case.
	var merged []Piece
	for _, p := range out {
		if n := len(merged); n > 0 && merged[n-1].Offset+int64(merged[n-1].Len) > p.Offset {
			last := &merged[n-1]
			if e := p.Offset + int64(p.Len); e > last.Offset+int64(last.Len) {
				last.Len = int(e - last.Offset)
			}
			continue
		}
		merged = append(merged, p)
	}
	s.Pieces = merged
	if s.FIN >= 0 {
		s.FIN += delta
	}
}

// TestChangeCipherSpecRemoved: TLS 1.2 without the client's
// ChangeCipherSpec: its protected Finished is read as plaintext handshake
// messages, where the order requires the ChangeCipherSpec. In TLS 1.3 the
// ChangeCipherSpec is only for middlebox compatibility (RFC 8446 §D.4):
// without it the connection is accepted.
func TestChangeCipherSpecRemoved(t *testing.T) {
	st, keys := streamsOf(t, "ecdhe12", 0)
	ccs := recordIndex(t, st[cl], typeChangeCipherSpec, 0)
	removeRecord(&st[cl], ccs)
	for _, k := range []*KeyLog{keys, nil} {
		rejectedAt(t, ValidateStreams(st, k), "client", st[cl], ccs.Offset, "where the handshake requires client's ChangeCipherSpec next")
	}
	st, keys = streamsOf(t, "tls13", 0)
	removeRecord(&st[cl], recordIndex(t, st[cl], typeChangeCipherSpec, 0))
	if v := ValidateStreams(st, keys); !v.Accepted || !strings.HasPrefix(v.Keys, "verified") {
		t.Fatalf("TLS 1.3 without the compatibility ChangeCipherSpec: %s", v.Text())
	}
}

// changeLine returns the key log of a capture with the secret of label
// changed in its last octet: the line of connection st (by its
// client_random; any line for RSA, whose lines are by encrypted
// pre_master_secret).
func changeLine(t *testing.T, name, label string, st [2]Stream) *KeyLog {
	t.Helper()
	_, keys := load(t, name)
	var b strings.Builder
	changed := false
	for l, m := range keys.secrets {
		for id, s := range m {
			s = bytes.Clone(s)
			cr := hex.EncodeToString(st[cl].Data[11:43]) // record 5 + message 4 + version 2 octets in
			if l == label && !changed && (label == LabelRSA || id == cr) {
				s[len(s)-1] ^= 1
				changed = true
			}
			b.WriteString(l + " " + id + " " + hex.EncodeToString(s) + "\n")
		}
	}
	for l, m := range keys.updates {
		for id, list := range m {
			for _, s := range list {
				s = bytes.Clone(s)
				cr := hex.EncodeToString(st[cl].Data[11:43])
				if l == label && !changed && id == cr {
					s[len(s)-1] ^= 1
					changed = true
				}
				b.WriteString(l + " " + id + " " + hex.EncodeToString(s) + "\n")
			}
		}
	}
	if !changed {
		t.Fatalf("%s has no %s line", name, label)
	}
	k, err := ParseKeyLog(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestWrongKeyLogLine: a key log line with a wrong secret is rejected
// where the secret is first used.
func TestWrongKeyLogLine(t *testing.T) {
	st, _ := streamsOf(t, "hrr13", 0)
	r := recordIndex(t, st[sv], typeApplicationData, 0)
	rejectedAt(t, ValidateStreams(st, changeLine(t, "hrr13", LabelServerHandshakeTraffic, st)), "server", st[sv], r.Offset, "does not decrypt")
	// The application secret: the handshake verifies, the first
	// application record does not decrypt.
	v := ValidateStreams(st, changeLine(t, "hrr13", LabelClientTrafficSecret0, st))
	rejectedAt(t, v, "client", st[cl], -1, "the application_data record")
	st, _ = streamsOf(t, "ecdhe12", 1)           // the resumed connection
	r = recordIndex(t, st[sv], typeHandshake, 1) // ServerHello, then the server's Finished
	rejectedAt(t, ValidateStreams(st, changeLine(t, "ecdhe12", LabelClientRandom, st)), "server", st[sv], r.Offset, "does not decrypt")
	// RSA: the pre_master_secret does not give the logged master_secret.
	st, _ = streamsOf(t, "rsa12", 0)
	rejectedAt(t, ValidateStreams(st, changeLine(t, "rsa12", LabelRSA, st)), "client", st[cl], -1, "the master_secret the RSA line's pre_master_secret gives with ExtendedMasterSecret over the session hash ClientHello..ClientKeyExchange (RFC 7627 §4) is not the CLIENT_RANDOM line's master_secret")
}

// TestTruncation: a connection cut without close_notify is accepted and
// its truncation reported; one whose close_notify was removed too.
func TestTruncation(t *testing.T) {
	st, keys := streamsOf(t, "tls13", 0)
	v := ValidateStreams(st, keys)
	if v.Server.Closure != "clean" {
		t.Fatalf("server closure %s", v.Server.ClosureText)
	}
	// The server's last record is its close_notify: remove it.
	recs, _, _ := parseRecords(st[sv].Data)
	removeRecord(&st[sv], recs[len(recs)-1])
	v = ValidateStreams(st, keys)
	if !v.Accepted || v.Server.Closure != "truncation-possible" || !strings.Contains(v.Server.ClosureText, "truncation possible") {
		t.Fatalf("without close_notify: accepted=%v %s", v.Accepted, v.Server.ClosureText)
	}
}

// TestChangeCipherSpec13: a TLS 1.3 compatibility ChangeCipherSpec is
// ignored anywhere before its sender's Finished, even between protected
// records (RFC 8446 §5), and refused after it.
func TestChangeCipherSpec13(t *testing.T) {
	ccs := []byte{typeChangeCipherSpec, 3, 3, 0, 1, 1}
	// The server's second protected record is one of its handshake
	// messages (OpenSSL sends each in a record of its own); its fifth
	// follows its Finished (EncryptedExtensions, Certificate,
	// CertificateVerify, Finished, NewSessionTicket).
	st, keys := streamsOf(t, "tls13", 0)
	r := recordIndex(t, st[sv], typeApplicationData, 1)
	splice(&st[sv], r.Offset, r.Offset, ccs)
	if v := ValidateStreams(st, keys); !v.Accepted || !strings.HasPrefix(v.Keys, "verified") {
		t.Fatalf("a ChangeCipherSpec between protected records before Finished:\n%s", v.Text())
	}
	st, keys = streamsOf(t, "tls13", 0)
	r = recordIndex(t, st[sv], typeApplicationData, 4)
	splice(&st[sv], r.Offset, r.Offset, ccs)
	rejectedAt(t, ValidateStreams(st, keys), "server", st[sv], r.Offset, "a ChangeCipherSpec after the sender's Finished")
}
