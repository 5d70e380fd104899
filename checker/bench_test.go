package checker_test

import (
	"context"
	"testing"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcpabstract"
)

// The engine's headline benchmark is the tcp-abstract model with bounded
// networks (see README, "Performance"). k=4 (2.2M states) keeps a
// benchmark iteration near a second; the CLI run
//
//	handshake check tcp-abstract --variant bounded --set k=5 --workers 2
//
// is the full-size figure.
func benchmarkTCPAbstract(b *testing.B, k, workers int) {
	m := tcpabstract.Config{Capacity: k}.Model()
	var states float64
	for i := 0; i < b.N; i++ {
		r, err := checker.Check(context.Background(), m, checker.Options{Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		states += float64(r.Distinct)
	}
	b.ReportMetric(states/b.Elapsed().Seconds(), "states/s")
}

func BenchmarkTCPAbstractK4Workers1(b *testing.B) { benchmarkTCPAbstract(b, 4, 1) }
func BenchmarkTCPAbstractK4Workers2(b *testing.B) { benchmarkTCPAbstract(b, 4, 2) }
func BenchmarkTCPAbstractK5Workers1(b *testing.B) { benchmarkTCPAbstract(b, 5, 1) }
func BenchmarkTCPAbstractK5Workers2(b *testing.B) { benchmarkTCPAbstract(b, 5, 2) }
