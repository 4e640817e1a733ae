package csv

import (
	"bufio"
	"bytes"
	stdcsv "encoding/csv"
	"fmt"
	"io"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// benchData builds a DTM-like site assessment CSV of n rows (~100 bytes each).
func benchData(n int) []byte {
	var b bytes.Buffer
	b.WriteString("country_iso3,admin1_pcode,admin1_name,admin2_pcode,admin2_name,site_id,site_name,site_type,latitude,longitude,assessment_date,idp_households,idp_individuals\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "NGA,NG%03d,Borno,NG%03d%03d,\"Maiduguri, M.C.\",DTM%05d,Site %d,Camp,%.5f,%.5f,2023-%02d-%02d,%d,%d\n",
			i%37, i%37, i%27, i, i, 11.8+float64(i%1000)/1e4, 13.1+float64(i%997)/1e4, 1+i%12, 1+i%28, i%500, i%5000)
	}
	return b.Bytes()
}

// BenchmarkRead measures end-to-end reading of ~50k synthetic rows held in
// memory (detection, parsing, numbering, copying).
func BenchmarkRead(b *testing.B) { benchRead(b, 0) }

// BenchmarkReadRecycled is BenchmarkRead with the rows' memory recycled
// after 6 calls (RecycleRows, as the chunked pipeline does with 2 workers).
func BenchmarkReadRecycled(b *testing.B) { benchRead(b, 6) }

func benchRead(b *testing.B, recycle int) {
	data := benchData(50_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader("bench.csv", bytes.NewReader(data), ingest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if recycle > 0 {
			r.(interface{ RecycleRows(int, bool) }).RecycleRows(recycle, false)
		}
		n := 0
		for {
			rows, err := r.Next(1024)
			n += len(rows)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		if n != 50_000 {
			b.Fatalf("%d rows", n)
		}
	}
}

// BenchmarkRawStdcsv is the ceiling: encoding/csv alone on the same data,
// without detection, numbering, limits or copying.
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

// BenchmarkReadEncodings measures the decoding paths (x/text transforms).
func BenchmarkReadEncodings(b *testing.B) {
	utf8Data := benchData(20_000)
	w1252, err := charmap.Windows1252.NewEncoder().Bytes(utf8Data)
	if err != nil {
		b.Fatal(err)
	}
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(utf8Data)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
	}{{"utf-8", utf8Data}, {"windows-1252", append([]byte("R\xe9gion\n"), w1252...)}, {"utf-16le", u16}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				r, err := NewReader("bench.csv", bytes.NewReader(c.data), ingest.Options{})
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, err := r.Next(1024)
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkTokenize measures splitting alone (the tokenize stage): the
// records of ~50k synthetic rows from memory, with the tokenizer and with
// encoding/csv under the same options (the reference it replaces).
func BenchmarkTokenize(b *testing.B) {
	data := benchData(50_000)
	for _, std := range []bool{false, true} {
		name := "tokenizer"
		if std {
			name = "encoding-csv"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			br := bufio.NewReaderSize(nil, csvBufSize)
			rec := make([]string, 0, 64)
			for b.Loop() {
				br.Reset(bytes.NewReader(data))
				recs := newRecords(br, ',', std)
				n := 0
				for {
					got, _, _, _, err := recs.read(rec[:0])
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					rec = got
					n++
				}
				if n != 50_001 {
					b.Fatalf("%d records", n)
				}
			}
		})
	}
}
