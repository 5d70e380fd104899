package tlsvalidate

import (
	"bytes"
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"github.com/handshake/handshake/capture"
)

// pcapngWithSecrets converts a pcap to pcapng and puts a Decryption
// Secrets Block holding keylog after its section header.
func pcapngWithSecrets(t *testing.T, pcap []byte, keylog []byte) []byte {
	t.Helper()
	r, err := pcapgo.NewReader(bytes.NewReader(pcap))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := pcapgo.NewNgWriter(&buf, layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	for {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		ci.InterfaceIndex = 0
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	ng := buf.Bytes()
	shb := int(binary.LittleEndian.Uint32(ng[4:]))
	padded := (len(keylog) + 3) &^ 3
	n := 8 + 8 + padded + 4
	dsb := make([]byte, n)
	binary.LittleEndian.PutUint32(dsb, ngDecryptionSecrets)
	binary.LittleEndian.PutUint32(dsb[4:], uint32(n))
	binary.LittleEndian.PutUint32(dsb[8:], ngSecretsTLSKeyLog)
	binary.LittleEndian.PutUint32(dsb[12:], uint32(len(keylog)))
	copy(dsb[16:], keylog)
	binary.LittleEndian.PutUint32(dsb[n-4:], uint32(n))
	return append(append(append([]byte{}, ng[:shb]...), dsb...), ng[shb:]...)
}

// TestPcapngSecrets: a pcapng capture carrying its key log in a
// Decryption Secrets Block is verified with it, and without a key log
// file.
func TestPcapngSecrets(t *testing.T) {
	pcap, err := os.ReadFile("../testdata/tls/tls13.pcap")
	if err != nil {
		t.Fatal(err)
	}
	kl, err := os.ReadFile("../testdata/tls/tls13.keylog")
	if err != nil {
		t.Fatal(err)
	}
	ng := pcapngWithSecrets(t, pcap, kl)
	keys, err := PcapngKeyLog(ng)
	if err != nil || keys == nil || keys.Len() != 10 {
		t.Fatalf("key log from the pcapng: %v, %d secrets", err, keys.Len())
	}
	pkts, p, err := capture.ReadPayloads(bytes.NewReader(ng))
	if err != nil {
		t.Fatal(err)
	}
	conns := capture.Group(pkts)
	if len(conns) != 2 {
		t.Fatalf("%d connections", len(conns))
	}
	for _, c := range conns {
		v := ValidateTLS(c, capture.Validate(c), p, keys)
		if !v.Accepted || !strings.HasPrefix(v.Keys, "verified") {
			t.Fatalf("pcapng with secrets:\n%s", v.Text())
		}
	}
	if k, err := PcapngKeyLog(pcap); k != nil || err != nil {
		t.Fatalf("a pcap: %v %v", k, err)
	}
	bad := pcapngWithSecrets(t, pcap, []byte("CLIENT_RANDOM xx yy\n"))
	if _, err := PcapngKeyLog(bad); err == nil || !strings.Contains(err.Error(), "Decryption Secrets Block: key log line 1") {
		t.Fatalf("a malformed key log in the block: %v", err)
	}
	// Merging with the same key log file changes nothing; with another
	// secret for the same connection it is an error.
	file, _ := ParseKeyLog(bytes.NewReader(kl))
	if m, err := keys.Merge(file); err != nil || m.Len() != 20 {
		t.Fatalf("merge: %v", err)
	}
	other := changeLine(t, "tls13", LabelServerHandshakeTraffic, Streams(conns[0], capture.Validate(conns[0]), p))
	if _, err := keys.Merge(other); err == nil {
		t.Fatal("merged disagreeing key logs")
	}
}
