package ingest

import (
	"strings"
	"unicode"
)

// DefaultScore counts the non-empty cells that look like labels (contain a
// letter and are not HXL tags). It is the scorer used when none is given.
func DefaultScore(cells []string) int {
	n := 0
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" || strings.HasPrefix(c, "#") {
			continue
		}
		if strings.IndexFunc(c, unicode.IsLetter) >= 0 {
			n++
		}
	}
	return n
}

// LooksLikeHXLRow reports whether a row is an HXL hashtag row: at least one
// cell, and at least half of its non-empty cells, look like HXL tags
// ("#adm1+name", also tolerating a missing '#', e.g. "adm1+name").
func LooksLikeHXLRow(cells []string) bool {
	nonEmpty, tags, hashed := 0, 0, 0
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		nonEmpty++
		if strings.HasPrefix(c, "#") && len(c) > 1 {
			tags++
			hashed++
			continue
		}
		if strings.Contains(c, "+") && !strings.ContainsAny(c, " ") && strings.IndexFunc(c, unicode.IsLetter) == 0 {
			tags++
		}
	}
	return hashed > 0 && tags*2 >= nonEmpty
}

// TrimTrailingEmpty returns cells without trailing empty (whitespace-only) cells.
func TrimTrailingEmpty(cells []string) []string {
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	return cells[:n]
}
