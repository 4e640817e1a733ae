package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
	"go.uber.org/zap"
)

// CrossSourceDuplicate says that an input shares site-rounds with another
// input: the same observation published in two files.
type CrossSourceDuplicate struct {
	OtherFile   string `json:"other_file" desc:"the other input holding the same site-rounds"`
	OtherSource string `json:"other_source,omitempty" desc:"its job source"`
	Committed   bool   `json:"committed_before" desc:"true when the other input was committed by an earlier run (not read in this one)"`
	SiteRounds  int    `json:"site_rounds" desc:"site-rounds both inputs hold"`
	Example     string `json:"example" desc:"the first of them: country, site, round, assessment type"`
	Row         int64  `json:"row" desc:"the first row of the example in this input"`
	OtherRow    int64  `json:"other_row" desc:"the first row of the example in the other input"`
	Replaces    bool   `json:"replaces" desc:"true when either input's job source declares replaces: round (figures count each of these site-rounds once, from the newer input); false: figures count them twice"`
}

// crossSourceCheck finds the site-rounds that two different inputs hold:
// an input read in this run (out[i] committed or dry-run, keys[i] its
// site-rounds) against the other inputs read in this run and against the
// committed inputs of the warehouse that this run does not replace. Each
// finding is a CrossSourceDuplicate on the inputs of this run, counted as
// cross-source-duplicate warnings (one per site-round) with a sample.
// Two tables of one file (sheets) are one source and are not compared.
func crossSourceCheck(ctx context.Context, cfg Config, base *sinks.Manifest, inputs []Input, out []SourceResult, keys []*siteKeys) error {
	return crossSourceCheckBy(ctx, cfg, base, inputs, out, keys, againstCommitted)
}

// committedCheck compares the inputs idx of this run with the committed
// inputs this run does not read again (reread: the keys of those it
// does), calling note for each site-round found (againstCommitted; the
// tests pass today's DuckDB scan to compare).
type committedCheck func(ctx context.Context, cfg Config, base *sinks.Manifest, inputs []Input, idx []int, keys []*siteKeys,
	reread map[string]bool, note func(int, string, CrossSourceDuplicate, string)) error

// crossSourceCheckBy is crossSourceCheck with the committed inputs
// compared by committed.
func crossSourceCheckBy(ctx context.Context, cfg Config, base *sinks.Manifest, inputs []Input, out []SourceResult, keys []*siteKeys,
	committed committedCheck) error {
	var idx []int
	reread := map[string]bool{}
	for i := range inputs {
		if out[i].Status != StatusCommitted && out[i].Status != StatusDryRun {
			continue
		}
		reread[inputs[i].Key()] = true
		if keys[i] != nil && keys[i].size() > 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	found := make([]map[string]*CrossSourceDuplicate, len(inputs))
	note := func(i int, other string, d CrossSourceDuplicate, key string) {
		if found[i] == nil {
			found[i] = map[string]*CrossSourceDuplicate{}
		}
		cur, ok := found[i][other]
		if !ok {
			d.SiteRounds, d.Example, d.OtherFile = 1, key, other
			found[i][other] = &d
			return
		}
		cur.SiteRounds++
		if key < cur.Example {
			cur.Example, cur.Row, cur.OtherRow = key, d.Row, d.OtherRow
		}
	}
	// Inputs of this run against each other.
	for a, i := range idx {
		for _, j := range idx[a+1:] {
			if inputs[i].Path == inputs[j].Path {
				continue
			}
			small, large := i, j
			if keys[small].size() > keys[large].size() {
				small, large = large, small
			}
			repl := inputs[i].Replaces == "round" || inputs[j].Replaces == "round"
			keys[small].each(func(k string, rs siteRow) {
				rl, ok := keys[large].lookup(k)
				if !ok {
					return
				}
				ri, rj := rs, rl
				if small != i {
					ri, rj = rl, rs
				}
				note(i, inputs[j].Path, CrossSourceDuplicate{OtherSource: inputs[j].Source, Row: ri.row, OtherRow: rj.row, Replaces: repl}, k)
				note(j, inputs[i].Path, CrossSourceDuplicate{OtherSource: inputs[i].Source, Row: rj.row, OtherRow: ri.row, Replaces: repl}, k)
			})
		}
	}
	// Against the committed inputs this run leaves in place.
	if err := committed(ctx, cfg, base, inputs, idx, keys, reread, note); err != nil {
		return err
	}
	for _, i := range idx {
		if keys[i].truncated {
			out[i].Notes = append(out[i].Notes, fmt.Sprintf("cross-source duplicates looked for among the first %d site-rounds only", maxSiteKeys))
		}
		if len(found[i]) == 0 {
			continue
		}
		others := make([]string, 0, len(found[i]))
		for o := range found[i] {
			others = append(others, o)
		}
		sort.Strings(others)
		for _, o := range others {
			d := *found[i][o]
			ex := d.Example
			d.Example = describeSiteRound(ex)
			out[i].CrossSource = append(out[i].CrossSource, d)
			out[i].Warnings += int64(d.SiteRounds)
			if out[i].WarningCodes == nil {
				out[i].WarningCodes = map[string]int{}
			}
			out[i].WarningCodes[CodeCrossSourceDuplicate] += d.SiteRounds
			out[i].RejectSamples = append(out[i].RejectSamples, schemas.Reject{File: inputs[i].Path, Sheet: sheetOf(keys[i], ex),
				Row: int(d.Row), Value: d.Example, Code: CodeCrossSourceDuplicate, Severity: schemas.SeverityWarning, Message: d.Message()})
		}
	}
	return nil
}

// crossSourceMemory is DuckDB's memory limit while it groups the committed
// site-rounds (it spills to a temporary directory past it), so that the
// check costs an ingest the same memory at any warehouse size.
const crossSourceMemory = "256MB"

// againstCommitted compares the inputs idx of this run with the committed
// site_assessment inputs that this run does not read again. It reads only
// what can hold one of this run's site-rounds (readCommittedSiteRounds:
// the files of their partitions, the row groups their statistics allow,
// the key columns), in Go; DuckDB (duckSiteRounds) only reads a file whose
// layout the Go reader does not know.
func againstCommitted(ctx context.Context, cfg Config, base *sinks.Manifest, inputs []Input, idx []int, keys []*siteKeys,
	reread map[string]bool, note func(int, string, CrossSourceDuplicate, string)) error {
	byFile := map[string]*sinks.Source{}
	for _, s := range base.Sources {
		if s.Dataset != siteRoundDataset || reread[s.Key] {
			continue
		}
		byFile[s.File] = s
	}
	if len(byFile) == 0 {
		return nil
	}
	want := newWantedSiteRounds(idx, keys)
	// The rows of a compared source file are those of every committed
	// source of that file (a re-read sheet's committed rows too, as the
	// view shows them), in their data files; with replacing inputs, the
	// rows of every committed file tell which of them the view keeps.
	sources := map[string]bool{}
	for f := range byFile {
		sources[f] = true
	}
	replacing := base.ReplacingFiles(siteRoundDataset)
	var dataFiles []string
	for _, s := range base.Sources {
		if s.Dataset == siteRoundDataset && (sources[s.File] || len(replacing) > 0) {
			dataFiles = append(dataFiles, s.Files...)
		}
	}
	sort.Strings(dataFiles)
	fn := noteCommitted(byFile, inputs, idx, keys, note)
	// The found site-rounds are held until the files are read, so that a
	// layout the reader refuses falls back to DuckDB with nothing noted.
	var found []query.SiteRound
	start := time.Now()
	st, err := readCommittedSiteRounds(ctx, cfg.Warehouse, dataFiles, sources, replacing, want, func(sr query.SiteRound) error {
		found = append(found, sr)
		return nil
	})
	cfg.Logger.Debug("cross-source check: committed site-rounds read", zap.String("run_id", cfg.RunID),
		zap.Int("data_files", st.Files), zap.Int("files_pruned", st.FilesPruned), zap.Int("files_opened", st.FilesOpened),
		zap.Int("row_groups_read", st.RowGroupsRead), zap.Int("row_groups_skipped", st.RowGroupsSkipped),
		zap.Int("found", len(found)), zap.Duration("duration", time.Since(start)), zap.Error(err))
	if !errors.Is(err, errCommittedLayout) {
		if err != nil {
			return err
		}
		for _, sr := range found {
			if err := fn(sr); err != nil {
				return err
			}
		}
		return nil
	}
	// DuckDB over the source files whose data may hold a wanted key.
	var files []string
	for f := range sources {
		for _, s := range base.Sources {
			if s.Dataset == siteRoundDataset && s.File == f && slices.ContainsFunc(s.Files, want.mayHold) {
				files = append(files, f)
				break
			}
		}
	}
	sort.Strings(files)
	return duckSiteRounds(ctx, cfg, files, want, fn)
}

// noteCommitted is the callback of a committed site-round (of the source
// of its file, byFile): a finding on every input of idx holding it, but
// the input that is that file.
func noteCommitted(byFile map[string]*sinks.Source, inputs []Input, idx []int, keys []*siteKeys,
	note func(int, string, CrossSourceDuplicate, string)) func(query.SiteRound) error {
	return func(sr query.SiteRound) error {
		s := byFile[sr.File]
		for _, i := range idx {
			r, ok := keys[i].lookup(sr.Key)
			if !ok || inputs[i].Path == sr.File {
				continue
			}
			note(i, sr.File, CrossSourceDuplicate{OtherSource: s.JobSource, Committed: true, Row: r.row, OtherRow: sr.Row,
				Replaces: inputs[i].Replaces == "round" || s.Replaces == "round"}, sr.Key)
		}
		return nil
	}
}

// duckSiteRounds calls fn with the committed site-rounds of the source
// files that are among want, through DuckDB over the site_assessment view
// (restricted to the countries and rounds of want's site-rounds).
func duckSiteRounds(ctx context.Context, cfg Config, files []string, want *wantedSiteRounds, fn func(query.SiteRound) error) error {
	if len(files) == 0 || len(want.keys) == 0 {
		return nil
	}
	start := time.Now()
	db, err := query.Open(ctx, cfg.Warehouse, cfg.Registry)
	if err != nil {
		return err
	}
	defer db.Close()
	start = logStep(cfg, "cross-source check: duckdb opened", start)
	defer func() { logStep(cfg, "cross-source check: committed site-rounds read by duckdb", start) }()
	spill, err := os.MkdirTemp("", "dtm-site-rounds-")
	if err != nil {
		return fmt.Errorf("cross-source check: %w", err)
	}
	defer os.RemoveAll(spill)
	// Only this run's site-rounds are looked for (SiteRounds' only), and
	// DuckDB is bounded past that, spilling to a temporary directory.
	if err := db.Exec(ctx, "SET memory_limit = '"+crossSourceMemory+"'"); err != nil {
		return fmt.Errorf("cross-source check: %w", err)
	}
	if err := db.Exec(ctx, "SET temp_directory = '"+strings.ReplaceAll(spill, "'", "''")+"'"); err != nil {
		return fmt.Errorf("cross-source check: %w", err)
	}
	return db.SiteRounds(ctx, files, want.countries, want.rounds, want.keys, fn)
}

// Message is the warning of a CrossSourceDuplicate, for people: both
// files, an example site-round with its rows, and what figures do.
func (d CrossSourceDuplicate) Message() string {
	when := "also read in this run"
	if d.Committed {
		when = "committed before"
	}
	what := "figures count them twice: if one file supersedes the other, declare `replaces: round` on its job source, or remove the older one (dtm warehouse rm)"
	if d.Replaces {
		what = "figures count each once, from the newer file (replaces: round)"
	}
	return fmt.Sprintf("%d site-round(s) of this file are also in %s (%s), e.g. %s: row %d here, row %d there; %s",
		d.SiteRounds, d.OtherFile, when, d.Example, d.Row, d.OtherRow, what)
}

// sheetOf is the sheet of a site-round's first row in an input.
func sheetOf(k *siteKeys, key string) string {
	r, _ := k.lookup(key)
	return r.sheet
}
