package sinks

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Manifest is the committed state of a warehouse: which sources were
// ingested (by content hash) and which files hold their rows.
type Manifest struct {
	FormatVersion int                `json:"format_version"`
	Generation    int64              `json:"generation"`
	CommittedAt   time.Time          `json:"committed_at"`
	RunID         string             `json:"run_id"`
	Sources       map[string]*Source `json:"sources"`
	// Failed are the inputs whose last attempt failed its reject threshold,
	// by key: nothing of their rows is committed, only their rejects file
	// (so that the rejects can be queried and sent back to the field). An
	// entry goes when its input commits or is removed.
	Failed map[string]*Source `json:"failed,omitempty"`
}

// Source is one ingested input (a file, or one sheet or API query) and its files.
type Source struct {
	Key          string    `json:"key"`
	Dataset      string    `json:"dataset"`
	Hash         string    `json:"hash"`
	RunID        string    `json:"run_id"`
	IngestedAt   time.Time `json:"ingested_at"`
	RowsIn       int64     `json:"rows_in"`
	RowsWritten  int64     `json:"rows_written"`
	RowsRejected int64     `json:"rows_rejected"`
	// Files are the data files (relative to the root) holding its rows.
	Files []string `json:"files"`
	// RejectsFile holds its rejects ("" if none).
	RejectsFile string `json:"rejects_file,omitempty"`
	// JobSource is the job source the input belongs to ("" for dtm ingest).
	JobSource string `json:"job_source,omitempty"`
	// Shape is what besides its bytes shaped the source's rows (kind,
	// country, overrides, ...; written by the pipeline, compared by name on
	// the next run) and Fingerprint its hash.
	Shape       map[string]string `json:"shape,omitempty"`
	Fingerprint string            `json:"fingerprint,omitempty"`
	// File and Sheet name the input as given.
	File  string `json:"file"`
	Sheet string `json:"sheet,omitempty"`
	// Summary is the source's figure summary file (relative to the root;
	// "" if none: written before summaries existed, or not a
	// site_assessment source) and SummaryVersion its layout version
	// (query.SummaryVersion).
	Summary        string `json:"summary,omitempty"`
	SummaryVersion int    `json:"summary_version,omitempty"`
	// Replaces is "round" when the input's site-rounds replace those of
	// older inputs in the views (a job's `replaces: round`), else "".
	Replaces string `json:"replaces,omitempty"`
	// Bytes is the size of the source's bytes; 0 when unknown (a source
	// written before the ledger kept sizes). An input of another size
	// cannot be unchanged nor the same content: internal/pipeline reads
	// it without hashing it first.
	Bytes int64 `json:"bytes,omitempty"`
}

// ReplacingFiles maps the File of each source of dataset that declares
// Replaces "round" to the run that committed it.
func (m *Manifest) ReplacingFiles(dataset string) map[string]string {
	out := map[string]string{}
	for _, s := range m.Sources {
		if s.Dataset == dataset && s.Replaces == "round" {
			out[s.File] = s.RunID
		}
	}
	return out
}

const manifestName = "manifest.json"

func emptyManifest() *Manifest {
	return &Manifest{FormatVersion: 1, Sources: map[string]*Source{}}
}

// DataFiles lists the committed data files of a dataset, sorted.
func (m *Manifest) DataFiles(dataset string) []string {
	var out []string
	for _, s := range m.Sources {
		if s.Dataset == dataset {
			out = append(out, s.Files...)
		}
	}
	sort.Strings(out)
	return out
}

// FailedRejectFiles lists the rejects files of failed inputs, sorted.
func (m *Manifest) FailedRejectFiles() []string {
	var out []string
	for _, s := range m.Failed {
		if s.RejectsFile != "" {
			out = append(out, s.RejectsFile)
		}
	}
	sort.Strings(out)
	return out
}

// RejectFiles lists the committed rejects files, sorted.
func (m *Manifest) RejectFiles() []string {
	var out []string
	for _, s := range m.Sources {
		if s.RejectsFile != "" {
			out = append(out, s.RejectsFile)
		}
	}
	sort.Strings(out)
	return out
}

// referenced is the set of all files the manifest references.
func (m *Manifest) referenced() map[string]bool {
	ref := map[string]bool{}
	for _, s := range m.Sources {
		for _, f := range s.Files {
			ref[f] = true
		}
		if s.RejectsFile != "" {
			ref[s.RejectsFile] = true
		}
		if s.Summary != "" {
			ref[s.Summary] = true
		}
	}
	for _, s := range m.Failed {
		if s.RejectsFile != "" {
			ref[s.RejectsFile] = true
		}
	}
	return ref
}

// clone returns a deep copy.
func (m *Manifest) clone() *Manifest {
	c := *m
	c.Sources = make(map[string]*Source, len(m.Sources))
	for k, s := range m.Sources {
		cs := *s
		cs.Files = append([]string(nil), s.Files...)
		c.Sources[k] = &cs
	}
	if m.Failed != nil {
		c.Failed = make(map[string]*Source, len(m.Failed))
		for k, s := range m.Failed {
			cs := *s
			c.Failed[k] = &cs
		}
	}
	return &c
}

// ReadManifest reads the committed manifest of a warehouse root; a missing
// manifest is an empty warehouse.
func ReadManifest(root string) (*Manifest, error) {
	p := filepath.Join(root, metaDir, manifestName)
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return emptyManifest(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading manifest: %w", err)
	}
	m := emptyManifest()
	if err := json.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorruptManifest, p, err)
	}
	if m.Sources == nil {
		m.Sources = map[string]*Source{}
	}
	return m, nil
}

// writeManifest commits m by writing a temporary file, fsyncing it and
// renaming it over the manifest (the atomic commit point).
// hook, when set, is called between the fsync of the temporary file and
// the rename ("manifest:temp-written").
func writeManifest(root string, m *Manifest, hook func(string)) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding manifest: %w", err)
	}
	return writeFileAtomic(filepath.Join(root, metaDir, manifestName), b, func() {
		if hook != nil {
			hook("manifest:temp-written")
		}
	})
}
