package handshake_test

import (
	"context"
	"runtime/debug"
	"slices"
	"testing"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/spec"
)

// BenchmarkLivenessOverhead is the liveness target of issue 17: the check
// of tcp --variant rfc9293-unreliable --set data=2 with 2 workers, with
// every property, against the same check without its leads-to properties
// (every other property selected). Each iteration runs the pair, one
// after the other, in alternating order; the metrics are medians over the
// iterations: each run's time (without-s, every-s) and peak resident
// memory (without-MiB, every-MiB), and the pair's ratios (time-ratio,
// peak-ratio), the figures the target bounds (at most 1.5 and 2). The
// machine is shared: run several iterations
// (go test -run X -bench LivenessOverhead -benchtime 5x .).
func BenchmarkLivenessOverhead(b *testing.B) {
	e := spec.TCP()
	v, err := e.Variant("rfc9293-unreliable")
	if err != nil {
		b.Fatal(err)
	}
	params, err := e.Resolve(v, []string{"data=2"})
	if err != nil {
		b.Fatal(err)
	}
	sys, err := e.Build(v.Name, params)
	if err != nil {
		b.Fatal(err)
	}
	var safety []string
	for _, p := range sys.Properties() {
		if p.Kind != checker.Eventually {
			safety = append(safety, p.Name)
		}
	}
	run := func(props []string) (seconds, mib float64) {
		debug.FreeOSMemory() // the previous run's heap is not this one's peak
		rep := sys.Check(context.Background(), checker.Options{Workers: 2, Properties: props})
		if !rep.Complete {
			b.Fatalf("incomplete: %s", rep.Reason)
		}
		return rep.Seconds, float64(rep.PeakBytes) / (1 << 20)
	}
	var ws, es, wm, em, tr, mr []float64
	for i := 0; i < b.N; i++ {
		var t0, m0, t1, m1 float64
		if i%2 == 0 {
			t0, m0 = run(safety)
			t1, m1 = run(nil)
		} else {
			t1, m1 = run(nil)
			t0, m0 = run(safety)
		}
		ws, es, wm, em = append(ws, t0), append(es, t1), append(wm, m0), append(em, m1)
		tr, mr = append(tr, t1/t0), append(mr, m1/m0)
	}
	for _, m := range []struct {
		unit string
		xs   []float64
	}{{"without-s", ws}, {"every-s", es}, {"without-MiB", wm}, {"every-MiB", em}, {"time-ratio", tr}, {"peak-ratio", mr}} {
		b.ReportMetric(median(m.xs), m.unit)
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
