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

// Field describes one canonical column.
type Field struct {
	Name        string      `json:"name"`
	Kind        Kind        `json:"kind"`
	Description string      `json:"description"`
	Unit        string      `json:"unit,omitempty"`
	HXL         string      `json:"hxl,omitempty"`
	Vocabulary  []string    `json:"vocabulary,omitempty"`
	Required    bool        `json:"required,omitempty"`
	Sensitivity Sensitivity `json:"sensitivity"`
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
