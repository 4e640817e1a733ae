package transform

import (
	"fmt"

	"github.com/iom-dtm/dtm/schemas"
)

// rowContext collects the rejects of one row and knows where it came from.
type rowContext struct {
	file, sheet string
	line        int
	rejects     []schemas.Reject
	dropped     bool
}

func (r *rowContext) add(column, raw, code string, sev schemas.Severity, format string, args ...any) {
	r.rejects = append(r.rejects, schemas.Reject{
		File: r.file, Sheet: r.sheet, Row: r.line, Column: column, Value: truncateValue(raw),
		Code: code, Severity: sev, Message: fmt.Sprintf(format, args...),
	})
	if sev == schemas.SeverityError {
		r.dropped = true
	}
}

func (r *rowContext) errorf(column, raw, code, format string, args ...any) {
	r.add(column, raw, code, schemas.SeverityError, format, args...)
}

func (r *rowContext) warnf(column, raw, code, format string, args ...any) {
	r.add(column, raw, code, schemas.SeverityWarning, format, args...)
}

// truncateValue keeps reject values readable and bounded.
func truncateValue(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}

// Redacted is the value recorded in a reject for a personal field.
const Redacted = "[redacted]"
