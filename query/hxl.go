package query

import "github.com/iom-dtm/dtm/schemas"

// ColumnHXL gives the HXL tags of a figure's output columns, as `dtm
// export` and `dtm serve` write them: the figure's own `-- hxl:` tags when
// it declares one per column, else each column takes the tag of the field
// of the figure's dataset with the same name ("" when none: computed
// columns such as sites or change_pct). ds may be nil (no tags).
func ColumnHXL(f Figure, cols []string, ds *schemas.Dataset) []string {
	if len(f.HXL) == len(cols) && len(cols) > 0 {
		return append([]string(nil), f.HXL...)
	}
	return DatasetHXL(cols, ds)
}

// DatasetHXL gives each column the HXL tag of the dataset field of the
// same name ("" when none, or when ds is nil).
func DatasetHXL(cols []string, ds *schemas.Dataset) []string {
	tags := make([]string, len(cols))
	if ds == nil {
		return tags
	}
	for i, c := range cols {
		if f, ok := ds.Field(c); ok {
			tags[i] = f.HXL
		}
	}
	return tags
}
