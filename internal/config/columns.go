package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/iom-dtm/dtm/schemas"
	"gopkg.in/yaml.v3"
)

// CheckColumns verifies that every field named in a source's `columns:`
// overrides is a field of the source's dataset ("" ignores a column and is
// always allowed). The error names the line, the source, the header and
// the field, and the closest field names; the CLI reports it as bad
// configuration (exit 2), so that a typo never runs as an empty column.
func (j *Job) CheckColumns(reg *schemas.Registry) error {
	var srcNodes *yaml.Node
	if j.root != nil {
		srcNodes = child(j.root, "sources")
	}
	for i, s := range j.Sources {
		if len(s.Columns) == 0 {
			continue
		}
		ds, err := reg.Lookup(s.Kind)
		if err != nil {
			return fmt.Errorf("source %q: %w", s.Name, err)
		}
		var cols *yaml.Node
		if srcNodes != nil && i < len(srcNodes.Content) {
			cols = child(srcNodes.Content[i], "columns")
		}
		headers := make([]string, 0, len(s.Columns))
		for h := range s.Columns {
			headers = append(headers, h)
		}
		sort.Strings(headers)
		for _, h := range headers {
			f := s.Columns[h]
			if f == "" {
				continue
			}
			if _, ok := ds.Field(f); ok && !isProvenance(f) {
				continue
			}
			hint := "see `dtm schema " + ds.Name + "`"
			if near := ds.ClosestFields(f, 3); len(near) > 0 {
				hint = "closest: " + strings.Join(near, ", ") + "; " + hint
			}
			return fmt.Errorf("%ssource %q: columns: %q maps to %q, which is not a field of %s (%s)",
				lineOf(cols, h), s.Name, h, f, ds.Name, hint)
		}
	}
	return nil
}

func isProvenance(name string) bool {
	for _, f := range schemas.ProvenanceFields {
		if f.Name == name {
			return true
		}
	}
	return false
}
