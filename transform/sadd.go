package transform

import (
	"fmt"
	"github.com/iom-dtm/dtm/transform/cast"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// castSADD reads every SADD band column of the row into the "sadd" field,
// with the band exactly as published. A band cell that is not a count (or
// is negative) is a fault of that cell: a warning, the cell left out of the
// breakdown, the row kept (its IDP total is still good); the sum check then
// says nothing for the row, whose breakdown is incomplete.
func (c *Converter) castSADD(r ingest.Row, rc *rowContext) {
	if len(c.saddCols) == 0 {
		return // most files: no band column
	}
	v := c.optional("sadd") // kinds without SADD bands lack it
	if v == nil {
		return
	}
	for _, ci := range c.saddCols {
		col := &c.m.Columns[ci]
		raw := cell(r.Cells, col.Index)
		n, missing, err := cast.ParseInt(raw)
		switch {
		case err != nil:
			rc.warnf(col.Header, raw, schemas.CodeTypeError, "sex-and-age count: %s; the cell is left empty, the row is kept", err)
			continue
		case missing:
			continue
		case n < 0:
			rc.warnf(col.Header, raw, schemas.CodeConstraintError, "sex-and-age count cannot be negative (%d); the cell is left empty, the row is kept", n)
			continue
		}
		v.set = true
		v.sadd = append(v.sadd, SADDCell{SADDBand: *col.Band, Count: n})
	}
}

// checkSADDSum warns when the IDP bands (v, the sadd value) do not add up
// to the stated total t, the value of the field total.
func (c *Converter) checkSADDSum(total string, v, t *value, rc *rowContext) {
	if v == nil || t == nil || !v.set || !t.set {
		return
	}
	var sum int64
	n := 0
	for _, cell := range v.sadd {
		if cell.Group == "" {
			sum += cell.Count
			n++
		}
	}
	if n == 0 || sum == t.i || c.saddIncomplete(rc) {
		return
	}
	header := ""
	if ci, ok := c.m.ColumnFor(total); ok {
		header = c.m.Columns[ci].Header
	}
	rc.warnf(header, fmt.Sprint(t.i), schemas.CodeSADDSumMismatch,
		"the %d sex-and-age cells sum to %d but %s is %d; both kept as published", n, sum, total, t.i)
}

// saddIncomplete reports whether a SADD cell of the row was refused (an
// error cell, a negative or non-numeric count): the breakdown is then
// partial and its sum says nothing.
func (c *Converter) saddIncomplete(rc *rowContext) bool {
	for _, rj := range rc.rejects {
		if rj.Column == "" {
			continue
		}
		for _, col := range c.m.Columns {
			if col.Rule == RuleSADD && col.Header == rj.Column {
				return true
			}
		}
	}
	return false
}
