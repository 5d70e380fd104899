package cli

import (
	"context"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
)

// fakeSystem is a checker.System with a hand-made report, to test the
// CLI's rendering of reports independently of the engine. It records the
// options it was checked with.
type fakeSystem struct {
	report checker.Report
	got    *checker.Options
}

var fakeLast checker.Options

func (f fakeSystem) Name() string    { return "test-fake" }
func (f fakeSystem) Lanes() []string { return []string{"client", "server"} }
func (f fakeSystem) Properties() []checker.PropertyInfo {
	var out []checker.PropertyInfo
	for _, p := range f.report.Properties {
		out = append(out, p.PropertyInfo)
	}
	return out
}
func (f fakeSystem) Check(ctx context.Context, opt checker.Options) checker.Report {
	*f.got = opt
	if opt.Progress != nil {
		// What the engine does during a long run.
		opt.Progress(checker.Progress{Distinct: 10, Queue: 5, Depth: 2, Elapsed: 500e6})
		opt.Progress(checker.Progress{Distinct: 1_234_567, Generated: 4_000_000, Queue: 340_000, Depth: 14, Elapsed: 3e9})
	}
	return f.report
}
func (f fakeSystem) Simulate(seed int64, steps int) checker.TraceReport { return synTrace() }

// synTrace is a client's SYN put on the network and delivered.
func synTrace() checker.TraceReport {
	return checker.TraceReport{Loop: -1, Steps: []checker.TraceStep{
		{Index: 0, State: "client CLOSED, server LISTEN"},
		{Index: 0, Action: "client: active OPEN", State: "client SYN_SENT, server LISTEN, net {SYN}",
			Events: []checker.Event{
				{Kind: checker.Send, Lane: 0, Peer: 1, Text: "SYN seq=100"},
				{Kind: checker.Change, Lane: 0, Text: "SYN_SENT"}}},
		{Index: 0, Action: "deliver client->server SYN", State: "client SYN_SENT, server SYN_RECEIVED",
			Events: []checker.Event{
				{Kind: checker.Receive, Lane: 1, Peer: 0, Text: "SYN seq=100"},
				{Kind: checker.Change, Lane: 1, Text: "SYN_RECEIVED"}}},
	}}
}

func prop(name string, kind checker.Kind, group, status string, trace *checker.TraceReport) checker.PropertyReport {
	var st checker.Status
	if err := st.UnmarshalText([]byte(status)); err != nil {
		panic(err)
	}
	return checker.PropertyReport{
		PropertyInfo: checker.PropertyInfo{Name: name, Kind: kind, Group: group, Description: "about " + name},
		Status:       st,
		Trace:        trace,
	}
}

// fakeReport is the report of each variant of test-fake.
func fakeReport(variant string) checker.Report {
	syn := synTrace()
	lasso := synTrace()
	lasso.Loop = 1
	r := checker.Report{
		Distinct: 1234, Generated: 5678, Depth: 9, Seconds: 0.5, StatesPerSecond: 2468,
		Complete: true, Fingerprint: "64-bit fingerprints", CollisionProbability: 1.5e-13,
		PeakBytes: 3 << 20, BytesPerState: float64(3<<20) / 1234,
		Properties: []checker.PropertyReport{
			prop("safe", checker.Always, "", "holds", nil),
			prop("established-reachable", checker.Sometimes, "", "holds", &syn),
			prop("CLOSED->SYN_SENT", checker.SometimesStep, "diagram", "holds", &syn),
			prop("LISTEN->SYN_RECEIVED", checker.SometimesStep, "diagram", "holds", &syn),
			prop("deadlock", checker.Deadlock, "", "holds", nil),
		},
	}
	switch variant {
	case "violated":
		r.Properties[0] = prop("safe", checker.Always, "", "violated", &syn)
		r.Properties = append(r.Properties, prop("terminates", checker.Eventually, "", "violated", &lasso))
		r.Properties[3].Status = checker.Violated // an arrow never covered
		r.Properties[3].Trace = nil
	case "incomplete":
		// A careless engine might call an invariant "holds" after a
		// limit: the CLI must not.
		r.Complete, r.Reason = false, "max states 10 reached"
		r.Properties[2].Status = checker.Unknown
		r.Properties[3].Status = checker.Unknown
	case "interrupted-violated":
		r.Complete, r.Reason = false, "interrupted"
		r.Properties[0] = prop("safe", checker.Always, "", "violated", &syn)
		r.Properties[4].Status = checker.Unknown
	case "exact":
		r.Fingerprint, r.CollisionProbability, r.PeakBytes, r.BytesPerState = "exact (whole states stored)", 0, 0, 0
	}
	return r
}

func init() {
	testModels = append(testModels, &catalog.Entry{
		Name:        "test-fake",
		Description: "test only: hand-made reports",
		Params:      []catalog.Param{{Name: "n", Default: 1, Min: 0, Max: 9, Description: "unused"}},
		Variants: []catalog.Variant{
			{Name: "holds"},
			{Name: "violated", Expect: map[string]checker.Status{"safe": checker.Violated}},
			{Name: "incomplete"},
			{Name: "interrupted-violated"},
			{Name: "exact"},
		},
		Build: func(variant string, params map[string]int) (checker.System, error) {
			return fakeSystem{report: fakeReport(variant), got: &fakeLast}, nil
		},
	})
}
