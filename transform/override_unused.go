package transform

import (
	"fmt"
	"sort"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// UnusedOverrides returns, sorted, the headers of overrides (a job's
// `columns:`) that match no column of the mapped table, by the rule Map
// applies (exact text, trimmed, or the same normalised key). A job names
// headers for a family of files; one that a file lacks is worth a warning
// on that file (a renamed column would otherwise go unmapped silently).
func UnusedOverrides(m *Mapping, overrides map[string]string) []string {
	var out []string
	for h, f := range overrides {
		one := map[string]string{h: f}
		used := false
		for _, c := range m.Columns {
			if _, ok := lookupOverride(one, c.Header, HeaderKeys(c.Header)); ok {
				used = true
				break
			}
		}
		if !used {
			out = append(out, h)
		}
	}
	sort.Strings(out)
	return out
}

// UnusedOverrideRejects are the file-level warnings (row 0) of
// UnusedOverrides, one per header, with the field it was meant to feed.
func UnusedOverrideRejects(m *Mapping, h ingest.Header, overrides map[string]string) []schemas.Reject {
	var out []schemas.Reject
	for _, hd := range UnusedOverrides(m, overrides) {
		what := "feed " + overrides[hd]
		if overrides[hd] == "" {
			what = "be ignored"
		}
		out = append(out, schemas.Reject{File: h.File, Sheet: h.Sheet, Column: hd, Code: schemas.CodeUnusedOverride,
			Severity: schemas.SeverityWarning,
			Message:  fmt.Sprintf("the job's columns: names header %q (to %s), but this file has no such column; check the header's spelling or the file's version", hd, what)})
	}
	return out
}
