package checker_test

import (
	"context"
	"testing"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcpabstract"
)

func benchmarkTCPAbstract(b *testing.B, k, workers int) {
	m := tcpabstract.Config{Capacity: k}.Model()
	for i := 0; i < b.N; i++ {
		r := checker.Check(context.Background(), m, checker.Options{Workers: workers})
		b.ReportMetric(float64(r.Distinct)/r.Duration.Seconds(), "states/s")
	}
}

func BenchmarkTCPAbstractK4Workers1(b *testing.B) { benchmarkTCPAbstract(b, 4, 1) }
func BenchmarkTCPAbstractK4Workers2(b *testing.B) { benchmarkTCPAbstract(b, 4, 2) }
