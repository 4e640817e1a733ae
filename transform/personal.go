package transform

import (
	"fmt"
	"github.com/iom-dtm/dtm/transform/cast"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// This file holds the converter hooks that protect personal data beyond
// header-based identifier detection (identifiers.go):
//   - value shapes: a column whose first values look like phone numbers or
//     e-mail addresses is dropped as a direct identifier and reported
//     (personal-data warning of the whole file); a single such value in a
//     stored text field is emptied with a redacted warning;
//   - reject values that look like phone numbers or e-mail addresses are
//     redacted, whatever the column;
//   - columns mapped to Personal fields are reported as dropped, and a
//     respondent id without a pseudonym key is reported as dropped.

// RuleValueShape marks a column dropped because its values look like
// phone numbers or e-mail addresses.
const RuleValueShape = "identifier-values"

// shapeSampleRows is how many rows of the first batch value-shape
// detection looks at.
const shapeSampleRows = 500

// converterExt is the state dataset rules keep on a converter.
type converterExt struct {
	// reasonCols are the 0/1 reason flag columns with their normalised reason.
	reasonCols []reasonColumn
	// started is set once the first batch was checked.
	started bool
	// datedFromYearMonth is set once a row's date was built from its
	// year and month (rules_admin_month.go), so the note is given once.
	datedFromYearMonth bool
}

// prepare runs once, after mapping, before any row.
func (c *Converter) prepare() {
	if c.rules.prepare != nil {
		c.rules.prepare(c)
	}
}

// protectFirstBatch runs value-shape detection on the first rows of a
// table and returns the file-level notices about personal data.
func (c *Converter) protectFirstBatch(rows []ingest.Row) []schemas.Reject {
	if c.ext.started || len(rows) == 0 {
		return nil
	}
	c.ext.started = true
	var out []schemas.Reject
	notice := func(header, format string, args ...any) {
		out = append(out, schemas.Reject{File: c.prov.File, Sheet: c.prov.Sheet, Column: header,
			Code: schemas.CodePersonalData, Severity: schemas.SeverityWarning, Message: fmt.Sprintf(format, args...)})
	}
	sample := rows
	if len(sample) > shapeSampleRows {
		sample = sample[:shapeSampleRows]
	}
	for i := range c.m.Columns {
		col := &c.m.Columns[i]
		if col.Rule == RuleIdentifier || col.Rule == RuleKoboSystem || col.Rule == RuleSADD {
			continue
		}
		if col.Field != "" {
			if f, ok := c.m.Dataset.Field(col.Field); ok && (f.Sensitivity == schemas.Personal || (f.Kind != schemas.String && f.Kind != schemas.StringList)) {
				continue
			}
		}
		if !columnLooksPersonal(sample, col.Index) {
			continue
		}
		if col.Field != "" {
			delete(c.m.fieldCol, col.Field)
			c.refs = fieldRefs{} // the field has no column any more
		}
		col.Field, col.Rule = "", RuleValueShape
		col.Note = "values look like phone numbers or e-mail addresses: dropped, never stored"
		notice(col.Header, "column values look like phone numbers or e-mail addresses (a direct identifier): dropped, never stored")
	}
	for _, col := range c.m.Columns {
		if col.Field == "" || col.Rule == RuleSADD {
			continue
		}
		f, ok := c.m.Dataset.Field(col.Field)
		if !ok || f.Sensitivity != schemas.Personal {
			continue
		}
		switch {
		case f.Name == "respondent_id" && c.opts.Pseudonymizer == nil:
			notice(col.Header, "respondent ids dropped: no pseudonym key (set DTM_PSEUDONYM_KEY); respondent_key left empty")
		case f.Name == "respondent_id":
			notice(col.Header, "respondent ids replaced by keyed pseudonyms (respondent_key); the ids are not stored")
		default:
			notice(col.Header, "column holds personal data (%s): dropped, never stored", f.Name)
		}
	}
	return out
}

// columnLooksPersonal reports a column whose non-empty sampled values are
// at least half phone- or e-mail-shaped.
func columnLooksPersonal(rows []ingest.Row, idx int) bool {
	n, hits := 0, 0
	for _, r := range rows {
		v := cell(r.Cells, idx)
		if cast.IsMissing(v) {
			continue
		}
		n++
		if LooksPersonal(v) {
			hits++
		}
	}
	return hits > 0 && 2*hits >= n
}

// redactRejects replaces reject values that look like phone numbers or
// e-mail addresses.
func redactRejects(rs []schemas.Reject) []schemas.Reject {
	for i := range rs {
		if rs[i].Value != "" && rs[i].Value != Redacted && containsPersonal(rs[i].Value) {
			rs[i].Value = Redacted
		}
	}
	return rs
}

// dropPersonalValues empties stored text values that look like phone
// numbers or e-mail addresses (a warning with the value redacted).
func (c *Converter) dropPersonalValues(r ingest.Row, rc *rowContext) {
	for i, f := range c.fields {
		v := &c.vals[i]
		if !v.set {
			continue
		}
		bad := false
		switch f.Kind {
		case schemas.String:
			bad = containsPersonal(v.s)
		case schemas.StringList:
			for _, s := range v.list {
				bad = bad || containsPersonal(s)
			}
		}
		if !bad {
			continue
		}
		v.reset()
		_, header, _ := c.raw(r, f.Name)
		rc.warnf(header, Redacted, schemas.CodePersonalData, "%s: the value looks like a phone number or an e-mail address; not stored", f.Name)
	}
}

// LooksPersonal reports a value shaped like a phone number or an e-mail
// address.
func LooksPersonal(s string) bool {
	s = strings.TrimSpace(s)
	return looksLikeEmail(s) || looksLikePhone(s)
}

// containsPersonal reports a value that is, or contains a word that is,
// shaped like a phone number or e-mail address.
func containsPersonal(s string) bool {
	if LooksPersonal(s) {
		return true
	}
	if strings.Contains(s, "@") {
		for _, w := range strings.Fields(s) {
			if looksLikeEmail(strings.Trim(w, ",;:()<>\"'")) {
				return true
			}
		}
	}
	// a phone number inside text: a run of digits and phone separators
	run := 0
	digits := 0
	start := -1
	for i := 0; i <= len(s); i++ {
		ch := byte(0) // the end of s ends the last run
		if i < len(s) {
			ch = s[i]
		}
		isDigit := ch >= '0' && ch <= '9'
		isSep := ch == ' ' || ch == '-' || ch == '.' || ch == '(' || ch == ')' || ch == '+'
		if isDigit || (isSep && run > 0) || (ch == '+' && run == 0) {
			if run == 0 {
				start = i
			}
			run++
			if isDigit {
				digits++
			}
			continue
		}
		if digits >= 8 && start >= 0 && looksLikePhone(strings.TrimSpace(s[start:i])) {
			return true
		}
		run, digits, start = 0, 0, -1
	}
	return false
}

func looksLikeEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || strings.ContainsAny(s, " \t") || strings.Count(s, "@") != 1 {
		return false
	}
	dot := strings.LastIndexByte(s[at:], '.')
	return dot > 1 && at+dot < len(s)-1
}

// looksLikePhone: 8 to 15 digits written only with phone characters
// (+ ( ) - . space), and an international prefix (+, 00), a trunk 0 with at
// least 9 digits, or at least two separators; never a date or a decimal.
func looksLikePhone(s string) bool {
	if len(s) < 8 || len(s) > 25 {
		return false
	}
	digits, seps := 0, 0
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9':
			digits++
		case ch == '+':
			if i != 0 {
				return false
			}
		case ch == ' ' || ch == '-' || ch == '.' || ch == '(' || ch == ')':
			if i > 0 && (s[i-1] < '0' || s[i-1] > '9') && s[i-1] != ')' && ch != '(' {
				return false // two separators in a row
			}
			seps++
		default:
			return false
		}
	}
	if digits < 8 || digits > 15 {
		return false
	}
	if _, _, missing, err := cast.ParseDate(s); err == nil && !missing {
		return false
	}
	if strings.Count(s, ".") == 1 && seps == 1 { // a decimal number
		return false
	}
	switch {
	case s[0] == '+', strings.HasPrefix(s, "00") && digits >= 10:
		return true
	case s[0] == '0' && digits >= 9:
		return true
	case seps >= 2 && s[0] != '-':
		return true
	}
	return false
}
