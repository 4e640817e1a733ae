package pipeline

import (
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
	"go.uber.org/zap"
)

// Config is what a run needs besides its inputs.
type Config struct {
	Warehouse string
	Registry  *schemas.Registry
	Logger    *zap.Logger
	RunID     string
	Command   string
	Version   string
	DryRun    bool
	// MaxRejectRatio is the default share of rejected rows above which an
	// input fails (inputs may set their own).
	MaxRejectRatio float64
	Limits         ingest.Limits
	// PseudonymKey keys the HMAC pseudonyms of respondent ids ("" drops ids).
	PseudonymKey string
	// Gazetteer maps transform.GazetteerKey(level, code) to official names.
	Gazetteer map[string]string
	// Prune removes committed sources whose inputs are no longer listed
	// (only those of the job sources named in PruneSources).
	PruneSources map[string]bool
	// Hook is called at named points (crash tests).
	Hook func(point string)
	// Progress, when set, is told about bytes and rows as they go.
	Progress ProgressFunc
	// BatchRows is the read batch size (default 16 Ki rows).
	BatchRows int
}

// ProgressFunc receives the progress of one input.
type ProgressFunc func(file string, rows int64, done bool)

// DefaultMaxRejectRatio fails an input when more than half its rows are rejected.
const DefaultMaxRejectRatio = 0.5
