package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// ensure returns path, generating it with gen unless a complete copy (one
// with its ".ok" marker) is already there. gen writes to a temporary file
// that is renamed into place, so an interrupted run never leaves a partial
// input that looks complete.
func ensure(path string, gen func(tmp string) error) (string, error) {
	if _, err := os.Stat(path + ".ok"); err == nil {
		if _, err := os.Stat(path); err == nil {
			return path, nil
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	tmp := path + ".tmp" + filepath.Ext(path)
	if err := gen(tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("generating %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	if err := os.WriteFile(path+".ok", nil, 0o644); err != nil {
		return "", err
	}
	return path, nil
}

// writeFileWith creates path and lets write fill it.
func writeFileWith(path string, write func(f *os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func siteCSVPath(dir string, rows int) string {
	return filepath.Join(dir, "inputs", fmt.Sprintf("site_assessment_%d.csv", rows))
}

func siteXLSXPath(dir string, rows int) string {
	return filepath.Join(dir, "inputs", fmt.Sprintf("site_assessment_%d.xlsx", rows))
}

func flowCSVPath(dir string, rows int) string {
	return filepath.Join(dir, "inputs", fmt.Sprintf("flow_survey_%d.csv", rows))
}
