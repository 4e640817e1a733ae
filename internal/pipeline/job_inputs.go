package pipeline

import (
	"fmt"

	"github.com/iom-dtm/dtm/internal/config"
)

// SourceInput is the input of one file of a job source: the file read
// with the source's settings (kind, country, sheets, format, operation,
// column overrides, reject threshold, duplicates policy), its rows
// attributed to the source.
func SourceInput(src config.Source, path string) Input {
	return Input{Path: path, Source: src.Name, Kind: src.Kind, Country: src.Country, Sheets: src.Sheet, FormatName: src.Format,
		Operation: src.Operation, Overrides: src.Columns, MaxRejectRatio: src.MaxRejectRatio, Duplicates: src.Duplicates,
		Replaces: src.Replaces}
}

// JobFileInputs expands the file sources of a job (not its DTM API
// sources: see FetchAPI) into inputs, each source's files in path order.
// A path pattern that matches no file becomes an Unavailable input (a
// failed source in the run results, exit 3 when other inputs commit), not
// a log line. A malformed pattern is an error.
func JobFileInputs(job *config.Job) ([]Input, error) {
	var inputs []Input
	for _, s := range job.Sources {
		if s.API != nil {
			continue
		}
		files, empty, err := job.Files(s)
		if err != nil {
			return nil, err
		}
		for _, e := range empty {
			inputs = append(inputs, Input{Path: job.Resolve(e), Source: s.Name, Kind: s.Kind,
				Unavailable: fmt.Sprintf("source %q: no file matches %q", s.Name, e)})
		}
		for _, f := range files {
			inputs = append(inputs, SourceInput(s, f))
		}
	}
	return inputs, nil
}
