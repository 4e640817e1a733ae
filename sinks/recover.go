package sinks

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Recover brings a warehouse back to its committed state after a crash:
// staging directories, temporary manifests and every part file the manifest
// does not reference are deleted. The caller must hold the lock. It returns
// the relative paths it removed.
//
// Recover is itself crash-safe: it only deletes what no manifest
// references, so it can be interrupted at any point and run again.
func Recover(root string) ([]string, error) { return RecoverHook(root, nil) }

// RecoverHook is Recover calling hook, when set, at named points
// ("recover:staging", "recover:tmp", "recover:removed:N"); crash tests use it.
func RecoverHook(root string, hook func(string)) ([]string, error) {
	call := func(p string) {
		if hook != nil {
			hook(p)
		}
	}
	m, err := ReadManifest(root)
	if err != nil {
		return nil, err
	}
	var removed []string
	staging := filepath.Join(root, metaDir, "staging")
	if entries, err := os.ReadDir(staging); err == nil {
		for _, e := range entries {
			removed = append(removed, filepath.ToSlash(filepath.Join(metaDir, "staging", e.Name())))
		}
		if err := os.RemoveAll(staging); err != nil {
			return removed, fmt.Errorf("removing %s: %w", staging, err)
		}
	}
	call("recover:staging")
	var tmps []string
	for _, dir := range []string{metaDir, metaDir + "/runs"} {
		more, _ := filepath.Glob(filepath.Join(root, filepath.FromSlash(dir), ".tmp-*"))
		tmps = append(tmps, more...)
	}
	for _, p := range tmps {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return removed, fmt.Errorf("removing %s: %w", p, err)
		}
		rel, _ := filepath.Rel(root, p)
		removed = append(removed, filepath.ToSlash(rel))
	}
	call("recover:tmp")
	more, err := removeUnreferenced(root, m, func(p string) {
		call(strings.Replace(p, "cleanup:", "recover:", 1))
	})
	return append(removed, more...), err
}

// removeUnreferenced deletes part files (part-*.parquet) that m does not
// reference, and then empty partition directories. Other files are left alone.
func removeUnreferenced(root string, m *Manifest, hook func(string)) ([]string, error) {
	victims, err := unreferencedParts(root, m.referenced())
	if err != nil {
		return nil, err
	}
	dirs := map[string]bool{}
	for i, rel := range victims {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return victims[:i], fmt.Errorf("removing %s: %w", rel, err)
		}
		dirs[filepath.Dir(p)] = true
		if hook != nil {
			hook(fmt.Sprintf("cleanup:removed:%d", i))
		}
	}
	for d := range dirs { // remove emptied partition directories, bottom up
		for d != root && strings.HasPrefix(d, root) {
			if os.Remove(d) != nil {
				break
			}
			d = filepath.Dir(d)
		}
	}
	return victims, nil
}

// unreferencedParts lists, sorted and relative to root (slash-separated),
// the part files (part-*.parquet) of the warehouse that ref does not name;
// the staging, runs and raw directories of _dtm are not searched.
func unreferencedParts(root string, ref map[string]bool) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == metaDir+"/staging" || rel == metaDir+"/runs" || rel == metaDir+"/raw" {
				return filepath.SkipDir
			}
			return nil
		}
		if n := d.Name(); strings.HasPrefix(n, "part-") && strings.HasSuffix(n, ".parquet") && !ref[rel] {
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scanning %s: %w", root, err)
	}
	sort.Strings(out)
	return out, nil
}
