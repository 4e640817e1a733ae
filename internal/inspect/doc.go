// Package inspect says what dtm sees in one file before it is ingested:
// its format, encoding and delimiter, its worksheets and which one holds
// the data, its header, HXL, sub-header and units rows, and how each
// column maps to a dataset's fields, checked against the first SampleRows
// rows (swapped name and code columns, population routing).
//
// Dataset guessing: File reads the file once per candidate dataset, each
// with that dataset's header scorer, and keeps the dataset that maps the
// most columns (ties go to the earlier candidate, in registry order); the
// report lists every candidate with its count or its error, so a user can
// see why and choose another with --kind. Nothing is written anywhere.
package inspect
