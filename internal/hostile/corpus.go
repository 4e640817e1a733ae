package hostile

import (
	"time"

	"github.com/iom-dtm/dtm/ingest"
)

// Outcome is what a case must end in.
type Outcome int

const (
	// Fail: the input fails as a whole; nothing of it is committed.
	Fail Outcome = iota
	// Commit: the input is committed (possibly with rejected rows).
	Commit
)

func (o Outcome) String() string {
	if o == Fail {
		return "fail"
	}
	return "commit"
}

// Case is one hostile input and what must happen to it.
type Case struct {
	// Name identifies the case (sub-test name).
	Name string
	// File is a committed file under testdata/hostile ("" when generated).
	File string
	// Gen writes the input into dir and returns its path (large inputs,
	// spreadsheets). Generated files are shared by cases with the same GenName.
	Gen     func(dir string) (string, error)
	GenName string
	// Kind is the dataset the input is read as.
	Kind    string
	Country string
	// Limits are the job limits of the case (zero fields: defaults).
	Limits ingest.Limits
	// Want is the expected outcome.
	Want Outcome
	// ErrHas are substrings the input's error must contain (Fail); the
	// file's base name is always required.
	ErrHas []string
	// Codes are reject codes that must appear (Commit).
	Codes []string
	// MinWritten is the least number of rows that must be written (Commit).
	MinWritten int64
	// Payloads are texts that must come back from the warehouse and be
	// neutralised by the CSV export (formula injection cases).
	Payloads []string
	// PayloadColumn is the site_assessment column holding Payloads
	// (default site_name).
	PayloadColumn string
	// Timeout bounds the run (default 30 s).
	Timeout time.Duration
	// Why says what the case is about (for the README table).
	Why string
}

const (
	site  = "site_assessment"
	admin = "displacement_admin"
)

// limitTxt is the text every limit error carries.
const limitTxt = "limit"

// Cases is the corpus.
func Cases() []Case {
	return []Case{
		// --- CSV: empty and near-empty ---
		{Name: "empty", File: "empty.csv", Kind: site, Want: Fail, ErrHas: []string{"empty"}, Why: "a 0-byte file"},
		{Name: "bom_only", File: "bom_only.csv", Kind: site, Want: Fail, ErrHas: []string{"empty"}, Why: "only a UTF-8 BOM"},
		{Name: "only_newlines", File: "only_newlines.csv", Kind: site, Want: Fail, Why: "blank lines only"},
		{Name: "header_only", File: "header_only.csv", Kind: site, Want: Commit, Why: "a header and no data rows: committed with 0 rows"},
		{Name: "hxl_only", File: "hxl_only.csv", Kind: site, Want: Fail, ErrHas: []string{"headline count", "#country+code"}, Why: "an HXL tag row and nothing else: read as a header with no count column: fails loudly naming the columns seen"},
		{Name: "banner_only", File: "banner_only.csv", Kind: site, Want: Fail, Why: "80 title rows, no header within the scan window"},
		{Name: "duplicate_headers_only", File: "duplicate_headers_only.csv", Kind: site, Want: Fail, ErrHas: []string{"headline count", "Site Name"}, Why: "one header name four times, no data, no count column: fails loudly naming the columns seen"},
		{Name: "duplicate_headers_rows", File: "duplicate_headers_rows.csv", Kind: site, Want: Fail, ErrHas: []string{"headline count"}, Why: "one header name three times, with rows, no count column: fails loudly before any row is read"},
		{Name: "all_blank_rows", File: "all_blank_rows.csv", Kind: site, Want: Commit, Why: "a header then 30 rows of empty cells: the file's blank tail, not rows: committed, 0 rows"},
		{Name: "trailing_blank_rows", File: "trailing_blank_rows.csv", Kind: site, Want: Commit, MinWritten: 8, Why: "8 rows then 40 rows of empty cells (as Excel exports them): the blank tail is not rows, no blank-row rejects"},

		// --- CSV: bytes that are not text ---
		{Name: "binary_garbage", File: "binary_garbage.csv", Kind: site, Want: Fail, Why: "4 KiB of random bytes"},
		{Name: "png_renamed", File: "png_renamed.csv", Kind: site, Want: Fail, Why: "a PNG named .csv"},
		{Name: "nul_only", File: "nul_only.csv", Kind: site, Want: Fail, Why: "2 KiB of NUL bytes"},
		{Name: "nul_bytes", File: "nul_bytes.csv", Kind: site, Want: Commit, MinWritten: 3, Why: "a NUL byte inside a cell: removed"},
		{Name: "invalid_utf8", File: "invalid_utf8.csv", Kind: site, Want: Commit, MinWritten: 3, Why: "a 0xFF byte in a UTF-8 file: read as windows-1252, stored as valid UTF-8"},
		{Name: "utf8_overlong", File: "utf8_overlong.csv", Kind: site, Want: Commit, MinWritten: 1, Why: "an overlong UTF-8 sequence: read as windows-1252, stored as valid UTF-8"},
		{Name: "utf16le_odd_length", File: "utf16le_odd_length.csv", Kind: site, Want: Fail, Why: "UTF-16LE with a BOM cut mid code unit"},
		{Name: "utf16_no_bom", File: "utf16_no_bom_garbage.csv", Kind: site, Want: Fail, ErrHas: []string{`"Country Code", "Site Name"`}, Why: "UTF-16LE without a BOM: detected from its NUL pattern (the columns it names are decoded), no count column: fails loudly"},
		{Name: "control_chars", File: "control_chars.csv", Kind: site, Want: Commit, Why: "ANSI escapes and bell characters in a name"},
		{Name: "bom_in_middle", File: "bom_in_middle.csv", Kind: site, Want: Commit, Why: "a BOM at the start of a data row"},

		// --- CSV: structure ---
		{Name: "mixed_eol", File: "mixed_eol.csv", Kind: site, Want: Commit, MinWritten: 4, Why: "CRLF, LF and CR line endings mixed"},
		{Name: "cr_only_eol", File: "cr_only_eol.csv", Kind: site, Want: Commit, MinWritten: 5, Why: "classic Mac CR line endings"},
		{Name: "unbalanced_quote", File: "unbalanced_quote.csv", Kind: site, Want: Fail, ErrHas: []string{"quote", "row 3", "column 5"}, Why: "a quote opened and never closed"},
		{Name: "quote_soup", File: "quote_soup.csv", Kind: site, Want: Commit, Codes: []string{"constraint-error"}, MinWritten: 2, Why: "runs of double quotes: one row rejected"},
		{Name: "ragged_rows", File: "ragged_rows.csv", Kind: site, Want: Commit, Why: "short and long rows"},
		{Name: "duplicate_rows", File: "duplicate_rows.csv", Kind: site, Want: Commit, Codes: []string{"duplicate-row"}, MinWritten: 5, Why: "the same row three times"},

		// --- CSV: hostile values ---
		{Name: "injection", File: "injection.csv", Kind: site, Want: Commit, MinWritten: 8,
			Payloads: []string{"=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3+cmd|' /C calc'!A0"},
			Why:      "spreadsheet formula payloads in values: stored as text, neutralised in CSV exports"},
		{Name: "injection_header", File: "injection_header.csv", Kind: site, Want: Commit, MinWritten: 5, Why: "a formula payload as a header name"},
		{Name: "partition_escape", File: "partition_escape.csv", Kind: site, Want: Fail, ErrHas: []string{"threshold"}, Why: "country and round values ../../x, /, __HIVE_DEFAULT_PARTITION__, : (rejected; over the reject threshold)"},
		{Name: "partition_escape_round", File: "partition_escape_round.csv", Kind: site, Want: Commit, Codes: []string{"type-error"}, MinWritten: 12, Why: "round values that try to escape the partition directory"},
		{Name: "pcode_sql", File: "pcode_sql.csv", Kind: site, Want: Commit, MinWritten: 8, Codes: []string{"pcode-shape"},
			PayloadColumn: "admin1_pcode", Payloads: []string{"SS01'; DROP TABLE site_assessment;--", "SS01\" OR 1=1 --", "SS01); COPY (SELECT 1) TO '/tmp/x'; --"}, Why: "SQL in p-codes: stored as text, never executed"},
		{Name: "counts_hostile", File: "counts_hostile.csv", Kind: site, Want: Commit, Codes: []string{"type-error"}, MinWritten: 20, Why: "negative, NaN, Inf, overflowing and 1e308 counts"},
		{Name: "dates_extreme", File: "dates_extreme.csv", Kind: site, Want: Commit, Codes: []string{"type-error"}, MinWritten: 20, Why: "dates in 9999, before 1900, impossible days"},
		{Name: "lat_lon_hostile", File: "lat_lon_hostile.csv", Kind: site, Want: Commit, MinWritten: 8, Why: "coordinates out of range, NaN, 1e308"},

		// --- CSV: sizes (generated) ---
		{Name: "single_line_50mb", GenName: "single_line_50mb.csv", Gen: genSingleLine, Kind: site, Want: Fail, ErrHas: []string{limitTxt}, Timeout: 60 * time.Second, Why: "one 50 MB line, no newline"},
		{Name: "long_row_50mb", GenName: "long_row_50mb.csv", Gen: genLongRow, Kind: site, Want: Fail, ErrHas: []string{limitTxt, "row 2"}, Timeout: 60 * time.Second, Why: "a header then a 50 MB data row"},
		{Name: "columns_10000", GenName: "columns_10000.csv", Gen: genColumns, Kind: site, Want: Fail, ErrHas: []string{limitTxt, "10000", "row 1"}, Why: "10 000 columns"},
		{Name: "big_cell_2mb", GenName: "big_cell_2mb.csv", Gen: genBigCell, Kind: site, Want: Fail, ErrHas: []string{limitTxt, "row 3", "column 5"}, Why: "a 2 MiB cell"},

		// --- job limits honoured ---
		{Name: "limit_file_bytes", File: "mixed_eol.csv", Kind: site, Limits: ingest.Limits{MaxFileBytes: 100}, Want: Fail, ErrHas: []string{"max_file_bytes"}, Why: "max_file_bytes: 100"},
		{Name: "limit_columns", File: "mixed_eol.csv", Kind: site, Limits: ingest.Limits{MaxColumns: 5}, Want: Fail, ErrHas: []string{limitTxt}, Why: "max_columns: 5"},
		{Name: "limit_cell_bytes", File: "mixed_eol.csv", Kind: site, Limits: ingest.Limits{MaxCellBytes: 8}, Want: Fail, ErrHas: []string{limitTxt}, Why: "max_cell_bytes: 8"},
		{Name: "limit_row_bytes", File: "mixed_eol.csv", Kind: site, Limits: ingest.Limits{MaxRowBytes: 40}, Want: Fail, ErrHas: []string{limitTxt}, Why: "max_row_bytes: 40"},
		{Name: "limit_header_scan", File: "injection_header.csv", Kind: site, Limits: ingest.Limits{MaxHeaderScan: 1}, Want: Commit, Why: "max_header_scan: 1 still finds a header on the first row"},

		// --- not regular files (generated) ---
		{Name: "fifo", GenName: "fifo.csv", Gen: genFIFO, Kind: site, Want: Fail, ErrHas: []string{"not a regular file"}, Timeout: 10 * time.Second, Why: "a named pipe with no writer (a glob can match one): refused, no hang"},
		{Name: "dev_zero", GenName: "zero.csv", Gen: genDevZero, Kind: site, Want: Fail, ErrHas: []string{"not a regular file"}, Timeout: 10 * time.Second, Why: "a link to /dev/zero, an endless stream"},
		{Name: "directory", GenName: "directory.csv", Gen: genDir, Kind: site, Want: Fail, Why: "a directory named .csv"},

		// --- XLSX (generated) ---
		{Name: "xlsx_truncated_zip", GenName: "truncated.xlsx", Gen: genTruncatedXLSX, Kind: site, Want: Fail, ErrHas: []string{"truncated"}, Why: "a workbook cut in half"},
		{Name: "xlsx_zip_bomb_declared", GenName: "zip_bomb.xlsx", Gen: genZipBombXLSX, Kind: site, Want: Fail, ErrHas: []string{"zip bomb"}, Why: "a sheet part whose declared uncompressed size is 3 TB"},
		{Name: "xlsx_lying_sizes", GenName: "lying_sizes.xlsx", Gen: genLyingXLSX, Kind: site, Want: Fail, Why: "a sheet part that inflates past its declared size"},
		{Name: "xlsx_decompressed_limit", GenName: "padded.xlsx", Gen: genPaddedXLSX, Kind: site, Limits: ingest.Limits{MaxDecompressedBytes: 1 << 20}, Want: Fail, ErrHas: []string{limitTxt}, Why: "max_decompressed_bytes: 1 MiB on a 4 MiB sheet"},
		{Name: "xlsx_huge_shared_strings", GenName: "huge_sst.xlsx", Gen: genHugeSST, Kind: site, Want: Commit, MinWritten: 3, Timeout: 60 * time.Second, Why: "1 000 000 shared strings, 3 data rows"},
		{Name: "xlsx_formulas", GenName: "formulas.xlsx", Gen: genFormulaXLSX, Kind: site, Want: Commit, MinWritten: 3, Payloads: []string{"=cmd|' /C calc'!A0"}, Why: "formula cells: cached values read, formulas never run"},
		{Name: "xlsx_not_a_zip", GenName: "not_zip.xlsx", Gen: genNotZip, Kind: site, Want: Commit, Why: "CSV text named .xlsx: formats are chosen by content first, so it is read as the CSV it is (a header, no rows)"},
		{Name: "xlsx_empty_file", GenName: "empty.xlsx", Gen: genEmptyFile, Kind: site, Want: Fail, Why: "a 0-byte .xlsx"},
		{Name: "xlsx_no_sheets", GenName: "no_sheets.xlsx", Gen: genNoSheets, Kind: site, Want: Fail, Why: "a workbook listing no sheets"},
		{Name: "xlsx_big_cell", GenName: "big_cell.xlsx", Gen: genBigCellXLSX, Kind: site, Want: Fail, ErrHas: []string{limitTxt, "Sites", "row 4", "column E"}, Why: "a 2 MiB shared string: error names the sheet"},
		{Name: "xlsx_bad_xml", GenName: "bad_xml.xlsx", Gen: genBadXML, Kind: site, Want: Fail, Why: "a sheet part that is not XML"},
		{Name: "xlsx_hostile_sheet_name", GenName: "sheet_name.xlsx", Gen: genHostileSheetName, Kind: site, Want: Commit, MinWritten: 3, Why: "sheet named ../../x"},

		// --- DTM API JSON ---
		{Name: "api_not_json", File: "api_not_json.json", Kind: admin, Want: Fail, Why: "an HTML error page saved as the response"},
		{Name: "api_not_success", File: "api_not_success.json", Kind: admin, Want: Fail, ErrHas: []string{"Rate limited"}, Why: "isSuccess false"},
		{Name: "api_empty_result", File: "api_empty_result.json", Kind: admin, Want: Commit, Why: "an empty result list"},
		{Name: "api_truncated", File: "api_truncated.json", Kind: admin, Want: Fail, Why: "a body cut mid-record"},
		{Name: "api_deep_nesting", File: "api_deep_nesting.json", Kind: admin, Want: Fail, Why: "100 000 nested arrays"},
		{Name: "api_hostile_values", File: "api_hostile_values.json", Kind: admin, Want: Commit, MinWritten: 12, Why: "negative, 1e308, overflowing and NaN counts; year 9999 and 1800"},
		{Name: "api_wrong_types", File: "api_wrong_types.json", Kind: admin, Want: Fail, Why: "arrays and objects where strings and numbers belong"},
		{Name: "api_top_level_array", File: "api_top_level_array.json", Kind: admin, Want: Fail, Why: "an array of numbers"},
		{Name: "api_100mb_string", GenName: "api_100mb_string.json", Gen: genAPIHugeString, Kind: admin, Want: Fail, ErrHas: []string{limitTxt}, Timeout: 60 * time.Second, Why: "a 100 MB body: one record with a 100 MB string"},
		{Name: "api_100mb_file_limit", GenName: "api_100mb_records.json", Gen: genAPIRecords, Kind: admin, Limits: ingest.Limits{MaxFileBytes: 64 << 20}, Want: Fail, ErrHas: []string{"max_file_bytes"}, Timeout: 60 * time.Second, Why: "a 100 MB body of records over max_file_bytes: 64 MiB"},
	}
}
