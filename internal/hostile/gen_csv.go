package hostile

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// siteHeader is a site assessment header that maps without help.
const siteHeader = "Country Code,State Pcode,County Pcode,Site ID,Site Name,Site Type,Latitude,Longitude,Round,Survey Date,Total IDP (Households),Total IDP (Individuals)"

// siteRow is a valid data row of siteHeader.
func siteRow(i int, name string) []string {
	return []string{"SSD", "SS01", "SS0101", fmt.Sprintf("SSD-%04d", i), name, "Camp", "9.5", "31.1", "R37", "2025-03-15", "10", "40"}
}

// writeStream creates path in dir and lets fill write it through a buffer.
func writeStream(dir, name string, fill func(w *bufio.Writer) error) (string, error) {
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := fill(w); err != nil {
		f.Close()
		return "", err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return "", err
	}
	return p, f.Close()
}

// repeat writes n bytes of s repeated.
func repeat(w *bufio.Writer, s string, n int) error {
	chunk := strings.Repeat(s, (64<<10)/len(s)+1)[:64<<10]
	for n > 0 {
		k := min(n, len(chunk))
		if _, err := w.WriteString(chunk[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// genSingleLine writes one 50 MB line without a newline.
func genSingleLine(dir string) (string, error) {
	return writeStream(dir, "single_line_50mb.csv", func(w *bufio.Writer) error {
		return repeat(w, "abcdefghi,", 50<<20)
	})
}

// genLongRow writes a header then a 50 MB data row.
func genLongRow(dir string) (string, error) {
	return writeStream(dir, "long_row_50mb.csv", func(w *bufio.Writer) error {
		w.WriteString(siteHeader + "\n")
		w.WriteString("SSD,SS01,SS0101,SSD-0001,")
		if err := repeat(w, "x", 50<<20); err != nil {
			return err
		}
		_, err := w.WriteString(",Camp,9.5,31.1,R37,2025-03-15,10,40\n")
		return err
	})
}

// genColumns writes a header and three rows of 10 000 columns.
func genColumns(dir string) (string, error) {
	return writeStream(dir, "columns_10000.csv", func(w *bufio.Writer) error {
		for r := 0; r < 4; r++ {
			for c := 0; c < 10000; c++ {
				if c > 0 {
					w.WriteByte(',')
				}
				if r == 0 {
					fmt.Fprintf(w, "Column %d", c+1)
				} else {
					fmt.Fprintf(w, "%d", r*c)
				}
			}
			w.WriteByte('\n')
		}
		return nil
	})
}

// genBigCell writes a site name of 2 MiB in the second data row.
func genBigCell(dir string) (string, error) {
	return writeStream(dir, "big_cell_2mb.csv", func(w *bufio.Writer) error {
		w.WriteString(siteHeader + "\n")
		w.WriteString(strings.Join(siteRow(1, "ok"), ",") + "\n")
		w.WriteString("SSD,SS01,SS0101,SSD-0002,")
		if err := repeat(w, "y", 2<<20); err != nil {
			return err
		}
		_, err := w.WriteString(",Camp,9.5,31.1,R37,2025-03-15,10,40\n")
		return err
	})
}
