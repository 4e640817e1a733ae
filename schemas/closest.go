package schemas

import (
	"sort"
	"strings"
)

// ClosestFields returns up to n names of the dataset's own fields (not the
// provenance fields) closest to name, best first: those containing it or
// contained in it, then by edit distance. It is for "did you mean" hints.
func (d *Dataset) ClosestFields(name string, n int) []string {
	name = strings.ToLower(strings.TrimSpace(name))
	type cand struct {
		name string
		dist int
	}
	var cs []cand
	for _, f := range d.Fields {
		dist := editDistance(name, f.Name)
		if name != "" && (strings.Contains(f.Name, name) || strings.Contains(name, f.Name)) {
			dist = min(dist, 1)
		}
		cs = append(cs, cand{f.Name, dist})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].dist < cs[j].dist })
	var out []string
	for _, c := range cs {
		if len(out) == n || c.dist > max(3, len(name)/2) {
			break
		}
		out = append(out, c.name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b (bytes).
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
