// Package ingest detects and reads DTM source files into raw string rows with
// provenance. It knows nothing of datasets or field meanings: the format
// readers (sub-packages csv, xlsx, dtmapi) find the header row, an optional
// HXL tag row and the data rows, and hand them over as strings exactly as
// published (cells are not trimmed or cast here).
//
// Contracts:
//   - Every data row below the header (and HXL row) is returned, including
//     rows that are entirely empty, so that callers can account for every
//     input row (rows_in = rows_written + rows_rejected).
//   - Row numbers are 1-based and count physical records of the source
//     (CSV records, spreadsheet rows), so a field officer can find them.
//   - Readers never panic on any input: malformed input becomes an error that
//     names the file (and sheet, row, column where it applies).
//   - Readers honour Limits and fail with ErrLimit (wrapped) instead of
//     exhausting memory.
package ingest
