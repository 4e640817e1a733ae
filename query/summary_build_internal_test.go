package query

import (
	"errors"
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// siteRecord is a record of site rows: country, admin 1 p-code and
// households by row.
func siteRecord(countries, a1 []string, hh []int64) arrow.RecordBatch {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "country_iso3", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "admin1_pcode", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "idp_households", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	rb := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer rb.Release()
	rb.Field(0).(*array.StringBuilder).AppendValues(countries, nil)
	rb.Field(1).(*array.StringBuilder).AppendValues(a1, nil)
	rb.Field(2).(*array.Int64Builder).AppendValues(hh, nil)
	return rb.NewRecordBatch()
}

func TestSummaryBuilderGivesUpPastMaxGroups(t *testing.T) {
	b := NewSummaryBuilder()
	b.maxGroups = 5
	// 2 rows: 2 area groups, 1 site_type group, 1 reasons group.
	rec := siteRecord([]string{"SSD", "SSD"}, []string{"SS01", "SS02"}, []int64{1, 2})
	defer rec.Release()
	b.Add(rec)
	if b.Err() != nil || b.Groups() != 4 || b.Rows() != 2 {
		t.Fatalf("after 2 rows: %d groups, %d rows, err %v", b.Groups(), b.Rows(), b.Err())
	}
	rec2 := siteRecord([]string{"SSD", "SSD"}, []string{"SS03", "SS04"}, []int64{1, 2})
	defer rec2.Release()
	b.Add(rec2)
	if !errors.Is(b.Err(), ErrSummaryTooLarge) || b.Groups() != 0 {
		t.Fatalf("past 5 groups: %d groups, err %v", b.Groups(), b.Err())
	}
	if err := b.WriteFile(t.TempDir() + "/s.parquet"); !errors.Is(err, ErrSummaryTooLarge) {
		t.Fatalf("WriteFile after giving up: %v", err)
	}
}

func TestSummaryBuilderSumOverflow(t *testing.T) {
	for _, hh := range [][]int64{{math.MaxInt64, 1}, {math.MinInt64, -1}} {
		b := NewSummaryBuilder()
		rec := siteRecord([]string{"SSD", "SSD"}, []string{"SS01", "SS01"}, hh)
		b.Add(rec)
		rec.Release()
		if b.Err() == nil {
			t.Errorf("%v: no error for a sum past int64", hh)
		}
	}
	b := NewSummaryBuilder()
	rec := siteRecord([]string{"SSD", "SSD"}, []string{"SS01", "SS01"}, []int64{math.MaxInt64, -1})
	defer rec.Release()
	b.Add(rec)
	if b.Err() != nil {
		t.Errorf("MaxInt64 + -1: %v", b.Err())
	}
}

func TestSummaryBuilderColumnOfAnotherType(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "round", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	rb := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer rb.Release()
	rb.Field(0).(*array.StringBuilder).Append("R1")
	rec := rb.NewRecordBatch()
	defer rec.Release()
	b := NewSummaryBuilder()
	b.Add(rec)
	if b.Err() == nil {
		t.Fatal("a string round column gave no error")
	}
}
