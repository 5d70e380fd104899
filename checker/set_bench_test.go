package checker

import "testing"

// BenchmarkStateSetInsert measures the fingerprint table alone: batches of
// 64 fingerprints, touched then inserted, one in four new.
func BenchmarkStateSetInsert(b *testing.B) {
	t := newStateSet[uint64](false)
	var fps [64]uint64
	var x uint64
	n := uint64(0)
	b.ResetTimer()
	for i := 0; i < b.N; i += 64 {
		for j := range fps {
			n++
			fps[j] = mix64(n / 4)
		}
		x += t.touch(fps[:])
		for j := range fps {
			s := fps[j]
			t.insert(fps[j], &s)
		}
	}
	b.ReportMetric(float64(t.count), "distinct")
	sink = x
}

var sink uint64
