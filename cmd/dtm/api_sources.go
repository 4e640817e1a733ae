package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/iom-dtm/dtm/ingest/dtmapi"
	"github.com/iom-dtm/dtm/internal/config"
	"github.com/iom-dtm/dtm/internal/pipeline"
	"go.uber.org/zap"
)

// fetchAPISource fetches a job source of the DTM API (one request per
// country and admin level), saves every response under the source's save
// directory (default <warehouse>/_dtm/raw) and returns inputs over the
// saved files, so that the run reads them like any file and can be
// repeated offline. The subscription key comes from DTM_API_KEY; the base
// URL from the job or DTM_API_URL. A query that fails is an input too, with
// Unavailable set to the error and Path to the request URL (the key is sent
// in a header, never in the URL), so that the run results list it as a
// failed source; the errors are also returned for the log.
func fetchAPISource(ctx context.Context, job *config.Job, src config.Source, warehouse string, log *zap.Logger) ([]pipeline.Input, []error) {
	api := src.API
	base := api.BaseURL
	if env := os.Getenv("DTM_API_URL"); env != "" {
		base = env
	}
	if base == "" {
		base = dtmapi.DefaultBaseURL
	}
	failed := func(url string, err error) pipeline.Input {
		return pipeline.Input{Path: url, Source: src.Name, Kind: src.Kind, Unavailable: err.Error()}
	}
	key := os.Getenv("DTM_API_KEY")
	if key == "" {
		err := fmt.Errorf("source %q: DTM_API_KEY is not set (the DTM API subscription key)", src.Name)
		return []pipeline.Input{failed(base, err)}, []error{err}
	}
	client := dtmapi.NewClient(base, key, dtmapi.ClientOptions{Logger: log})
	saveDir := api.SaveDir
	if saveDir == "" {
		saveDir = filepath.Join(warehouse, "_dtm", "raw")
	} else {
		saveDir = job.Resolve(saveDir)
	}
	countries, err := apiCountries(ctx, client, api.Countries)
	if err != nil {
		err = fmt.Errorf("source %q: listing countries: %w", src.Name, err)
		return []pipeline.Input{failed(base, err)}, []error{err}
	}
	levels := api.AdminLevels
	if len(levels) == 0 {
		levels = []int{0, 1, 2}
	}
	var inputs []pipeline.Input
	var errs []error
	for _, c := range countries {
		for _, lvl := range levels {
			q := dtmapi.Query{AdminLevel: lvl, Admin0Pcode: c.ISO3, CountryName: c.Name, Operation: src.Operation,
				FromReportingDate: api.FromDate, ToReportingDate: api.ToDate, FromRound: api.FromRound, ToRound: api.ToRound}
			body, err := client.Fetch(ctx, q)
			if err != nil {
				if errors.Is(err, context.Canceled) {
					return inputs, append(errs, err)
				}
				err = fmt.Errorf("source %q: admin%d %s: %w", src.Name, lvl, c.ISO3+c.Name, err)
				inputs, errs = append(inputs, failed(requestURL(base, q), err)), append(errs, err)
				continue
			}
			path, err := dtmapi.SaveResponse(saveDir, q, body)
			if err != nil {
				err = fmt.Errorf("source %q: %w", src.Name, err)
				inputs, errs = append(inputs, failed(requestURL(base, q), err)), append(errs, err)
				continue
			}
			inputs = append(inputs, pipeline.Input{Path: path, Source: src.Name, Kind: src.Kind, Country: c.ISO3, FormatName: "dtmapi",
				Operation: src.Operation, Overrides: src.Columns, MaxRejectRatio: src.MaxRejectRatio, Duplicates: src.Duplicates})
		}
	}
	return inputs, errs
}

// apiCountries turns the job's list (ISO3 codes or API country names) into
// countries, or asks the API for its list when the job names none.
func apiCountries(ctx context.Context, client *dtmapi.Client, listed []string) ([]dtmapi.Country, error) {
	if len(listed) == 0 {
		return client.Countries(ctx)
	}
	var out []dtmapi.Country
	for _, c := range listed {
		c = strings.TrimSpace(c)
		if len(c) == 3 && strings.ToUpper(c) == c {
			out = append(out, dtmapi.Country{ISO3: c})
		} else {
			out = append(out, dtmapi.Country{Name: c})
		}
	}
	return out, nil
}

// requestURL is the URL of a query, as sent but without the key (which
// travels in a header).
func requestURL(base string, q dtmapi.Query) string {
	u := strings.TrimRight(base, "/") + q.Path()
	if v := q.Values().Encode(); v != "" {
		u += "?" + v
	}
	return u
}
