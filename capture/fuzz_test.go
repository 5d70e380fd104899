package capture

import (
	"bytes"
	"testing"
)

// FuzzRead: malformed, truncated and non-TCP input never panics, and
// whatever Read accepts can be grouped and validated without panicking.
// The seed corpus (the real captures, truncated and corrupted variants,
// pcapng and IPv6 encodings) runs in every plain `go test`.
func FuzzRead(f *testing.F) {
	for _, file := range captures(f) {
		b := mustRead(f, file)
		f.Add(b)
		f.Add(b[:len(b)/2])
		f.Add(b[:24])
		f.Add(b[:30])
		bad := bytes.Clone(b)
		for i := 40; i < len(bad); i += 37 {
			bad[i] ^= 0xff
		}
		f.Add(bad)
	}
	c := load(f, "testdata/half_close.pcap")
	f.Add(encode(f, c, true, true))
	f.Add(encode(f, c, false, true)[:100])
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x0d, 0x0d, 0x0a})
	f.Add([]byte("not a capture"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pkts, err := Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, c := range Group(pkts) {
			if len(c.Segments) > 64 {
				c.Segments = c.Segments[:64]
			}
			v := Validate(c)
			if !v.Accepted && v.Error == "" && (v.Rejected < 0 || v.Rejected >= len(c.Segments)) {
				t.Fatalf("rejected at %d of %d segments", v.Rejected, len(c.Segments))
			}
		}
	})
}
