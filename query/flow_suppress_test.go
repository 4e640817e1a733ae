package query

import (
	"fmt"
	"math/big"
	"math/rand"
	"testing"
)

// table2D returns a two-way table with margins in long form (r, c, n).
func table2D(rng *rand.Rand, nr, nc int) *Result {
	res := &Result{Columns: []string{"r", "c", "n"}, Types: []string{"VARCHAR", "VARCHAR", "BIGINT"}}
	rowSum, colSum, all := make([]int64, nr), make([]int64, nc), int64(0)
	for i := 0; i < nr; i++ {
		for j := 0; j < nc; j++ {
			var v int64
			switch rng.Intn(4) {
			case 0:
				v = int64(rng.Intn(5)) // small, sometimes 0
			case 1:
				v = int64(1 + rng.Intn(3))
			default:
				v = int64(rng.Intn(40))
			}
			rowSum[i] += v
			colSum[j] += v
			all += v
			res.Rows = append(res.Rows, []any{fmt.Sprint("r", i), fmt.Sprint("c", j), v})
		}
		res.Rows = append(res.Rows, []any{fmt.Sprint("r", i), "all", rowSum[i]})
	}
	for j := 0; j < nc; j++ {
		res.Rows = append(res.Rows, []any{"all", fmt.Sprint("c", j), colSum[j]})
	}
	res.Rows = append(res.Rows, []any{"all", "all", all})
	return res
}

// recoverable reports, with exact rational arithmetic, whether the
// published values and the table's equations (every row and column adds up
// to its margin) determine the suppressed value at (r, c): its unit vector
// is in the row space of the equations over the suppressed unknowns iff
// appending it does not raise the rank.
func recoverable(t *testing.T, res *Result, target int) bool {
	t.Helper()
	var unknown []int
	pos := map[int]int{}
	for i, row := range res.Rows {
		if row[2] == nil {
			pos[i] = len(unknown)
			unknown = append(unknown, i)
		}
	}
	var eqs [][]*big.Rat
	add := func(cells []int, total int) {
		e := make([]*big.Rat, len(unknown))
		for k := range e {
			e[k] = new(big.Rat)
		}
		nz := false
		for _, c := range cells {
			if k, ok := pos[c]; ok {
				e[k].Add(e[k], big.NewRat(1, 1))
				nz = true
			}
		}
		if k, ok := pos[total]; ok {
			e[k].Sub(e[k], big.NewRat(1, 1))
			nz = true
		}
		if nz {
			eqs = append(eqs, e)
		}
	}
	byKey := func(col, margin int) {
		groups := map[any][]int{}
		totals := map[any]int{}
		for i, row := range res.Rows {
			if row[margin] == "all" {
				totals[row[col]] = i
			} else {
				groups[row[col]] = append(groups[row[col]], i)
			}
		}
		for k, cells := range groups {
			add(cells, totals[k])
		}
	}
	byKey(0, 1) // lines r = const, total where c = all
	byKey(1, 0) // lines c = const, total where r = all
	unit := make([]*big.Rat, len(unknown))
	for k := range unit {
		unit[k] = new(big.Rat)
	}
	unit[pos[target]].SetInt64(1)
	return ratRank(eqs) == ratRank(append(append([][]*big.Rat{}, eqs...), unit))
}

func ratRank(in [][]*big.Rat) int {
	m := make([][]*big.Rat, len(in))
	for i, r := range in {
		m[i] = make([]*big.Rat, len(r))
		for j, v := range r {
			m[i][j] = new(big.Rat).Set(v)
		}
	}
	if len(m) == 0 {
		return 0
	}
	rank, n := 0, len(m[0])
	for j := 0; j < n && rank < len(m); j++ {
		p := -1
		for i := rank; i < len(m); i++ {
			if m[i][j].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		m[rank], m[p] = m[p], m[rank]
		for i := rank + 1; i < len(m); i++ {
			if m[i][j].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Quo(m[i][j], m[rank][j])
			for k := j; k < n; k++ {
				m[i][k].Sub(m[i][k], new(big.Rat).Mul(f, m[rank][k]))
			}
		}
		rank++
	}
	return rank
}

func TestSuppressRandomTables(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	const min = 5
	suppressedSome := 0
	for iter := 0; iter < 300; iter++ {
		res := table2D(rng, 1+rng.Intn(5), 1+rng.Intn(5))
		orig := make([]int64, len(res.Rows))
		for i, row := range res.Rows {
			orig[i] = row[2].(int64)
		}
		if err := suppress(res, "n; by r; by c; total r=all; total c=all", min); err != nil {
			t.Fatal(err)
		}
		if res.Columns[3] != SuppressedColumn {
			t.Fatalf("no flag column: %v", res.Columns)
		}
		for i, row := range res.Rows {
			v, isNull := row[2], row[2] == nil
			if isNull != row[3].(bool) {
				t.Fatalf("iter %d row %d: flag %v but value %v", iter, i, row[3], v)
			}
			if isNull {
				suppressedSome++
				if recoverable(t, res, i) {
					t.Fatalf("iter %d: suppressed cell %v (value %d) is recoverable from the published totals:\n%v", iter, row[:2], orig[i], res.Rows)
				}
				continue
			}
			if n := v.(int64); n > 0 && n < min {
				t.Fatalf("iter %d: published cell %v = %d below %d", iter, row[:2], n, min)
			}
		}
		// no line with a published total has exactly one suppressed member
		for _, lineCol := range []int{0, 1} {
			count := map[any]int{}
			for _, row := range res.Rows {
				if row[2] == nil {
					count[row[lineCol]]++
				}
			}
			for k, c := range count {
				if c == 1 {
					t.Fatalf("iter %d: line %v has a single suppressed member", iter, k)
				}
			}
		}
	}
	if suppressedSome == 0 {
		t.Fatal("the random tables never triggered suppression: the test tests nothing")
	}
}

func TestSuppressProfileLines(t *testing.T) {
	// sex: male 10, female 4, total 14 -> female primary, male secondary;
	// reasons have no total: conflict 3 primary only, economic kept.
	res := &Result{Columns: []string{"country_iso3", "dimension", "category", "respondents"}, Rows: [][]any{
		{"TCD", "sex", "female", int64(4)},
		{"TCD", "sex", "male", int64(10)},
		{"TCD", "sex", "total", int64(14)},
		{"TCD", "age_band", "18-24", int64(1)},
		{"TCD", "age_band", "25-34", int64(1)},
		{"TCD", "age_band", "35-44", int64(12)},
		{"TCD", "age_band", "total", int64(14)},
		{"TCD", "reason", "conflict", int64(3)},
		{"TCD", "reason", "economic", int64(9)},
		{"NER", "sex", "male", int64(3)},
		{"NER", "sex", "total", int64(3)},
	}}
	if err := suppress(res, "respondents; by country_iso3, dimension; total category=total", 5); err != nil {
		t.Fatal(err)
	}
	want := []any{nil, nil, int64(14), nil, nil, nil, int64(14), nil, int64(9), nil, nil}
	for i, row := range res.Rows {
		if fmt.Sprint(row[3]) != fmt.Sprint(want[i]) {
			t.Errorf("row %v: got %v, want %v", row[:3], row[3], want[i])
		}
	}
}

func TestParseSuppressSpec(t *testing.T) {
	for _, bad := range []string{"", "n; group x", "n; by ", "n; total x"} {
		if _, err := ParseSuppressSpec(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	res := &Result{Columns: []string{"a", "n"}, Rows: [][]any{{"x", "3"}}}
	if err := suppress(res, "n; by b", 5); err == nil {
		t.Error("unknown column: want an error (fail closed)")
	}
	res = &Result{Columns: []string{"a", "n"}, Rows: [][]any{{"x", 2.5}}}
	if err := suppress(res, "n", 5); err == nil {
		t.Error("fractional count: want an error (fail closed)")
	}
}
