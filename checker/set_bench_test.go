package checker

import "testing"

// BenchmarkStateSetInsert measures the fingerprint table alone: batches of
// 64 fingerprints, touched then inserted, one in four new. The shards are
// sized up front for b.N entries (growth is the search's business).
func BenchmarkStateSetInsert(b *testing.B) {
	t := newStateSet[uint64](false, 1, false)
	defer t.free()
	for k := range t.shards {
		t.alloc(&t.shards[k], b.N/numShards+minShardCap)
	}
	var fps [64]uint64
	var x, added uint64
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
			if fps[j] != 0 && func() bool { _, ok := t.insert(fps[j], &s, 0); return ok }() {
				added++
			}
		}
	}
	b.ReportMetric(float64(added), "distinct")
	sink = x
}

var sink uint64

// BenchmarkFingerprint measures hashing a state of 8 bytes (a bijection)
// and of 192 bytes (the general hash; about the size of a TCP state).
func BenchmarkFingerprint(b *testing.B) {
	b.Run("8B", func(b *testing.B) {
		var x uint64
		for i := 0; i < b.N; i++ {
			s := uint64(i)
			x += fingerprint(&s)
		}
		sink = x
	})
	b.Run("192B", func(b *testing.B) {
		var s [24]uint64
		var x uint64
		for i := 0; i < b.N; i++ {
			s[i%24] = uint64(i)
			x += fingerprint(&s)
		}
		sink = x
	})
}
