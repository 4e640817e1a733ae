package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/iom-dtm/dtm/ingest/dtmapi"
	"github.com/iom-dtm/dtm/internal/config"
	"go.uber.org/zap"
)

// FetchOptions say where and how a DTM API source is fetched.
type FetchOptions struct {
	// BaseURL is the API (config.Settings.APIBaseURL of the source).
	BaseURL string
	// Key is the subscription key (DTM_API_KEY); "" fails the source.
	Key string
	// SaveDir is where responses are saved (config.Job.APISaveDir).
	SaveDir string
	// Logger receives the client's retries (nil: none).
	Logger *zap.Logger
}

// DefaultAdminLevels are the admin levels fetched when a job source names none.
var DefaultAdminLevels = []int{0, 1, 2}

// FetchAPI fetches a job source of the DTM API (one request per country
// and admin level), saves every response under opt.SaveDir and returns
// inputs over the saved files, so that the run reads them like any file
// and can be repeated offline. A query that fails is an input too, with
// Unavailable set to the error and Path to the request URL (the key is
// sent in a header, never in the URL), so that the run results list it as
// a failed source; the errors are also returned for the log. A cancelled
// context stops the loop and is returned among the errors.
func FetchAPI(ctx context.Context, src config.Source, opt FetchOptions) ([]Input, []error) {
	api := src.API
	if api == nil {
		err := fmt.Errorf("source %q: not a DTM API source", src.Name)
		return []Input{{Path: src.Name, Source: src.Name, Kind: src.Kind, Unavailable: err.Error()}}, []error{err}
	}
	failed := func(url string, err error) Input {
		return Input{Path: url, Source: src.Name, Kind: src.Kind, Unavailable: err.Error()}
	}
	if opt.Key == "" {
		err := fmt.Errorf("source %q: %s is not set (the DTM API subscription key)", src.Name, config.EnvAPIKey)
		return []Input{failed(opt.BaseURL, err)}, []error{err}
	}
	client := dtmapi.NewClient(opt.BaseURL, opt.Key, dtmapi.ClientOptions{Logger: opt.Logger})
	countries, err := apiCountries(ctx, client, api.Countries)
	if err != nil {
		err = fmt.Errorf("source %q: listing countries: %w", src.Name, err)
		return []Input{failed(opt.BaseURL, err)}, []error{err}
	}
	levels := api.AdminLevels
	if len(levels) == 0 {
		levels = DefaultAdminLevels
	}
	var inputs []Input
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
				inputs, errs = append(inputs, failed(RequestURL(opt.BaseURL, q), err)), append(errs, err)
				continue
			}
			path, err := dtmapi.SaveResponse(opt.SaveDir, q, body)
			if err != nil {
				err = fmt.Errorf("source %q: %w", src.Name, err)
				inputs, errs = append(inputs, failed(RequestURL(opt.BaseURL, q), err)), append(errs, err)
				continue
			}
			in := SourceInput(src, path)
			in.Country, in.FormatName, in.Sheets = c.ISO3, "dtmapi", nil
			inputs = append(inputs, in)
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

// RequestURL is the URL of a query, as sent but without the key (which
// travels in a header).
func RequestURL(base string, q dtmapi.Query) string {
	u := strings.TrimRight(base, "/") + q.Path()
	if v := q.Values().Encode(); v != "" {
		u += "?" + v
	}
	return u
}
