package checker

import (
	"os"
	"strconv"
	"strings"
	"sync/atomic"
)

// The memory limit (Options.MaxMemory). A run that the kernel's OOM
// killer ends loses everything it found; a run that stops on its own
// reports its counts and verdicts like any run stopped by a limit. So the
// engine asks, before every large allocation (a growth of the state
// table, of a frontier, of the graphs that rebuild traces and decide
// liveness), whether the process's resident memory plus the whole
// allocation would pass the limit, and if so stops instead of
// allocating: incomplete, reason "memory limit".
//
// The measure is the resident set (RSS, /proc/self/statm), which counts
// the off-heap tables, the Go heap and everything else of the process,
// and the new allocation is counted whole, although its pages are only
// committed as they are touched: the check is conservative. What it does
// not see is the memory allocated between two checks outside those
// allocations (the Go heap's small objects), which the engine keeps
// small; and the limit is the process's, so a program that holds memory
// of its own should lower it accordingly.

// memoryFraction is the part of the available memory the default limit
// takes, leaving the rest to the kernel, other processes and the margin
// between checks.
const memoryFraction = 0.75

// DefaultMaxMemory is the limit a run gets when Options.MaxMemory is 0:
// memoryFraction (3/4) of the least of the machine's memory (MemTotal in
// /proc/meminfo), the memory left to this process at the time of the call
// (its resident memory plus MemAvailable) and the cgroup's limit
// (memory.max of the process's cgroup v2, or memory.limit_in_bytes of
// v1), when there is one. It returns 0 (no limit) where none of these can
// be read.
func DefaultMaxMemory() uint64 {
	var lim uint64
	take := func(v uint64) {
		if v > 0 && (lim == 0 || v < lim) {
			lim = v
		}
	}
	info := meminfo()
	take(info["MemTotal"])
	if avail, ok := info["MemAvailable"]; ok {
		take(avail + residentBytes())
	}
	take(cgroupLimit())
	return uint64(float64(lim) * memoryFraction)
}

// meminfo reads /proc/meminfo in bytes.
func meminfo() map[string]uint64 {
	out := map[string]uint64{}
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return out
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, rest, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			continue
		}
		v, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			continue
		}
		if len(f) > 1 && f[1] == "kB" {
			v *= 1024
		}
		out[name] = v
	}
	return out
}

// cgroupLimit returns the memory limit of the process's cgroup, 0 if none
// or unknown.
func cgroupLimit() uint64 {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return 0
	}
	var best uint64
	take := func(path string) {
		c, err := os.ReadFile(path)
		if err != nil {
			return
		}
		s := strings.TrimSpace(string(c))
		if s == "max" {
			return
		}
		v, err := strconv.ParseUint(s, 10, 64)
		// cgroup v1 reports "no limit" as a huge number.
		if err != nil || v == 0 || v >= 1<<62 {
			return
		}
		if best == 0 || v < best {
			best = v
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		// "0::/user.slice/x" (v2) or "4:memory:/x" (v1).
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "":
			take("/sys/fs/cgroup" + parts[2] + "/memory.max")
			take("/sys/fs/cgroup/memory.max")
		case strings.Contains(parts[1], "memory"):
			take("/sys/fs/cgroup/memory" + parts[2] + "/memory.limit_in_bytes")
			take("/sys/fs/cgroup/memory/memory.limit_in_bytes")
		}
	}
	return best
}

// residentBytes is the process's resident memory now (the second field
// of /proc/self/statm, in pages), or 0 if unknown.
func residentBytes() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize())
}

// memGuard enforces a run's memory limit.
type memGuard struct {
	limit uint64 // bytes; 0: no limit
	// hit is set once an allocation was refused.
	hit atomic.Bool
	// halt stops the run with a reason (the bfs's halt).
	halt func(reason string)
}

// checkBelow is the size under which an allocation is not checked: a
// small model then never reads /proc. Tables and frontiers grow
// geometrically, so a growth that matters soon comes above it.
const checkBelow = 1 << 20

// afford reports whether extra more bytes fit under the limit. If not, it
// stops the run with reason "memory limit" (the first time) and returns
// false: the caller must not allocate.
func (g *memGuard) afford(extra uint64) bool {
	if g == nil || g.limit == 0 {
		return true
	}
	if g.hit.Load() {
		return false
	}
	if extra < checkBelow {
		return true
	}
	if residentBytes()+extra <= g.limit {
		return true
	}
	g.hit.Store(true)
	if g.halt != nil {
		g.halt("memory limit " + formatBytes(g.limit) + " reached")
	}
	return false
}

// formatBytes writes a byte count in binary units ("1 GiB", "512 MiB",
// "1.5 GiB").
func formatBytes(n uint64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	v := float64(n)
	u := 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + units[u]
}
