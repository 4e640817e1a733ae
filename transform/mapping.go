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
	RuleMeaning    = "meaning"     // matched by the meaning of its words (population, unit, place, role)
	RuleSADD       = "sadd"        // a sex-and-age band column
	RuleKoboSystem = "kobo-system" // KoboToolbox system column, not data
	RuleKoboOption = "kobo-option" // a select_multiple question/option 0/1 column
	RuleIdentifier = "identifier"  // a direct identifier: never read
	RuleDuplicate  = "duplicate"   // another column already feeds this field
	RulePopulation = "population"  // says which population the row counts: routes the row's bare counts
	RuleUnmapped   = "unmapped"    // nothing matched
)

// mappingRules are the rules Map itself gives (resolve may revisit them).
var mappingRules = map[string]bool{RuleOverride: true, RuleHXL: true, RuleAlias: true, RuleMeaning: true,
	RuleSADD: true, RuleKoboSystem: true, RuleKoboOption: true, RuleIdentifier: true, RuleDuplicate: true,
	RulePopulation: true, RuleUnmapped: true}

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
	// Bare is set on a count column that names no population
	// ("Individuals"): it counts the population the row or file says.
	Bare bool `json:"bare,omitempty"`

	// want, wantRule and wantNote are the column's own match, before
	// duplicates are settled (resolve).
	want, wantRule, wantNote string
}

// Mapping maps a table's columns to a dataset's fields.
type Mapping struct {
	Dataset *schemas.Dataset
	Columns []Column
	// fieldCol gives the column index feeding each field.
	fieldCol map[string]int
	// Inferred holds what was read from outside the columns (file and
	// sheet names, p-codes).
	Inferred Inferred
	// PopulationCol is the index in Columns of the column saying which
	// population a row counts (-1: none).
	PopulationCol int
	// decisions are remarks on the whole mapping (population, admin levels,
	// country, round), shown by Notes and `dtm inspect`.
	decisions []string
	file      string
	sheet     string
	routing   populationRouting
	refined   bool
	// noInference: the run gives the country, nothing is inferred.
	noInference bool
	// date1904: the source workbook counts dates in the 1904 system
	// (ingest.Header.Date1904): a bare serial in a date column is read so.
	date1904 bool
	// coalesce lists the fields fed by several columns, the first
	// filled from the others (mapping_coalesce.go).
	coalesce []coalesceGroup
}

// MapOptions tunes header mapping.
type MapOptions struct {
	// Overrides map a source header (exact text, or its normalised key) to a
	// field name; an empty field name ignores the column.
	Overrides map[string]string
	// Country is the run's country (job or --country): when set, no country
	// is inferred from p-codes or names.
	Country string
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

// Map maps the columns of a table header to the fields of a dataset: by
// override, HXL tag, alias, SADD band, then the meaning of the header's
// words; place columns then get their admin level by position
// (mapping_admin.go) and the first column of a field feeds it (the others
// are duplicates that fill its empty cells, mapping_coalesce.go). Map never fails on a header; the error is for callers'
// symmetry with future checks.
func Map(h ingest.Header, ds *schemas.Dataset, opts MapOptions) (*Mapping, error) {
	m := &Mapping{Dataset: ds, fieldCol: map[string]int{}, PopulationCol: -1, file: h.File, sheet: h.Sheet, date1904: h.Date1904,
		noInference: opts.Country != ""}
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
		if col.Rule == RuleSADD {
			col.Field = "sadd"
		}
		col.want, col.wantRule, col.wantNote = col.Field, col.Rule, col.Note
		m.Columns = append(m.Columns, col)
	}
	m.settleAdminLevels(nil)
	m.inferFromNames()
	m.resolve()
	return m, nil
}

// resolve settles which column feeds each field from the columns' own
// matches: the first column of a field feeds it, a later one is a
// duplicate that fills it where the first is empty (mapping_coalesce.go).
func (m *Mapping) resolve() {
	m.fieldCol = map[string]int{}
	m.coalesce = nil
	m.PopulationCol = -1
	for i := range m.Columns {
		col := &m.Columns[i]
		if !mappingRules[col.Rule] {
			continue // claimed after Map by a dataset's rules (flow reason flags)
		}
		col.Field, col.Rule, col.Note = col.want, col.wantRule, col.wantNote
		if col.Rule == RulePopulation && m.PopulationCol < 0 {
			m.PopulationCol = i
		}
		if col.Field == "" || col.Rule == RuleSADD {
			continue
		}
		if first, dup := m.fieldCol[col.Field]; dup {
			col.Note = m.addDuplicate(col.Field, first, i) // mapping_coalesce.go
			col.Field, col.Rule = "", RuleDuplicate
			continue
		}
		m.fieldCol[col.Field] = i
	}
}

func (m *Mapping) classify(col *Column, ix *fieldIndex, opts MapOptions, headers map[string]bool) {
	keys := HeaderKeys(col.Header)
	if f, ok := lookupOverride(opts.Overrides, col.Header, keys); ok {
		col.Rule = RuleOverride
		if f == "" {
			col.Rule, col.Note = RuleUnmapped, "ignored by the column overrides"
			return
		}
		if f == RulePopulation {
			col.Rule, col.Note = RulePopulation, "named by the column overrides as the population of the row"
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
	if m.byHXLCell(col, ix) {
		return
	}
	if isKoboOption(col.Header, headers) {
		col.Rule = RuleKoboOption
		return
	}
	for _, k := range keys {
		if f, ok := ix.alias[k]; ok {
			col.Field, col.Rule = f, RuleAlias
			col.Bare = isBareCount(f, readHeader(col.Header))
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
			if noteContradicts(col.Header, f, ix) {
				break // "Total Returnees (HH)": the note carries the unit; read by meaning
			}
			col.Field, col.Rule = f, RuleAlias
			col.Bare = isBareCount(f, readHeader(col.Header))
			col.Note = fmt.Sprintf("column %q matched as %q, without its note in brackets", CleanHeader(col.Header), k)
			return
		}
	}
	if hm := readHeader(col.Header); hm.PopType {
		col.Rule, col.Note = RulePopulation, "says which population the row counts: the row's bare counts go to that population"
		return
	}
	if f, bare, note, ok := byMeaning(col.Header, ix); ok {
		col.Field, col.Rule, col.Bare, col.Note = f, RuleMeaning, bare, note
	}
}

// byHXLCell maps a column by its HXL tag (from the HXL row, or the header
// itself when it is a tag): a tag with invalid attributes is used by its
// valid part and a pre-1.0 tag by its 1.x form, each with a note.
func (m *Mapping) byHXLCell(col *Column, ix *fieldIndex) bool {
	cellTag := col.HXL
	fromHeader := false
	if cellTag == "" && isHXLHeaderCell(col.Header) {
		cellTag, fromHeader = strings.TrimSpace(col.Header), true
	}
	if cellTag == "" {
		return false
	}
	tag, dropped, ok := ParseHXLLenient(cellTag)
	if !ok {
		return false
	}
	var notes []string
	if fromHeader {
		notes = append(notes, "the header is an HXL tag")
	}
	if len(dropped) > 0 {
		notes = append(notes, fmt.Sprintf("HXL tag %q has invalid attributes (%s: an attribute must start with a letter); matched by its valid part %s",
			cellTag, strings.Join(dropped, ", "), tag))
	}
	f := ix.byHXL(tag)
	if f == "" {
		if modern, ok := modernHXL(tag); ok {
			f = ix.byHXL(modern)
			if f != "" {
				notes = append(notes, fmt.Sprintf("pre-1.0 HXL tag %s read as %s", tag, modern))
			}
		}
	}
	bare := false
	if f == "" {
		if unit, ok := hxlLegacyBare[tag.Hashtag]; ok && len(tag.Attributes) == 0 {
			f = "idp_individuals"
			if unit == "hh" {
				f = "idp_households"
			}
			if !ix.has[f] && unit == "ind" && ix.has["individuals"] {
				f = "individuals"
			}
			if !ix.has[f] {
				return false
			}
			bare = true
			notes = append(notes, fmt.Sprintf("pre-1.0 HXL tag %s: a count naming no population", tag))
		}
	}
	if f == "" {
		return false
	}
	col.Field, col.Rule, col.Bare = f, RuleHXL, bare
	col.Note = strings.Join(notes, "; ")
	return true
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
