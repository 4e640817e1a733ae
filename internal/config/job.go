package config

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/ingest/formats"
	"github.com/iom-dtm/dtm/schemas"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Job is a dtm job file.
type Job struct {
	// Warehouse is the warehouse directory (env DTM_WAREHOUSE overrides).
	Warehouse string `yaml:"warehouse"`
	// Catalog is the Iceberg catalog of an s3:// warehouse (sqlite:PATH,
	// postgres://USER@HOST/DB or a REST URL; env DTM_CATALOG and --catalog
	// override).
	Catalog string `yaml:"catalog"`
	// Sources are the inputs of the job.
	Sources []Source `yaml:"sources"`
	// Gazetteer is a CSV of official p-codes (columns admin_level, pcode, name).
	Gazetteer string  `yaml:"gazetteer"`
	Privacy   Privacy `yaml:"privacy"`
	Quality   Quality `yaml:"quality"`
	Limits    Limits  `yaml:"limits"`
	// Concurrency is the number of inputs read at once (env DTM_THREADS).
	Concurrency int `yaml:"concurrency"`
	// FileRows is the most rows of one input written to one Parquet data
	// file of a partition; more go to the next file (`_0001`, ...). 0 is
	// dtm's default (pipeline.Config.FileRows: 262,144 rows, ~9 MB of a
	// site assessment). Smaller files cost more files and footers; larger
	// ones more memory while they are written.
	FileRows int `yaml:"file_rows"`

	// dir is the job file's directory: relative paths are resolved from it.
	dir string
	// root is the decoded YAML document (for the lines of later checks).
	root *yaml.Node
}

// Registries are what a job's `kind:` and `format:` keys are checked
// against: the dataset kinds and the input formats dtm knows.
type Registries struct {
	Kinds   *schemas.Registry
	Formats *ingest.Formats
}

// DefaultRegistries are dtm's own kinds and formats.
func DefaultRegistries() Registries {
	return Registries{Kinds: schemas.Default(), Formats: formats.Default()}
}

// Source is one job source.
type Source struct {
	Name string `yaml:"name"`
	Kind string `yaml:"kind"`
	// Paths are file paths or globs (relative to the job file).
	Paths   []string `yaml:"paths"`
	Country string   `yaml:"country"`
	// Sheet names the worksheets to read: one name (`sheet: Entry`) or a
	// list (`sheet: [Entry, Exit]`); empty = the detected data sheet and
	// every sheet of the same layout.
	Sheet SheetNames `yaml:"sheet"`
	// Format names the input format (a name of the format registry, e.g.
	// csv, xlsx, dtmapi); empty: detected from each file's content.
	Format    string            `yaml:"format"`
	Operation string            `yaml:"operation"`
	Columns   map[string]string `yaml:"columns"`
	// MaxRejectRatio overrides quality.max_reject_ratio for this source.
	MaxRejectRatio float64 `yaml:"max_reject_ratio"`
	// Duplicates is what to do with a row identical in every column to an
	// earlier row of the same input: "keep" (the default: kept and counted,
	// with a duplicate-row warning, as published DTM totals count such
	// aggregated rows) or "drop".
	Duplicates string `yaml:"duplicates"`
	// Prune removes rows of inputs that disappeared from Paths.
	Prune bool `yaml:"prune"`
	// Replaces, when "round": a site-round (country, site id or admin
	// p-codes + site name, round, assessment type) that an input of this
	// source holds is counted once, from the newest input holding it (of
	// any source); the other inputs' rows of it are hidden from the views.
	// "Newer" is decided per site-round: the input whose rows carry the
	// later reporting date (else assessment date); on a tie the input
	// committed later (a replacing one before another); then the later file
	// name. Empty: every input's rows are kept and counted, with a
	// cross-source-duplicate warning.
	Replaces string `yaml:"replaces"`
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
	// MinCell is the small-cell threshold of survey-derived figures,
	// exports and report charts (0: query.DefaultMinCell, 5); --min-cell
	// wins over it (see Resolve).
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
	// MaxHeaderScan is how many rows are examined to find the header.
	MaxHeaderScan int `yaml:"max_header_scan"`
}

// Load reads and validates a job file against dtm's own kinds and formats.
func Load(path string) (*Job, error) { return LoadWith(path, DefaultRegistries()) }

// LoadWith reads and validates a job file against the given registries.
func LoadWith(path string, reg Registries) (*Job, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading job %s: %w", path, err)
	}
	job, err := ParseWith(b, filepath.Dir(path), reg)
	if err != nil {
		return nil, fmt.Errorf("job %s: %w", path, err)
	}
	return job, nil
}

// Parse decodes a job strictly against dtm's own kinds and formats; dir
// resolves relative paths. Errors name the line (and the key) they concern.
func Parse(b []byte, dir string) (*Job, error) { return ParseWith(b, dir, DefaultRegistries()) }

// ParseWith is Parse against the given registries.
func ParseWith(b []byte, dir string, reg Registries) (*Job, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("the job file is empty")
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var job Job
	if err := dec.Decode(&job); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("the job file is empty")
		}
		return nil, decodeError(err)
	}
	job.dir = dir
	job.root = root.Content[0]
	if err := job.validate(root.Content[0], reg); err != nil {
		return nil, err
	}
	return &job, nil
}

// unknownField matches yaml.v3's message for a key the type lacks.
var unknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type config\.(\w+)$`)

// decodeError rewords yaml.v3's errors: one line per problem, each naming
// its line, unknown keys with the keys allowed there.
func decodeError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	msgs := make([]string, 0, len(te.Errors))
	for _, e := range te.Errors {
		if m := unknownField.FindStringSubmatch(e); m != nil {
			e = fmt.Sprintf("line %s: unknown key %q%s (known keys: %s)", m[1], m[2], where(m[3]), strings.Join(knownKeys(m[3]), ", "))
		}
		msgs = append(msgs, e)
	}
	return fmt.Errorf("%s", strings.Join(msgs, "; "))
}

// where names the section a type is decoded from.
func where(typ string) string {
	switch typ {
	case "Job":
		return " at the top level"
	case "Source":
		return " in a source"
	case "API":
		return " in a source's api"
	}
	return " in " + strings.ToLower(typ)
}

// knownKeys lists the YAML keys of a config type, from its struct tags.
func knownKeys(typ string) []string {
	var t reflect.Type
	for _, v := range []any{Job{}, Source{}, API{}, Privacy{}, Quality{}, Limits{}} {
		if reflect.TypeOf(v).Name() == typ {
			t = reflect.TypeOf(v)
		}
	}
	if t == nil {
		return nil
	}
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}

// lineOf returns "line N: " for the value of key in a mapping node (or the
// node itself when key is ""), or "" when unknown.
func lineOf(n *yaml.Node, key string) string {
	if n == nil {
		return ""
	}
	if key == "" {
		return fmt.Sprintf("line %d: ", n.Line)
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return fmt.Sprintf("line %d: ", n.Content[i].Line)
			}
		}
	}
	return fmt.Sprintf("line %d: ", n.Line)
}

// child returns the value node of key in a mapping node (nil if absent).
func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func (j *Job) validate(root *yaml.Node, reg Registries) error {
	if len(j.Sources) == 0 {
		return fmt.Errorf("%sno sources: list at least one under `sources:`", lineOf(root, "sources"))
	}
	srcNodes := child(root, "sources")
	names := map[string]bool{}
	for i, s := range j.Sources {
		var node *yaml.Node
		if srcNodes != nil && i < len(srcNodes.Content) {
			node = srcNodes.Content[i]
		}
		where := fmt.Sprintf("sources[%d]", i)
		if s.Name == "" {
			return fmt.Errorf("%s%s: `name` is required", lineOf(node, ""), where)
		}
		if names[s.Name] {
			return fmt.Errorf("%s%s: duplicate source name %q", lineOf(node, "name"), where, s.Name)
		}
		names[s.Name] = true
		if _, err := reg.Kinds.Lookup(s.Kind); err != nil {
			return fmt.Errorf("%ssource %q: kind %q is not one of %s", lineOf(node, "kind"), s.Name, s.Kind, strings.Join(reg.Kinds.Names(), ", "))
		}
		if s.Format != "" {
			if _, err := reg.Formats.Lookup(s.Format); err != nil {
				return fmt.Errorf("%ssource %q: format: %w", lineOf(node, "format"), s.Name, err)
			}
		}
		if len(s.Paths) == 0 && s.API == nil {
			return fmt.Errorf("%ssource %q: give `paths` or `api`", lineOf(node, ""), s.Name)
		}
		if s.API != nil && s.Kind != "displacement_admin" {
			return fmt.Errorf("%ssource %q: `api` is only for kind displacement_admin", lineOf(node, "api"), s.Name)
		}
		country, err := countries().Resolve(s.Country)
		if err != nil {
			return fmt.Errorf("%ssource %q: country: %w", lineOf(node, "country"), s.Name, err)
		}
		j.Sources[i].Country = country
		if s.MaxRejectRatio < 0 || s.MaxRejectRatio > 1 {
			return fmt.Errorf("%ssource %q: max_reject_ratio must be between 0 and 1", lineOf(node, "max_reject_ratio"), s.Name)
		}
		switch s.Duplicates {
		case "", "keep", "drop":
		default:
			return fmt.Errorf("%ssource %q: duplicates must be keep or drop, not %q", lineOf(node, "duplicates"), s.Name, s.Duplicates)
		}
		if s.Replaces != "" && s.Replaces != "round" {
			return fmt.Errorf("%ssource %q: replaces must be round (or absent), not %q", lineOf(node, "replaces"), s.Name, s.Replaces)
		}
		if s.Replaces != "" && s.Kind != "site_assessment" {
			return fmt.Errorf("%ssource %q: replaces: round is for kind site_assessment, not %s", lineOf(node, "replaces"), s.Name, s.Kind)
		}
	}
	if j.Quality.MaxRejectRatio < 0 || j.Quality.MaxRejectRatio > 1 {
		return fmt.Errorf("%squality.max_reject_ratio must be between 0 and 1", lineOf(child(root, "quality"), "max_reject_ratio"))
	}
	if err := j.Limits.validate(child(root, "limits")); err != nil {
		return err
	}
	if j.Concurrency < 0 {
		return fmt.Errorf("%sconcurrency must be positive", lineOf(root, "concurrency"))
	}
	if j.FileRows < 0 {
		return fmt.Errorf("%sfile_rows must be 1 or more (rows per Parquet file; omit it for the default), got %d", lineOf(root, "file_rows"), j.FileRows)
	}
	if j.Privacy.MinCell < 0 {
		return fmt.Errorf("%sprivacy.min_cell must be 1 or more (counts below it are suppressed), got %d", lineOf(child(root, "privacy"), "min_cell"), j.Privacy.MinCell)
	}
	return nil
}

// Resolve returns a path relative to the job file's directory.
func (j *Job) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) || j.dir == "" || strings.Contains(p, "://") {
		return p // URLs (s3://…) are not paths
	}
	return filepath.Join(j.dir, p)
}

// APISaveDir is where a DTM API source's responses are saved: its
// api.save_dir (relative to the job file), else <warehouse>/_dtm/raw.
func (j *Job) APISaveDir(s Source, warehouse string) string {
	if s.API != nil && s.API.SaveDir != "" {
		return j.Resolve(s.API.SaveDir)
	}
	return filepath.Join(warehouse, "_dtm", "raw")
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

// SourceByName returns the job source of that name; the error lists the
// names the job has.
func (j *Job) SourceByName(name string) (*Source, error) {
	var names []string
	for i := range j.Sources {
		if j.Sources[i].Name == name {
			return &j.Sources[i], nil
		}
		names = append(names, fmt.Sprintf("%q", j.Sources[i].Name))
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("the job has no source %q (it has no sources)", name)
	}
	return nil, fmt.Errorf("the job has no source %q (its sources: %s)", name, strings.Join(names, ", "))
}
