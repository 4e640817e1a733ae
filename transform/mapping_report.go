package transform

import (
	"fmt"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// MappingRejects reports, as whole-file warnings (row 0), the columns that
// were dropped as direct identifiers and the duplicate columns left unread.
func MappingRejects(m *Mapping, h ingest.Header) []schemas.Reject {
	var out []schemas.Reject
	for _, c := range m.Columns {
		r := schemas.Reject{File: h.File, Sheet: h.Sheet, Column: c.Header, Severity: schemas.SeverityWarning}
		switch c.Rule {
		case RuleIdentifier:
			r.Code, r.Message = schemas.CodePersonalData, "column looks like a direct identifier (name, phone, device id or free text): dropped, never stored"
		case RuleDuplicate:
			r.Code, r.Message = schemas.CodeDuplicateHeader, c.Note
		default:
			continue
		}
		out = append(out, r)
	}
	return out
}

// Notes summarises a mapping for logs and run results: unmapped columns
// and every remark.
func (m *Mapping) Notes() []string {
	var out, unmapped []string
	for _, c := range m.Columns {
		if c.Rule == RuleUnmapped && strings.TrimSpace(c.Header) != "" {
			unmapped = append(unmapped, fmt.Sprintf("%q", CleanHeader(c.Header)))
		}
		if c.Note != "" && c.Rule != RuleDuplicate {
			note := c.Note
			if !strings.HasPrefix(note, "column ") && !strings.Contains(note, fmt.Sprintf("%q", c.Header)) {
				note = fmt.Sprintf("column %q: %s", CleanHeader(c.Header), note)
			}
			out = append(out, note)
		}
	}
	if len(unmapped) > 0 {
		out = append(out, "columns not used: "+strings.Join(unmapped, ", "))
	}
	return append(out, m.Decisions()...)
}
