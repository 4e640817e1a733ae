package report

import "time"

// Report is everything one HTML report shows. Build computes it completely
// before Render writes a byte, so that a failed query never leaves half a
// page behind.
type Report struct {
	// Scope is what the report covers (the options it was built with).
	Scope Scope
	// Generation is the warehouse commit the numbers come from.
	Generation Generation
	// GeneratedAt is when the report was built (zero: not stated).
	GeneratedAt time.Time
	// MinCell is the small-cell threshold applied to survey-derived charts.
	MinCell int
	// Sections are shown in order.
	Sections []Section
}

// Scope is the country and round a report covers.
type Scope struct {
	Country string // ISO3, "" for every country
	Round   int64  // 0 for each country's latest round
}

// Generation identifies a committed warehouse state.
type Generation struct {
	Number      int64
	CommittedAt time.Time
	RunID       string
}

// Section is a titled group of charts.
type Section struct {
	ID    string // DOM id, [a-z0-9-]
	Title string
	Intro string
	// Stats are headline numbers shown as cards (headline section only).
	Stats []Stat
	// Charts are the section's charts, each with its table.
	Charts []Chart
	// Notes say what is missing or how to read the section ("no flow
	// registry rows in this scope").
	Notes []string
}

// Stat is one headline number.
type Stat struct {
	Label  string
	Value  string // formatted for display
	Detail string
}

// Chart is one chart and the table of its numbers. The chart is drawn from
// Option, which Build makes from the same rows as Table; a chart with a nil
// Option is shown as its table only (nothing to draw, e.g. every cell
// suppressed).
type Chart struct {
	ID    string // DOM id, unique in the report, [a-z0-9-]
	Title string
	// Units says what the numbers count ("IDP individuals").
	Units string
	// From names the figure or SQL the numbers come from ("figure idps,
	// admin level 1"), and Dataset the warehouse view under it.
	From    string
	Dataset string
	// Sources are the input files (source_file) the numbers come from.
	Sources []string
	// Notes explain caps, suppression, overlaps.
	Notes []string
	Table Table
	// Option is the ECharts option (JSON-marshalled as is); nil: no drawing.
	Option map[string]any
	// AbsValues shows values without sign in axis labels and tooltips (the
	// left half of a population pyramid is drawn as negative numbers).
	AbsValues bool
	// Height is the drawing's height in CSS pixels.
	Height int
}

// Table is the numbers of a chart, as published in the report and in its
// CSV download.
type Table struct {
	Columns []Column
	Rows    [][]Cell
}

// Column is a table column.
type Column struct {
	Name    string // CSV header (snake_case, as in figures)
	Label   string // header shown in the HTML table
	Numeric bool   // right-aligned, shown with thousands separators
}

// Cell is one table value.
type Cell struct {
	// Text is the value as CSV holds it: numbers without grouping, dates
	// as YYYY-MM-DD, "" for empty.
	Text string
	// Suppressed marks a small cell withheld by suppression (Text is "").
	Suppressed bool
}
