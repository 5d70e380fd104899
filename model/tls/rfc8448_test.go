package tls

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rfc8448Computed derives, from nothing but the two X25519 private keys
// and the handshake messages of RFC 8448 §3, every value the RFC prints
// for the key schedule, keyed by the names of rfc8448_simple_1rtt.txt.
func rfc8448Computed(t *testing.T, v map[string][]byte) map[string]string {
	t.Helper()
	got := map[string][]byte{}

	// RFC 8446 §4.2.8.2: each key share is the public key of the private
	// key; §7.4.2: both sides compute the same shared secret.
	var err error
	if got["client_x25519_public_key"], err = X25519PublicKey(v["client_x25519_private_key"]); err != nil {
		t.Fatal(err)
	}
	if got["server_x25519_public_key"], err = X25519PublicKey(v["server_x25519_private_key"]); err != nil {
		t.Fatal(err)
	}
	clientShared, err := X25519SharedSecret(v["client_x25519_private_key"], got["server_x25519_public_key"])
	if err != nil {
		t.Fatal(err)
	}
	serverShared, err := X25519SharedSecret(v["server_x25519_private_key"], got["client_x25519_public_key"])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(clientShared, serverShared) {
		t.Fatalf("client and server X25519 shared secrets differ:\n%x\n%x", clientShared, serverShared)
	}
	got["shared_secret"] = clientShared

	// RFC 8446 §4.4.1: transcript hashes over the messages as printed.
	ch, sh := v["ClientHello"], v["ServerHello"]
	ee, cert, cv := v["EncryptedExtensions"], v["Certificate"], v["CertificateVerify"]
	got["empty_transcript_hash"] = TranscriptHash()
	got["transcript_hash_server_hello"] = TranscriptHash(ch, sh)
	tr := HandshakeTranscript{ServerHello: got["transcript_hash_server_hello"]}

	// RFC 8446 §7.1 up to the handshake traffic secrets; the server
	// Finished (§4.4.4) needs them before the rest of the transcript exists.
	ks := DeriveKeySchedule(nil, clientShared, tr)
	serverVerify := FinishedVerifyData13(ks.ServerHandshakeTrafficSecret, TranscriptHash(ch, sh, ee, cert, cv))
	serverFinished := append([]byte{20, 0, 0, byte(len(serverVerify))}, serverVerify...)
	got["server_Finished"] = serverFinished
	tr.ServerFinished = TranscriptHash(ch, sh, ee, cert, cv, serverFinished)
	clientVerify := FinishedVerifyData13(ks.ClientHandshakeTrafficSecret, tr.ServerFinished)
	clientFinished := append([]byte{20, 0, 0, byte(len(clientVerify))}, clientVerify...)
	got["client_Finished"] = clientFinished
	tr.ClientFinished = TranscriptHash(ch, sh, ee, cert, cv, serverFinished, clientFinished)
	got["transcript_hash_server_finished"] = tr.ServerFinished
	got["transcript_hash_client_finished"] = tr.ClientFinished

	ks = DeriveKeySchedule(nil, clientShared, tr)
	got["early_secret"] = ks.EarlySecret
	got["derived_hkdf_label"] = HKDFLabel(LabelDerived, TranscriptHash(), HashLength)
	got["derived_for_handshake"] = ks.DerivedForHandshake
	got["handshake_secret"] = ks.HandshakeSecret
	got["c_hs_traffic_hkdf_label"] = HKDFLabel(LabelClientHandshakeTraffic, tr.ServerHello, HashLength)
	got["client_handshake_traffic_secret"] = ks.ClientHandshakeTrafficSecret
	got["server_handshake_traffic_secret"] = ks.ServerHandshakeTrafficSecret
	got["derived_for_master"] = ks.DerivedForMaster
	got["master_secret"] = ks.MasterSecret
	got["client_application_traffic_secret_0"] = ks.ClientApplicationTrafficSecret0
	got["server_application_traffic_secret_0"] = ks.ServerApplicationTrafficSecret0
	got["exporter_master_secret"] = ks.ExporterMasterSecret
	got["resumption_master_secret"] = ks.ResumptionMasterSecret

	// RFC 8446 §7.3.
	for name, secret := range map[string][]byte{
		"server_handshake":   ks.ServerHandshakeTrafficSecret,
		"client_handshake":   ks.ClientHandshakeTrafficSecret,
		"server_application": ks.ServerApplicationTrafficSecret0,
		"client_application": ks.ClientApplicationTrafficSecret0,
	} {
		k := AES128GCMTrafficKeys(secret)
		got[name+"_write_key"] = k.Key
		got[name+"_write_iv"] = k.IV
	}

	// RFC 8446 §4.4.4.
	got["server_finished_key"] = FinishedKey(ks.ServerHandshakeTrafficSecret)
	got["server_finished_verify_data"] = serverVerify
	got["client_finished_key"] = FinishedKey(ks.ClientHandshakeTrafficSecret)
	got["client_finished_verify_data"] = clientVerify

	// RFC 8446 §4.6.1, with the ticket_nonce of the NewSessionTicket.
	got["resumption_psk"] = ResumptionPSK(ks.ResumptionMasterSecret, v["ticket_nonce"])

	out := map[string]string{}
	for k, b := range got {
		out[k] = hex.EncodeToString(b)
	}
	return out
}

// TestKeySchedule_RFC8448_Simple1RTT_7_1 reproduces every secret, key, IV
// and verify_data of RFC 8448 §3 (RFC 8446 §7.1, §7.3, §4.4.4, §4.6.1).
func TestKeySchedule_RFC8448_Simple1RTT_7_1(t *testing.T) {
	v := loadRFC8448(t)
	got := rfc8448Computed(t, v)
	want := map[string]string{}
	for name := range got {
		b, ok := v[name]
		if !ok {
			t.Fatalf("computed %q, which is not in %s", name, rfc8448Vectors)
		}
		want[name] = hex.EncodeToString(b)
	}
	if len(got) < 30 {
		t.Errorf("only %d values compared", len(got))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("key schedule differs from RFC 8448 §3 (-rfc +computed):\n%s", diff)
	}
}

// openRecord removes TLS 1.3 record protection (RFC 8446 §5.2): AES-GCM
// with the per-record nonce (§5.3) and the record header as additional
// data; it returns the content and the inner content type.
func openRecord(t *testing.T, k TrafficKey, seq uint64, record []byte) ([]byte, byte) {
	t.Helper()
	block, err := aes.NewCipher(k.Key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	inner, err := aead.Open(nil, PerRecordNonce(k.IV, seq), record[5:], record[:5])
	if err != nil {
		t.Fatalf("record seq %d: %v", seq, err)
	}
	inner = bytes.TrimRight(inner, "\x00") // zero padding (§5.4)
	return inner[:len(inner)-1], inner[len(inner)-1]
}

// TestRecordProtection_RFC8448_5_2 uses the derived keys and IVs to open
// the protected records RFC 8448 §3 prints, which checks the keys in use
// and the per-record nonce (RFC 8446 §5.2, §5.3).
func TestRecordProtection_RFC8448_5_2(t *testing.T) {
	v := loadRFC8448(t)
	c := rfc8448Computed(t, v)
	key := func(side string) TrafficKey {
		k, _ := hex.DecodeString(c[side+"_write_key"])
		iv, _ := hex.DecodeString(c[side+"_write_iv"])
		return TrafficKey{k, iv}
	}
	const handshake, applicationData = 22, 23
	for _, tc := range []struct {
		name        string
		key         TrafficKey
		seq         uint64
		record      string
		wantContent []byte
		wantType    byte
	}{
		{"server handshake flight", key("server_handshake"), 0, "server_encrypted_handshake_record", v["server_encrypted_handshake_payload"], handshake},
		{"client Finished", key("client_handshake"), 0, "client_encrypted_Finished_record", v["client_Finished"], handshake},
		{"client application data", key("client_application"), 0, "client_application_data_record", v["application_data"], applicationData},
		// The server's first application-key record is the NewSessionTicket.
		{"server application data", key("server_application"), 1, "server_application_data_record", v["application_data"], applicationData},
	} {
		content, typ := openRecord(t, tc.key, tc.seq, v[tc.record])
		if diff := cmp.Diff(hex.EncodeToString(tc.wantContent), hex.EncodeToString(content)); diff != "" || typ != tc.wantType {
			t.Errorf("%s: content type %d (want %d), content diff (-want +got):\n%s", tc.name, typ, tc.wantType, diff)
		}
	}
}
