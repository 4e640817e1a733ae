package main

import (
	"github.com/iom-dtm/dtm/ingest/formats"
	"github.com/iom-dtm/dtm/internal/config"
	"github.com/spf13/cobra"
)

// resolve gives the command's effective settings (config.Resolve): its
// flags as given on the command line, the environment snapshot a.env and
// the job (nil when none). A malformed value is a usage error.
func (a *app) resolve(cmd *cobra.Command, job *config.Job) (config.Settings, error) {
	var fl config.Flags
	flags := cmd.Flags()
	if flags.Changed("warehouse") {
		v := flags.Lookup("warehouse").Value.String()
		fl.Warehouse = &v
	}
	if flags.Changed("catalog") {
		v := flags.Lookup("catalog").Value.String()
		fl.Catalog = &v
	}
	if flags.Changed("min-cell") {
		n, err := flags.GetInt("min-cell")
		if err != nil {
			return config.Settings{}, usageError{err}
		}
		fl.MinCell = &n
	}
	if flags.Changed("memory-limit") {
		v := flags.Lookup("memory-limit").Value.String()
		fl.MemoryLimit = &v
	}
	s, err := config.Resolve(job, fl, a.env)
	if err != nil {
		return s, usageError{err}
	}
	return s, nil
}

// readJob loads a job file for its settings (warehouse, privacy) in a
// command that reads the warehouse: nil when path is empty.
func (a *app) readJob(path string) (*config.Job, error) {
	if path == "" {
		return nil, nil
	}
	job, err := config.LoadWith(path, config.Registries{Kinds: a.registry, Formats: formats.Default()})
	if err != nil {
		return nil, usageError{err}
	}
	return job, nil
}

// readSettings resolves the settings of a command that reads the
// warehouse with an optional job file (--config): the warehouse (flag >
// DTM_WAREHOUSE > the job's > ./warehouse) becomes a.warehouse, and the
// job's privacy.min_cell applies unless --min-cell is given.
func (a *app) readSettings(cmd *cobra.Command, jobPath string) (config.Settings, error) {
	job, err := a.readJob(jobPath)
	if err != nil {
		return config.Settings{}, err
	}
	s, err := a.resolve(cmd, job)
	if err != nil {
		return s, err
	}
	a.warehouse, a.catalog = s.Warehouse, s.Catalog
	return s, nil
}

// configFlag registers --config on a command that reads the warehouse.
func configFlag(cmd *cobra.Command, path *string) {
	cmd.Flags().StringVar(path, "config", "", "job file whose warehouse and privacy.min_cell apply (flags and DTM_WAREHOUSE win over it)")
}
