package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// short writes a count compactly: 950, 1.2k, 340k, 2.1M, 3.0G.
func short(x float64) string {
	units := []struct {
		div    float64
		suffix string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}}
	for _, u := range units {
		if x >= u.div {
			v := x / u.div
			if v < 10 {
				return fmt.Sprintf("%.1f%s", v, u.suffix)
			}
			return fmt.Sprintf("%.0f%s", v, u.suffix)
		}
	}
	return strconv.FormatFloat(x, 'f', 0, 64)
}

// grouped writes n with thousands separators: 1,234,567.
func grouped(n uint64) string {
	s := strconv.FormatUint(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// bytesText writes a byte count in binary units: 512 B, 3.4 KiB, 120 MiB.
func bytesText(b float64) string {
	units := []struct {
		div    float64
		suffix string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}}
	for _, u := range units {
		if b >= u.div {
			return fmt.Sprintf("%.1f %s", b/u.div, u.suffix)
		}
	}
	return fmt.Sprintf("%.0f B", b)
}

// elapsed writes a progress duration in whole seconds, or minutes and
// seconds past a minute.
func elapsed(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}

// paramsText writes resolved parameters sorted by name: "cap=2 data=1".
func paramsText(params map[string]int) string {
	if len(params) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, params[k])
	}
	return strings.Join(parts, " ")
}

// wrap joins items with ", " into lines of at most width columns, each
// starting with indent.
func wrap(items []string, indent string, width int) []string {
	var lines []string
	cur := indent
	for i, it := range items {
		sep := ""
		if i < len(items)-1 {
			sep = ","
		}
		if cur != indent && len(cur)+1+len(it)+len(sep) > width {
			lines = append(lines, cur)
			cur = indent
		}
		if cur != indent {
			cur += " "
		}
		cur += it + sep
	}
	if cur != indent {
		lines = append(lines, cur)
	}
	return lines
}
