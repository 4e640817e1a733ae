package export

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/iom-dtm/dtm/schemas"
)

// The parameters a dataset export is filtered by, and the fields they
// filter (the names shared by dtm's datasets).
const (
	ParamCountry = "country" // ISO 3166 alpha-3, on FieldCountry
	ParamRound   = "round"   // whole number, on FieldRound
	ParamFrom    = "from"    // YYYY-MM-DD, first date included, on the date field
	ParamTo      = "to"      // YYYY-MM-DD, last date included, on the date field

	FieldCountry = "country_iso3"
	FieldRound   = "round"
)

// Filter narrows a dataset export; each set member keeps only the rows
// that match it.
type Filter struct {
	// Country is an ISO 3166 alpha-3 code ("" = every country).
	Country string
	// Round is a round number (nil = every round).
	Round *int64
	// From and To bound the dataset's date field, both included (zero =
	// no bound).
	From, To time.Time
}

// DateField is the field a dataset's from/to filter applies to: its first
// field of kind Date (assessment_date, reporting_date, period_start: the
// date the row describes), or "" when it has none.
func DateField(ds *schemas.Dataset) string {
	for _, f := range ds.StoredFields() {
		if f.Kind == schemas.Date {
			return f.Name
		}
	}
	return ""
}

// filterField is the field a filter parameter applies to in ds ("" when ds
// lacks it).
func filterField(ds *schemas.Dataset, param string) string {
	var name string
	switch param {
	case ParamCountry:
		name = FieldCountry
	case ParamRound:
		name = FieldRound
	case ParamFrom, ParamTo:
		return DateField(ds)
	default:
		return ""
	}
	if _, ok := ds.Field(name); !ok {
		return ""
	}
	return name
}

// ParseFilter reads a dataset's filter from parameters given as text
// (country, round, from, to; an empty value is no filter). A parameter that
// is not a filter, or that names a field the dataset lacks, or a value
// that cannot be read, is an error matching ErrUsage.
func ParseFilter(ds *schemas.Dataset, params map[string]string) (Filter, error) {
	var f Filter
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := strings.TrimSpace(params[k])
		switch k {
		case ParamCountry, ParamRound, ParamFrom, ParamTo:
		default:
			return f, usagef("%s applies to figures; %s is a dataset, filtered only by --country, --round, --from and --to", flagName(k), ds.Name)
		}
		if filterField(ds, k) == "" {
			return f, usagef("%s does not apply to %s: it has no %s field (its filters: %s)", flagName(k), ds.Name, fieldOf(k), strings.Join(Filters(ds), ", "))
		}
		if v == "" {
			continue
		}
		switch k {
		case ParamCountry:
			if len(v) != 3 || strings.ToUpper(v) != v || strings.IndexFunc(v, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
				return f, usagef("%s %q: want an ISO 3166 alpha-3 code", flagName(k), v)
			}
			f.Country = v
		case ParamRound:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return f, usagef("%s must be a whole number, got %q", flagName(k), v)
			}
			f.Round = &n
		case ParamFrom, ParamTo:
			t, err := time.Parse("2006-01-02", v)
			if err != nil {
				return f, usagef("%s must be a date YYYY-MM-DD, got %q", flagName(k), v)
			}
			if k == ParamFrom {
				f.From = t
			} else {
				f.To = t
			}
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return f, usagef("--to %s is before --from %s", f.To.Format("2006-01-02"), f.From.Format("2006-01-02"))
	}
	return f, nil
}

// Filters lists the filter flags a dataset takes (--country, --round,
// --from/--to where it has the fields).
func Filters(ds *schemas.Dataset) []string {
	var out []string
	for _, p := range []string{ParamCountry, ParamRound, ParamFrom, ParamTo} {
		if filterField(ds, p) != "" {
			out = append(out, flagName(p))
		}
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

// DatasetStatement is the SQL of a dataset export: every stored field of
// the dataset's view, in schema order, with the filter's conditions. The
// identifiers come from the schema and the values are returned as
// arguments for the placeholders, never spliced into the text.
func DatasetStatement(ds *schemas.Dataset, f Filter) (stmt string, args []any) {
	fields := ds.StoredFields()
	cols := make([]string, len(fields))
	for i, fl := range fields {
		cols[i] = quoteIdent(fl.Name)
	}
	var where []string
	add := func(field, op string, v any) {
		where = append(where, quoteIdent(field)+" "+op+" ?")
		args = append(args, v)
	}
	if f.Country != "" {
		add(FieldCountry, "=", f.Country)
	}
	if f.Round != nil {
		add(FieldRound, "=", *f.Round)
	}
	if df := DateField(ds); df != "" {
		if !f.From.IsZero() {
			add(df, ">=", f.From)
		}
		if !f.To.IsZero() {
			add(df, "<=", f.To)
		}
	}
	stmt = fmt.Sprintf("SELECT %s FROM %s", strings.Join(cols, ", "), quoteIdent(ds.Name))
	if len(where) > 0 {
		stmt += " WHERE " + strings.Join(where, " AND ")
	}
	return stmt, args
}

// fieldOf names the field a parameter filters, for messages.
func fieldOf(param string) string {
	switch param {
	case ParamCountry:
		return FieldCountry
	case ParamRound:
		return FieldRound
	}
	return "date"
}

// flagName is the command-line flag of a parameter (admin_level -> --admin-level).
func flagName(param string) string { return "--" + strings.ReplaceAll(param, "_", "-") }

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
