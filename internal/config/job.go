package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Job is a dtm job file.
type Job struct {
	// Warehouse is the warehouse directory (env DTM_WAREHOUSE overrides).
	Warehouse string `yaml:"warehouse"`
	// Sources are the inputs of the job.
	Sources []Source `yaml:"sources"`
	// Gazetteer is a CSV of official p-codes (columns admin_level, pcode, name).
	Gazetteer string  `yaml:"gazetteer"`
	Privacy   Privacy `yaml:"privacy"`
	Quality   Quality `yaml:"quality"`
	Limits    Limits  `yaml:"limits"`
	// Concurrency is the number of inputs read at once (env DTM_THREADS).
	Concurrency int `yaml:"concurrency"`

	// dir is the job file's directory: relative paths are resolved from it.
	dir string
}

// Source is one job source.
type Source struct {
	Name string `yaml:"name"`
	Kind string `yaml:"kind"`
	// Paths are file paths or globs (relative to the job file).
	Paths     []string          `yaml:"paths"`
	Country   string            `yaml:"country"`
	Sheet     string            `yaml:"sheet"`
	Operation string            `yaml:"operation"`
	Columns   map[string]string `yaml:"columns"`
	// MaxRejectRatio overrides quality.max_reject_ratio for this source.
	MaxRejectRatio float64 `yaml:"max_reject_ratio"`
	// Prune removes rows of inputs that disappeared from Paths.
	Prune bool `yaml:"prune"`
	// API fetches DTM API figures instead of reading files.
	API *API `yaml:"api"`
}

// API configures a displacement_admin source fetched from the DTM API.
type API struct {
	BaseURL     string   `yaml:"base_url"`
	Countries   []string `yaml:"countries"`
	AdminLevels []int    `yaml:"admin_levels"`
	FromDate    string   `yaml:"from_date"`
	ToDate      string   `yaml:"to_date"`
	FromRound   int      `yaml:"from_round"`
	ToRound     int      `yaml:"to_round"`
	// SaveDir keeps raw responses (default <warehouse>/_dtm/raw).
	SaveDir string `yaml:"save_dir"`
}

// Privacy settings.
type Privacy struct {
	// PseudonymKeyEnv names the environment variable holding the HMAC key
	// (default DTM_PSEUDONYM_KEY); the key itself never sits in a job file.
	PseudonymKeyEnv string `yaml:"pseudonym_key_env"`
	// MinCell is the small-cell threshold of survey exports (default 5).
	MinCell int `yaml:"min_cell"`
}

// Quality thresholds.
type Quality struct {
	// MaxRejectRatio is the share of rejected rows above which a source fails.
	MaxRejectRatio float64 `yaml:"max_reject_ratio"`
}

// Limits on inputs (0 = safe default).
type Limits struct {
	MaxFileBytes         int64 `yaml:"max_file_bytes"`
	MaxDecompressedBytes int64 `yaml:"max_decompressed_bytes"`
	MaxColumns           int   `yaml:"max_columns"`
	MaxCellBytes         int   `yaml:"max_cell_bytes"`
	MaxRowBytes          int   `yaml:"max_row_bytes"`
}

// Kinds are the dataset names a source may have.
var Kinds = []string{"site_assessment", "flow_registry", "flow_survey", "displacement_admin"}

// Load reads and validates a job file.
func Load(path string) (*Job, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading job %s: %w", path, err)
	}
	job, err := Parse(b, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("job %s: %w", path, err)
	}
	return job, nil
}

// Parse decodes a job strictly; dir resolves relative paths.
func Parse(b []byte, dir string) (*Job, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var job Job
	if err := dec.Decode(&job); err != nil {
		if errors.Is(err, errEOF) || strings.Contains(err.Error(), "EOF") {
			return nil, fmt.Errorf("the job file is empty")
		}
		return nil, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	job.dir = dir
	if err := job.validate(); err != nil {
		return nil, err
	}
	return &job, nil
}

var errEOF = errors.New("EOF")

func (j *Job) validate() error {
	if len(j.Sources) == 0 {
		return fmt.Errorf("no sources: list at least one under `sources:`")
	}
	names := map[string]bool{}
	for i, s := range j.Sources {
		where := fmt.Sprintf("sources[%d]", i)
		if s.Name == "" {
			return fmt.Errorf("%s: `name` is required", where)
		}
		if names[s.Name] {
			return fmt.Errorf("%s: duplicate source name %q", where, s.Name)
		}
		names[s.Name] = true
		if !validKind(s.Kind) {
			return fmt.Errorf("source %q: kind %q is not one of %s", s.Name, s.Kind, strings.Join(Kinds, ", "))
		}
		if len(s.Paths) == 0 && s.API == nil {
			return fmt.Errorf("source %q: give `paths` or `api`", s.Name)
		}
		if s.API != nil && s.Kind != "displacement_admin" {
			return fmt.Errorf("source %q: `api` is only for kind displacement_admin", s.Name)
		}
		if s.MaxRejectRatio < 0 || s.MaxRejectRatio > 1 {
			return fmt.Errorf("source %q: max_reject_ratio must be between 0 and 1", s.Name)
		}
	}
	if j.Quality.MaxRejectRatio < 0 || j.Quality.MaxRejectRatio > 1 {
		return fmt.Errorf("quality.max_reject_ratio must be between 0 and 1")
	}
	if j.Concurrency < 0 {
		return fmt.Errorf("concurrency must be positive")
	}
	return nil
}

func validKind(k string) bool {
	for _, v := range Kinds {
		if v == k {
			return true
		}
	}
	return false
}

// Resolve returns a path relative to the job file's directory.
func (j *Job) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) || j.dir == "" {
		return p
	}
	return filepath.Join(j.dir, p)
}

// Files expands a source's paths (globs) into sorted file paths; a pattern
// that matches nothing is reported.
func (j *Job) Files(s Source) ([]string, []string, error) {
	var files, empty []string
	seen := map[string]bool{}
	for _, p := range s.Paths {
		matches, err := filepath.Glob(j.Resolve(p))
		if err != nil {
			return nil, nil, fmt.Errorf("source %q: bad pattern %q: %w", s.Name, p, err)
		}
		if len(matches) == 0 {
			empty = append(empty, p)
		}
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && !fi.IsDir() && !seen[m] {
				seen[m] = true
				files = append(files, m)
			}
		}
	}
	sort.Strings(files)
	return files, empty, nil
}
