package config

// SourceFlags are the per-input flags of the file commands (ingest,
// validate, inspect); a zero value means the flag was not given.
type SourceFlags struct {
	Kind, Country, Operation, Duplicates string
	Sheets                               []string
	MaxRejectRatio                       float64
	// Columns are --column overrides, header -> field.
	Columns map[string]string
}

// Overlay returns the source with the command line over it: a kind,
// country, operation, duplicates policy, sheet list or reject threshold
// given as a flag replaces the source's; --column overrides are added to
// the source's columns (a header named by both takes the flag's field).
// The source itself is not modified. Used by `ingest|validate|inspect
// --config JOB --source NAME`, and with a zero Source when no job is given.
func (s Source) Overlay(f SourceFlags) Source {
	out := s
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&out.Kind, f.Kind)
	set(&out.Country, f.Country)
	set(&out.Operation, f.Operation)
	set(&out.Duplicates, f.Duplicates)
	if len(f.Sheets) > 0 {
		out.Sheet = append(SheetNames(nil), f.Sheets...)
	}
	if f.MaxRejectRatio != 0 {
		out.MaxRejectRatio = f.MaxRejectRatio
	}
	if len(s.Columns) > 0 || len(f.Columns) > 0 {
		out.Columns = make(map[string]string, len(s.Columns)+len(f.Columns))
		for h, fld := range s.Columns {
			out.Columns[h] = fld
		}
		for h, fld := range f.Columns {
			out.Columns[h] = fld
		}
	}
	return out
}
