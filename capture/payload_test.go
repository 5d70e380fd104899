package capture

import (
	"bytes"
	"os"
	"reflect"
	"testing"
)

// TestReadPayloads: the same packets as Read, with each data segment's
// captured text: all of it in a full capture (tcpdump -s 0), and less
// than its length where the snap length cut it; and the same refusal of
// a truncated file.
func TestReadPayloads(t *testing.T) {
	for _, tc := range []struct {
		file string
		full bool
	}{{"testdata/tls/tls13.pcap", true}, {"testdata/linux/zerowindow.pcap", false}} {
		b, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Read(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		got, p, err := ReadPayloads(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: ReadPayloads's packets differ from Read's", tc.file)
		}
		data, cut := 0, 0
		for _, pk := range got {
			if pk.Len == 0 {
				if len(p[pk.Frame]) != 0 {
					t.Errorf("%s frame %d: payload without length", tc.file, pk.Frame)
				}
				continue
			}
			data++
			n := len(p[pk.Frame])
			if n > int(pk.Len) {
				t.Errorf("%s frame %d: %d octets captured, length %d", tc.file, pk.Frame, n, pk.Len)
			}
			if n < int(pk.Len) {
				cut++
			}
		}
		if data == 0 || tc.full && cut != 0 || !tc.full && cut == 0 {
			t.Errorf("%s: %d data segments, %d cut by the snap length (full capture: %v)", tc.file, data, cut, tc.full)
		}
		// The TLS capture's first client data starts with a handshake
		// record carrying a ClientHello.
		if tc.full {
			for _, pk := range got {
				if pk.Len > 0 {
					if q := p[pk.Frame]; q[0] != 22 || q[5] != 1 {
						t.Errorf("first data segment %x...", q[:6])
					}
					break
				}
			}
		}
		_, _, err = ReadPayloads(bytes.NewReader(b[:len(b)-3]))
		if _, ok := err.(*TruncatedError); !ok {
			t.Errorf("%s cut short: %v, want a *TruncatedError", tc.file, err)
		}
	}
}
