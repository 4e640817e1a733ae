// Package xlsx reads DTM workbooks (.xlsx, as published on HDX or exported
// by Excel and KoboToolbox) into raw string rows with provenance.
//
// Open picks the data sheet and its header row, then streams the rows
// below; Sheets lists every sheet with its header and why Open would (not)
// read it, for `dtm inspect`.
//
// # Sheet choice
//
// opts.Sheet forces a sheet (exact name, else a unique case-insensitive
// match; an unknown name is an error, wrapping ErrNoSheet, that lists the
// sheets). Otherwise every sheet's first Limits.MaxHeaderScan rows are
// scanned and the sheets ranked: sheets whose names look like summaries,
// pivot tables, data dictionaries or metadata, readmes or notes, charts,
// or Kobo XLSForm sheets ("survey", "choices", "settings", "lists"), and
// hidden sheets, are chosen only if no other sheet has a header; then a
// sheet with an HXL tag row wins; then the best header score
// (opts.Scorer, nil = ingest.DefaultScore); ties go to the first sheet.
// Header.Notes starts with the reason for the choice and for each other
// sheet.
//
// # Header detection
//
// Within the sheet, the header is found by ingest.FindHeader, the rule the
// CSV reader uses too, so the same table as CSV or XLSX gets the same
// header: the first HXL row (ingest.IsHXLRow, ignoring Excel error
// literals such as #N/A) settles it (the header is the nearest non-empty
// row above it, or the HXL row itself if it is the top row); otherwise the
// best-scoring row, preferring plausible headers to banner rows (at most
// half as many cells as the next non-empty row, or cells repeated in runs,
// like `DATE | | METHODE DE COLLECTE | |`) and those to single-cell rows
// (titles); ties go to the upper row. A two-row header (group labels in
// merged cells over sub-labels, other labels merged vertically: a merged
// cell reaches the reader as its value in the first cell and blanks after)
// is one header with labels joined "Family size / Males"
// (Header.SubHeaderLine); a units row under the header is header material
// (Header.UnitsLine).
// Header.Columns are the raw header texts, trailing empty cells removed
// (multi-line or HTML text is left for the mapper to clean). Header.HXL is
// aligned with Columns and padded with ""; if the HXL row tags columns
// beyond the last header label, Columns is padded with "" to match.
// Header.SkippedAbove counts the non-empty rows above the header.
//
// # Rows
//
// Every row after the header (and HXL row) up to the last row holding a
// value is returned, with Line = the row number Excel shows. Rows absent
// from the sheet XML, or stored with only empty or blank cells, are
// returned as empty rows when a row with a value follows, so numbering
// never drifts and rows_in counts every row up to the last one with data;
// blank rows after it (a formatted but empty cell at row 1,048,576, a
// <dimension> that claims more rows than there are: the element is not
// read) are not rows and cost one pass over their XML. Cells are padded
// with "" to the header width; cells past it are kept only up to the last
// non-empty one, so hundreds of formatted-but-empty trailing columns cost
// nothing.
//
// Cells are the stored values, except dates: a numeric cell whose number
// format shows a date (built-in formats 14-17, 22, 27-36, 50-58, or a
// custom format with a year, day or month token; time-only formats such
// as h:mm and [h]:mm are not dates) arrives as ISO 8601 text,
// "2024-03-15", or "2024-03-15T10:30:00" when the time of day is not
// midnight. The serial is read in the workbook's date system (1900, or
// 1904 when workbook.xml has workbookPr date1904="1") and rounded to the
// millisecond first, as Excel does, so 45365.9999999998 is 2024-03-15;
// serials Excel cannot show as a date (negative, 0, the phantom
// 1900-02-29, after 9999) stay as stored. Date cells stored as ISO text
// (t="d") arrive as stored. Numbers that are not date-formatted arrive as
// stored, even in a date column: the transform reads them as serials of
// the 1900 system. Other values: numbers as stored ("0.30000000000000004",
// "1,250" typed as text stays that text); booleans as "1"/"0"; formula
// cells as their cached result (formulas are never evaluated); shared and
// inline strings resolved, with _xHHHH_ escapes decoded.
//
// Error cells (type "e": #N/A, #DIV/0!, #REF!...) arrive as their literal
// and their indexes are listed in ingest.Row.Errors, so that the transform
// can tell them from the same text typed by hand.
//
// # Safety
//
// Limits.MaxFileBytes is checked on the file size and
// Limits.MaxDecompressedBytes on the sizes the zip directory declares
// (archive/zip refuses to inflate an entry past its declared size, so a
// zip bomb fails either way); MaxColumns, MaxCellBytes and MaxRowBytes are
// checked per row. Violations wrap ingest.ErrLimit and name the file,
// sheet, row and column. A file that is not a zip (or a legacy .xls)
// wraps ErrNotXLSX; a truncated or damaged one wraps ErrCorrupt. Errors
// read like `reading sheet "Data" of "x.xlsx" row 12 column C: ...`.
// Panics from the parsers are recovered into errors naming the file and
// sheet.
//
// # Engines
//
// Sheets are listed from the package's workbook.xml and rows streamed
// from the zip archive by a small purpose-built XML scanner: it returns
// what excelize's streaming Rows() returns with RawCellValue (a
// differential test checks this, dates and error marks included) about
// eight times faster and with a
// fraction of the allocations, and never copies the sheet to a temporary
// file. Shared strings are loaded once per workbook. If a workbook's
// package layout cannot be resolved that way, excelize
// (github.com/xuri/excelize/v2, with UnzipSizeLimit = MaxDecompressedBytes
// and a 16 MiB UnzipXMLSizeLimit) lists the sheets and streams the rows,
// and cell types and formats are looked up cell by cell.
//
// One difference from excelize: a cell referring to a shared string that
// does not exist is an error (ErrCorrupt) rather than silently empty.
package xlsx
