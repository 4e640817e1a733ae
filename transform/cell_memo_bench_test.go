package transform

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/schemas"
)

// BenchmarkCellMemoGet measures the memo hits of the cell memos of a site
// file's columns, rows in no order of place: per row, one lookup in each
// of six memos of 12 to 1,512 different cells (vocabulary strings, the
// admin 1, 2 and 3 codes and names; dates), the cells fresh copies (as a
// reader's buffer gives them) drawn at random.
func BenchmarkCellMemoGet(b *testing.B) {
	const rows = 1 << 16
	sizes := []int{14, 168, 1512, 12, 365, 1512}
	rnd := rand.New(rand.NewPCG(1, 2))
	memos := make([]*cellMemo, len(sizes))
	raws := make([][]string, len(sizes))
	for k, n := range sizes {
		f := schemas.Field{Name: "f", Kind: schemas.String, Vocabulary: []string{"x"}}
		if k == 4 {
			f = schemas.Field{Name: "d", Kind: schemas.Date}
		}
		memos[k] = newCellMemo(&f, k, false)
		cells := make([]string, n)
		for i := range cells {
			cells[i] = fmt.Sprintf("SD%02d%04d", k, i)
			v := value{set: true, s: cells[i], d: time.Date(2025, 1, 1+i, 0, 0, 0, 0, time.UTC)}
			memos[k].put(cells[i], &v, nil)
		}
		raws[k] = make([]string, rows)
		for i := range raws[k] {
			raws[k][i] = strings.Clone(cells[rnd.IntN(n)])
		}
	}
	var v value
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r := i % rows
		for k, m := range memos {
			v.reset()
			if !m.get(raws[k][r], &v) {
				b.Fatal("a cell put is not found")
			}
		}
	}
}
