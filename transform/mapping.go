package transform

import (
	"fmt"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// Rules that can map (or skip) a column, as reported by `dtm inspect`.
const (
	RuleOverride   = "override"    // the job named the field for this header
	RuleHXL        = "hxl"         // matched by HXL tag
	RuleAlias      = "alias"       // matched by header alias
	RuleSADD       = "sadd"        // a sex-and-age band column
	RuleKoboSystem = "kobo-system" // KoboToolbox system column, not data
	RuleKoboOption = "kobo-option" // a select_multiple question/option 0/1 column
	RuleIdentifier = "identifier"  // a direct identifier: never read
	RuleDuplicate  = "duplicate"   // another column already feeds this field
	RuleUnmapped   = "unmapped"    // nothing matched
)

// Column is the fate of one source column.
type Column struct {
	Index  int    `json:"index"`
	Header string `json:"header"`
	HXL    string `json:"hxl,omitempty"`
	Field  string `json:"field,omitempty"`
	Rule   string `json:"rule"`
	Note   string `json:"note,omitempty"`
	// Band is set for SADD columns.
	Band *SADDBand `json:"band,omitempty"`
}

// Mapping maps a table's columns to a dataset's fields.
type Mapping struct {
	Dataset *schemas.Dataset
	Columns []Column
	// fieldCol gives the column index feeding each field.
	fieldCol map[string]int
}

// MapOptions tunes header mapping.
type MapOptions struct {
	// Overrides map a source header (exact text, or its normalised key) to a
	// field name; an empty field name ignores the column.
	Overrides map[string]string
}

// ColumnFor returns the index of the column that feeds a field.
func (m *Mapping) ColumnFor(field string) (int, bool) {
	i, ok := m.fieldCol[field]
	return i, ok
}

// SADDColumns returns the columns mapped as SADD bands, in source order.
func (m *Mapping) SADDColumns() []Column {
	var out []Column
	for _, c := range m.Columns {
		if c.Rule == RuleSADD {
			out = append(out, c)
		}
	}
	return out
}

// Mapped counts the columns that feed a field or a SADD band.
func (m *Mapping) Mapped() int {
	n := 0
	for _, c := range m.Columns {
		if c.Field != "" {
			n++
		}
	}
	return n
}

// Map maps the columns of a table header to the fields of a dataset.
func Map(h ingest.Header, ds *schemas.Dataset, opts MapOptions) (*Mapping, error) {
	m := &Mapping{Dataset: ds, fieldCol: map[string]int{}}
	ix := newFieldIndex(ds)
	headers := map[string]bool{}
	for _, c := range h.Columns {
		headers[strings.TrimSpace(c)] = true
	}
	for i, raw := range h.Columns {
		col := Column{Index: i, Header: raw, Rule: RuleUnmapped}
		if i < len(h.HXL) {
			col.HXL = strings.TrimSpace(h.HXL[i])
		}
		m.classify(&col, ix, opts, headers)
		if col.Field != "" && col.Rule != RuleSADD {
			if first, dup := m.fieldCol[col.Field]; dup {
				col.Note = fmt.Sprintf("field %s already fed by column %d %q; this column is kept unread", col.Field, first+1, h.Columns[first])
				col.Field, col.Rule = "", RuleDuplicate
			} else {
				m.fieldCol[col.Field] = i
			}
		}
		if col.Rule == RuleSADD {
			col.Field = "sadd"
		}
		m.Columns = append(m.Columns, col)
	}
	return m, nil
}

func (m *Mapping) classify(col *Column, ix *fieldIndex, opts MapOptions, headers map[string]bool) {
	keys := HeaderKeys(col.Header)
	if f, ok := lookupOverride(opts.Overrides, col.Header, keys); ok {
		col.Rule = RuleOverride
		if f == "" {
			col.Rule, col.Note = RuleUnmapped, "ignored by the job's column overrides"
			return
		}
		col.Field = f
		return
	}
	if isKoboSystem(col.Header, keys) {
		col.Rule = RuleKoboSystem
		if isIdentifierHeader(keys) {
			col.Rule = RuleIdentifier
		}
		return
	}
	if isIdentifierHeader(keys) {
		col.Rule = RuleIdentifier
		return
	}
	if col.HXL != "" {
		if tag, ok := ParseHXL(col.HXL); ok {
			if f := ix.byHXL(tag); f != "" {
				col.Field, col.Rule = f, RuleHXL
				return
			}
		}
	}
	if isKoboOption(col.Header, headers) {
		col.Rule = RuleKoboOption
		return
	}
	for _, k := range keys {
		if f, ok := ix.alias[k]; ok {
			col.Field, col.Rule = f, RuleAlias
			return
		}
	}
	if f, rule, ok := koboGeopointPart(col.Header, ix); ok {
		col.Field, col.Rule = f, rule
		return
	}
	if ix.hasSADD {
		if band, ok := ParseSADDHeader(CleanHeader(col.Header)); ok {
			col.Band, col.Rule = &band, RuleSADD
			return
		}
	}
	for _, k := range LooseHeaderKeys(col.Header) {
		if f, ok := ix.alias[k]; ok {
			col.Field, col.Rule = f, RuleAlias
			col.Note = fmt.Sprintf("column %q matched as %q, without its note in brackets", CleanHeader(col.Header), k)
			return
		}
	}
}

func lookupOverride(over map[string]string, header string, keys []string) (string, bool) {
	if len(over) == 0 {
		return "", false
	}
	if f, ok := over[header]; ok {
		return f, true
	}
	if f, ok := over[strings.TrimSpace(header)]; ok {
		return f, true
	}
	for h, f := range over {
		hk := NormalizeLabel(h)
		for _, k := range keys {
			if k == hk {
				return f, true
			}
		}
	}
	return "", false
}

// isKoboOption reports a select_multiple option column "question/option"
// whose question column is also present.
func isKoboOption(header string, headers map[string]bool) bool {
	h := strings.TrimSpace(header)
	i := strings.LastIndex(h, "/")
	if i <= 0 {
		return false
	}
	return headers[h[:i]]
}

// koboGeopointPart maps the columns KoboToolbox splits a geopoint question
// into ("_<name>_latitude", "_<name>_longitude", also after a group path):
// latitude and longitude feed the dataset's fields of those names, altitude
// and precision are system columns.
func koboGeopointPart(header string, ix *fieldIndex) (field, rule string, ok bool) {
	h := strings.TrimSpace(header)
	if i := strings.LastIndex(h, "/"); i >= 0 {
		h = h[i+1:]
	}
	if !strings.HasPrefix(h, "_") || strings.ContainsAny(h, " \t") {
		return "", "", false
	}
	lower := strings.ToLower(h)
	for _, part := range []string{"latitude", "longitude"} {
		if strings.HasSuffix(lower, "_"+part) {
			if f, ok := ix.alias[part]; ok {
				return f, RuleAlias, true
			}
		}
	}
	if strings.HasSuffix(lower, "_altitude") || strings.HasSuffix(lower, "_precision") {
		return "", RuleKoboSystem, true
	}
	return "", "", false
}
