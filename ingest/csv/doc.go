// Package csv reads delimited text files (CSV, semicolon- or tab-separated,
// Excel "Unicode text") into raw ingest rows. Import encoding/csv as stdcsv
// beside it.
//
// Open reads a file, NewReader any io.Reader (embedded or in-memory data).
// Both return an ingest.Reader after reading ahead far enough to detect:
//
//   - the encoding, from the first 64 KiB: a UTF-8 or UTF-16 byte order mark
//     ("utf-8-bom", "utf-16le", "utf-16be"); UTF-16 without a mark (NUL
//     bytes in alternate positions); "utf-8" when the sample is valid UTF-8
//     (or has a few stray bytes among many multi-byte characters); otherwise
//     "windows-1252" (French and English Excel exports). Text is decoded with
//     golang.org/x/text. Invalid UTF-8 anywhere in a UTF-8 file becomes
//     U+FFFD (one per run of invalid bytes) and reading goes on. Zip/XLSX and
//     OLE/XLS signatures, or a sample more than a quarter NUL, fail with
//     ErrNotText.
//   - the delimiter among `,` `;` tab `|`: counted per line outside quotes on
//     the decoded sample; the most consistent count across lines wins, then
//     the more frequent, then that order. No candidate at all means ','.
//   - the header row, among the first Limits.MaxHeaderScan records: the
//     record above the first HXL tag row (ingest.LooksLikeHXLRow, with no
//     numeric cell) if that record has labels; otherwise the best-scoring
//     record by Options.Scorer (nil: ingest.DefaultScore), earliest on ties, among
//     records with at least two non-empty cells, so a title is never the
//     header unless every scanned record has one cell. Records above it are
//     titles and banners (Header.SkippedAbove). The record right under the
//     header is the HXL row if it looks like one (Header.HXL, aligned with
//     Header.Columns and padded with ""). Header.Columns are the raw header
//     cells without trailing empty ones. Header.Notes say why.
//
// Rows. Next returns every record after the header (and HXL row), including
// records whose cells are all empty, with Cells padded with "" to
// len(Header.Columns) and extra cells kept. Cells are exactly as published
// (not trimmed), except for the repairs above and NUL removal.
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
// after decoding. Memory stays bounded by the buffers (under 1 MiB), the
// header scan and MaxRowBytes: files are streamed, never read whole.
//
// Errors name the file and, when reading, the row: `reading "x.csv" row 12:
// ...`. A source with no record (empty, only a byte order mark, only blank
// lines) or with only empty cells in the scanned records fails with an error
// wrapping ErrNoHeader. A header without data rows is not an error: Next
// returns io.EOF. After an error, Next keeps returning it; rows read before
// it in the same call are returned first. The reader never panics.
//
// Performance: encoding/csv with ReuseRecord, one string allocation per
// record (made by encoding/csv) and cell slices carved from shared slabs;
// validation of UTF-8 and NUL runs on whole buffers and per cell only once a
// problem has been seen.
package csv
