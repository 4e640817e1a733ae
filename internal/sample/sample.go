// Package sample embeds the bundled sample data and example job that
// `dtm run` uses when no --config is given. The files are invented values
// in the shapes of real DTM files (see shared/DTM_FORMATS.md): an English
// CSV with an HXL row for two rounds of South Sudan, and a French,
// semicolon-separated, Windows-1252 CSV with a title row for Chad.
package sample

import (
	"embed"
	"io/fs"
)

//go:embed job.yaml data/*
var files embed.FS

// Job returns the example job file's bytes.
func Job() []byte {
	b, _ := files.ReadFile("job.yaml")
	return b
}

// FS is the sample files, rooted where job.yaml stands.
func FS() fs.FS { return files }
