package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/internal/humanize"
)

// progressAfter is how long a run lasts before progress is shown.
const progressAfter = time.Second

// progressPrinter returns a checker.Options.Progress callback writing
//
//	progress: exploring, 1.2M distinct, queue 340k, 2.1M states/s, depth 14, memory 310.0 MiB of 17.3 GiB, 3s
//
// to w once the run has lasted over a second. The engine calls it from its
// own goroutine; the lock keeps lines whole.
func progressPrinter(w io.Writer) func(checker.Progress) {
	var mu sync.Mutex
	return func(p checker.Progress) {
		if p.Elapsed < progressAfter {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(w, progressLine(p))
	}
}

// progressLine is one progress line: the phase, the counts (the queue
// and the rate only while exploring: they are final after), the memory
// in use and its limit when known, and the time.
func progressLine(p checker.Progress) string {
	b := fmt.Sprintf("progress: %s, %s distinct", p.Phase, humanize.Short(float64(p.Distinct)))
	if p.Phase == checker.PhaseExploring {
		rate := 0.0
		if s := p.Elapsed.Seconds(); s > 0 {
			rate = float64(p.Distinct) / s
		}
		b += fmt.Sprintf(", queue %s, %s states/s", humanize.Short(float64(p.Queue)), humanize.Short(rate))
	}
	b += fmt.Sprintf(", depth %d", p.Depth)
	if p.Memory > 0 {
		b += ", memory " + humanize.Bytes(float64(p.Memory))
		if p.MaxMemory > 0 {
			b += " of " + humanize.Bytes(float64(p.MaxMemory))
		}
	}
	return b + ", " + humanize.Elapsed(p.Elapsed)
}
