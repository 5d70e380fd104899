// Package humanize writes numbers, durations, lists and words for people,
// as the command-line tool's outputs show them.
package humanize

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Short writes a count compactly: 950, 1.2k, 340k, 2.1M, 3.0G.
func Short(x float64) string {
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

// Grouped writes n with thousands separators: 1,234,567.
func Grouped(n uint64) string {
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

// Bytes writes a byte count in binary units: 512 B, 3.4 KiB, 120 MiB.
func Bytes(b float64) string {
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

// Elapsed writes a progress duration in whole seconds, or minutes and
// seconds past a minute.
func Elapsed(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}

// Target names a model variant as every output heads it:
// "model tcp, variant rfc9293, params cap=2 data=1".
func Target(model, variant string, params map[string]int) string {
	return "model " + model + ", variant " + variant + ", params " + Params(params)
}

// Params writes resolved parameters sorted by name: "cap=2 data=1".
func Params(params map[string]int) string {
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

// Wrap joins items with ", " into lines of at most width columns, each
// starting with indent.
func Wrap(items []string, indent string, width int) []string {
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

// Plural writes "1 step", "2 steps", "3 properties".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(word, "y"))
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// PluralWord is word, with an s unless n is 1.
func PluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// WrapWords breaks text at spaces into lines of at most width runes.
func WrapWords(text string, width int) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(text) {
		if cur != "" && utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(word) > width {
			lines = append(lines, cur)
			cur = ""
		}
		if cur != "" {
			cur += " "
		}
		cur += word
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// PadRight pads s with spaces to width runes.
func PadRight(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}
