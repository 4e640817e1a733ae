package schemas

import "github.com/apache/arrow-go/v18/arrow"

// IsDictionaryOfStrings reports an Arrow dictionary of strings with integer
// indices: how the converter hands string fields that Parquet
// dictionary-encodes (Field.Encoding not Plain) to the Parquet writer.
func IsDictionaryOfStrings(t arrow.DataType) bool {
	dt, ok := t.(*arrow.DictionaryType)
	return ok && dt.ValueType.ID() == arrow.STRING && arrow.IsInteger(dt.IndexType.ID())
}

// WithPlainStrings returns s with its dictionary-of-string fields
// (IsDictionaryOfStrings) as plain strings, metadata kept; s itself when it
// has none. It is the dataset's own schema for records built with
// dictionary columns: what the Parquet files store, and what a builder of
// plain string columns uses.
func WithPlainStrings(s *arrow.Schema) *arrow.Schema {
	fields := s.Fields()
	changed := false
	for i, f := range fields {
		if IsDictionaryOfStrings(f.Type) {
			fields[i].Type = arrow.BinaryTypes.String
			changed = true
		}
	}
	if !changed {
		return s
	}
	md := s.Metadata()
	return arrow.NewSchema(fields, &md)
}
