package report

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/iom-dtm/dtm/transform"
)

// maxReconSeries caps the reject codes drawn as series of the
// reconciliation chart (the others are summed into "other codes").
const maxReconSeries = 7

// runSourcesSQL reads the run-results documents of the given runs (the
// runs view, one row per <warehouse>/_dtm/runs/*.json); %s is the
// placeholders of the run ids.
const runSourcesSQL = `SELECT run_id, CAST(sources AS VARCHAR) AS sources FROM runs WHERE run_id IN (%s)`

// runSource is the part of a run result's sources[] entry the panel reads
// (internal/pipeline.SourceResult).
type runSource struct {
	File           string                     `json:"file"`
	Sheet          string                     `json:"sheet"`
	Status         string                     `json:"status"`
	Reconciliation []transform.Reconciliation `json:"reconciliation"`
}

// reconciliations finds, for each input, the reconciliation of its
// headline figures in the results of the run that committed it (the
// manifest's run_id; a later run that found the input unchanged did not
// read it). An input whose run recorded none (a dtm older than the
// reconciliation, or a run document removed) is left without.
func (b *builder) reconciliations(inputs []*inputQuality) error {
	ids := map[string]bool{}
	var args []any
	for _, q := range inputs {
		if !ids[q.src.RunID] {
			ids[q.src.RunID] = true
			args = append(args, q.src.RunID)
		}
	}
	if len(args) == 0 {
		return nil
	}
	sort.Slice(args, func(i, j int) bool { return args[i].(string) < args[j].(string) })
	stmt := fmt.Sprintf(runSourcesSQL, strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", "))
	res, err := b.q.Query(b.ctx, stmt, args...)
	if err != nil {
		return fmt.Errorf("report: run results: %w", err)
	}
	f, err := newFrame("run results", res, "run_id", "sources")
	if err != nil {
		return err
	}
	type key struct{ run, file, sheet string }
	found := map[key][]transform.Reconciliation{}
	for i := range f.len() {
		var srcs []runSource
		if err := json.Unmarshal([]byte(f.str(i, "sources")), &srcs); err != nil {
			continue // a document the runs view could not type: its inputs show no reconciliation
		}
		for _, s := range srcs {
			if s.Status == "committed" && len(s.Reconciliation) > 0 {
				found[key{f.str(i, "run_id"), s.File, s.Sheet}] = s.Reconciliation
			}
		}
	}
	for _, q := range inputs {
		q.recon = found[key{q.src.RunID, q.src.File, q.src.Sheet}]
	}
	return nil
}

// noColumn reports whether a figure is absent from its input: no source
// column, nothing counted or written, no difference (a site file without
// returnee counts).
func noColumn(r transform.Reconciliation) bool {
	return r.Column == "" && r.InFile == 0 && r.Written == 0 && r.Dropped == 0 && len(r.ByCode) == 0 && r.UnusableCells == 0 && r.FileTotal == nil
}

// reconLabel names one input's figure on the chart's axis.
func reconLabel(q *inputQuality, r transform.Reconciliation) string {
	label := path.Base(strings.ReplaceAll(q.src.File, "\\", "/"))
	if q.src.Sheet != "" {
		label += " [" + q.src.Sheet + "]"
	}
	return label + " · " + r.Label
}

// reconChart is the reconciliation of each input's headline figures:
// the table has, per input and figure, the sum as read from the file, as
// written, the difference split into rows not written and cells emptied,
// and by reject code, beside the input's top reject codes and the file's
// own total; the chart draws the difference by reject code. nil when no
// input in scope has a recorded reconciliation.
func reconChart(inputs []*inputQuality) *Chart {
	type line struct {
		q *inputQuality
		r transform.Reconciliation
	}
	var lines []line
	missing, absent := 0, 0
	for _, q := range inputs {
		if len(q.recon) == 0 {
			missing++
			continue
		}
		for _, r := range q.recon {
			if noColumn(r) {
				absent++
				continue
			}
			lines = append(lines, line{q, r})
		}
	}
	if len(lines) == 0 && absent == 0 {
		return nil
	}
	abs := func(n int64) int64 {
		if n < 0 {
			return -n
		}
		return n
	}
	// Largest differences first, then input order.
	sort.SliceStable(lines, func(i, j int) bool { return abs(lines[i].r.Dropped) > abs(lines[j].r.Dropped) })

	t := Table{Columns: []Column{col("file", "Input"), col("figure", "Figure"), ncol("in_file", "In file"), ncol("written", "Written"),
		ncol("dropped", "Difference"), ncol("rows_dropped", "In rows not written"), ncol("cells_emptied", "In cells emptied"),
		col("by_code", "Difference by reject code"), col("top_codes", "Input's top reject codes"), ncol("file_total", "File's own total"),
		ncol("unusable_cells", "Unusable cells"), col("column", "Source column"), col("field", "Field"), col("sheet", "Sheet"), col("dataset", "Dataset")}}
	codeTotal := map[string]int64{}
	var notes []string
	for i, l := range lines {
		r := l.r
		if i < maxQualityRows {
			var total Cell
			if r.FileTotal != nil {
				total = num(*r.FileTotal)
			}
			t.add(text(l.q.src.File), text(r.Label), num(r.InFile), num(r.Written), num(r.Dropped), num(r.RowsDropped), num(r.CellsEmptied),
				text(byCode(r.ByCode)), text(topCodes(l.q.codes, 3)), total, num(r.UnusableCells), text(r.Column), text(r.Field),
				text(l.q.src.Sheet), text(l.q.src.Dataset))
		}
		for c, n := range r.ByCode {
			codeTotal[c] += abs(n)
		}
		if r.FileTotal != nil && *r.FileTotal != r.InFile {
			notes = append(notes, fmt.Sprintf("%s: the file's totals row (row %d) says %s %s, its rows add up to %s.",
				l.q.src.File, r.FileTotalRow, groupInt(*r.FileTotal), r.Label, groupInt(r.InFile)))
		}
		if r.InFile != r.Written+r.Dropped {
			notes = append(notes, fmt.Sprintf("%s, %s: in file (%d) ≠ written (%d) + difference (%d).", l.q.src.File, r.Label, r.InFile, r.Written, r.Dropped))
		}
	}
	if len(lines) > maxQualityRows {
		notes = append(notes, fmt.Sprintf("The table lists %d of %d figures; the runs view has them all.", maxQualityRows, len(lines)))
	}
	if absent > 0 {
		notes = append(notes, fmt.Sprintf("%d figures are left out: their input has no column for them and nothing was counted.", absent))
	}
	if missing > 0 {
		notes = append(notes, fmt.Sprintf("%d inputs have no reconciliation in the results of the run that committed them (a dataset without headline figures, or an older dtm).", missing))
	}
	notes = append(notes, "In file sums the figure's usable cells as read (whole numbers ≥ 0; totals rows left out); difference = in file − written, split into rows not written (error rejects) and cells emptied by a rule (warnings; negative when a rule added to the figure). \"changed\": a rule moved a value without a warning on the cell.")

	ch := &Chart{
		ID: "quality-reconciliation", Title: "Headline figures reconciled per input", Units: "people or households (the figure's own unit)",
		From:    "the run results of each input's committing run (sources[].reconciliation)",
		Dataset: "the runs view, beside the rejects view (top reject codes)", Notes: notes, Table: t,
	}
	// Drawn: the difference of each figure by reject code, the figures
	// with a difference only (most first, capped).
	codes := make([]string, 0, len(codeTotal))
	for c, n := range codeTotal {
		if n != 0 {
			codes = append(codes, c)
		}
	}
	sort.Slice(codes, func(i, j int) bool {
		if codeTotal[codes[i]] != codeTotal[codes[j]] {
			return codeTotal[codes[i]] > codeTotal[codes[j]]
		}
		return codes[i] < codes[j]
	})
	var drawn []line
	for _, l := range lines {
		if l.r.Dropped != 0 || len(l.r.ByCode) > 0 {
			drawn = append(drawn, l)
		}
	}
	if len(codes) == 0 || len(drawn) == 0 {
		ch.Notes = append(ch.Notes, "Every headline figure of every input was written as read: no difference to draw.")
		return ch
	}
	shown, other := codes, []string(nil)
	if len(codes) > maxReconSeries+1 {
		shown, other = codes[:maxReconSeries], codes[maxReconSeries:]
	}
	if len(drawn) > maxQualityBars {
		ch.Notes = append(ch.Notes, fmt.Sprintf("The %d figures with the largest differences are drawn, of %d.", maxQualityBars, len(drawn)))
		drawn = drawn[:maxQualityBars]
	}
	cats := make([]string, len(drawn))
	ss := make([]series, len(shown), len(shown)+1)
	for k, c := range shown {
		ss[k] = series{name: c, values: make([]*float64, len(drawn))}
	}
	var rest series
	if len(other) > 0 {
		rest = series{name: fmt.Sprintf("other codes (%d)", len(other)), values: make([]*float64, len(drawn))}
	}
	for i, l := range drawn {
		cats[i] = reconLabel(l.q, l.r)
		for k, c := range shown {
			if n, ok := l.r.ByCode[c]; ok && n != 0 {
				ss[k].values[i] = val(float64(n))
			}
		}
		var o int64
		for _, c := range other {
			o += l.r.ByCode[c]
		}
		if o != 0 {
			rest.values[i] = val(float64(o))
		}
	}
	if len(other) > 0 {
		ss = append(ss, rest)
	}
	ch.Option = hbarOption(cats, ss, "difference (in file − written)", true)
	ch.Height = hbarHeight(len(cats), 1)
	return ch
}

// byCode formats a difference split by code, largest first ("missing-value
// 120; changed 3").
func byCode(m map[string]int64) string {
	codes := make([]string, 0, len(m))
	for c := range m {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		if m[codes[i]] != m[codes[j]] {
			return m[codes[i]] > m[codes[j]]
		}
		return codes[i] < codes[j]
	})
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprintf("%s %d", c, m[c])
	}
	return strings.Join(parts, "; ")
}
