// Package csv reads delimited text files (CSV, semicolon- or tab-separated,
// Excel "Unicode text") into raw ingest rows. Import encoding/csv as stdcsv
// beside it.
//
// Open reads a file, NewReader any io.Reader (embedded or in-memory data).
// Both return an ingest.Reader after reading ahead far enough to detect:
//
//   - the encoding, decided on the whole file: a UTF-8 or UTF-16 byte
//     order mark ("utf-8-bom", "utf-16le", "utf-16be"); UTF-16 without a
//     mark (NUL bytes in alternate positions); otherwise Open measures the
//     whole file as UTF-8 (a streaming pass with ReadAt, before reading):
//     valid UTF-8 is "utf-8"; text whose non-ASCII bytes are mostly invalid
//     in UTF-8 is "windows-1252" (French and English Excel exports), even
//     when its first non-ASCII byte comes megabytes in; text with both is
//     "utf-8" mixed with Windows-1252: the invalid bytes of a cell are read
//     as Windows-1252 and the row carries a mixed-encoding ingest.Issue
//     naming the cells. NewReader, which cannot read ahead, decides on the
//     first 64 KiB and, when they are valid UTF-8, re-decides at the first
//     cell that is not: if no earlier text was outside ASCII, the file is
//     Windows-1252 from there on (nothing read before changes) and Header
//     says so; otherwise the file is mixed as above. No byte is ever lost
//     or turned into U+FFFD: the five bytes Windows-1252 leaves undefined
//     read as the C1 controls of the same value. Header.Notes say how the
//     encoding was decided. Zip/XLSX and OLE/XLS signatures, or a sample
//     more than a quarter NUL, fail with ErrNotText.
//   - the delimiter among `,` `;` tab `|` (see detectDelimiter): the
//     candidate under which the header (and an HXL row) split into labels
//     and whose count per line is shared, within one, by the most lines,
//     so that ragged rows (an unquoted `; ` in a reason cell) do not
//     disqualify the right delimiter and decimal commas do not beat a `;`
//     header. No candidate at all means ','.
//   - the header row, among the first Limits.MaxHeaderScan records, with the
//     rule shared with the XLSX reader (ingest.FindHeader): HXL evidence,
//     title and banner rows above (Header.SkippedAbove), two-row headers
//     (group labels over sub-labels, joined "Family size / Males";
//     Header.SubHeaderLine), a units row under the header
//     (Header.UnitsLine), the HXL row (Header.HXL, aligned with
//     Header.Columns and both padded with ""). Header.Columns are the header
//     labels without trailing empty ones. Header.Notes say why.
//
// Rows. Next returns every record after the header rows, including records
// whose cells are all empty, except the file's blank tail: empty records
// with no data after them (Excel exports end with runs of ",,,") are not
// rows, as blank lines are not. Cells are padded with "" to
// len(Header.Columns) and extra cells are kept: a record longer than the
// header is a row like the others, with an extra-cell ingest.Issue per
// non-empty cell beyond the header. Cells are exactly as published (not
// trimmed), except for the repairs above and NUL removal.
//
// Line numbers (Row.Line, Header.HeaderLine, Header.HXLLine) are the row
// numbers a spreadsheet shows when it opens the file: one per record, so a
// quoted cell spanning several physical lines is one row, and one per blank
// line. Blank lines (no characters at all) are not returned as rows, since
// encoding/csv, DuckDB and pandas all skip them; they leave a gap in the
// numbering instead, so a field officer's row numbers still match. A line of
// delimiters only (",,,") is a record and is returned. SkippedAbove counts
// records above the header, not blank lines.
//
// Line endings: "\r\n", "\n" and a lone "\r" all end a line, mixed in one
// file; inside quoted cells they all become "\n".
//
// NUL bytes are removed from cells (they carry no text and break many
// consumers); a file dominated by them is rejected with ErrNotText.
//
// Quotes are parsed leniently (stdcsv LazyQuotes, variable field counts).
// An opening quote that is never closed would swallow the rest of the file
// into one cell: Next fails instead, either with ingest.ErrLimit once the
// record exceeds Limits.MaxRowBytes, or, for a smaller file, with an error
// saying the quoted cell is never closed.
//
// Limits: Open refuses files larger than MaxFileBytes (NewReader fails once
// that many bytes have been read); records with more than MaxColumns cells,
// more than MaxRowBytes bytes or a cell of more than MaxCellBytes bytes fail
// with an error wrapping ingest.ErrLimit. Byte limits count the UTF-8 text
// after decoding. Memory stays bounded by the buffers (under 2 MiB), the
// header scan, MaxRowBytes and the blank rows held back (at most 65,536)
// while waiting to know whether they are the blank tail: files are
// streamed, never held whole (Open reads a file twice: once to measure its
// encoding, once to parse it).
//
// Errors name the file and, when reading, the row: `reading "x.csv" row 12:
// ...`. A source with no record (empty, only a byte order mark, only blank
// lines) or with only empty cells in the scanned records fails with an error
// wrapping ErrNoHeader. A header without data rows is not an error: Next
// returns io.EOF. After an error, Next keeps returning it; rows read before
// it in the same call are returned first. The reader never panics.
//
// Performance: records are split by a byte-level tokenizer (tokenize.go)
// that follows encoding/csv's rules with LazyQuotes exactly (differential
// tests and fuzz targets hold it to encoding/csv, which stays the reference
// and serves a delimiter longer than a byte); one string allocation per
// record, cells being slices of it, written straight into shared slabs;
// validation of UTF-8 and NUL runs on whole buffers and per cell only once a
// problem has been seen (or, reading a stream, until the first non-ASCII
// character shows that the text is UTF-8).
package csv
