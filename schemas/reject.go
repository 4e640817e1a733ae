package schemas

// Severity of a reject: an Error drops the row, a Warning keeps it.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Stable reject codes, in the manner of Frictionless.
const (
	CodeTypeError       = "type-error"        // a value cannot be cast to the field's type
	CodeMissingCell     = "missing-cell"      // a required field is empty
	CodeConstraintError = "constraint-error"  // a value breaks a rule (range, vocabulary, hh <= ind)
	CodeDuplicateRow    = "duplicate-row"     // a row identical in every source column to an earlier one
	CodeUnknownPcode    = "unknown-pcode"     // not in the gazetteer
	CodePcodeShape      = "pcode-shape"       // does not look like a p-code of the country
	CodePcodeHierarchy  = "pcode-hierarchy"   // admin2 code not under its admin1 code
	CodePseudoPcode     = "pseudo-pcode"      // Temp03, DTM12: kept and flagged
	CodePcodeName       = "pcode-name"        // one code with several names in a run
	CodeSADDSumMismatch = "sadd-sum-mismatch" // SADD cells do not sum to the stated total
	CodeBlankRow        = "blank-row"         // a row with no values at all
	CodeVocabulary      = "vocabulary"        // a label outside the field's vocabulary (kept raw)
	CodeUnmappedColumn  = "unmapped-column"   // informational: a column no field took
	CodeDuplicateHeader = "duplicate-header"  // two columns map to the same field
	CodePersonalData    = "personal-data"     // an identifier column was dropped
	CodeSourceError     = "source-error"      // the whole file could not be read
	CodeExtraCell       = "extra-cell"        // a row longer than the header
	CodeUnusedOverride  = "unused-override"   // a job column override names a header the file lacks
	CodeErrorCell       = "error-cell"        // a spreadsheet error value (#DIV/0!, #N/A, #REF!...): cell emptied
	CodeAmbiguousDate   = "ambiguous-date"    // a numeric date that reads as day-first or month-first
	CodeTotalsRow       = "totals-row"        // a row of the file's own totals: not a site, not written
	CodeTotalsMismatch  = "totals-mismatch"   // the file's own total differs from the sum of its rows
)

// Reject is one problem found in a source: a bad cell, a bad row or a bad
// file. Row 0 means the whole file; Column "" means the whole row.
type Reject struct {
	File     string   `json:"file"`
	Sheet    string   `json:"sheet"`
	Row      int      `json:"row"`
	Column   string   `json:"column"`
	Value    string   `json:"value"`
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

// RejectsDataset describes the rejects table (the `rejects` view). Its
// row, value and message columns are written without a dictionary
// (Encoding Plain): a message names its row ("identical to row 3"), so a
// row group of 32 Ki rejects holds as many distinct messages, whose
// dictionary outgrew the 1 MiB page limit after every value was hashed,
// then fell back to plain anyway (a 1.4 M-row CSV with 400 k duplicate
// rows: 3.4 of 17.6 CPU s writing its warnings).
func RejectsDataset() *Dataset {
	return &Dataset{
		Name:        "rejects",
		Version:     "1.0.0",
		Description: "Every problem found while ingesting: one row per bad cell, row or file. Severity error means the row was not written.",
		Fields: []Field{
			{Name: "file", Kind: String, Sensitivity: Public, Description: "Source file."},
			{Name: "sheet", Kind: String, Sensitivity: Public, Description: "Worksheet (empty for CSV)."},
			{Name: "row", Kind: Int, Encoding: Plain, Sensitivity: Public, Description: "1-based source row; 0 for the whole file."},
			{Name: "column", Kind: String, Sensitivity: Public, Description: "Source column header (empty for the whole row)."},
			{Name: "value", Kind: String, Encoding: Plain, Sensitivity: Public, Description: "Raw value (redacted for personal fields)."},
			{Name: "code", Kind: String, Sensitivity: Public, Description: "Stable error code (type-error, missing-cell, ...)."},
			{Name: "severity", Kind: String, Sensitivity: Public, Vocabulary: []string{"error", "warning"}, Description: "error: row dropped; warning: row kept."},
			{Name: "message", Kind: String, Encoding: Plain, Sensitivity: Public, Description: "What is wrong and what to do."},
		},
	}
}
