// Package cast reads the text of one cell as a typed value, the way DTM
// files write it: whole numbers with thousands separators in English,
// French and Spanish styles ("2,180", "2 180", "2.180"), decimals,
// dates in every published shape (ISO, day-first and month-first numeric
// dates under a DateOrder, Excel serials, month names in English, French,
// Spanish and Portuguese, ranges "16 - 23 Jan 2023"), yes/no in several
// languages, Kobo multi-select cells, and the missing-value tokens of real
// files (n/a, NULL, -, #N/A...).
//
// Every function is pure and safe for concurrent use. A failure is an
// error whose Code() is the schemas reject code (type-error or
// constraint-error) and whose message quotes the cell for a field officer;
// "missing" is reported apart from errors, never as one. Package
// transform applies these casts to fields by their schemas.Kind.
package cast
