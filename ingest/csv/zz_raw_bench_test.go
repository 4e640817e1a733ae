package csv

import (
	"bytes"
	stdcsv "encoding/csv"
	"io"
	"testing"
)

func BenchmarkRawStdcsv(b *testing.B) {
	data := benchData(50_000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		cr := stdcsv.NewReader(bytes.NewReader(data))
		cr.ReuseRecord = true
		cr.LazyQuotes = true
		cr.FieldsPerRecord = -1
		for {
			_, err := cr.Read()
			if err == io.EOF {
				break
			}
		}
	}
}
