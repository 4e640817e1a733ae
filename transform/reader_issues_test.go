package transform_test

import (
	"slices"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// TestReaderIssuesAreWarnings: what a reader met in a row (an extra cell,
// text in another encoding) is reported as a warning with the reader's
// code, and the row is written.
func TestReaderIssuesAreWarnings(t *testing.T) {
	if ingest.IssueExtraCell != schemas.CodeExtraCell {
		t.Fatalf("ingest.IssueExtraCell %q differs from schemas.CodeExtraCell %q", ingest.IssueExtraCell, schemas.CodeExtraCell)
	}
	h := benchHeader()
	m, err := transform.Map(h, schemas.SiteAssessment(), transform.MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	row := benchRows(1)[0]
	row.Cells = append(slices.Clone(row.Cells), "Inondation")
	row.Issues = append(ingest.ExtraCellIssues(row.Cells, len(h.Columns)),
		ingest.Issue{Code: ingest.IssueMixedEncoding, Column: 0, Value: "x", Message: "cell(s) 1 not UTF-8"})
	c := transform.NewConverter(m, transform.Provenance{File: "t.csv"}, transform.Options{})
	defer c.Release()
	var got []schemas.Reject
	for _, rj := range c.Convert([]ingest.Row{row}) {
		if rj.Code == ingest.IssueExtraCell || rj.Code == ingest.IssueMixedEncoding {
			got = append(got, rj)
		}
	}
	if len(got) != 2 || got[0].Severity != schemas.SeverityWarning || got[0].Value != "Inondation" || got[0].Column != "" ||
		got[1].Severity != schemas.SeverityWarning || got[1].Column != h.Columns[0] || got[1].Row != row.Line {
		t.Fatalf("rejects %+v", got)
	}
	if s := c.Stats(); s.RowsWritten != 1 || s.RowsRejected != 0 {
		t.Fatalf("stats %+v", s)
	}
}
