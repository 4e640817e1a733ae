package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/iom-dtm/dtm/query"
	"github.com/spf13/cobra"
)

// figureFlags are the parameters every figure may take, by name.
type figureFlags struct {
	country, round, from, to string
	adminLevel               int
	format, out              string
	extra                    []string
	minCell                  int
	config                   string
}

func (f *figureFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.country, "country", "", "ISO 3166 alpha-3 code or country name")
	cmd.Flags().IntVar(&f.adminLevel, "admin-level", 0, "admin level to group by (1-3; figure default otherwise)")
	cmd.Flags().StringVar(&f.round, "round", "", "round number")
	cmd.Flags().StringVar(&f.from, "from", "", "first date included (YYYY-MM-DD)")
	cmd.Flags().StringVar(&f.to, "to", "", "last date included (YYYY-MM-DD)")
	cmd.Flags().StringArrayVar(&f.extra, "param", nil, "other figure parameter NAME=VALUE (repeatable)")
}

// params returns the values given for the figure's declared parameters;
// a flag the figure does not take is a usage error.
func (f *figureFlags) params(cmd *cobra.Command, fig query.Figure) (map[string]string, error) {
	given, err := f.given(cmd)
	if err != nil {
		return nil, err
	}
	declared := map[string]bool{}
	for _, p := range fig.Params {
		declared[p.Name] = true
	}
	for k := range given {
		if !declared[k] {
			return nil, usagef("figure %s has no parameter %q (see `dtm figures list`)", fig.Name, k)
		}
	}
	return given, nil
}

// given returns the parameter values set on the command line, by
// parameter name (admin-level -> admin_level), the country resolved to
// its ISO 3166 alpha-3 code.
func (f *figureFlags) given(cmd *cobra.Command) (map[string]string, error) {
	given := map[string]string{}
	set := func(flag, name, v string) {
		if cmd.Flags().Changed(flag) {
			given[name] = v
		}
	}
	if cmd.Flags().Changed("country") {
		c, err := countries().Resolve(f.country)
		if err != nil {
			return nil, usagef("--country: %v", err)
		}
		given["country"] = c
	}
	set("admin-level", "admin_level", strconv.Itoa(f.adminLevel))
	set("round", "round", f.round)
	set("from", "from", f.from)
	set("to", "to", f.to)
	for _, p := range f.extra {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			return nil, usagef("--param %q: want NAME=VALUE", p)
		}
		given[k] = v
	}
	return given, nil
}

func (a *app) figuresCmd() *cobra.Command {
	var ff figureFlags
	cmd := &cobra.Command{
		Use:   "figures [list] | figures NAME [--country ISO3] [--admin-level N] [--round N] [--from D] [--to D]",
		Short: "List the named figures (no NAME or list), or compute one",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 || args[0] == "list" {
				return a.listFigures()
			}
			fig, err := query.LookupFigure(args[0])
			if err != nil {
				return usageError{err}
			}
			params, err := ff.params(cmd, fig)
			if err != nil {
				return err
			}
			set, err := a.readSettings(cmd, ff.config)
			if err != nil {
				return err
			}
			db, err := a.openWarehouse(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			res, err := db.Run(cmd.Context(), fig, params, query.RunOptions{MinCell: set.MinCell})
			if err != nil {
				if isBadParam(err) {
					return usageError{err}
				}
				return err
			}
			w, done, err := openOut(ff.out, a.stdout)
			if err != nil {
				return err
			}
			werr := writeTable(w, toTable(res), ff.format)
			if err := done(werr == nil); werr == nil {
				werr = err
			}
			return werr
		},
	}
	ff.register(cmd)
	cmd.Flags().StringVar(&ff.format, "format", "table", "output: table, csv, hxl, json, jsonl")
	cmd.Flags().StringVar(&ff.out, "out", "", "write to FILE instead of stdout")
	cmd.Flags().IntVar(&ff.minCell, "min-cell", query.DefaultMinCell, "small-cell threshold of figures from sensitive data (flow_survey): counts below it are suppressed (default: the job's privacy.min_cell, else this)")
	configFlag(cmd, &ff.config)
	return cmd
}

func (a *app) listFigures() error {
	figs, err := query.Figures()
	if err != nil {
		return err
	}
	for _, f := range figs {
		fmt.Fprintf(a.stdout, "%s (%s)\n    %s\n", f.Name, f.Dataset, f.Description)
		for _, p := range f.Params {
			fmt.Fprintf(a.stdout, "    --%s %s: %s\n", strings.ReplaceAll(p.Name, "_", "-"), p.Type, p.Description)
		}
	}
	return nil
}

func isBadParam(err error) bool { return errors.Is(err, query.ErrBadParam) }

// printHeadline prints the headline figures after a run of the bundled
// sample: IDPs by admin 1 in each country's latest round, and the trend
// over rounds by country.
func (a *app) printHeadline(cmd *cobra.Command) error {
	db, err := a.openWarehouse(cmd.Context())
	if err != nil {
		return err
	}
	defer db.Close()
	headlines := []struct {
		figure, title string
		columns       []string
	}{
		{"idps", "IDPs by country, admin 1 and round, latest round (dtm figures idps)",
			[]string{"country_iso3", "admin1_pcode", "admin1_name", "round", "sites", "idp_households", "idp_individuals"}},
		{"idp-trend", "IDPs by country and round, with the change from the previous round (dtm figures idp-trend)",
			[]string{"country_iso3", "round", "sites", "idp_individuals", "previous_round", "change_individuals", "change_pct"}},
	}
	for _, h := range headlines {
		fig, err := query.LookupFigure(h.figure)
		if err != nil {
			return err
		}
		res, err := db.Run(cmd.Context(), fig, nil, query.RunOptions{})
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "\n%s:\n", h.title)
		if err := printAligned(a.stdout, project(toTable(res), h.columns)); err != nil {
			return err
		}
	}
	return nil
}
