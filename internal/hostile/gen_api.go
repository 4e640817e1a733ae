package hostile

import (
	"bufio"
	"fmt"
)

// genAPIHugeString writes a 100 MB API response: one record whose
// operation is a 100 MB string.
func genAPIHugeString(dir string) (string, error) {
	return writeStream(dir, "api_100mb_string.json", func(w *bufio.Writer) error {
		w.WriteString(`{"isSuccess": true, "result": [{"admin0Name": "Nigeria", "admin0Pcode": "NGA", "numPresentIdpInd": 5, "reportingDate": "2022-12-31T00:00:00", "roundNumber": 1, "operation": "`)
		if err := repeat(w, "a", 100<<20); err != nil {
			return err
		}
		_, err := w.WriteString(`"}]}`)
		return err
	})
}

// genAPIRecords writes a 100 MB API response of ordinary records.
func genAPIRecords(dir string) (string, error) {
	return writeStream(dir, "api_100mb_records.json", func(w *bufio.Writer) error {
		w.WriteString(`{"isSuccess": true, "result": [`)
		n := 0
		for i := 0; n < 100<<20; i++ {
			if i > 0 {
				w.WriteByte(',')
			}
			k, _ := fmt.Fprintf(w, `{"operation": "Op", "admin0Name": "Nigeria", "admin0Pcode": "NGA", "admin1Pcode": "NG%03d", "numPresentIdpInd": %d, "reportingDate": "2022-12-31T00:00:00", "roundNumber": %d}`, i%1000, i, i%50)
			n += k + 1
		}
		_, err := w.WriteString(`]}`)
		return err
	})
}
