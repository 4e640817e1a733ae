package pipeline

import (
	"testing"

	"github.com/iom-dtm/dtm/sinks"
)

// TestRowGroupsBounded: one file gets row groups of groupRows rows; many
// files receiving rows in turn close theirs early so that the open rows
// stay near maxOpen, never below minRows a group.
func TestRowGroupsBounded(t *testing.T) {
	one := newRowGroups(100, 200)
	pf := new(sinks.ParquetFile)
	var starts []int
	for i := range 10 {
		if one.next(pf, 30) {
			starts = append(starts, i)
		}
	}
	if want := []int{4, 8}; len(starts) != 2 || starts[0] != want[0] || starts[1] != want[1] {
		t.Errorf("one file: row groups start at records %v, want %v (4 records of 30 reach 100)", starts, want)
	}

	many := newRowGroups(100, 200)
	files := make([]*sinks.ParquetFile, 20)
	for i := range files {
		files[i] = new(sinks.ParquetFile)
	}
	maxOpen := int64(0)
	for round := range 50 {
		for _, f := range files {
			open := many.open[f]
			if many.next(f, 5) && open < many.minRows {
				t.Fatalf("round %d: a group of %d rows closed, below %d", round, open, many.minRows)
			}
			maxOpen = max(maxOpen, many.total)
		}
	}
	// 20 files each keep at least up to minRows (12) open: 20 × 17 at most.
	if limit := int64(len(files)) * (many.minRows + 5); maxOpen > max(limit, many.maxOpen+5) {
		t.Errorf("20 files: %d rows open at most, want <= %d", maxOpen, max(limit, many.maxOpen+5))
	}
	sum := int64(0)
	for _, n := range many.open {
		sum += n
	}
	if sum != many.total {
		t.Errorf("open rows %d, total %d", sum, many.total)
	}
}
