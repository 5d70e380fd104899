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
//	progress: 1.2M distinct, queue 340k, 2.1M states/s, depth 14, 3s
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

func progressLine(p checker.Progress) string {
	rate := 0.0
	if s := p.Elapsed.Seconds(); s > 0 {
		rate = float64(p.Distinct) / s
	}
	return fmt.Sprintf("progress: %s distinct, queue %s, %s states/s, depth %d, %s",
		humanize.Short(float64(p.Distinct)), humanize.Short(float64(p.Queue)), humanize.Short(rate), p.Depth, humanize.Elapsed(p.Elapsed))
}
