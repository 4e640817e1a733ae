package transform

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestRowHashIsRowEquality: on random rows of a small alphabet (spaces,
// empty cells, multi-byte text, cells of 0 to 20 bytes so that words and
// tails both matter), two rows have the same rowHash exactly when their
// trimmed cells are equal, trailing empty cells left out.
func TestRowHashIsRowEquality(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", "b", " ", "é", "0", "\t"}
	byKey := map[string]uint64{}
	byHash := map[uint64]string{}
	for range 200_000 {
		row := make([]string, rng.IntN(5))
		for i := range row {
			var sb strings.Builder
			for range rng.IntN(21) {
				sb.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
			row[i] = sb.String()
		}
		trimmed := make([]string, len(row))
		for i, c := range row {
			trimmed[i] = strings.TrimSpace(c)
		}
		for len(trimmed) > 0 && trimmed[len(trimmed)-1] == "" {
			trimmed = trimmed[:len(trimmed)-1]
		}
		key := strings.Join(trimmed, "\x00") + fmt.Sprint("|", len(trimmed))
		h := rowHash(row)
		if prev, ok := byKey[key]; ok && prev != h {
			t.Fatalf("row %q: hash %x, an equal row hashed %x", row, h, prev)
		}
		if prev, ok := byHash[h]; ok && prev != key {
			t.Fatalf("rows %q and %q share hash %x", prev, key, h)
		}
		byKey[key], byHash[h] = h, key
	}
	if rowHash([]string{"ab", "c"}) == rowHash([]string{"a", "bc"}) {
		t.Error("cell boundaries are not hashed")
	}
	if rowHash([]string{" x ", "", " "}) != rowHash([]string{"x"}) {
		t.Error("trimmed cells and trailing empty cells are not ignored")
	}
}
