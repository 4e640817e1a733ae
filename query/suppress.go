package query

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/iom-dtm/dtm/sinks"
)

// Small-cell suppression of figures derived from sensitive data.
//
// A figure opts in with one header line (figures/*.sql):
//
//	-- suppress: COUNT[,COUNT...]; by COL[,COL...]; by ...; total COL=VALUE; ...
//
//   - COUNT names the columns holding counts of persons: every row's value
//     in such a column is a cell.
//   - `by COLS` declares lines: the rows that agree on COLS. A line whose
//     sum is published has a total row: the member row marked by a `total
//     COL=VALUE` clause on a column that is not in COLS (so in a two-way
//     table `by region; by sex; total region=all; total sex=all` makes the
//     row (r, all) the total of line region=r, and (all, s) the total of
//     line sex=s). A line without a total row publishes no sum and adds no
//     constraint (e.g. multi-valued reasons, which do not add up). Figures
//     must publish as a total row every sum that could otherwise be derived.
//
// Rules, applied to each COUNT column separately:
//  1. Primary suppression: a cell (or a total) with 0 < value < min-cell is
//     suppressed. A count of 0 is published: it reveals no person, and long
//     figures have no rows for empty combinations anyway.
//  2. Secondary suppression: in every line with a total row, the number of
//     suppressed members (cells and total) is 0 or at least 2; and when the
//     suppressed members are all primary cells whose published sum forces
//     each of them to one value (k cells summing to k, or to k*(min-1)),
//     one more member is suppressed. The member added is the line's
//     smallest published non-zero cell (the total only when no cell is
//     left).
//  3. Exact disclosure check: the lines with a total row are linear
//     equations over the suppressed values; a suppressed value that these
//     equations determine (Gaussian elimination) gets one more complementary
//     suppression in one of its lines, and rules 2-3 repeat. (Skipped for
//     more than maxExactUnknowns suppressed values of one column.)
//
// Output: suppressed values are NULL (empty in CSV and JSON null) and a
// BOOLEAN column `suppressed` is appended, true on every row with a
// suppressed value. Suppression works on one result: it does not protect
// against differencing between runs with other parameters (e.g. two date
// windows a day apart); publishers must not release overlapping windows.

// maxExactUnknowns bounds the exact disclosure check (dense elimination).
const maxExactUnknowns = 3000

// SuppressedColumn is the flag column appended by suppression.
const SuppressedColumn = "suppressed"

// SuppressSpec is a parsed `-- suppress:` header.
type SuppressSpec struct {
	Counts []string
	Lines  [][]string
	Totals map[string]string // column -> value marking a total row
}

// ParseSuppressSpec parses the value of a `-- suppress:` header.
func ParseSuppressSpec(spec string) (SuppressSpec, error) {
	s := SuppressSpec{Totals: map[string]string{}}
	for i, clause := range strings.Split(spec, ";") {
		clause = strings.TrimSpace(clause)
		if clause == "" {
			continue
		}
		if i == 0 {
			s.Counts = splitCols(clause)
			continue
		}
		kw, rest, _ := strings.Cut(clause, " ")
		rest = strings.TrimSpace(rest)
		switch kw {
		case "by":
			cols := splitCols(rest)
			if len(cols) == 0 {
				return s, fmt.Errorf("suppress: %q has no columns", clause)
			}
			s.Lines = append(s.Lines, cols)
		case "total":
			col, val, ok := strings.Cut(rest, "=")
			if !ok || strings.TrimSpace(col) == "" {
				return s, fmt.Errorf("suppress: %q: want total COL=VALUE", clause)
			}
			s.Totals[strings.TrimSpace(col)] = strings.TrimSpace(val)
		default:
			return s, fmt.Errorf("suppress: unknown clause %q (want by COLS or total COL=VALUE)", clause)
		}
	}
	if len(s.Counts) == 0 {
		return s, fmt.Errorf("suppress: no count column in %q", spec)
	}
	return s, nil
}

func splitCols(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// suppress applies small-cell suppression to a result as the figure's
// `-- suppress:` header declares. Any problem fails closed (an error, no
// result).
func suppress(res *Result, spec string, minCell int) error {
	sp, err := ParseSuppressSpec(spec)
	if err != nil {
		return err
	}
	col := map[string]int{}
	for i, c := range res.Columns {
		col[c] = i
	}
	for _, name := range append(append([]string{}, sp.Counts...), keys(sp.Totals)...) {
		if _, ok := col[name]; !ok {
			return fmt.Errorf("suppress: the result has no column %q", name)
		}
	}
	for _, l := range sp.Lines {
		for _, name := range l {
			if _, ok := col[name]; !ok {
				return fmt.Errorf("suppress: the result has no column %q", name)
			}
		}
	}
	lines := buildLines(res, sp, col)
	flag := make([]bool, len(res.Rows))
	for _, cname := range sp.Counts {
		ci := col[cname]
		vals := make([]int64, len(res.Rows))
		present := make([]bool, len(res.Rows))
		for r, row := range res.Rows {
			v, ok, err := countValue(row[ci])
			if err != nil {
				return fmt.Errorf("suppress: column %s row %d: %w", cname, r+1, err)
			}
			vals[r], present[r] = v, ok
		}
		sup := Suppress(vals, present, lines, minCell)
		for r, s := range sup {
			if s {
				res.Rows[r][ci] = nil
				flag[r] = true
			}
		}
	}
	res.Columns = append(res.Columns, SuppressedColumn)
	res.Types = append(res.Types, "BOOLEAN")
	for r := range res.Rows {
		res.Rows[r] = append(res.Rows[r], flag[r])
	}
	return nil
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Line is one linear constraint of a table: its cells add up to its total
// row (Total < 0: the line publishes no sum and constrains nothing).
type Line struct {
	Cells []int
	Total int
}

// buildLines groups the rows into the lines of the spec.
func buildLines(res *Result, sp SuppressSpec, col map[string]int) []Line {
	var out []Line
	for _, by := range sp.Lines {
		inBy := map[string]bool{}
		for _, c := range by {
			inBy[c] = true
		}
		groups := map[string]*Line{}
		var order []string
		for r, row := range res.Rows {
			var kb strings.Builder
			for _, c := range by {
				kb.WriteString(fmt.Sprintf("%T:%v\x00", row[col[c]], row[col[c]]))
			}
			k := kb.String()
			l, ok := groups[k]
			if !ok {
				l = &Line{Total: -1}
				groups[k] = l
				order = append(order, k)
			}
			isTotal := false
			for tc, tv := range sp.Totals {
				if !inBy[tc] && sinks.FormatValue(row[col[tc]]) == tv {
					isTotal = true
				}
			}
			if isTotal && l.Total < 0 {
				l.Total = r
			} else {
				l.Cells = append(l.Cells, r)
			}
		}
		for _, k := range order {
			out = append(out, *groups[k])
		}
	}
	return out
}

// countValue reads a count; NULL is not a cell.
func countValue(v any) (int64, bool, error) {
	switch x := v.(type) {
	case nil:
		return 0, false, nil
	case int64:
		return x, true, nil
	case int32:
		return int64(x), true, nil
	case int:
		return int64(x), true, nil
	case uint64:
		if x > math.MaxInt64 {
			return 0, false, fmt.Errorf("count %d out of range", x)
		}
		return int64(x), true, nil
	case uint32:
		return int64(x), true, nil
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return 0, false, fmt.Errorf("count %v is not a whole number", x)
		}
		return int64(x), true, nil
	case *big.Int:
		if !x.IsInt64() {
			return 0, false, fmt.Errorf("count %s out of range", x)
		}
		return x.Int64(), true, nil
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return 0, false, fmt.Errorf("count %q is not a number", x)
		}
		return n, true, nil
	}
	return 0, false, fmt.Errorf("count of type %T", v)
}
