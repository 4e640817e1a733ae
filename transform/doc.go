// Package transform turns raw string rows (package ingest) into canonical,
// typed Arrow records of a dataset (package schemas), and every row it cannot
// use into rejects.
//
// Stages, in order:
//  1. Mapping: each source column is mapped to at most one field: by a job
//     override first, then by HXL tag (tolerating broken tags), then by
//     header alias (English, French, DTM m-codes, Kobo group paths, question
//     number prefixes), then as a SADD band. Kobo system columns and
//     identifier columns are never mapped; admin name and code columns whose
//     values show they were swapped are swapped back.
//     The mapping is final (Mapping.Refine on the first rows) before a
//     Converter is built on it.
//  2. Casting: each field by its attributes (schemas.Field: Kind, Unit,
//     Vocabulary and Normaliser, Sensitivity), one cell at a time through
//     package cast (numbers, dates, yes/no, lists, missing-value tokens).
//  3. Validation: required fields, ranges, households <= individuals, SADD
//     sums, p-codes, duplicate rows. The checks a dataset kind adds are its
//     Rules in a RuleRegistry (DefaultRules for the built-in kinds); a kind
//     with none gets the generic converter.
//
// Contracts:
//   - Every input row ends either in exactly one output record or in at least
//     one reject of severity error (never both, never neither); warnings go
//     with rows that are kept.
//   - Rejects carry file, sheet, row, column, raw value, a stable code and a
//     message; raw values of personal fields are redacted.
//   - Nothing here reads files or knows about the warehouse.
package transform
