package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/iom-dtm/dtm/ingest/dtmapi"
)

// DefaultWarehouse is the warehouse directory when neither --warehouse,
// DTM_WAREHOUSE nor a job's warehouse names one.
const DefaultWarehouse = "./warehouse"

// Flags are the command-line values Resolve weighs; nil means the flag was
// not given (its default is then not a choice of the user's).
type Flags struct {
	Warehouse   *string // --warehouse
	Catalog     *string // --catalog
	MinCell     *int    // --min-cell
	MemoryLimit *string // --memory-limit
}

// Settings are the effective settings of one command: for each, the
// command line wins over the environment, which wins over the job file,
// which wins over dtm's default (a setting that one of them cannot give
// skips it).
type Settings struct {
	// Warehouse: --warehouse > DTM_WAREHOUSE > the job's warehouse
	// (relative to the job file's directory) > DefaultWarehouse.
	Warehouse string
	// Catalog is the Iceberg catalog of an s3:// warehouse (sinks/lake):
	// --catalog > DTM_CATALOG > the job's catalog > "".
	Catalog string
	// Threads is the number of inputs read at once: DTM_THREADS > the
	// job's concurrency > 1.
	Threads int
	// FileRows is the job's file_rows (0: the pipeline's default).
	FileRows int
	// PseudonymKeyEnv names the variable of the HMAC key of respondent ids:
	// the job's privacy.pseudonym_key_env > DTM_PSEUDONYM_KEY.
	// PseudonymKey is its value ("" when unset: ids are dropped).
	PseudonymKeyEnv, PseudonymKey string
	// MinCell is the small-cell threshold of survey-derived figures,
	// exports and charts: --min-cell > the job's privacy.min_cell > 0 (the
	// default of package query, query.DefaultMinCell).
	MinCell int
	// MemoryLimit is the soft memory limit as text: --memory-limit >
	// DTM_MEMORY_LIMIT > "runtime" when GOMEMLIMIT is set (the Go runtime
	// has applied it) > "" (the command's default).
	MemoryLimit string
	// APIURL is DTM_API_URL ("" when unset), APIKey DTM_API_KEY: see
	// APIBaseURL.
	APIURL, APIKey string
	// ServeToken is DTM_SERVE_TOKEN: the bearer token `dtm serve` requires
	// ("" = none).
	ServeToken string
}

// Resolve gives the effective settings of a command from its flags, the
// environment and the job file (nil when the command has none). A
// malformed value (DTM_THREADS that is not a whole number of 1 or more, a
// --min-cell below 1) is an error naming where it came from.
func Resolve(job *Job, flags Flags, env Env) (Settings, error) {
	if job == nil {
		job = &Job{}
	}
	s := Settings{
		Warehouse:  firstSet(flags.Warehouse, env.Get(EnvWarehouse), job.Resolve(job.Warehouse), DefaultWarehouse),
		Catalog:    firstSet(flags.Catalog, env.Get(EnvCatalog), job.Catalog),
		Threads:    job.Concurrency,
		FileRows:   job.FileRows,
		MinCell:    job.Privacy.MinCell,
		APIURL:     env.Get(EnvAPIURL),
		APIKey:     env.Get(EnvAPIKey),
		ServeToken: env.Get(EnvServeToken),
	}
	if t := strings.TrimSpace(env.Get(EnvThreads)); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 {
			return s, fmt.Errorf("%s=%q: want a whole number of threads, 1 or more", EnvThreads, t)
		}
		s.Threads = n
	}
	if s.Threads < 1 {
		s.Threads = 1
	}
	s.PseudonymKeyEnv = job.Privacy.PseudonymKeyEnv
	if s.PseudonymKeyEnv == "" {
		s.PseudonymKeyEnv = EnvPseudonymKey
	}
	s.PseudonymKey = env.Get(s.PseudonymKeyEnv)
	if flags.MinCell != nil {
		if *flags.MinCell < 1 {
			return s, fmt.Errorf("--min-cell must be at least 1, got %d", *flags.MinCell)
		}
		s.MinCell = *flags.MinCell
	}
	runtime := ""
	if env.Get(EnvGoMemLimit) != "" {
		runtime = "runtime"
	}
	s.MemoryLimit = firstSet(flags.MemoryLimit, env.Get(EnvMemoryLimit), runtime, "")
	return s, nil
}

// APIBaseURL is the DTM API a job source is fetched from: DTM_API_URL >
// the source's api.base_url > dtmapi.DefaultBaseURL.
func (s Settings) APIBaseURL(src Source) string {
	var job string
	if src.API != nil {
		job = src.API.BaseURL
	}
	return firstSet(nil, s.APIURL, job, dtmapi.DefaultBaseURL)
}

// firstSet is the flag when given, else the first non-empty value.
func firstSet(flag *string, values ...string) string {
	if flag != nil {
		return *flag
	}
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
