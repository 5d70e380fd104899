package tlsvalidate

import (
	"testing"
)

// FuzzTLS feeds arbitrary client and server streams to the record and
// message parsers and the whole validation: no panic, and the verdict is
// consistent (a rejection has a rule; an accepted stream's records cover
// it). The seed corpus (the streams of the real captures, and their
// prefixes) runs in plain go test; go test -fuzz=FuzzTLS explores.
// Allocation is bounded by the stream: records are slices of it, and a
// handshake message is read only up to maxMessage.
//
// The third argument picks the key log of one of the seed captures (or
// none), so that mutations of a capture's streams reach decryption, the
// Finished checks and the HTTP reader.
func FuzzTLS(f *testing.F) {
	names := []string{"tls13", "hrr13", "ecdhe12", "rsa12", "cbc12_noetm", "keyupdate13"}
	keyLogs := []*KeyLog{nil}
	for i, name := range names {
		conns, keys := load(f, name)
		keyLogs = append(keyLogs, keys)
		st := Streams(conns[0].conn, conns[0].tcp, conns[0].p)
		f.Add(st[cl].Data, st[sv].Data, uint8(i+1))
		f.Add(st[cl].Data[:len(st[cl].Data)/2], st[sv].Data[:len(st[sv].Data)/3], uint8(i+1))
		f.Add(st[cl].Data, st[sv].Data, uint8(0))
	}
	f.Add([]byte{22, 3, 1, 0, 4, 1, 0, 0, 0}, []byte{22, 3, 3, 0, 4, 2, 0, 0, 0}, uint8(0))
	f.Fuzz(func(t *testing.T, c, s []byte, k uint8) {
		var st [2]Stream
		st[cl] = Stream{Data: c, FIN: -1, Pieces: []Piece{{0, len(c), 1}}}
		st[sv] = Stream{Data: s, FIN: -1, Pieces: []Piece{{0, len(s), 2}}}
		v := ValidateStreams(st, keyLogs[int(k)%len(keyLogs)])
		if !v.Accepted && (v.Violation == nil || v.Violation.Rule == "") {
			t.Fatalf("rejected without a rule: %+v", v)
		}
		for _, data := range [][]byte{c, s} {
			recs, tail, bad := parseRecords(data)
			n := tail
			for _, r := range recs {
				n += 5 + len(r.Fragment)
			}
			if bad == nil && n != len(data) {
				t.Fatalf("records cover %d of %d octets", n, len(data))
			}
			var a assembler
			for _, r := range recs {
				if _, err := a.add(r.Fragment); err != nil {
					break
				}
			}
			if len(data) > 5 {
				parseHello(data[5:], true)
				parseHello(data[5:], false)
			}
		}
	})
}
