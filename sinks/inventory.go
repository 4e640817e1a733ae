package sinks

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Problem is one inconsistency found by Check.
type Problem struct {
	// Kind is missing-file (the manifest references a file that is not
	// there), orphan-file (a part file no manifest references), staging
	// (a staging directory left by an interrupted run) or ledger (a
	// source entry that contradicts itself).
	Kind, Path, Detail string
}

// Check compares a warehouse's manifest with its files without changing
// anything: every referenced file exists, no part file or staging
// directory is left unreferenced, and every source has a hash and files
// when it has written rows. Orphans and staging are what the next run's
// recovery deletes; a missing file is damage that needs a re-ingest
// (`dtm run --source NAME`).
func Check(root string) ([]Problem, error) {
	if err := Exists(root); err != nil {
		return nil, err
	}
	m, err := ReadManifest(root)
	if err != nil {
		return nil, err
	}
	var out []Problem
	ref := m.referenced()
	for rel := range ref {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel))); errors.Is(err, os.ErrNotExist) {
			out = append(out, Problem{Kind: "missing-file", Path: rel, Detail: "referenced by the manifest but absent"})
		}
	}
	for key, s := range m.Sources {
		switch {
		case s.Hash == "":
			out = append(out, Problem{Kind: "ledger", Path: key, Detail: "source without a content hash"})
		case s.RowsWritten > 0 && len(s.Files) == 0:
			out = append(out, Problem{Kind: "ledger", Path: key, Detail: fmt.Sprintf("%d rows written but no data file", s.RowsWritten)})
		case s.RowsIn != s.RowsWritten+s.RowsRejected:
			out = append(out, Problem{Kind: "ledger", Path: key, Detail: fmt.Sprintf("rows_in %d != written %d + rejected %d", s.RowsIn, s.RowsWritten, s.RowsRejected)})
		}
	}
	staging := filepath.Join(root, metaDir, "staging")
	if entries, err := os.ReadDir(staging); err == nil {
		for _, e := range entries {
			out = append(out, Problem{Kind: "staging", Path: filepath.ToSlash(filepath.Join(metaDir, "staging", e.Name())), Detail: "left by an interrupted run; the next run removes it"})
		}
	}
	orphans, err := unreferencedParts(root, ref)
	if err != nil {
		return out, err
	}
	for _, rel := range orphans {
		out = append(out, Problem{Kind: "orphan-file", Path: rel, Detail: "not referenced by the manifest; the next run removes it"})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Path < out[j].Path
	})
	return out, nil
}
