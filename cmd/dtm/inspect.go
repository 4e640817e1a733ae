package main

import (
	"encoding/json"
	"strings"

	"github.com/iom-dtm/dtm/internal/inspect"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
	"github.com/spf13/cobra"
)

// inspectCmd is `dtm inspect FILE`: what dtm sees in a file (package
// inspect), as text or JSON.

func (a *app) inspectCmd() *cobra.Command {
	var format string
	ff := fileFlags{kinds: a.registry}
	cmd := &cobra.Command{
		Use:   "inspect [--kind KIND] [--sheet NAME] [--column 'Header=field']... [--config JOB --source NAME] [--format text|json] FILE",
		Short: "What dtm sees in a file: encoding, delimiter, sheets, header and HXL rows, column mapping",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usagef("--format %q is not text or json", format)
			}
			src, _, _, err := ff.effective()
			if err != nil {
				return err
			}
			sheet := "" // inspect reads one sheet: the first named
			if len(src.Sheet) > 0 {
				sheet = src.Sheet[0]
			}
			var cands []*schemas.Dataset
			if src.Kind != "" {
				ds, err := a.registry.Lookup(src.Kind)
				if err != nil {
					return usageError{err}
				}
				cands = []*schemas.Dataset{ds}
			} else {
				cands = a.registry.All()
			}
			rep, err := inspect.File(args[0], sheet, cands, transform.MapOptions{Overrides: src.Columns, Country: strings.ToUpper(src.Country)})
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			inspect.WriteText(a.stdout, rep)
			return nil
		},
	}
	cmd.Flags().StringVar(&ff.kind, "kind", "", "dataset to map to (default: the one that maps the most columns)")
	cmd.Flags().StringArrayVar(&ff.sheets, "sheet", nil, "worksheet to read (spreadsheets; default: detected)")
	cmd.Flags().StringVar(&ff.country, "country", "", "ISO3 country code the run would give (then no country is inferred)")
	ff.registerMapping(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}
