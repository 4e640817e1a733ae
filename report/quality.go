package report

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/iom-dtm/dtm/sinks"
	"github.com/iom-dtm/dtm/transform"
)

// maxQualityBars caps the inputs drawn in the rows chart (most rejected
// first); the table lists every input up to maxQualityRows.
const (
	maxQualityBars = 30
	maxQualityRows = 500
	maxCodes       = 10
)

// rejectsSQL counts the committed rejects by input, code and severity.
const rejectsSQL = `SELECT file, coalesce(sheet, '') AS sheet, code, severity, count(*) AS rejects
FROM rejects GROUP BY ALL ORDER BY file, sheet, rejects DESC, code`

var datasetName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// inputQuality is one committed input's accounting.
type inputQuality struct {
	src              *sinks.Source
	warnings, errors int64
	codes            []codeCount
	adds             bool
	// recon is the reconciliation of its headline figures from the run
	// results (reconcile.go); nil when none is recorded.
	recon []transform.Reconciliation
}

type codeCount struct {
	code, severity string
	n              int64
}

// qualitySection is the data-quality panel: per committed input, rows in,
// written and rejected (the manifest's ledger) with its top reject codes
// (the rejects view); per input, the reconciliation of its headline
// figures (the run results) beside its top reject codes; and the top
// reject codes over all inputs.
func (b *builder) qualitySection() (Section, error) {
	sec := Section{ID: "quality", Title: "Data quality",
		Intro: "Every input row is written or rejected: rows in = rows written + rows rejected. Warnings flag kept rows with a problem (a cell emptied, an unknown p-code)."}
	inScope, err := b.inputsInScope()
	if err != nil {
		return sec, err
	}
	m := b.db.Manifest()
	var inputs []*inputQuality
	byKey := map[string]*inputQuality{}
	for _, s := range m.Sources {
		if inScope != nil && !inScope[s.File] {
			continue
		}
		q := &inputQuality{src: s, adds: s.RowsIn == s.RowsWritten+s.RowsRejected}
		inputs = append(inputs, q)
		byKey[s.File+"\x00"+s.Sheet] = q
	}
	if len(inputs) == 0 {
		sec.Notes = append(sec.Notes, "No committed inputs in this scope.")
		return sec, nil
	}
	res, err := b.q.Query(b.ctx, rejectsSQL)
	if err != nil {
		return sec, fmt.Errorf("report: rejects: %w", err)
	}
	f, err := newFrame("rejects", res, "file", "sheet", "code", "severity", "rejects")
	if err != nil {
		return sec, err
	}
	overall := map[[2]string]*codeCount{}
	inputsPerCode := map[[2]string]int{}
	for i := range f.len() {
		q := byKey[f.str(i, "file")+"\x00"+f.str(i, "sheet")]
		if q == nil {
			continue // an input outside the scope
		}
		n, _ := f.int(i, "rejects")
		c := codeCount{code: f.str(i, "code"), severity: f.str(i, "severity"), n: n}
		q.codes = append(q.codes, c)
		if c.severity == "error" {
			q.errors += n
		} else {
			q.warnings += n
		}
		k := [2]string{c.code, c.severity}
		if overall[k] == nil {
			overall[k] = &codeCount{code: c.code, severity: c.severity}
		}
		overall[k].n += n
		inputsPerCode[k]++
	}
	sort.Slice(inputs, func(i, j int) bool {
		a, c := inputs[i].src, inputs[j].src
		if a.RowsRejected != c.RowsRejected {
			return a.RowsRejected > c.RowsRejected
		}
		if a.File != c.File {
			return a.File < c.File
		}
		return a.Sheet < c.Sheet
	})
	sec.Charts = append(sec.Charts, b.inputsChart(inputs))
	if err := b.reconciliations(inputs); err != nil {
		return sec, err
	}
	if ch := reconChart(inputs); ch != nil {
		sec.Charts = append(sec.Charts, *ch)
	} else {
		sec.Notes = append(sec.Notes, "No input of this scope has a reconciliation of its headline figures in its run results (datasets without headline figures, or inputs committed by an older dtm).")
	}
	if ch := codesChart(overall, inputsPerCode); ch != nil {
		sec.Charts = append(sec.Charts, *ch)
	}
	return sec, nil
}

// inputsChart is rows written and rejected per input, with the table of
// every input's accounting and top reject codes.
func (b *builder) inputsChart(inputs []*inputQuality) Chart {
	t := Table{Columns: []Column{col("file", "Input"), ncol("rows_in", "Rows in"), ncol("rows_written", "Written"),
		ncol("rows_rejected", "Rejected"), ncol("warnings", "Warnings"), col("top_codes", "Top reject codes"),
		col("sheet", "Sheet"), col("dataset", "Dataset"), col("run_id", "Ingest run")}}
	var cats []string
	written := series{name: "written"}
	rejected := series{name: "rejected"}
	var notes []string
	for i, q := range inputs {
		s := q.src
		if i < maxQualityRows {
			t.add(text(s.File), num(s.RowsIn), num(s.RowsWritten), num(s.RowsRejected), num(q.warnings),
				text(topCodes(q.codes, 3)), text(s.Sheet), text(s.Dataset), text(s.RunID))
		}
		if i < maxQualityBars {
			label := path.Base(strings.ReplaceAll(s.File, "\\", "/"))
			if s.Sheet != "" {
				label += " [" + s.Sheet + "]"
			}
			cats = append(cats, label)
			written.values = append(written.values, val(float64(s.RowsWritten)))
			rejected.values = append(rejected.values, val(float64(s.RowsRejected)))
		}
		if !q.adds {
			notes = append(notes, fmt.Sprintf("%s: rows in (%d) ≠ written (%d) + rejected (%d).", s.File, s.RowsIn, s.RowsWritten, s.RowsRejected))
		}
	}
	if len(inputs) > maxQualityBars {
		notes = append(notes, fmt.Sprintf("The %d inputs with most rejected rows are drawn, of %d.", maxQualityBars, len(inputs)))
	}
	if len(inputs) > maxQualityRows {
		notes = append(notes, fmt.Sprintf("The table lists %d of %d inputs; the runs view has them all.", maxQualityRows, len(inputs)))
	}
	return Chart{
		ID: "quality-inputs", Title: "Rows written and rejected per input", Units: "rows",
		From: "the warehouse manifest (each committed input's rows in, written and rejected)", Dataset: "the rejects view (warnings and codes)",
		Sources: nil, Notes: notes, Table: t,
		Option: hbarOption(cats, []series{written, rejected}, "rows", true),
		Height: hbarHeight(len(cats), 1),
	}
}

// codesChart is the most frequent reject codes over the inputs in scope;
// nil when there are no rejects.
func codesChart(overall map[[2]string]*codeCount, inputs map[[2]string]int) *Chart {
	if len(overall) == 0 {
		return nil
	}
	var cs []*codeCount
	for _, c := range overall {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].n != cs[j].n {
			return cs[i].n > cs[j].n
		}
		if cs[i].code != cs[j].code {
			return cs[i].code < cs[j].code
		}
		return cs[i].severity < cs[j].severity
	})
	var notes []string
	if len(cs) > maxCodes {
		notes = append(notes, fmt.Sprintf("The %d most frequent of %d codes.", maxCodes, len(cs)))
		cs = cs[:maxCodes]
	}
	t := Table{Columns: []Column{col("code", "Code"), col("severity", "Severity"), ncol("rejects", "Rejects"), ncol("inputs", "Inputs")}}
	var cats []string
	var vals []*float64
	for _, c := range cs {
		t.add(text(c.code), text(c.severity), num(c.n), num(int64(inputs[[2]string{c.code, c.severity}])))
		cats = append(cats, c.code+" ("+c.severity+")")
		vals = append(vals, val(float64(c.n)))
	}
	notes = append(notes, "Severity error: the row was not written; warning: the row was kept. dtm query 'SELECT * FROM rejects' lists each one with file, row, column, value and message.")
	return &Chart{
		ID: "quality-codes", Title: "Top reject codes", Units: "rejects (one per bad cell or row)",
		From: "the rejects view", Dataset: "the inputs of this scope", Notes: notes, Table: t,
		Option: hbarOption(cats, []series{{name: "rejects", values: vals}}, "rejects", false),
		Height: hbarHeight(len(cats), 1),
	}
}

// topCodes formats the first k codes of an input ("type-error ×3 (error)").
func topCodes(cs []codeCount, k int) string {
	var parts []string
	for i, c := range cs {
		if i == k {
			parts = append(parts, fmt.Sprintf("+%d more", len(cs)-k))
			break
		}
		parts = append(parts, fmt.Sprintf("%s ×%d (%s)", c.code, c.n, c.severity))
	}
	return strings.Join(parts, "; ")
}

// inputsInScope is the set of input files with rows in the report's
// country (nil: every input, when the report covers every country). An
// input whose rows were all rejected has no rows in any country and is
// shown only in the all-country report.
func (b *builder) inputsInScope() (map[string]bool, error) {
	if b.opt.Country == "" {
		return nil, nil
	}
	out := map[string]bool{}
	seen := map[string]bool{}
	var parts []string
	for _, s := range b.db.Manifest().Sources {
		if seen[s.Dataset] || !datasetName.MatchString(s.Dataset) {
			continue
		}
		seen[s.Dataset] = true
		if s.Dataset == "site_assessment" {
			// The report's aggregate has the country's site files (every
			// round): no further scan of the largest dataset.
			files, err := b.siteFiles()
			if err != nil {
				return nil, err
			}
			for _, f := range files {
				out[f.file] = true
			}
			continue
		}
		parts = append(parts, fmt.Sprintf(`SELECT DISTINCT source_file FROM "%s" WHERE country_iso3 = CAST($1 AS VARCHAR)`, s.Dataset))
	}
	if len(parts) == 0 {
		return out, nil
	}
	sort.Strings(parts)
	res, err := b.q.Query(b.ctx, strings.Join(parts, " UNION "), b.opt.Country)
	if err != nil {
		return nil, fmt.Errorf("report: inputs of %s: %w", b.opt.Country, err)
	}
	for _, r := range res.Rows {
		out[sinks.FormatValue(r[0])] = true
	}
	return out, nil
}
