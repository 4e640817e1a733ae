package transform

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/iom-dtm/dtm/schemas"
)

// PcodeBook checks p-codes against the run's gazetteer, when one is
// loaded: codes missing from it are unknown-pcode warnings. (A code's name
// is judged per file, by the name most rows give it: see pcode_file.go.)
// It is safe for concurrent use.
type PcodeBook struct {
	mu        sync.Mutex
	gazetteer map[string]string // GazetteerKey -> official name ("" unknown)
	// checked memoises Check per (level, code as written). Bounded by
	// pcodeBookMemoMax.
	checked map[pcodeCheckKey][]pcodeProblem
}

// pcodeCheckKey is one call of Check.
type pcodeCheckKey struct {
	level int
	code  string
}

// pcodeBookMemoMax bounds the memo of Check (it is cleared when full).
const pcodeBookMemoMax = 1 << 16

type pcodeProblem struct{ flag, code, message string }

// NewPcodeBook returns a book over a gazetteer, which may be nil (no check).
func NewPcodeBook(gazetteer map[string]string) *PcodeBook {
	return &PcodeBook{gazetteer: gazetteer, checked: map[pcodeCheckKey][]pcodeProblem{}}
}

// GazetteerKey is the key of a p-code in a gazetteer map: the level, a
// colon and the code upper-cased and trimmed ("2:TD0701").
func GazetteerKey(level int, code string) string {
	return strconv.Itoa(level) + ":" + strings.ToUpper(strings.TrimSpace(code))
}

// GazetteerParentKey is the key, in a gazetteer map, of the parent p-code
// of a code ("parent:2:TD0701" -> "TD07"), for gazetteers that give it.
func GazetteerParentKey(level int, code string) string {
	return "parent:" + GazetteerKey(level, code)
}

// Parent returns the parent p-code the gazetteer gives a code (ok false
// when there is no gazetteer or it does not say).
func (b *PcodeBook) Parent(level int, code string) (string, bool) {
	if b == nil || b.gazetteer == nil {
		return "", false
	}
	p, ok := b.gazetteer[GazetteerParentKey(level, code)]
	return p, ok && p != ""
}

// loaded reports whether b checks codes against a gazetteer (a nil book,
// or one over a nil gazetteer, checks nothing: Parent, Official and Check
// answer false or nil).
func (b *PcodeBook) loaded() bool { return b != nil && b.gazetteer != nil }

// Official reports whether a gazetteer is loaded and lists the code at the
// level. A nil book has no gazetteer.
func (b *PcodeBook) Official(level int, code string) bool {
	if b == nil || b.gazetteer == nil {
		return false
	}
	_, ok := b.gazetteer[GazetteerKey(level, code)]
	return ok
}

// Check returns the problems of (level, code). The returned slice may be
// shared with later calls: callers must not modify it.
func (b *PcodeBook) Check(level int, code string) []pcodeProblem {
	if b == nil || code == "" || b.gazetteer == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	ck := pcodeCheckKey{level, code}
	if out, ok := b.checked[ck]; ok {
		return out
	}
	var out []pcodeProblem
	if !PcodeIsPseudo(code) {
		if _, ok := b.gazetteer[GazetteerKey(level, code)]; !ok {
			out = append(out, pcodeProblem{"unknown", schemas.CodeUnknownPcode,
				fmt.Sprintf("admin%d p-code %q is not in the gazetteer", level, code)})
		}
	}
	if len(b.checked) >= pcodeBookMemoMax {
		clear(b.checked)
	}
	// Clone the string: it may point into a large reader buffer.
	b.checked[pcodeCheckKey{level, strings.Clone(code)}] = out
	return out
}
