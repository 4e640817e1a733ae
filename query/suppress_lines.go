package query

import "math"

// Suppress decides which values of one count column to suppress (see
// suppress.go for the rules). vals[i] is row i's count, present[i] false
// for a NULL; lines are the table's constraints. It returns the suppressed
// rows.
func Suppress(vals []int64, present []bool, lines []Line, minCell int) []bool {
	sup := make([]bool, len(vals))
	primary := make([]bool, len(vals))
	for i, v := range vals {
		if present[i] && v > 0 && v < int64(minCell) {
			sup[i], primary[i] = true, true
		}
	}
	// Only lines with a total constrain; each row knows its lines.
	var con []Line
	for _, l := range lines {
		if l.Total >= 0 {
			con = append(con, l)
		}
	}
	rowLines := make([][]int, len(vals))
	for li, l := range con {
		for _, r := range l.Cells {
			rowLines[r] = append(rowLines[r], li)
		}
		rowLines[l.Total] = append(rowLines[l.Total], li)
	}
	for round := 0; round <= len(vals); round++ {
		changed := false
		for li := range con {
			if lineNeedsMore(con[li], vals, present, sup, primary, minCell) && complement(con[li], vals, present, sup) {
				changed = true
			}
		}
		if changed {
			continue
		}
		r, ok := determined(con, vals, present, sup)
		if !ok {
			break
		}
		added := false
		for _, li := range rowLines[r] {
			if complement(con[li], vals, present, sup) {
				added = true
				break
			}
		}
		if !added { // nothing left to suppress in its lines
			break
		}
	}
	return sup
}

// lineNeedsMore reports a line where the suppressed members could be
// recovered: exactly one suppressed member, or only primary cells whose sum
// (known from the published total) pins each of them.
func lineNeedsMore(l Line, vals []int64, present, sup, primary []bool, minCell int) bool {
	n, allPrimary := 0, true
	var sum int64
	members := append(append([]int{}, l.Cells...), l.Total)
	for _, r := range members {
		if !present[r] || !sup[r] {
			continue
		}
		n++
		sum += vals[r]
		if !primary[r] || r == l.Total {
			allPrimary = false
		}
	}
	switch {
	case n == 0:
		return false
	case n == 1:
		return true
	}
	return allPrimary && !sup[l.Total] && (sum == int64(n) || sum == int64(n)*int64(minCell-1))
}

// complement suppresses the line's smallest published non-zero cell, or
// its total when no cell is left; false when nothing could be added.
func complement(l Line, vals []int64, present, sup []bool) bool {
	best := -1
	for _, r := range l.Cells {
		if !present[r] || sup[r] || vals[r] == 0 {
			continue
		}
		if best < 0 || vals[r] < vals[best] {
			best = r
		}
	}
	if best < 0 {
		for _, r := range l.Cells { // zero cells only as a last resort
			if present[r] && !sup[r] {
				best = r
				break
			}
		}
	}
	if best < 0 && present[l.Total] && !sup[l.Total] {
		best = l.Total
	}
	if best < 0 {
		return false
	}
	sup[best] = true
	return true
}

// determined returns a suppressed row whose value the lines determine
// exactly (the unit vector of its unknown lies in the row space of the
// constraint matrix over the suppressed unknowns).
func determined(con []Line, vals []int64, present, sup []bool) (int, bool) {
	idx := map[int]int{}
	var unknowns []int
	for r := range vals {
		if present[r] && sup[r] {
			idx[r] = len(unknowns)
			unknowns = append(unknowns, r)
		}
	}
	n := len(unknowns)
	if n == 0 || n > maxExactUnknowns {
		return 0, false
	}
	var m [][]float64
	for _, l := range con {
		row := make([]float64, n)
		nz := false
		for _, r := range l.Cells {
			if j, ok := idx[r]; ok {
				row[j] += 1
				nz = true
			}
		}
		if j, ok := idx[l.Total]; ok {
			row[j] -= 1
			nz = true
		}
		if nz {
			m = append(m, row)
		}
	}
	pivotRow := rref(m, n)
	for j, pr := range pivotRow {
		if pr < 0 {
			continue
		}
		alone := true
		for k := 0; k < n; k++ {
			if k != j && math.Abs(m[pr][k]) > 1e-9 {
				alone = false
				break
			}
		}
		if alone {
			return unknowns[j], true
		}
	}
	return 0, false
}

// rref reduces m in place and returns, per column, the row of its pivot
// (-1 for a free column).
func rref(m [][]float64, n int) []int {
	pivot := make([]int, n)
	for j := range pivot {
		pivot[j] = -1
	}
	row := 0
	for j := 0; j < n && row < len(m); j++ {
		p := -1
		for i := row; i < len(m); i++ {
			if math.Abs(m[i][j]) > 1e-9 && (p < 0 || math.Abs(m[i][j]) > math.Abs(m[p][j])) {
				p = i
			}
		}
		if p < 0 {
			continue
		}
		m[row], m[p] = m[p], m[row]
		inv := 1 / m[row][j]
		for k := j; k < n; k++ {
			m[row][k] *= inv
		}
		for i := range m {
			if i == row || math.Abs(m[i][j]) < 1e-12 {
				continue
			}
			f := m[i][j]
			for k := j; k < n; k++ {
				m[i][k] -= f * m[row][k]
			}
		}
		pivot[j] = row
		row++
	}
	return pivot
}
