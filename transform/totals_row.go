package transform

import (
	"fmt"
	"strings"

	"github.com/iom-dtm/dtm/transform/cast"

	"github.com/iom-dtm/dtm/schemas"
)

// totalsLabels are the normalised labels (NormalizeLabel) of a row that
// carries the file's own totals, in the languages of DTM files.
var totalsLabels = map[string]bool{
	"total": true, "totals": true, "grand_total": true, "overall_total": true, "sum": true,
	"total_general": true, "totaux": true, "somme": true, "total_geral": true, "suma": true,
	"total_global": true,
}

// totalsRow is a row of the file's own totals (not a site).
type totalsRow struct {
	line   int
	values []int64 // per headline measure; -1 when the cell is not a usable count
}

// isTotalsRow reports a row of the file's own totals: its first text cell
// (numbers, and a country cell holding a country, skipped) is a totals label ("Total",
// "TOTAL", "Grand total", "Total général", "Totaux"...) and no place code
// or site id cell holds anything else. Such a row repeats the sum of the
// rows above it: it is never ingested as a site.
func (c *Converter) isTotalsRow(cells []string) bool {
	label := false
	for i, s := range cells {
		s = cast.Trim(s)
		if s == "" {
			continue
		}
		k := c.totalsMemo.cell(c, i, s)
		if k == totalsCellSkip {
			continue
		}
		label = k == totalsCellLabel
		break
	}
	if !label {
		return false
	}
	for i, s := range cells {
		_, field := c.columnAt(i)
		if f, ok := c.m.Dataset.Field(field); !ok || !f.PlaceCode {
			continue
		}
		if s = cast.Trim(s); s != "" && !cast.IsMissing(s) && !totalsLabels[NormalizeLabel(s)] {
			return false
		}
	}
	return true
}

// rejectTotalsRow records a totals row: not written (code totals-row), its
// figures kept to compare with the sum of the rows at the end of input.
func (c *Converter) rejectTotalsRow(line int, cells []string, errs []int, rc *rowContext) {
	t := totalsRow{line: line, values: make([]int64, len(c.recon))}
	for i := range c.recon {
		t.values[i] = -1
		if n, ok := usableCount(cells, errs, c.recon[i].col); ok {
			t.values[i] = n
		}
	}
	c.totals = append(c.totals, t)
	rc.errorf("", "", schemas.CodeTotalsRow,
		"row holds the file's own totals, not a site: not written; its figures are compared with the sum of the rows (see the reconciliation)")
}

// checkTotals compares the file's own totals row, when it has exactly one
// and it is the last row with data, with the sum of the usable cells of
// each headline measure; a difference is a totals-mismatch warning.
func (c *Converter) checkTotals() []schemas.Reject {
	if len(c.totals) == 0 {
		return nil
	}
	if len(c.totals) > 1 || c.totals[0].line < c.lastDataLine {
		c.notes = append(c.notes, fmt.Sprintf("%d totals rows (not written as sites); not compared with the rows' sum, since the file's total is not one row at the bottom", len(c.totals)))
		return nil
	}
	t := c.totals[0]
	var out []schemas.Reject
	for i := range c.recon {
		m := &c.recon[i]
		if t.values[i] < 0 {
			continue
		}
		n := t.values[i]
		m.out.FileTotal, m.out.FileTotalRow = &n, t.line
		if n != m.out.InFile {
			out = append(out, schemas.Reject{File: c.prov.File, Sheet: c.prov.Sheet, Row: t.line, Column: m.header,
				Value: fmt.Sprint(n), Code: schemas.CodeTotalsMismatch, Severity: schemas.SeverityWarning,
				Message: fmt.Sprintf("%s: the file's totals row says %d but its rows sum to %d (difference %d); check the rows or the total",
					m.out.Field, n, m.out.InFile, n-m.out.InFile)})
		}
	}
	return out
}

// totalsMemo caches, per converter, what isTotalsRow asks of every row's
// leading cells: a file repeats the same country and admin names row after
// row, and the answers (a country lookup, a number parse, a label
// normalisation) cost far more than a lookup (strMemo). Each memo is bounded;
// past the bound the answer is computed and not kept.
type totalsMemo struct {
	skips []strMemo[totalsCell] // by cell index: cell (trimmed) -> its kind
}

// totalsCell is what isTotalsRow makes of a row's cell (trimmed, not
// empty) while looking for the row's label.
type totalsCell uint8

const (
	totalsCellSkip  totalsCell = 1 + iota // passed over (totalsSkipCell)
	totalsCellLabel                       // the label, and a totals label
	totalsCellText                        // the label, not a totals label
)

// totalsMemoMax bounds each map of a totalsMemo.
const totalsMemoMax = 512

// cell is totalsCellOf(c, i, s), cached.
func (m *totalsMemo) cell(c *Converter, i int, s string) totalsCell {
	if i >= len(m.skips) {
		if i >= 1024 { // a very wide row: not cached
			return totalsCellOf(c, i, s)
		}
		m.skips = append(m.skips, make([]strMemo[totalsCell], i+1-len(m.skips))...)
	}
	byCell := &m.skips[i]
	if v, ok := byCell.get(s); ok {
		return v
	}
	v := totalsCellOf(c, i, s)
	if byCell.len() < totalsMemoMax {
		byCell.put(strings.Clone(s), v)
	}
	return v
}

// totalsCellOf is the uncached kind of the cell s of column i.
func totalsCellOf(c *Converter, i int, s string) totalsCell {
	switch {
	case totalsSkipCell(c, i, s):
		return totalsCellSkip
	case len(s) <= 24 && totalsLabels[NormalizeLabel(s)]:
		return totalsCellLabel
	}
	return totalsCellText
}

// totalsSkipCell reports whether isTotalsRow passes over the (trimmed,
// not empty) cell s of column i when looking for a row's label: a number
// or a missing-value token, or the country of a national total in a
// country column.
func totalsSkipCell(c *Converter, i int, s string) bool {
	if _, field := c.columnAt(i); field == "country_iso3" || field == "country_name" {
		if _, known := ISO3FromCountry(s); known || len(s) == 3 && isUpperAlpha(s) {
			return true // the country of a national total
		}
	}
	_, missing, err := cast.ParseFloat(s)
	return err == nil || missing
}
