package main

import (
	"fmt"
	"strings"

	"github.com/iom-dtm/dtm/ingest/formats"
	"github.com/iom-dtm/dtm/internal/config"
	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
	"github.com/spf13/cobra"
)

// fileFlags are the flags shared by ingest, validate and inspect: the
// dataset and its defaults, column overrides, or a job source that gives
// them all.
type fileFlags struct {
	// kinds is the dataset-kind registry --kind is checked against.
	kinds                    *schemas.Registry
	kind, country, operation string
	sheets                   []string
	duplicates               string
	maxRejectRatio           float64
	columns                  []string
	config, source           string
}

func (f *fileFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.kind, "kind", "", "dataset: "+strings.Join(f.kinds.Names(), ", ")+" (required unless --source gives it)")
	cmd.Flags().StringVar(&f.country, "country", "", "ISO3 country code for rows that have none (wins over a country inferred from p-codes or the file name)")
	cmd.Flags().StringArrayVar(&f.sheets, "sheet", nil, "worksheet to read (spreadsheets; repeat for several; default: the detected data sheet and every sheet with the same columns)")
	cmd.Flags().StringVar(&f.operation, "operation", "", "DTM operation for rows that have none")
	cmd.Flags().Float64Var(&f.maxRejectRatio, "max-reject-ratio", 0, "share of rejected rows above which a file fails (default 0.5)")
	cmd.Flags().StringVar(&f.duplicates, "duplicates", "", "rows identical in every column to an earlier row: keep (the default: kept with a duplicate-row warning, as published totals count them) or drop")
	f.registerMapping(cmd)
}

// registerMapping registers the flags that change how columns map.
func (f *fileFlags) registerMapping(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.columns, "column", nil, "column override 'Header=field' (repeatable; 'Header=' ignores the column, 'Header=population' names the column saying each row's population)")
	cmd.Flags().StringVar(&f.config, "config", "", "job file whose --source gives the kind, country, sheet, operation and column overrides")
	cmd.Flags().StringVar(&f.source, "source", "", "name of the job source to take settings from (with --config)")
}

// overrides parses the --column flags into a header -> field map.
func (f *fileFlags) overrides() (map[string]string, error) {
	if len(f.columns) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, c := range f.columns {
		h, field, ok := strings.Cut(c, "=")
		if !ok || strings.TrimSpace(h) == "" {
			return nil, usagef("--column %q is not 'Header=field' (an empty field ignores the column)", c)
		}
		out[strings.TrimSpace(h)] = strings.TrimSpace(field)
	}
	return out, nil
}

// jobSource loads the job source named by --config and --source (nil
// when neither is given); the flags given on the command line win over it.
func (f *fileFlags) jobSource() (*config.Job, *config.Source, error) {
	if f.config == "" && f.source == "" {
		return nil, nil, nil
	}
	if f.config == "" || f.source == "" {
		return nil, nil, usagef("--config and --source go together (the job file and the name of one of its sources)")
	}
	job, err := config.LoadWith(f.config, config.Registries{Kinds: f.kinds, Formats: formats.Default()})
	if err != nil {
		return nil, nil, usageError{err}
	}
	s, err := job.SourceByName(f.source)
	if err != nil {
		return nil, nil, usageError{fmt.Errorf("%s: %w", f.config, err)}
	}
	return job, s, nil
}

// effective is the effective job source of a file command: the source named
// by --config and --source (an empty one without them) with the command
// line over it (config.Source.Overlay). named says whether a job source
// was named; job is its job (nil when none).
func (f *fileFlags) effective() (src config.Source, job *config.Job, named bool, err error) {
	job, js, err := f.jobSource()
	if err != nil {
		return src, nil, false, err
	}
	cli, err := f.overrides()
	if err != nil {
		return src, nil, false, err
	}
	if js != nil {
		src = *js
	}
	src = src.Overlay(config.SourceFlags{Kind: f.kind, Country: f.country, Operation: f.operation, Duplicates: f.duplicates,
		Sheets: f.sheets, MaxRejectRatio: f.maxRejectRatio, Columns: cli})
	return src, job, js != nil, nil
}

// inputs are the inputs of files (or, with none, of the named job
// source's files), each read with the effective source's settings.
func (f *fileFlags) inputs(files []string) ([]pipeline.Input, error) {
	src, job, named, err := f.effective()
	if err != nil {
		return nil, err
	}
	if src.Kind == "" {
		return nil, usagef("--kind is required (one of %s)", strings.Join(f.kinds.Names(), ", "))
	}
	if _, err := f.kinds.Lookup(src.Kind); err != nil {
		return nil, usagef("--kind %q is not one of %s", src.Kind, strings.Join(f.kinds.Names(), ", "))
	}
	if src.Country, err = countries().Resolve(src.Country); err != nil {
		return nil, usagef("--country: %v", err)
	}
	if f.maxRejectRatio < 0 || f.maxRejectRatio > 1 {
		return nil, usagef("--max-reject-ratio must be between 0 and 1 (a share of rows), got %g", f.maxRejectRatio)
	}
	if len(files) == 0 && named {
		files, _, err = job.Files(src)
		if err != nil {
			return nil, usageError{err}
		}
		if len(files) == 0 {
			return nil, usagef("source %q of %s matches no file; name the files on the command line", src.Name, f.config)
		}
	}
	if len(files) == 0 {
		return nil, usagef("no input file (name files, or a job source with --config and --source)")
	}
	if src.Duplicates, err = transform.ParseDuplicates(src.Duplicates); err != nil {
		return nil, usagef("--%v", err)
	}
	var out []pipeline.Input
	for _, p := range files {
		out = append(out, pipeline.SourceInput(src, p))
	}
	return out, nil
}

func (a *app) ingestCmd() *cobra.Command {
	ff := fileFlags{kinds: a.registry}
	var opts runOptions
	cmd := &cobra.Command{
		Use:   "ingest --kind KIND [--country ISO3] [--sheet NAME]... [--column 'Header=field']... FILE...",
		Short: "Ingest files into the warehouse (one atomic commit)",
		Long: "Ingest files into the warehouse as one atomic commit.\n\n" +
			"--column 'Header=field' maps a column by hand (repeatable; 'Header=' ignores it). " +
			"--config job.yaml --source NAME takes the kind, country, sheet, operation and column overrides " +
			"of one job source (and its files when none are named), so a mapping can be checked before the nightly run.",
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, files []string) error {
			inputs, err := ff.inputs(files)
			if err != nil {
				return err
			}
			return a.runPipeline(cmd, nil, inputs, opts)
		},
	}
	ff.register(cmd)
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the run results as JSON")
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "show what would change; write nothing")
	cmd.Flags().BoolVar(&opts.fullRefresh, "full-refresh", false, "re-ingest the files even if they and their settings are unchanged")
	return cmd
}
