package checker

import (
	"fmt"
	"strconv"
	"strings"
)

// selectProperties marks the properties of all that names selects
// (Options.Properties): by name, or by group. Empty names select every
// property. A name that matches nothing is an error naming the known
// names and groups.
func selectProperties[S comparable](all []Property[S], names []string) ([]bool, error) {
	chosen := make([]bool, len(all))
	if len(names) == 0 {
		for i := range chosen {
			chosen[i] = true
		}
		return chosen, nil
	}
	var unknown []string
	for _, n := range names {
		hit := false
		for i, p := range all {
			if p.Name == n || (p.Group != "" && p.Group == n) {
				chosen[i] = true
				hit = true
			}
		}
		if !hit {
			unknown = append(unknown, strconv.Quote(n))
		}
	}
	if len(unknown) == 0 {
		return chosen, nil
	}
	var known, groups []string
	seen := map[string]bool{}
	for _, p := range all {
		known = append(known, p.Name)
		if p.Group != "" && !seen[p.Group] {
			seen[p.Group] = true
			groups = append(groups, p.Group)
		}
	}
	msg := fmt.Sprintf("checker: options: no property or group named %s (properties: %s", strings.Join(unknown, ", "), strings.Join(known, ", "))
	if len(groups) > 0 {
		msg += "; groups: " + strings.Join(groups, ", ")
	}
	return nil, fmt.Errorf("%s)", msg)
}

// ParseBytes reads a memory size for command lines (--max-memory): a
// whole or decimal number with an optional unit, binary (KiB, MiB, GiB,
// TiB; K, M, G, T mean the same) or B for bytes: "1GiB", "1.5G",
// "512MiB", "1073741824". Units are case-insensitive. It refuses
// negative, zero and unreadable sizes with an error naming the input.
func ParseBytes(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	v, err := strconv.ParseFloat(num, 64)
	if num == "" || err != nil {
		return 0, fmt.Errorf("size %q: want a number with an optional unit (B, KiB, MiB, GiB, TiB), e.g. 1GiB", s)
	}
	mult := map[string]float64{"": 1, "b": 1,
		"k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20,
		"g": 1 << 30, "gib": 1 << 30, "t": 1 << 40, "tib": 1 << 40}
	f, ok := mult[unit]
	if !ok {
		return 0, fmt.Errorf("size %q: unknown unit %q (want B, KiB, MiB, GiB or TiB)", s, t[i:])
	}
	n := v * f
	if n < 1 || n >= 1<<63 {
		return 0, fmt.Errorf("size %q: out of range", s)
	}
	return uint64(n), nil
}
