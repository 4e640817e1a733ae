package query

import (
	"bufio"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed figures/*.sql figures/summary/*.sql
var figureFS embed.FS

// Param is a figure parameter, declared in the SQL file's header as
// `-- param: NAME TYPE description`.
type Param struct {
	Name        string `json:"name"`
	Type        string `json:"type"` // VARCHAR, INTEGER, DATE
	Description string `json:"description"`
	// Min and Max bound an INTEGER parameter when the figure declares
	// `-- range: NAME MIN MAX` (nil: unbounded); a value outside is ErrBadParam.
	Min *int64 `json:"min,omitempty"`
	Max *int64 `json:"max,omitempty"`
}

// Figure is a named, embedded SQL query.
type Figure struct {
	Name        string  `json:"name"`
	Dataset     string  `json:"dataset"`
	Description string  `json:"description"`
	Params      []Param `json:"params"`
	// Suppress names the columns to protect by small-cell suppression
	// (`-- suppress: count_column` in the header); empty for none.
	Suppress string `json:"suppress,omitempty"`
	// HXL are the HXL tags of the output columns, in order (`-- hxl:` in
	// the header, space-separated); empty when the export derives them from
	// the dataset's schema.
	HXL []string `json:"hxl,omitempty"`
	SQL string   `json:"-"`
	// SummarySQL, when not empty, is the figure over the figure summaries
	// (summary.go), from figures/summary/NAME.sql: the same parameters,
	// columns, types and rows as SQL when from and to are not given.
	SummarySQL string `json:"-"`
}

// Figures returns every embedded figure, sorted by name.
func Figures() ([]Figure, error) {
	entries, err := fs.Glob(figureFS, "figures/*.sql")
	if err != nil {
		return nil, err
	}
	var out []Figure
	for _, e := range entries {
		b, err := figureFS.ReadFile(e)
		if err != nil {
			return nil, err
		}
		f, err := parseFigure(string(b))
		if err != nil {
			return nil, fmt.Errorf("figure %s: %w", e, err)
		}
		sum, err := figureFS.ReadFile("figures/summary/" + f.Name + ".sql")
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		f.SummarySQL = string(sum)
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// LookupFigure returns a figure by name.
func LookupFigure(name string) (Figure, error) {
	all, err := Figures()
	if err != nil {
		return Figure{}, err
	}
	var names []string
	for _, f := range all {
		if f.Name == name {
			return f, nil
		}
		names = append(names, f.Name)
	}
	return Figure{}, fmt.Errorf("%w %q (known: %s)", ErrUnknownFigure, name, strings.Join(names, ", "))
}

func parseFigure(text string) (Figure, error) {
	f := Figure{SQL: text}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "--") {
			break
		}
		key, val, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(line, "--")), ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch key {
		case "name":
			f.Name = val
		case "dataset":
			f.Dataset = val
		case "description":
			f.Description = val
		case "suppress":
			f.Suppress = val
		case "hxl":
			f.HXL = strings.Fields(val)
		case "param":
			parts := strings.SplitN(val, " ", 3)
			if len(parts) < 2 {
				return f, fmt.Errorf("bad param line %q", line)
			}
			p := Param{Name: parts[0], Type: strings.ToUpper(parts[1])}
			if len(parts) == 3 {
				p.Description = parts[2]
			}
			f.Params = append(f.Params, p)
		case "range":
			if err := f.setRange(val); err != nil {
				return f, fmt.Errorf("bad range line %q: %w", line, err)
			}
		}
	}
	if f.Name == "" {
		return f, fmt.Errorf("no `-- name:` header")
	}
	return f, nil
}

// RunOptions tunes how a figure is run.
type RunOptions struct {
	// MinCell is the small-cell threshold for figures that declare
	// `-- suppress:` (0 = DefaultMinCell).
	MinCell int
}

// DefaultMinCell is the default small-cell threshold: cells below it are suppressed.
const DefaultMinCell = 5

// Run runs a figure with parameter values given as text (from the command
// line); absent parameters are bound as NULL (the figure's default).
// Figures that declare `-- suppress:` are protected by small-cell
// suppression before they are returned.
func (d *DB) Run(ctx context.Context, f Figure, params map[string]string, opt RunOptions) (*Result, error) {
	return runFigure(ctx, d.Query, d.figureFor(f, params), params, opt)
}

// runFigure binds a figure's parameters, runs it with query and applies
// its suppression (DB.Run, Conn.Run).
func runFigure(ctx context.Context, query func(context.Context, string, ...any) (*Result, error), f Figure, params map[string]string, opt RunOptions) (*Result, error) {
	known := map[string]Param{}
	for _, p := range f.Params {
		known[p.Name] = p
	}
	for k := range params {
		if _, ok := known[k]; !ok {
			return nil, fmt.Errorf("%w: figure %s has no parameter %q", ErrBadParam, f.Name, k)
		}
	}
	var args []any
	for _, p := range f.Params {
		raw, ok := params[p.Name]
		if !ok || raw == "" {
			args = append(args, sql.Named(p.Name, nil))
			continue
		}
		v, err := typedParam(p, raw)
		if err != nil {
			return nil, err
		}
		if err := p.checkRange(v); err != nil {
			return nil, err
		}
		args = append(args, sql.Named(p.Name, v))
	}
	res, err := query(ctx, f.SQL, args...)
	if err != nil {
		return nil, fmt.Errorf("figure %s: %w", f.Name, err)
	}
	if f.Suppress != "" {
		min := opt.MinCell
		if min <= 0 {
			min = DefaultMinCell
		}
		if err := suppress(res, f.Suppress, min); err != nil {
			return nil, fmt.Errorf("figure %s: %w", f.Name, err)
		}
	}
	return res, nil
}

func typedParam(p Param, raw string) (any, error) {
	switch p.Type {
	case "INTEGER", "BIGINT":
		n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: %s must be a whole number, got %q", ErrBadParam, p.Name, raw)
		}
		return n, nil
	case "DATE":
		t, err := time.Parse("2006-01-02", strings.TrimSpace(raw))
		if err != nil {
			return nil, fmt.Errorf("%w: %s must be a date YYYY-MM-DD, got %q", ErrBadParam, p.Name, raw)
		}
		return t, nil
	default:
		if len(raw) > 1000 {
			return nil, fmt.Errorf("%w: %s is longer than 1000 characters", ErrBadParam, p.Name)
		}
		return raw, nil
	}
}
