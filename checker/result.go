package checker

import (
	"fmt"
	"time"
)

// Status is the three-valued verdict of a property.
type Status uint8

const (
	// Unknown: the run was incomplete (a limit was hit, or it was
	// stopped) before the property could be decided.
	Unknown Status = iota
	// Holds: the property was decided true on the complete state space.
	Holds
	// Violated: a counterexample was found (for Sometimes: no witness
	// exists in the complete state space).
	Violated
	// NotChecked: the property was left out of the run
	// (Options.Properties selects others). Nothing is known of it.
	NotChecked
)

// MarshalText writes a status as its String ("holds", "violated",
// "unknown"), so that JSON reports show the word.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a status written by MarshalText.
func (s *Status) UnmarshalText(b []byte) error {
	for _, st := range []Status{Unknown, Holds, Violated} {
		if string(b) == st.String() {
			*s = st
			return nil
		}
	}
	return fmt.Errorf("unknown status %q (want holds, violated or unknown)", b)
}

func (s Status) String() string {
	switch s {
	case Holds:
		return "holds"
	case Violated:
		return "violated"
	case NotChecked:
		return "not checked"
	}
	return "unknown"
}

// Step is one step of a trace: the action taken and the state it leads
// to. The first step of a trace holds an initial state and no action.
type Step[S comparable] struct {
	Initial bool
	Action  Action
	State   S
}

// Trace is a path from an initial state. For a lasso (a liveness
// counterexample), Loop is the index of the step the last step returns
// to: the behaviour repeats Steps[Loop+1:] forever. Loop is -1 for a
// finite path. A liveness counterexample that ends in a state where no
// fair action is enabled has Loop = len(Steps)-1 and Stutter set: the
// behaviour stays there forever.
type Trace[S comparable] struct {
	Steps   []Step[S]
	Loop    int
	Stutter bool
}

// PropertyResult is the verdict of one property.
type PropertyResult[S comparable] struct {
	Property Property[S]
	Status   Status
	// Trace is the counterexample (Always, AlwaysStep, Eventually,
	// Deadlock) or the witness (Sometimes, SometimesStep), if any.
	Trace *Trace[S]
}

// Result is the outcome of a Check.
type Result[S comparable] struct {
	// Distinct is the number of distinct reachable states within the
	// state constraint.
	Distinct uint64
	// Generated counts every successor computed (duplicates and states
	// dropped by the constraints included) plus the initial states.
	Generated uint64
	// Depth is the longest shortest path from an initial state, counting
	// initial states as depth 1.
	Depth int
	// Duration is the wall-clock time of the exploration.
	Duration time.Duration
	// Complete is true when the whole state space was explored.
	Complete bool
	// Reason says why an incomplete run stopped ("max states 1000000
	// reached", "timeout 10s", "interrupted", "max depth 20 reached").
	Reason string
	// Properties holds one verdict per property, in the model's order,
	// followed by the deadlock verdict if the model checks deadlocks.
	Properties []PropertyResult[S]
	// Fingerprint describes how states were stored ("exact" when whole
	// states or injective fingerprints were kept) and CollisionProbability
	// estimates the probability that two distinct states shared a 64-bit
	// fingerprint (0 in exact mode), as TLC reports it.
	Fingerprint          string
	CollisionProbability float64
	// PeakBytes is the peak resident memory of the process during the
	// run (VmHWM), as measured by the operating system; 0 if unknown.
	PeakBytes uint64
}

// StatesPerSecond is Distinct divided by Duration.
func (r *Result[S]) StatesPerSecond() float64 {
	if r.Duration <= 0 {
		return 0
	}
	return float64(r.Distinct) / r.Duration.Seconds()
}

// Options tunes a Check. Zero values are the defaults given below;
// negative values, and Workers above MaxWorkers, are refused (Check
// returns an error).
type Options struct {
	// Workers is the number of goroutines exploring in parallel (0 or 1:
	// one). Counts and verdicts do not depend on it.
	Workers int
	// MaxStates stops the run, incomplete, once this many distinct states
	// are stored (0: no limit).
	MaxStates uint64
	// MaxDepth stops the run, incomplete, at this depth (0: no limit).
	MaxDepth int
	// Timeout stops the run, incomplete, after this long (0: no limit).
	Timeout time.Duration
	// Exact stores whole states instead of 64-bit fingerprints, ruling out
	// hash collisions at the cost of memory.
	Exact bool
	// StopWhenDecided stops the run, incomplete, at the end of the first
	// level by which every property has its counterexample or witness
	// (reason "every property decided"), as a model checker that stops at
	// the first error does. It never stops a model with an Eventually
	// property (decided only on the complete graph) or without
	// properties. The verdicts and traces found are those of the full
	// run; the counts are those of the levels explored. A property without a counterexample stays unknown, not
	// holding: the search did not finish.
	StopWhenDecided bool
	// Properties, if not empty, selects the properties to check: each
	// entry names a property (Property.Name; "deadlock" for the deadlock
	// property) or a group (Property.Group: every property of the
	// group). The others are reported as NotChecked, never as holding,
	// and cost nothing: their predicates are not evaluated, and without
	// a selected Eventually property no liveness graph is built. A name
	// that is neither a property nor a group of the model is an error.
	// Result.Properties still lists every property, in the model's order.
	Properties []string
	// MaxMemory bounds the process's resident memory, in bytes: before a
	// growth of the state table or a frontier, or the graphs that rebuild
	// traces and decide liveness, would pass it, the run stops,
	// incomplete, with reason "memory limit ... reached" and the counts
	// and verdicts found so far (it is not killed by the kernel). 0 means
	// DefaultMaxMemory(), a safe fraction of the machine's (or cgroup's)
	// memory; math.MaxUint64 means no limit. ParseBytes reads sizes such
	// as "1GiB" for command lines.
	MaxMemory uint64
	// Progress, if set, is called about every ProgressEvery (default 1s)
	// from a separate goroutine while the run lasts, through every phase
	// (exploring, traces, liveness).
	Progress      func(Progress)
	ProgressEvery time.Duration
}

// memoryLimit is the run's memory limit in bytes, 0 for none.
func (o Options) memoryLimit() uint64 {
	switch o.MaxMemory {
	case 0:
		return DefaultMaxMemory()
	case ^uint64(0):
		return 0
	}
	return o.MaxMemory
}

// Phase is what a run is doing.
type Phase int32

const (
	// PhaseExploring: the parallel search of the reachable states (the
	// counts of Progress grow).
	PhaseExploring Phase = iota
	// PhaseTraces: the exact re-search that rebuilds the shortest
	// counterexamples and witnesses.
	PhaseTraces
	// PhaseLiveness: building the state graph and deciding the
	// Eventually properties on it.
	PhaseLiveness
)

func (p Phase) String() string {
	switch p {
	case PhaseExploring:
		return "exploring"
	case PhaseTraces:
		return "traces"
	case PhaseLiveness:
		return "liveness"
	}
	return "unknown"
}

// Progress is a snapshot of a running check.
type Progress struct {
	// Phase is what the run is doing; the counts are those of the
	// exploration (final once it is over).
	Phase     Phase
	Distinct  uint64
	Generated uint64
	Queue     uint64
	Depth     int
	Elapsed   time.Duration
	// Memory is the process's resident memory now and MaxMemory the
	// run's limit, in bytes (0: unknown, and no limit).
	Memory    uint64
	MaxMemory uint64
}
