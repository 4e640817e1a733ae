package main

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/iom-dtm/dtm/ingest/formats"
	"github.com/iom-dtm/dtm/internal/config"
	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/internal/sample"
	"github.com/iom-dtm/dtm/sinks/lake"
	"github.com/spf13/cobra"
	"go.uber.org/zap"
)

func (a *app) runCmd() *cobra.Command {
	var cfgPath string
	var opts runOptions
	cmd := &cobra.Command{
		Use:   "run [--config FILE]",
		Short: "Run the nightly batch of a job file (with no --config: the bundled example job over the bundled sample data)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var job *config.Job
			var err error
			embedded := cfgPath == ""
			if embedded {
				job, err = config.Parse(sample.Job(), "")
				if job != nil {
					job.Warehouse = "" // the bundled job runs into --warehouse or ./warehouse
				}
			} else {
				job, err = config.LoadWith(cfgPath, config.Registries{Kinds: a.registry, Formats: formats.Default()})
			}
			if err == nil {
				err = job.CheckColumns(a.registry)
			}
			if err != nil {
				return usageError{err}
			}
			// --warehouse, else DTM_WAREHOUSE, else the job's warehouse
			// (relative to the job file), else ./warehouse.
			set, err := a.resolve(cmd, job)
			if err != nil {
				return err
			}
			a.warehouse, a.catalog = set.Warehouse, set.Catalog
			if err := checkSourceNames(job, opts.refresh); err != nil {
				return err
			}
			inputs, err := jobInputs(job, embedded)
			if err != nil {
				return usageError{err}
			}
			apiInputs, cleanup := a.fetchAPIInputs(cmd, job, set, opts.dryRun)
			defer cleanup()
			inputs = append(inputs, apiInputs...)
			opts.showFigures = embedded
			return a.runPipeline(cmd, job, inputs, opts)
		},
	}
	cmd.Flags().StringVar(&cfgPath, "config", "", "job file (YAML)")
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "show what would change; write nothing (no lock, no files)")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the run results as JSON (see `dtm schema runs`)")
	cmd.Flags().BoolVar(&opts.fullRefresh, "full-refresh", false, "re-ingest every input, changed or not (each replaces its own rows)")
	cmd.Flags().StringArrayVar(&opts.refresh, "source", nil, "re-ingest the inputs of this job source, changed or not (repeatable)")
	return cmd
}

// fetchAPIInputs fetches the job's DTM API sources (saving responses under
// the warehouse, or in a temporary directory for a dry run or a run into
// s3://) and returns
// inputs over the saved files; a failed request is logged and is an input
// marked Unavailable (a failed source in the run results).
func (a *app) fetchAPIInputs(cmd *cobra.Command, job *config.Job, set config.Settings, dryRun bool) ([]pipeline.Input, func()) {
	saveRoot, cleanup := a.warehouse, func() {}
	var inputs []pipeline.Input
	for _, s := range job.Sources {
		if s.API == nil {
			continue
		}
		// A dry run keeps nothing; a run into s3:// has no local warehouse
		// to keep the responses in (a job's api.save_dir keeps them): both
		// save them in a temporary directory, removed after the run.
		if (dryRun || lake.IsObjectStore(a.warehouse)) && saveRoot == a.warehouse {
			tmp, err := os.MkdirTemp("", "dtm-dry-run-")
			if err != nil {
				inputs = append(inputs, pipeline.Input{Path: s.Name, Source: s.Name, Kind: s.Kind, Unavailable: err.Error()})
				continue
			}
			saveRoot, cleanup = tmp, func() { os.RemoveAll(tmp) }
		}
		in, errs := pipeline.FetchAPI(cmd.Context(), s, pipeline.FetchOptions{BaseURL: set.APIBaseURL(s), Key: set.APIKey,
			SaveDir: job.APISaveDir(s, saveRoot), Logger: a.log})
		for _, err := range errs {
			a.log.Error("DTM API request failed", zap.String("source", s.Name), zap.String("stage", "fetch"), zap.Error(err))
		}
		inputs = append(inputs, in...)
	}
	return inputs, cleanup
}

// jobInputs expands a job's file sources into inputs (pipeline.JobFileInputs);
// the embedded job reads the bundled sample files instead.
func jobInputs(job *config.Job, embedded bool) ([]pipeline.Input, error) {
	if !embedded {
		return pipeline.JobFileInputs(job)
	}
	var inputs []pipeline.Input
	for _, s := range job.Sources {
		var files []string
		data := map[string][]byte{}
		for _, p := range s.Paths {
			matches, err := fs.Glob(sample.FS(), p)
			if err != nil {
				return nil, fmt.Errorf("source %q: %w", s.Name, err)
			}
			for _, m := range matches {
				b, err := fs.ReadFile(sample.FS(), m)
				if err != nil {
					return nil, err
				}
				name := path.Join("sample", m)
				data[name] = b
				files = append(files, name)
			}
		}
		sort.Strings(files)
		for _, f := range files {
			in := pipeline.SourceInput(s, f)
			in.Data = data[f]
			inputs = append(inputs, in)
		}
	}
	return inputs, nil
}

// checkSourceNames refuses a --source that names no source of the job.
func checkSourceNames(job *config.Job, names []string) error {
	known := map[string]bool{}
	var all []string
	for _, s := range job.Sources {
		known[s.Name] = true
		all = append(all, s.Name)
	}
	for _, n := range names {
		if !known[n] {
			return usagef("--source %q is not a source of the job (sources: %s)", n, strings.Join(all, ", "))
		}
	}
	return nil
}
