package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/spf13/cobra"
)

func (a *app) schemaCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "schema [DATASET|runs] [--format markdown|json]",
		Short: "Print the canonical datasets (fields, types, HXL tags, vocabularies, sensitivity), or the run-results document (runs)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 && args[0] == "runs" {
				return writeRunsSchema(a.stdout, format)
			}
			all := append(a.registry.All(), schemas.RejectsDataset())
			if len(args) == 1 {
				if args[0] == "rejects" {
					all = []*schemas.Dataset{schemas.RejectsDataset()}
				} else {
					ds, err := a.registry.Lookup(args[0])
					if err != nil {
						return usageError{err}
					}
					all = []*schemas.Dataset{ds}
				}
			}
			switch format {
			case "json":
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				if len(all) == 1 {
					return enc.Encode(all[0])
				}
				return enc.Encode(all)
			case "markdown", "md", "":
				for _, ds := range all {
					writeSchemaMarkdown(a.stdout, ds)
				}
				return nil
			}
			return usagef("--format must be markdown or json")
		},
	}
	cmd.Flags().StringVar(&format, "format", "markdown", "markdown or json")
	return cmd
}

// writeSchemaMarkdown renders one dataset as a Markdown section.
func writeSchemaMarkdown(w io.Writer, ds *schemas.Dataset) {
	fmt.Fprintf(w, "## %s (version %s)\n\n%s\n\n", ds.Name, ds.Version, ds.Description)
	if ds.PartitionKey != "" {
		fmt.Fprintf(w, "Partitioned as `%s/country=<ISO3>/%s=<value>/` (%s).\n\n", ds.Name, ds.PartitionKey, ds.PartitionDoc)
	}
	fmt.Fprintln(w, "| field | type | required | sensitivity | HXL | unit | vocabulary | description |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	fields := ds.Fields
	if ds.Name != "rejects" {
		fields = ds.AllFields()
	}
	for _, f := range fields {
		req := ""
		if f.Required {
			req = "yes"
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s | %s | %s | %s |\n", f.Name, f.Kind, req, f.Sensitivity,
			mdEscape(f.HXL), mdEscape(string(f.Unit)), mdEscape(strings.Join(f.Vocabulary, ", ")), mdEscape(f.Description))
	}
	fmt.Fprintln(w)
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

// writeRunsSchema documents the run-results document, generated from the
// Go struct tags of pipeline.RunResult.
func writeRunsSchema(w io.Writer, format string) error {
	fields := pipeline.RunResultFields()
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(fields)
	case "markdown", "md", "":
		fmt.Fprint(w, "## runs (run results)\n\n"+
			"One JSON document per run at `<warehouse>/_dtm/runs/<run_id>.json` (written atomically at the end of "+
			"every run that took the lock, including failed and interrupted ones; not for --dry-run), printed by "+
			"`dtm run --json` and `dtm ingest --json`, and queryable as the `runs` view of `dtm query` "+
			"(one row per document; `sources` and `by_source` as JSON).\n\n")
		fmt.Fprintln(w, "| field | type | description |")
		fmt.Fprintln(w, "|---|---|---|")
		for _, f := range fields {
			fmt.Fprintf(w, "| `%s` | %s | %s |\n", f.Path, f.Type, mdEscape(f.Description))
		}
		fmt.Fprintln(w)
		return nil
	}
	return usagef("--format must be markdown or json")
}
