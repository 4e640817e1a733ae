package transform

import "github.com/iom-dtm/dtm/schemas"

// fieldIndex finds fields by HXL tag and by normalised alias.
type fieldIndex struct {
	tags    []fieldTag
	alias   map[string]string
	has     map[string]bool         // the dataset's field names
	unit    map[string]schemas.Unit // the unit of each counting field
	hasSADD bool
}

type fieldTag struct {
	field string
	tag   HXLTag
}

func newFieldIndex(ds *schemas.Dataset) *fieldIndex {
	ix := &fieldIndex{alias: map[string]string{}, has: map[string]bool{}, unit: map[string]schemas.Unit{}}
	for _, f := range ds.Fields {
		ix.has[f.Name] = true
		if f.Unit.Counts() {
			ix.unit[f.Name] = f.Unit
		}
		if f.Kind == schemas.SADD {
			ix.hasSADD = true
		}
		for _, t := range append([]string{f.HXL}, f.HXLAliases...) {
			if tag, ok := ParseHXL(t); ok {
				ix.tags = append(ix.tags, fieldTag{field: f.Name, tag: tag})
			}
		}
		// The field's own name is an alias too (files written by dtm).
		for _, a := range append([]string{f.Name}, f.Aliases...) {
			k := NormalizeLabel(a)
			if _, taken := ix.alias[k]; !taken && k != "" {
				ix.alias[k] = f.Name
			}
		}
	}
	return ix
}

// byHXL returns the field whose tag best matches, or "" if none or if two
// fields match equally well (ambiguous).
func (ix *fieldIndex) byHXL(tag HXLTag) string {
	best, bestScore, tie := "", -1, false
	for _, ft := range ix.tags {
		s := hxlMatch(tag, ft.tag)
		switch {
		case s > bestScore:
			best, bestScore, tie = ft.field, s, false
		case s == bestScore && s >= 0 && ft.field != best:
			tie = true
		}
	}
	if bestScore < 0 || tie {
		return ""
	}
	return best
}
