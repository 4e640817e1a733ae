package schemas

import "github.com/apache/arrow-go/v18/arrow"

// Kind is the logical type of a field; it fixes the Arrow type and the cast
// rule the transform stage applies.
type Kind string

const (
	String     Kind = "string"      // trimmed text
	Int        Kind = "int"         // int64; thousands separators accepted
	Float      Kind = "float"       // float64
	Date       Kind = "date"        // date32 (days since epoch)
	Bool       Kind = "bool"        // boolean; 1/0, yes/no, oui/non
	StringList Kind = "string_list" // list<string>, from "; "-joined or Kobo space-separated cells
	SADD       Kind = "sadd"        // list<struct<group, sex, age_min, age_max, count>>
)

// Sensitivity classifies a field for disclosure control.
type Sensitivity string

const (
	Public    Sensitivity = "public"    // may be published as is
	Sensitive Sensitivity = "sensitive" // quasi-identifier or protected: aggregate or suppress before publishing
	Personal  Sensitivity = "personal"  // direct identifier: never written
)

// Unit is the unit of a number field, as documented in `dtm schema`.
// Persons and Households make the field a count of people: a negative
// value is emptied with a warning, and the field may carry a headline
// figure. Other units ("degrees (WGS84)", "years") are documentation.
type Unit string

const (
	Persons    Unit = "persons"    // individuals (HXL +ind)
	Households Unit = "households" // households (HXL +hh)
)

// Counts reports a unit of people or households.
func (u Unit) Counts() bool { return u == Persons || u == Households }

// Normaliser names the rule that reads a published label into a field's
// Vocabulary. The empty Normaliser matches the label case-, accent- and
// spacing-insensitively against the vocabulary; the others are DTM's own
// label sets (DTM_FORMATS.md), implemented in package transform, which
// must know every Normaliser declared here (a test there checks it).
type Normaliser string

const (
	// MatchVocabulary is the default: the vocabulary's words, compared
	// after NormalizeLabel.
	MatchVocabulary Normaliser = ""
	// SiteTypeLabels reads DTM site-type labels in English, French,
	// Spanish and Kobo codes ("CCCM site", "Site de déplacement",
	// "collective_center") into the site_type vocabulary.
	SiteTypeLabels Normaliser = "site_type"
	// AssessmentTypeLabels reads "Baseline", "MSLA", "Évaluation de site",
	// "Emergency Tracking" into BA / SA / ETT.
	AssessmentTypeLabels Normaliser = "assessment_type"
)

// Encoding is a Parquet encoding hint for a column.
type Encoding string

const (
	// Dictionary (the default) suits columns with few distinct values per
	// file: codes, admin names, provenance, dates, rounds.
	//
	// The site assessment's counts are Plain since issue 15 (last
	// paragraph). Counts (Int fields of persons or households) stayed
	// dictionary-encoded
	// (issue 15, measured on 200 k canonical site rows in 32 Ki-row
	// groups, sinks.BenchmarkParquetSettings, five alternated pairs on a
	// loaded 2-core machine): plain counts cost the same CPU (median 634
	// against 639 CPU ms a write, within the noise) for files 2.7 % larger
	// (6.86 against 6.67 MB). DuckDB's own COPY ... TO parquet also writes
	// them with a dictionary (PLAIN_DICTIONARY, plain only in a row group
	// whose dictionary grows too large) and its file of the same 167 k rows
	// is already 13 % smaller than dtm's (5.23 against 6.02 MB: row groups
	// of 122 880 rows against 32 Ki).
	//
	// Re-measured once the string columns came as dictionary arrays (the
	// encoders' CPU then halved; same benchmark, 3 alternated runs, load
	// ~14, medians a write): dictionary 444 CPU ms, plain counts 438, plain
	// dates 426, both plain 431: within the noise, for files 2.7 %, 2.1 %
	// and 4.9 % larger. So counts and dates (Int and Date fields) stay
	// dictionary-encoded and are handed over as plain Arrow arrays: an index
	// from the converter could at best save the hashing that plain encoding
	// saves, which does not show. String fields with this hint are built
	// as dictionary arrays (transform/partition_dict.go).
	//
	// Re-measured on the 1 M-row site ingest, whose 6 partitions are
	// written in buffered row groups of ~4-32 k rows (issue 15; binaries
	// alternated, load 5-7, medians): a count takes thousands of values in
	// a row group of thousands of rows (idp_individuals 11 666 over the
	// run, idp_males 6 990), so the dictionary encoder hashes every row
	// into a large table for little gain: plain counts make
	// the warehouse 4.2 % smaller (38.08 -> 36.49 MB) and cost less CPU
	// (9.24 -> 8.92 CPU s over 3 pairs; with sinks/parquet_intdict.go for
	// the other integer columns 10.5 -> 9.5 over 6 runs each), peak RSS
	// unchanged (199 -> 197-199 MB, each binary dropped from the page
	// cache before its run: a freshly built binary, all in the page cache,
	// maps ~35 MB more of its own pages, RssFile, which showed 236-238 MB
	// for either change at the same RssAnon, 170 MB). So the counts of
	// site_assessment are Plain; dates and rounds (few values) stay
	// dictionary-encoded.
	Dictionary Encoding = ""
	// Plain suits nearly unique values (a row number, a site's id, name
	// and coordinates), where a dictionary costs CPU and grows the file
	// (sinks.BenchmarkParquetEncoding has the figures).
	Plain Encoding = "plain"
)

// Field describes one canonical column. Its attributes are the whole
// declaration of how dtm treats it: Kind fixes the cast, Unit marks
// counts, Vocabulary and Normaliser the labels, Encoding the Parquet
// hint, Sensitivity the privacy class, PlaceCode the codes of places.
type Field struct {
	Name        string      `json:"name"`
	Kind        Kind        `json:"kind"`
	Description string      `json:"description"`
	Unit        Unit        `json:"unit,omitempty"`
	HXL         string      `json:"hxl,omitempty"`
	Vocabulary  []string    `json:"vocabulary,omitempty"`
	Normaliser  Normaliser  `json:"normaliser,omitempty"`
	Encoding    Encoding    `json:"encoding,omitempty"`
	Required    bool        `json:"required,omitempty"`
	Sensitivity Sensitivity `json:"sensitivity"`
	// PlaceCode marks a code naming a place, site or point (a p-code, an
	// SSID, an FMP id): such a cell never holds a totals label on a site
	// row, and it is compared as a code, not as a name.
	PlaceCode bool `json:"place_code,omitempty"`
	// Aliases are header texts seen in real files (English, French, m-codes,
	// Kobo names), compared after normalisation (case, accents, punctuation).
	Aliases []string `json:"aliases,omitempty"`
	// HXLAliases are other HXL tags seen for this field (HXL is matched first).
	HXLAliases []string `json:"hxl_aliases,omitempty"`
}

// SADDStruct is the Arrow struct of one sex-and-age cell: the band exactly as
// published (age_max null for an open band such as 60+).
var SADDStruct = arrow.StructOf(
	arrow.Field{Name: "group", Type: arrow.BinaryTypes.String, Nullable: true},
	arrow.Field{Name: "sex", Type: arrow.BinaryTypes.String},
	arrow.Field{Name: "age_min", Type: arrow.PrimitiveTypes.Int32},
	arrow.Field{Name: "age_max", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	arrow.Field{Name: "count", Type: arrow.PrimitiveTypes.Int64},
)

// ArrowType returns the Arrow type of a kind.
func (k Kind) ArrowType() arrow.DataType {
	switch k {
	case Int:
		return arrow.PrimitiveTypes.Int64
	case Float:
		return arrow.PrimitiveTypes.Float64
	case Date:
		return arrow.FixedWidthTypes.Date32
	case Bool:
		return arrow.FixedWidthTypes.Boolean
	case StringList:
		return arrow.ListOf(arrow.BinaryTypes.String)
	case SADD:
		return arrow.ListOf(SADDStruct)
	default:
		return arrow.BinaryTypes.String
	}
}

// DuckDBType returns the DuckDB SQL type of a kind (used for empty views).
func (k Kind) DuckDBType() string {
	switch k {
	case Int:
		return "BIGINT"
	case Float:
		return "DOUBLE"
	case Date:
		return "DATE"
	case Bool:
		return "BOOLEAN"
	case StringList:
		return "VARCHAR[]"
	case SADD:
		return "STRUCT(\"group\" VARCHAR, sex VARCHAR, age_min INTEGER, age_max INTEGER, count BIGINT)[]"
	default:
		return "VARCHAR"
	}
}
