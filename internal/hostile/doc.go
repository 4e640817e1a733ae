// Package hostile is the corpus of hostile and broken inputs that dtm must
// survive: each Case names an input (a small file committed under
// testdata/hostile, or a generator that streams a large one to disk), the
// dataset it is ingested as, optional job limits, and the expected outcome
// (a failed input whose error names the file, sheet, row or column; or a
// committed input with given reject codes).
//
// The runner (hostile_test.go, run by `make test`) ingests every case through
// pipeline.Run into a fresh warehouse with a deadline and checks the
// promises: no panic, no hang, the expected outcome, rows_in = rows_written
// + rows_rejected, nothing committed for a failed input, nothing written
// outside the warehouse, and CSV exports that neutralise formula payloads.
package hostile
