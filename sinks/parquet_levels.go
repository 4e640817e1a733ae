package sinks

import (
	"errors"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/iom-dtm/dtm/schemas"
)

// The definition and repetition levels of the Arrow column shapes the
// canonical datasets use, computed here so that the columns of a record can
// be encoded on separate goroutines (parquet_columns.go): pqarrow computes
// them in a writer it keeps private. The shapes are a flat column (every
// kind but the lists), list<flat> (string lists) and list<struct<flat...>>
// (SADD). A schema with any other shape is written by pqarrow's own writer.
//
// The levels are those of pqarrow's path builder (parquet/pqarrow
// path_builder.go, arrow-go v18.8.0), quirks included, so that both write
// the same bytes (TestParallelParquetMatchesPqarrow compares the files):
//   - a field, list element or struct that is not nullable in the schema
//     has no level of its own: its nulls are not seen;
//   - a leaf that holds a null gets the level just below its own also when
//     its field is declared not nullable;
//   - a leaf whose whole array (not only the slice written) has no null is
//     written as not nullable;
//   - the values under a null list must be empty when non-null lists come
//     after them (pqarrow's "non-zero length null components" error).

// leafShape is how the leaves of one top-level field are laid out.
type leafShape int

const (
	shapeFlat       leafShape = iota // one leaf, no repetition
	shapeList                        // list<flat>: one repeated leaf
	shapeListStruct                  // list<struct<flat...>>: one repeated leaf per struct field
)

// fieldLeaves places one top-level field among the Parquet leaf columns.
type fieldLeaves struct {
	field arrow.Field
	shape leafShape
	first int // index of its first leaf column
	count int // number of leaf columns
}

// planLeaves maps the top-level fields of schema to their leaf columns. It
// reports false when a field has a shape this file does not handle.
func planLeaves(schema *arrow.Schema) ([]fieldLeaves, bool) {
	var out []fieldLeaves
	next := 0
	for _, f := range schema.Fields() {
		fl := fieldLeaves{field: f, first: next, count: 1}
		switch t := f.Type.(type) {
		case *arrow.ListType:
			switch et := t.Elem().(type) {
			case *arrow.StructType:
				for _, c := range et.Fields() {
					if !flatType(c.Type) {
						return nil, false
					}
				}
				if et.NumFields() == 0 {
					return nil, false
				}
				fl.shape, fl.count = shapeListStruct, et.NumFields()
			default:
				if !flatType(et) {
					return nil, false
				}
				fl.shape = shapeList
			}
		default:
			if !flatType(f.Type) && !schemas.IsDictionaryOfStrings(f.Type) {
				return nil, false
			}
		}
		out = append(out, fl)
		next += fl.count
	}
	return out, true
}

// flatType reports a type stored as one unrepeated Parquet leaf: not nested,
// not a dictionary or an extension (whose levels pqarrow computes
// otherwise). A top-level field may also be a dictionary of strings
// (parquet_dict.go).
func flatType(t arrow.DataType) bool {
	switch t.(type) {
	case arrow.NestedType, *arrow.DictionaryType, arrow.ExtensionType:
		return false
	}
	switch t.ID() {
	case arrow.NULL, arrow.RUN_END_ENCODED, arrow.STRING_VIEW, arrow.BINARY_VIEW:
		return false
	}
	return true
}

// leafWrite is what one leaf column receives for one Arrow column: the
// values to write (released by the caller), their levels (nil: none) and
// whether the leaf is written as nullable.
type leafWrite struct {
	values   arrow.Array
	def, rep []int16
	nullable bool
}

// levelBuffers are a goroutine's reusable level slices.
type levelBuffers struct{ def, rep []int16 }

func (b *levelBuffers) defs(n int) []int16 {
	if cap(b.def) < n {
		b.def = make([]int16, n)
	}
	return b.def[:n]
}

func (b *levelBuffers) reps(n int) []int16 {
	if cap(b.rep) < n {
		b.rep = make([]int16, n)
	}
	return b.rep[:n]
}

// errNullListValues is pqarrow's error for values under a null list followed
// by non-null lists.
var errNullListValues = errors.New("lists with non-zero length null components are not supported")

// flatLevels are the levels of a flat column arr of a field declared
// nullable or not.
func flatLevels(arr arrow.Array, nullable bool, buf *levelBuffers) leafWrite {
	arr.Retain()
	if !nullable {
		return leafWrite{values: arr}
	}
	def := buf.defs(arr.Len())
	nulls := arr.NullN()
	switch {
	case nulls == 0:
		fill(def, 1)
		return leafWrite{values: arr, def: def}
	case nulls == arr.Len():
		fill(def, 0)
	default:
		for i := range def {
			if arr.IsValid(i) {
				def[i] = 1
			} else {
				def[i] = 0
			}
		}
	}
	return leafWrite{values: arr, def: def, nullable: true}
}

func fill(s []int16, v int16) {
	for i := range s {
		s[i] = v
	}
}

// listLevels are the levels of leaf `leaf` of a list column (shapeList:
// leaf 0 is the element; shapeListStruct: leaf i is the struct's field i).
func listLevels(fl fieldLeaves, list *array.List, leaf int, buf *levelBuffers) (leafWrite, error) {
	lt := fl.field.Type.(*arrow.ListType)
	elemNullable := lt.ElemField().Nullable
	values := list.ListValues()

	// Levels: the list's own (if its field is nullable), the repetition,
	// the struct's (if the element is a nullable struct), the leaf's.
	var dList int16
	if fl.field.Nullable {
		dList = 1
	}
	dRep := dList + 1
	var st *array.Struct
	var leafArr arrow.Array
	var leafNullable bool
	dStruct := dRep // the level of a present element (struct or leaf)
	dLeaf := dRep
	if fl.shape == shapeListStruct {
		st = values.(*array.Struct)
		if elemNullable {
			dStruct++
		}
		dLeaf = dStruct
		leafArr = st.Field(leaf)
		leafNullable = lt.Elem().(*arrow.StructType).Field(leaf).Nullable
	} else {
		leafArr = values
		leafNullable = elemNullable
	}
	if leafNullable {
		dLeaf++
	}
	leafNulls := leafArr.NullN()
	structNulls := 0
	if st != nil && elemNullable {
		structNulls = st.NullN()
	}
	listNulls := 0
	if fl.field.Nullable {
		listNulls = list.NullN()
	}

	n := list.Len()
	offsets := list.Offsets()[list.Data().Offset():]
	// Count the levels: one per null or empty list, one per element.
	total := 0
	for i := 0; i < n; i++ {
		s, e := int(offsets[i]), int(offsets[i+1])
		if (listNulls > 0 && list.IsNull(i)) || e <= s {
			total++
		} else {
			total += e - s
		}
	}
	def, rep := buf.defs(total), buf.reps(total)
	allListsNull := listNulls > 0 && listNulls == n
	first, end := -1, -1 // the visited values: [first, end)
	k := 0
	for i := 0; i < n; i++ {
		s, e := int(offsets[i]), int(offsets[i+1])
		if allListsNull || (listNulls > 0 && list.IsNull(i)) {
			def[k], rep[k] = dList-1, 0
			k++
			continue
		}
		if e <= s {
			def[k], rep[k] = dList, 0
			k++
			continue
		}
		if first < 0 {
			first = s
		} else if s != end {
			return leafWrite{}, errNullListValues
		}
		end = e
		for j := s; j < e; j++ {
			if j == s {
				rep[k] = 0
			} else {
				rep[k] = 1
			}
			switch {
			case structNulls > 0 && (structNulls == st.Len() || st.IsNull(j)):
				def[k] = dStruct - 1
			case leafNulls > 0 && (leafNulls == leafArr.Len() || leafArr.IsNull(j)):
				def[k] = dLeaf - 1
			default:
				def[k] = dLeaf
			}
			k++
		}
	}
	if first < 0 {
		first, end = 0, 0
	}
	// pqarrow's nullable empty-list level is dList only when the list
	// field is nullable (dList = 1); otherwise 0 = dList as computed.
	return leafWrite{
		values:   array.NewSlice(leafArr, int64(first), int64(end)),
		def:      def,
		rep:      rep,
		nullable: leafNullable && leafNulls > 0,
	}, nil
}
