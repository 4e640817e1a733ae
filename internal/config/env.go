package config

import (
	"os"
	"strings"
)

// The environment variables dtm reads. Only deployment settings (where,
// with which keys, how many threads, how much memory) come from the
// environment: what is ingested and how stays in the job file.
const (
	EnvWarehouse    = "DTM_WAREHOUSE"
	EnvCatalog      = "DTM_CATALOG" // the Iceberg catalog of an s3:// warehouse
	EnvThreads      = "DTM_THREADS"
	EnvPseudonymKey = "DTM_PSEUDONYM_KEY" // default name; privacy.pseudonym_key_env names another
	EnvAPIURL       = "DTM_API_URL"
	EnvAPIKey       = "DTM_API_KEY"
	EnvServeToken   = "DTM_SERVE_TOKEN"
	EnvMemoryLimit  = "DTM_MEMORY_LIMIT"
	EnvGoMemLimit   = "GOMEMLIMIT" // the Go runtime's own; dtm leaves it applied
	// The crash-safety tests' seams (unset in normal use): see the
	// command's crash hook.
	EnvCrashAt     = "DTM_CRASH_AT"
	EnvCrashLog    = "DTM_CRASH_LOG"
	EnvCrashSignal = "DTM_CRASH_SIGNAL"
)

// Env is a snapshot of the process environment, by variable name. dtm
// reads the environment in one place (OSEnv, when the command starts) and
// hands this snapshot to Resolve and to the few seams that need it; tests
// build one from a map.
type Env map[string]string

// OSEnv is the process environment now: the only read of it in dtm.
func OSEnv() Env { return EnvFrom(os.Environ()) }

// EnvFrom builds an Env from KEY=VALUE entries (os.Environ's shape); a
// later entry of the same key wins, as for the process.
func EnvFrom(environ []string) Env {
	e := Env{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			e[k] = v
		}
	}
	return e
}

// Get returns the value of a variable ("" when unset; a nil Env has none).
func (e Env) Get(name string) string { return e[name] }
