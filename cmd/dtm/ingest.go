package main

import (
	"strings"

	"github.com/iom-dtm/dtm/internal/config"
	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/spf13/cobra"
)

// fileFlags are the flags shared by ingest and validate.
type fileFlags struct {
	kind, country, sheet, operation string
	maxRejectRatio                  float64
}

func (f *fileFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.kind, "kind", "", "dataset: "+strings.Join(config.Kinds, ", ")+" (required)")
	cmd.Flags().StringVar(&f.country, "country", "", "country for rows that have none: ISO 3166 alpha-3 code or name")
	cmd.Flags().StringVar(&f.sheet, "sheet", "", "worksheet to read (spreadsheets; default: detected)")
	cmd.Flags().StringVar(&f.operation, "operation", "", "DTM operation for rows that have none")
	cmd.Flags().Float64Var(&f.maxRejectRatio, "max-reject-ratio", 0, "share of rejected rows above which a file fails (default 0.5)")
}

func (f *fileFlags) inputs(files []string) ([]pipeline.Input, error) {
	if f.kind == "" {
		return nil, usagef("--kind is required (one of %s)", strings.Join(config.Kinds, ", "))
	}
	ok := false
	for _, k := range config.Kinds {
		ok = ok || k == f.kind
	}
	if !ok {
		return nil, usagef("--kind %q is not one of %s", f.kind, strings.Join(config.Kinds, ", "))
	}
	country, err := countries().Resolve(f.country)
	if err != nil {
		return nil, usagef("--country: %v", err)
	}
	if f.maxRejectRatio < 0 || f.maxRejectRatio > 1 {
		return nil, usagef("--max-reject-ratio must be between 0 and 1 (a share of rows), got %g", f.maxRejectRatio)
	}
	var out []pipeline.Input
	for _, p := range files {
		out = append(out, pipeline.Input{Path: p, Kind: f.kind, Country: country, Sheet: f.sheet,
			Operation: f.operation, MaxRejectRatio: f.maxRejectRatio})
	}
	return out, nil
}

func (a *app) ingestCmd() *cobra.Command {
	var ff fileFlags
	var opts runOptions
	cmd := &cobra.Command{
		Use:   "ingest --kind KIND [--country ISO3] [--sheet NAME] FILE...",
		Short: "Ingest files into the warehouse (one atomic commit)",
		Args:  cobra.MinimumNArgs(1),
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
	return cmd
}
