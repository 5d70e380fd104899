package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/handshake/handshake/checker"
)

// maxSuggestions is how many names an "unknown property" message offers:
// a model can have dozens of properties (tcp has 34), and listing them
// all made a hint of a thousand characters.
const maxSuggestions = 3

// closestNames returns up to n of names nearest to name: those that
// contain it (or that it contains) first, then by edit distance, ties in
// the names' order. Names further than half their length away are not
// offered.
func closestNames(names []string, name string, n int) []string {
	type cand struct {
		name string
		rank int
		pos  int
	}
	var cs []cand
	low := strings.ToLower(name)
	for i, c := range names {
		lc := strings.ToLower(c)
		rank := editDistance(low, lc)
		if low != "" && (strings.Contains(lc, low) || strings.Contains(low, lc)) {
			rank = -1
		} else if rank > max(len(lc), len(low))/2 {
			continue
		}
		cs = append(cs, cand{c, rank, i})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].rank < cs[j].rank })
	var out []string
	for _, c := range cs {
		if len(out) == n {
			break
		}
		out = append(out, c.name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// unknownProperty is the short error for a property name the model does
// not have: the closest names, and where the whole list is (lister: "props
// lists them" in explore, "'handshake list tcp' lists them" elsewhere).
// It returns nil when the model has the property.
func unknownProperty(sys checker.System, name, lister string) error {
	var names []string
	for _, p := range sys.Properties() {
		if p.Name == name {
			return nil
		}
		names = append(names, p.Name)
	}
	if near := closestNames(names, name, maxSuggestions); len(near) > 0 {
		return fmt.Errorf("no property %q in model %s; closest: %s (%s)", name, sys.Name(), strings.Join(near, ", "), lister)
	}
	return fmt.Errorf("no property %q in model %s (%s)", name, sys.Name(), lister)
}
