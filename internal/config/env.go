package config

import (
	"fmt"
	"strconv"
	"strings"
)

// Environment variables that override a job's deployment settings. Only
// deployment settings (where, with which key, how many threads) may be
// overridden: what is ingested and how stays in the job file.
const (
	EnvWarehouse    = "DTM_WAREHOUSE"
	EnvThreads      = "DTM_THREADS"
	EnvPseudonymKey = "DTM_PSEUDONYM_KEY"
)

// Deployment is a job's deployment settings after environment overrides.
type Deployment struct {
	// Warehouse is DTM_WAREHOUSE, else the job's warehouse resolved from
	// the job file's directory, else "" (the caller's default).
	Warehouse string
	// Threads is DTM_THREADS, else the job's concurrency, else 1.
	Threads int
	// PseudonymKey is the value of privacy.pseudonym_key_env (default
	// DTM_PSEUDONYM_KEY); "" when unset.
	PseudonymKey string
}

// Deployment applies the environment (getenv, usually os.Getenv) to the
// job's deployment settings. A malformed DTM_THREADS is an error.
func (j *Job) Deployment(getenv func(string) string) (Deployment, error) {
	d := Deployment{Warehouse: j.Resolve(j.Warehouse), Threads: j.Concurrency}
	if w := getenv(EnvWarehouse); w != "" {
		d.Warehouse = w
	}
	if t := strings.TrimSpace(getenv(EnvThreads)); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 {
			return d, fmt.Errorf("%s=%q: want a whole number of threads, 1 or more", EnvThreads, t)
		}
		d.Threads = n
	}
	if d.Threads < 1 {
		d.Threads = 1
	}
	keyEnv := j.Privacy.PseudonymKeyEnv
	if keyEnv == "" {
		keyEnv = EnvPseudonymKey
	}
	d.PseudonymKey = getenv(keyEnv)
	return d, nil
}
