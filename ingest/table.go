package ingest

import (
	"fmt"
	"strconv"
	"strings"
)

// Row is one raw data row of a source, as published.
type Row struct {
	// Line is the 1-based record number in the source (CSV record or sheet
	// row), counting the title, header and HXL rows above it.
	Line int
	// Cells holds the raw cell texts, one per header column. Rows shorter
	// than the header are padded with "", longer rows keep their extra cells.
	Cells []string
	// Errors lists, in increasing order, the indexes of the cells that the
	// source itself marks as spreadsheet error values (an XLSX cell of type
	// "e"); their text in Cells is the error literal ("#DIV/0!", "#N/A"...).
	// nil when the row has none or the format cannot mark errors (CSV: the
	// transform recognises the literal text there).
	Errors []int
	// Issues are problems the reader met in this row that do not stop it
	// being read (cells beyond the header, text in another encoding); the
	// transform reports each as a warning and keeps the row. nil when none.
	Issues []Issue
}

// Issue codes (the transform reports them as reject codes of severity
// warning).
const (
	// IssueExtraCell: a non-empty cell beyond the header's columns. The row
	// keeps it in Cells; the cells that line up with the header are used.
	IssueExtraCell = "extra-cell"
	// IssueMixedEncoding: the row's text is not in the encoding of the rest
	// of the file and was decoded otherwise (see the message).
	IssueMixedEncoding = "mixed-encoding"
)

// Issue is one problem a reader met in a row.
type Issue struct {
	// Code is one of the Issue* codes.
	Code string
	// Column is the 0-based index of the cell concerned, -1 for the row.
	Column int
	// Value is the raw cell text ("" for the row).
	Value string
	// Message says what was found and what was done, for a person.
	Message string
}

// ExtraCellIssues returns one extra-cell issue naming the non-empty cells
// of cells beyond the first width (the header's columns), nil when none.
// The issue's Column is the first of them, its Value their texts joined
// with " | " (the row keeps them all in Cells).
func ExtraCellIssues(cells []string, width int) []Issue {
	var nums, vals []string
	first := -1
	for i := width; i < len(cells); i++ {
		if strings.TrimSpace(cells[i]) == "" {
			continue
		}
		if first < 0 {
			first = i
		}
		nums = append(nums, strconv.Itoa(i+1))
		vals = append(vals, cells[i])
	}
	if first < 0 {
		return nil
	}
	return []Issue{{Code: IssueExtraCell, Column: first, Value: strings.Join(vals, " | "), Message: fmt.Sprintf(
		"cell(s) %s beyond the %d header columns (an unquoted delimiter inside a cell?): the row is kept and its cells under the header are used; check the columns to its right",
		strings.Join(nums, ", "), width)}}
}

// Header describes what a reader found above the data rows.
type Header struct {
	// File is the path of the source as given by the caller.
	File string
	// Sheet is the worksheet name for spreadsheets, "" for CSV.
	Sheet string
	// Format is "csv", "xlsx" or "json".
	Format string
	// Encoding is the detected text encoding ("utf-8", "utf-8-bom",
	// "utf-16le", "utf-16be", "windows-1252"); "" for binary formats.
	Encoding string
	// Delimiter is the detected CSV delimiter; 0 for other formats.
	Delimiter rune
	// HeaderLine is the 1-based record number of the header row (the upper
	// row of a two-row header).
	HeaderLine int
	// SubHeaderLine is the 1-based record number of the second row of a
	// two-row header (sub-labels under group labels), 0 if none; Columns
	// then hold the joined labels ("Family size / Males").
	SubHeaderLine int
	// UnitsLine is the 1-based record number of a units row under the
	// header ("(persons)", "HH", "%"), 0 if none; it is not a data row.
	UnitsLine int
	// Columns holds the raw header texts (trailing empty columns removed).
	Columns []string
	// HXLLine is the 1-based record number of the HXL tag row, 0 if none.
	HXLLine int
	// HXL holds the raw HXL tag cells aligned with Columns (nil if no HXL row).
	HXL []string
	// SkippedAbove counts the title and banner rows above the header.
	SkippedAbove int
	// Date1904 is set when the workbook counts dates in the 1904 date
	// system (workbookPr date1904): a number in a date column that Excel did
	// not format as a date (the reader then leaves it a number) is a serial
	// of that system, 1,462 days after the same serial in the 1900 system.
	Date1904 bool
	// DirectionHint is the flow direction a worksheet's name gives its rows
	// ("incoming" for a sheet named Entry, Entrée, Incoming..., "outgoing"
	// for Exit, Sortie, Outgoing...), "" when the name says none. The
	// transform uses it for rows whose direction no column gives.
	DirectionHint string
	// Notes are human-readable remarks about detection (why this sheet, why
	// this header row) for `dtm inspect`.
	Notes []string
}

// Reader streams the data rows of one table (a CSV file or one sheet).
type Reader interface {
	// Header returns what was found above the data rows.
	Header() Header
	// Next returns the next batch of at most max rows, or (nil, io.EOF) at the
	// end. Errors are wrapped with the file, sheet and row.
	Next(max int) ([]Row, error)
	// Close releases the underlying file.
	Close() error
}

// HeaderScorer rates how likely a row of cells is the header of a dataset
// (for example: how many cells map to known field names). Readers use it to
// find the header below title rows and to pick the data sheet of a workbook.
// A nil scorer means "count non-empty, non-numeric cells".
type HeaderScorer func(cells []string) int
