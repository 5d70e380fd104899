package tls

import (
	"bytes"
	gotls "crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"io"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// keyLogSecrets parses an NSS key log into label -> secret for one
// client_random.
func keyLogSecrets(t *testing.T, log string, clientRandom []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, line := range strings.Split(log, "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[1] == hex.EncodeToString(clientRandom) {
			b, err := hex.DecodeString(f[2])
			if err != nil {
				t.Fatal(err)
			}
			out[f[0]] = b
		}
	}
	return out
}

// openRecords13 opens consecutive protected records of one direction
// (sequence numbers from 0, RFC 8446 §5.3) and returns the concatenated
// content of each inner content type.
func openRecords13(t *testing.T, k TrafficKey, records []protectedRecord) map[byte][]byte {
	t.Helper()
	out := map[byte][]byte{}
	for seq, r := range records {
		content, typ := openRecord(t, k, uint64(seq), r.record)
		out[typ] = append(out[typ], content...)
	}
	return out
}

// splitHandshake splits concatenated handshake messages (RFC 8446 §4).
func splitHandshake(t *testing.T, b []byte) [][]byte {
	t.Helper()
	var msgs [][]byte
	for len(b) > 0 {
		if len(b) < 4 {
			t.Fatalf("truncated handshake message header %x", b)
		}
		n := 4 + (int(b[1])<<16 | int(b[2])<<8 | int(b[3]))
		if len(b) < n {
			t.Fatalf("truncated handshake message %x", b)
		}
		msgs = append(msgs, b[:n])
		b = b[n:]
	}
	return msgs
}

// TestTrafficKeysAndFinishedMatchGo_RFC8446_7_3 runs a real TLS 1.3
// handshake between Go's client and server, takes the traffic secrets Go
// logs, and checks with this package's derivations that: the traffic keys
// and IVs (RFC 8446 §7.3) and per-record nonces (§5.3) open every record
// both sides sent; and both Finished messages carry FinishedVerifyData13 of the
// transcript (§4.4.4). (Go logs no master or exporter secret, so the rest
// of the key schedule is checked against RFC 8448 instead.)
func TestTrafficKeysAndFinishedMatchGo_RFC8446_7_3(t *testing.T) {
	const name = "handshake.test"
	cert, leaf, _ := selfSignedRSA(t, name)
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	var keyLog bytes.Buffer
	clientConfig := &gotls.Config{
		RootCAs: roots, ServerName: name, MinVersion: gotls.VersionTLS13,
		CurvePreferences: []gotls.CurveID{gotls.X25519}, KeyLogWriter: &keyLog,
	}
	serverConfig := &gotls.Config{
		Certificates: []gotls.Certificate{cert}, MinVersion: gotls.VersionTLS13,
		CurvePreferences: []gotls.CurveID{gotls.X25519},
	}
	clientEnd, serverEnd := net.Pipe()
	defer clientEnd.Close()
	defer serverEnd.Close()
	rec := &recordingConn{Conn: clientEnd}
	client, server := gotls.Client(rec, clientConfig), gotls.Server(serverEnd, serverConfig)
	deadline := time.Now().Add(30 * time.Second)
	client.SetDeadline(deadline)
	server.SetDeadline(deadline)

	// The client sends "ping" and reads "pong": it thereby also reads the
	// server's NewSessionTicket (§4.6.1) under the application keys.
	serverErr := make(chan error, 1)
	go func() {
		buf := make([]byte, 4)
		if _, err := io.ReadFull(server, buf); err != nil {
			serverErr <- err
			return
		}
		_, err := server.Write([]byte("pong"))
		serverErr <- err
	}()
	if _, err := client.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	pong := make([]byte, 4)
	if _, err := io.ReadFull(client, pong); err != nil {
		t.Fatal(err)
	}
	if err := <-serverErr; err != nil {
		t.Fatal(err)
	}
	state := client.ConnectionState()
	if state.Version != gotls.VersionTLS13 || state.CipherSuite != gotls.TLS_AES_128_GCM_SHA256 {
		t.Fatalf("negotiated version %#x suite %#x, want TLS 1.3 with TLS_AES_128_GCM_SHA256", state.Version, state.CipherSuite)
	}
	rec.mu.Lock()
	conv, err := parseConversation(slices.Clone(rec.chunks))
	rec.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if len(conv.messages) != 2 || conv.messages[0].msgType() != typeClientHello || conv.messages[1].msgType() != typeServerHello {
		t.Fatalf("plaintext handshake messages: %d, want ClientHello and ServerHello", len(conv.messages))
	}
	ch, sh := conv.messages[0].raw, conv.messages[1].raw
	secrets := keyLogSecrets(t, keyLog.String(), ch[4+2:4+2+32])
	for _, label := range []string{"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"} {
		if len(secrets[label]) != HashLength {
			t.Fatalf("key log lacks %s: %q", label, keyLog.String())
		}
	}

	// Server records: the encrypted flight under the server handshake
	// keys, then (after the Finished) records under the application keys.
	var fromServer, fromClient []protectedRecord
	for _, r := range conv.protected {
		if r.fromClient {
			fromClient = append(fromClient, r)
		} else {
			fromServer = append(fromServer, r)
		}
	}
	if len(fromServer) < 2 || len(fromClient) < 2 {
		t.Fatalf("protected records: %d from server, %d from client", len(fromServer), len(fromClient))
	}
	serverHSKeys := AES128GCMTrafficKeys(secrets["SERVER_HANDSHAKE_TRAFFIC_SECRET"])
	var flight [][]byte
	nHS := 0
	for nHS < len(fromServer) && (len(flight) == 0 || flight[len(flight)-1][0] != typeFinished) {
		nHS++
		flight = splitHandshake(t, openRecords13(t, serverHSKeys, fromServer[:nHS])[contentHandshake])
	}
	var types []byte
	for _, m := range flight {
		types = append(types, m[0])
	}
	// EncryptedExtensions(8), Certificate(11), CertificateVerify(15), Finished(20).
	if !bytes.Equal(types, []byte{8, 11, 15, 20}) {
		t.Fatalf("server flight message types %v, want [8 11 15 20]", types)
	}
	transcript := append([][]byte{ch, sh}, flight...)
	wantServerFinished := FinishedVerifyData13(secrets["SERVER_HANDSHAKE_TRAFFIC_SECRET"], TranscriptHash(transcript[:5]...))
	if diff := cmp.Diff(hex.EncodeToString(wantServerFinished), hex.EncodeToString(flight[3][4:])); diff != "" {
		t.Errorf("server Finished verify_data (-derived +sent):\n%s", diff)
	}

	// Client records: Finished under the client handshake keys, then
	// "ping" under the client application keys.
	clientFinished := openRecords13(t, AES128GCMTrafficKeys(secrets["CLIENT_HANDSHAKE_TRAFFIC_SECRET"]), fromClient[:1])[contentHandshake]
	wantClientFinished := FinishedVerifyData13(secrets["CLIENT_HANDSHAKE_TRAFFIC_SECRET"], TranscriptHash(transcript...))
	if diff := cmp.Diff(hex.EncodeToString(append([]byte{typeFinished, 0, 0, HashLength}, wantClientFinished...)), hex.EncodeToString(clientFinished)); diff != "" {
		t.Errorf("client Finished (-derived +sent):\n%s", diff)
	}
	clientApp := openRecords13(t, AES128GCMTrafficKeys(secrets["CLIENT_TRAFFIC_SECRET_0"]), fromClient[1:])
	if string(clientApp[contentApplicationData]) != "ping" {
		t.Errorf("client application data %q, want \"ping\"", clientApp[contentApplicationData])
	}
	serverApp := openRecords13(t, AES128GCMTrafficKeys(secrets["SERVER_TRAFFIC_SECRET_0"]), fromServer[nHS:])
	if string(serverApp[contentApplicationData]) != "pong" {
		t.Errorf("server application data %q, want \"pong\"", serverApp[contentApplicationData])
	}
	for _, m := range splitHandshake(t, serverApp[contentHandshake]) {
		if m[0] != typeNewSessionTicket {
			t.Errorf("post-handshake message type %d, want NewSessionTicket(4)", m[0])
		}
	}
}
