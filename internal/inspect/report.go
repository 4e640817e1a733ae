package inspect

import "github.com/iom-dtm/dtm/transform"

// SampleRows is how many data rows File reads to check the
// mapping against values (swapped name and code columns).
const SampleRows = 200

// Report is what dtm sees in one file (`dtm inspect` prints it as text
// or as JSON with these keys).
type Report struct {
	File     string `json:"file"`
	Format   string `json:"format"`
	Encoding string `json:"encoding,omitempty"`
	// Delimiter is the CSV delimiter as text ("," ";" "tab"); "" otherwise.
	Delimiter string `json:"delimiter,omitempty"`
	// Dataset is the dataset whose mapping is shown: --kind, or the one
	// that maps the most columns.
	Dataset string `json:"dataset"`
	// DatasetChoice says why Dataset was chosen.
	DatasetChoice string `json:"dataset_choice"`
	// Candidates gives, per dataset tried, the number of mapped columns.
	Candidates []Candidate `json:"candidates,omitempty"`
	Sheets     []Sheet     `json:"sheets,omitempty"`
	Sheet      string      `json:"sheet,omitempty"`
	HeaderRow  int         `json:"header_row"`
	HXLRow     int         `json:"hxl_row,omitempty"`
	// SubHeaderRow is the second row of a two-row header, UnitsRow a units
	// row under the header (0: none).
	SubHeaderRow int                `json:"sub_header_row,omitempty"`
	UnitsRow     int                `json:"units_row,omitempty"`
	SkippedAbove int                `json:"skipped_above,omitempty"`
	RowsSampled  int                `json:"rows_sampled"`
	Columns      []transform.Column `json:"columns"`
	Mapped       int                `json:"mapped"`
	// Unmapped lists the (cleaned) headers of the columns no field took.
	Unmapped []string `json:"unmapped"`
	// Inferred is what was read from outside the columns (country, round,
	// population from the file name or p-codes).
	Inferred *transform.Inferred `json:"inferred,omitempty"`
	// Decisions say how the rows will be read: population routing, bare
	// counts, country and round sources, admin levels.
	Decisions []string `json:"decisions,omitempty"`
	// Headline is the error an ingest would fail with because no column
	// maps to the dataset's headline count ("" when one does).
	Headline string   `json:"headline_error,omitempty"`
	Notes    []string `json:"notes,omitempty"`
}

// Candidate is one dataset tried by File.
type Candidate struct {
	Dataset string `json:"dataset"`
	Mapped  int    `json:"mapped"`
	Error   string `json:"error,omitempty"`
}

// Sheet is one worksheet of a workbook and its fate.
type Sheet struct {
	Name      string `json:"name"`
	HeaderRow int    `json:"header_row,omitempty"`
	HasHXL    bool   `json:"has_hxl"`
	Score     int    `json:"score"`
	Chosen    bool   `json:"chosen"`
	Reason    string `json:"reason"`
}
