package tls

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	gotls "crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/big"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Note: RSA key exchange suites left Go's *default* list in Go 1.22
// (GODEBUG tlsrsakex=1 re-adds them there), but a suite listed explicitly in
// Config.CipherSuites is still honoured (crypto/tls defaults.go only
// filters defaultCipherSuites), so no //go:debug directive is needed: the
// test below checks that TLS_RSA_WITH_AES_128_GCM_SHA256 was negotiated.

// selfSignedRSA makes a fresh self-signed RSA certificate for name.
func selfSignedRSA(t *testing.T, name string) (gotls.Certificate, *x509.Certificate, *rsa.PrivateKey) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		DNSNames:              []string{name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageKeyEncipherment | x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return gotls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, leaf, key
}

// rsaRun is a recorded TLS 1.2 RSA key exchange handshake between Go's
// client and server.
type rsaRun struct {
	chunks               []chunk // what the client sent (as the server got it) and received
	clientLog, serverLog string  // KeyLogWriter output
	key                  *rsa.PrivateKey
	clientErr, serverErr error
}

// rsaHandshake runs a TLS 1.2 handshake with RSA key exchange
// (TLS_RSA_WITH_AES_128_GCM_SHA256 only, fresh self-signed certificate
// trusted through a root pool) between Go's client and server over
// net.Pipe. If tamperClientHello is not nil, it rewrites the client's
// first write (the ClientHello record) on its way to the server.
func rsaHandshake(t *testing.T, tamperClientHello func(*testing.T, []byte) []byte) rsaRun {
	t.Helper()
	const name = "handshake.test"
	cert, leaf, key := selfSignedRSA(t, name)
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	suites := []uint16{gotls.TLS_RSA_WITH_AES_128_GCM_SHA256}
	var clientKeyLog, serverKeyLog bytes.Buffer
	clientConfig := &gotls.Config{
		RootCAs: roots, ServerName: name,
		CipherSuites: suites, MaxVersion: gotls.VersionTLS12,
		KeyLogWriter: &clientKeyLog,
	}
	serverConfig := &gotls.Config{
		Certificates: []gotls.Certificate{cert},
		CipherSuites: suites, MaxVersion: gotls.VersionTLS12,
		KeyLogWriter: &serverKeyLog,
	}

	clientEnd, serverEnd := net.Pipe()
	rec := &recordingConn{Conn: clientEnd}
	if tamperClientHello != nil {
		rec.tamper = func(b []byte) []byte { return tamperClientHello(t, b) }
	}
	client := gotls.Client(rec, clientConfig)
	server := gotls.Server(serverEnd, serverConfig)
	// Close the pipe itself: tls.Conn.Close would wait for the peer to
	// read its close_notify alert.
	defer clientEnd.Close()
	defer serverEnd.Close()
	deadline := time.Now().Add(30 * time.Second)
	client.SetDeadline(deadline)
	server.SetDeadline(deadline)

	serverErr := make(chan error, 1)
	go func() { serverErr <- server.Handshake() }()
	run := rsaRun{key: key}
	run.clientErr = client.Handshake()
	if run.clientErr != nil {
		clientEnd.Close() // unblock the server if it is still writing
	}
	run.serverErr = <-serverErr
	if run.clientErr == nil {
		state := client.ConnectionState()
		if state.Version != gotls.VersionTLS12 || state.CipherSuite != gotls.TLS_RSA_WITH_AES_128_GCM_SHA256 {
			t.Fatalf("negotiated version %#x suite %#x, want TLS 1.2 with TLS_RSA_WITH_AES_128_GCM_SHA256",
				state.Version, state.CipherSuite)
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	run.chunks = slices.Clone(rec.chunks)
	run.clientLog, run.serverLog = clientKeyLog.String(), serverKeyLog.String()
	return run
}

// keyLogMasterSecret returns the master secret of the "CLIENT_RANDOM
// <client_random> <master_secret>" line (NSS key log format) for
// clientRandom.
func keyLogMasterSecret(t *testing.T, log string, clientRandom []byte) []byte {
	t.Helper()
	var found []byte
	for _, line := range strings.Split(log, "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[0] == "CLIENT_RANDOM" && f[1] == hex.EncodeToString(clientRandom) {
			if found != nil {
				t.Fatalf("two CLIENT_RANDOM lines for one client_random in %q", log)
			}
			var err error
			if found, err = hex.DecodeString(f[2]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if found == nil {
		t.Fatalf("no CLIENT_RANDOM line for %x in key log %q", clientRandom, log)
	}
	return found
}

// openRecord12 removes AES-GCM record protection of TLS 1.2 (RFC 5246
// §6.2.3.3, RFC 5288 §3): nonce = salt (the 4-byte write IV) +
// nonce_explicit (the first 8 bytes of the fragment), additional_data =
// seq_num + type + version + length of the plaintext.
func openRecord12(t *testing.T, key, salt []byte, seq uint64, record []byte) []byte {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	fragment := record[5:]
	if len(fragment) < 8+aead.Overhead() {
		t.Fatalf("protected record too short: %x", record)
	}
	nonce := append(append([]byte(nil), salt...), fragment[:8]...)
	ad := binary.BigEndian.AppendUint64(nil, seq)
	ad = append(ad, record[0], record[1], record[2])
	ad = binary.BigEndian.AppendUint16(ad, uint16(len(fragment)-8-aead.Overhead()))
	plain, err := aead.Open(nil, nonce, fragment[8:], ad)
	if err != nil {
		t.Fatalf("opening protected record: %v", err)
	}
	return plain
}

func indexOfType(msgs []handshakeMessage, fromClient bool, typ byte) int {
	for i, m := range msgs {
		if m.fromClient == fromClient && m.msgType() == typ {
			return i
		}
	}
	return -1
}

func rawMessages(msgs []handshakeMessage) [][]byte {
	var out [][]byte
	for _, m := range msgs {
		out = append(out, m.raw)
	}
	return out
}

// TestExtendedMasterSecretMatchesGoKeyLog_RFC7627_4 runs a real TLS 1.2
// RSA key exchange handshake between Go's client and server, recovers the
// pre_master_secret from the recorded ClientKeyExchange with the server's
// private key (RFC 5246 §7.4.7.1) and checks that ExtendedMasterSecret over
// the session_hash (RFC 7627 §3) is the master secret Go logged. It then
// checks the key block (RFC 5246 §6.3) and the Finished verify_data
// (§7.4.9) by opening both peers' encrypted Finished messages.
func TestExtendedMasterSecretMatchesGoKeyLog_RFC7627_4(t *testing.T) {
	run := rsaHandshake(t, nil)
	if run.clientErr != nil || run.serverErr != nil {
		t.Fatalf("handshake failed: client: %v, server: %v", run.clientErr, run.serverErr)
	}
	clientLog, serverLog, key := run.clientLog, run.serverLog, run.key
	conv, err := parseConversation(run.chunks)
	if err != nil {
		t.Fatal(err)
	}
	msgs := conv.messages
	var kinds []string
	for _, m := range msgs {
		kinds = append(kinds, fmt.Sprintf("%s:%d", map[bool]string{true: "client", false: "server"}[m.fromClient], m.msgType()))
	}
	t.Logf("plaintext handshake messages (side:type): %v; protected records: %d", kinds, len(conv.protected))

	// RFC 5246 §7.4.1.2: ClientHello body starts with client_version and
	// random.
	ch := indexOfType(msgs, true, typeClientHello)
	shIdx := indexOfType(msgs, false, typeServerHello)
	cke := indexOfType(msgs, true, typeClientKeyExchange)
	if ch != 0 || shIdx < 0 || cke < 0 || indexOfType(msgs, false, typeCertificate) < 0 || indexOfType(msgs, false, typeServerHelloDone) < 0 {
		t.Fatalf("missing handshake messages: %v", kinds)
	}
	clientRandom := msgs[ch].body()[2:34]
	sh, err := parseServerHello(msgs[shIdx].body())
	if err != nil {
		t.Fatal(err)
	}
	if sh.cipherSuite != TLS_RSA_WITH_AES_128_GCM_SHA256.ID {
		t.Fatalf("ServerHello cipher_suite %#04x, want %#04x", sh.cipherSuite, TLS_RSA_WITH_AES_128_GCM_SHA256.ID)
	}
	// RFC 7627 §5.1: the server echoes an empty extended_master_secret
	// extension when it negotiates it.
	if ext, ok := sh.extensions[extExtendedMasterSecret]; !ok || len(ext) != 0 {
		t.Fatalf("ServerHello extensions %v: extended_master_secret (23) not negotiated", sh.extensions)
	}

	// RFC 5246 §7.4.7.1: EncryptedPreMasterSecret, a uint16-length-prefixed
	// RSA PKCS #1 v1.5 ciphertext of client_version + 46 random bytes.
	body := msgs[cke].body()
	if len(body) < 2 || int(binary.BigEndian.Uint16(body)) != len(body)-2 {
		t.Fatalf("ClientKeyExchange length prefix mismatch: %x", body)
	}
	preMaster, err := rsa.DecryptPKCS1v15(nil, key, body[2:])
	if err != nil {
		t.Fatal(err)
	}
	if len(preMaster) != PreMasterSecretLength || !bytes.Equal(preMaster[:2], msgs[ch].body()[:2]) {
		t.Fatalf("pre_master_secret %x: want 48 bytes starting with client_version %x", preMaster, msgs[ch].body()[:2])
	}

	// RFC 7627 §3: session_hash over ClientHello .. ClientKeyExchange.
	sessionHash := SessionHash(rawMessages(msgs[:cke+1])...)
	got := ExtendedMasterSecret(preMaster, sessionHash)
	for side, log := range map[string]string{"client": clientLog, "server": serverLog} {
		logged := keyLogMasterSecret(t, log, clientRandom)
		if diff := cmp.Diff(hex.EncodeToString(logged), hex.EncodeToString(got)); diff != "" {
			t.Errorf("ExtendedMasterSecret differs from the %s's key log (-logged +derived):\n%s", side, diff)
		}
		// The RFC 5246 §8.1 derivation must not be what Go used.
		if bytes.Equal(MasterSecret(preMaster, clientRandom, sh.random), logged) {
			t.Errorf("%s logged the non-extended master secret although EMS was negotiated", side)
		}
	}

	// RFC 5246 §6.3 and §7.4.9: the first protected record of each side is
	// its Finished, sent with sequence number 0 under the new keys.
	kb := KeysFromMasterSecret(got, clientRandom, sh.random, TLS_RSA_WITH_AES_128_GCM_SHA256)
	var clientFin, serverFin *protectedRecord
	for i := range conv.protected {
		p := &conv.protected[i]
		if p.fromClient && clientFin == nil {
			clientFin = p
		}
		if !p.fromClient && serverFin == nil {
			serverFin = p
		}
	}
	if clientFin == nil || serverFin == nil {
		t.Fatalf("missing protected Finished records: %d protected records", len(conv.protected))
	}
	// The server reads the client's Finished with its read keys.
	sk := kb.ServerKeys()
	clientFinished := openRecord12(t, sk.ReadKey, sk.ReadIV, 0, clientFin.record)
	wantClient := ClientFinishedVerifyData(got, TranscriptHash(rawMessages(msgs[:clientFin.after])...))
	if diff := cmp.Diff(hex.EncodeToString(append([]byte{typeFinished, 0, 0, VerifyDataLength}, wantClient...)), hex.EncodeToString(clientFinished)); diff != "" {
		t.Errorf("client Finished (-derived +opened):\n%s", diff)
	}
	// The client reads the server's Finished with its read keys; the
	// server's transcript has the client Finished, then anything the server
	// sent before its ChangeCipherSpec (e.g. NewSessionTicket, RFC 5077 §3.3).
	ck := kb.ClientKeys()
	serverFinished := openRecord12(t, ck.ReadKey, ck.ReadIV, 0, serverFin.record)
	transcript := rawMessages(msgs[:clientFin.after])
	transcript = append(transcript, clientFinished)
	transcript = append(transcript, rawMessages(msgs[clientFin.after:serverFin.after])...)
	wantServer := ServerFinishedVerifyData(got, TranscriptHash(transcript...))
	if diff := cmp.Diff(hex.EncodeToString(append([]byte{typeFinished, 0, 0, VerifyDataLength}, wantServer...)), hex.EncodeToString(serverFinished)); diff != "" {
		t.Errorf("server Finished (-derived +opened):\n%s", diff)
	}
}

// renameClientHelloExtension returns a tamper function that changes the
// type of one ClientHello extension in the ClientHello record, keeping
// every length as it is.
func renameClientHelloExtension(from, to uint16) func(*testing.T, []byte) []byte {
	return func(t *testing.T, record []byte) []byte {
		if len(record) < 5 || record[0] != contentHandshake || int(binary.BigEndian.Uint16(record[3:5])) != len(record)-5 {
			t.Errorf("first client write is not one whole handshake record: %x", record)
			return record
		}
		exts, err := clientHelloExtensions(record[5:])
		if err != nil {
			t.Errorf("parsing ClientHello: %v", err)
			return record
		}
		off, ok := exts[from]
		if !ok {
			t.Errorf("ClientHello has no extension %d", from)
			return record
		}
		binary.BigEndian.PutUint16(record[5+off:], to)
		return record
	}
}

// TestMasterSecretMatchesGoKeyLogWithoutEMS_RFC5246_8_1: an on-path
// attacker renames the client's extended_master_secret extension to a
// GREASE value (RFC 8701), which the server ignores, so the server does not
// negotiate EMS (RFC 7627 §5.2) and both Go peers fall back to the
// RFC 5246 §8.1 derivation: MasterSecret over the pre_master_secret and the
// randoms is exactly the master secret both logged. The handshake then
// fails, as it must: the client's Finished (§7.4.9) covers the ClientHello
// it sent, not the one the server received.
func TestMasterSecretMatchesGoKeyLogWithoutEMS_RFC5246_8_1(t *testing.T) {
	const grease = 0xfafa
	run := rsaHandshake(t, renameClientHelloExtension(extExtendedMasterSecret, grease))
	if run.serverErr == nil {
		t.Fatalf("server accepted a handshake whose ClientHello was tampered with (client error: %v)", run.clientErr)
	}
	t.Logf("handshake failed as expected: server: %v; client: %v", run.serverErr, run.clientErr)
	conv, err := parseConversation(run.chunks)
	if err != nil {
		t.Fatal(err)
	}
	// RFC 5246 §7.2.2: the server rejects the client's Finished with a
	// fatal handshake_failure alert.
	if len(conv.alerts) != 1 || !bytes.Equal(conv.alerts[0], []byte{2, 40}) {
		t.Errorf("plaintext alerts %x, want one fatal(2) handshake_failure(40)", conv.alerts)
	}
	msgs := conv.messages
	ch := indexOfType(msgs, true, typeClientHello)
	shIdx := indexOfType(msgs, false, typeServerHello)
	cke := indexOfType(msgs, true, typeClientKeyExchange)
	if ch != 0 || shIdx < 0 || cke < 0 {
		t.Fatalf("missing handshake messages: %d messages", len(msgs))
	}
	exts, err := clientHelloExtensions(msgs[ch].raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := exts[extExtendedMasterSecret]; ok {
		t.Fatalf("the ClientHello the server got still offers extended_master_secret")
	}
	if _, ok := exts[grease]; !ok {
		t.Fatalf("the ClientHello the server got lacks the renamed extension")
	}
	sh, err := parseServerHello(msgs[shIdx].body())
	if err != nil {
		t.Fatalf("%v: %x", err, msgs[shIdx].raw)
	}
	if _, ok := sh.extensions[extExtendedMasterSecret]; ok {
		t.Fatalf("server negotiated extended_master_secret it was not offered")
	}
	body := msgs[cke].body()
	preMaster, err := rsa.DecryptPKCS1v15(nil, run.key, body[2:])
	if err != nil {
		t.Fatal(err)
	}
	clientRandom := msgs[ch].body()[2:34]
	got := MasterSecret(preMaster, clientRandom, sh.random)
	for side, log := range map[string]string{"client": run.clientLog, "server": run.serverLog} {
		logged := keyLogMasterSecret(t, log, clientRandom)
		if diff := cmp.Diff(hex.EncodeToString(logged), hex.EncodeToString(got)); diff != "" {
			t.Errorf("MasterSecret differs from the %s's key log (-logged +derived):\n%s", side, diff)
		}
		if bytes.Equal(ExtendedMasterSecret(preMaster, SessionHash(rawMessages(msgs[:cke+1])...)), logged) {
			t.Errorf("%s logged the extended master secret although EMS was not negotiated", side)
		}
	}
}
