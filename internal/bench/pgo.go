package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/pprof/profile"
	"github.com/iom-dtm/dtm/internal/bench/synth"
)

// writePGOProfile writes to path the CPU profile that `go build` uses for
// profile-guided optimisation of dtm (cmd/dtm/default.pgo, see the
// Makefile's pgo target): the merged `--cpuprofile` of cfg.dtm ingesting
// the bench's inputs (the site assessment CSV of the first -rows size, the
// -xlsx-rows XLSX and the -flow-rows flow survey CSV, generated under -out
// as the bench does), each once, so the optimised paths are the ingest's
// hot ones in the proportions of a typical mix.
func writePGOProfile(ctx context.Context, cfg config, path string) error {
	type input struct {
		kind, path string
		gen        func(tmp string) error
		extra      []string
	}
	var inputs []input
	if len(cfg.rows) > 0 {
		n := cfg.rows[0]
		inputs = append(inputs, input{"site_assessment", siteCSVPath(cfg.out, n), func(tmp string) error {
			return writeFileWith(tmp, func(f *os.File) error { return synth.WriteSiteCSV(f, n) })
		}, nil})
	}
	if cfg.xlsxRows > 0 {
		inputs = append(inputs, input{"site_assessment", siteXLSXPath(cfg.out, cfg.xlsxRows), func(tmp string) error {
			return synth.WriteSiteXLSX(tmp, cfg.xlsxRows)
		}, nil})
	}
	if cfg.flowRows > 0 {
		inputs = append(inputs, input{"flow_survey", flowCSVPath(cfg.out, cfg.flowRows), func(tmp string) error {
			return writeFileWith(tmp, func(f *os.File) error { return synth.WriteFlowCSV(f, cfg.flowRows) })
		}, []string{"--country", "NER"}})
	}
	if len(inputs) == 0 {
		return fmt.Errorf("-pgo: no input (-rows, -xlsx-rows and -flow-rows are all empty)")
	}
	dir, err := os.MkdirTemp(cfg.out, "pgo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var profs []*profile.Profile
	for i, in := range inputs {
		if _, err := ensure(in.path, in.gen); err != nil {
			return err
		}
		prof := filepath.Join(dir, fmt.Sprintf("cpu%d.prof", i))
		logf("profiling dtm ingest of %s", filepath.Base(in.path))
		args := append([]string{"ingest", "--kind", in.kind, "--warehouse", filepath.Join(dir, fmt.Sprintf("w%d", i)),
			"--quiet", "--json", "--cpuprofile", prof}, in.extra...)
		if _, err := runChild(ctx, nil, cfg.dtm, append(args, in.path)...); err != nil {
			return err
		}
		p, err := readProfile(prof)
		if err != nil {
			return err
		}
		profs = append(profs, p)
	}
	merged, err := profile.Merge(profs)
	if err != nil {
		return fmt.Errorf("merging the profiles: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := merged.Write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readProfile(path string) (*profile.Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return p, nil
}
