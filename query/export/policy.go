package export

import (
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// SensitiveField names the first Sensitive stored field of ds ("" when it
// has none): a dataset with one holds quasi-identifiers of individuals (as
// flow_survey does) and is not exported raw.
func SensitiveField(ds *schemas.Dataset) string {
	for _, f := range ds.StoredFields() {
		if f.Sensitivity == schemas.Sensitive {
			return f.Name
		}
	}
	return ""
}

// RefuseRawMicrodata refuses the raw export of a dataset with sensitive
// fields; the error matches ErrUsage and points to the figures instead.
func RefuseRawMicrodata(ds *schemas.Dataset) error {
	if f := SensitiveField(ds); f != "" {
		return usagef("%s holds one row per individual with sensitive fields (%s): it is not exported raw; export a figure derived from it instead (see `dtm figures list`), which applies small-cell suppression", ds.Name, f)
	}
	return nil
}

// CheckFigure refuses a figure derived from a dataset with sensitive
// fields that declares no small-cell suppression (reg resolves the
// figure's dataset; a dataset it does not know is not sensitive).
func CheckFigure(reg *schemas.Registry, fig query.Figure) error {
	if fig.Suppress != "" {
		return nil
	}
	ds, err := reg.Lookup(fig.Dataset)
	if err != nil || SensitiveField(ds) == "" {
		return nil
	}
	return usagef("figure %s is derived from %s, which holds sensitive data, but declares no small-cell suppression: refusing to export it", fig.Name, fig.Dataset)
}
