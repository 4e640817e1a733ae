package transform

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/iom-dtm/dtm/schemas"
)

// PcodeBook checks p-codes across the rows it is given (the pipeline gives
// each input its own book, so that an input's rows depend on it alone): one name per code,
// and, when a gazetteer is loaded, that codes are official. It is safe for
// concurrent use.
type PcodeBook struct {
	mu        sync.Mutex
	names     map[pcodeBookKey]string // level, code -> first name seen
	gazetteer map[string]string       // GazetteerKey -> official name ("" unknown)
	// checked memoises Check per (level, code as written, name): a code's
	// first name never changes once recorded, so a repeated triple always
	// gets the same problems. Bounded by pcodeBookMemoMax.
	checked map[pcodeCheckKey][]pcodeProblem
}

// pcodeBookKey is a p-code normalised as GazetteerKey does (upper-cased,
// trimmed) with its level, without formatting a string.
type pcodeBookKey struct {
	level int
	code  string
}

// pcodeCheckKey is one call of Check.
type pcodeCheckKey struct {
	level      int
	code, name string
}

// pcodeBookMemoMax bounds the memo of Check (it is cleared when full).
const pcodeBookMemoMax = 1 << 16

type pcodeProblem struct{ flag, code, message string }

// NewPcodeBook returns an empty book; gazetteer may be nil.
func NewPcodeBook(gazetteer map[string]string) *PcodeBook {
	return &PcodeBook{names: map[pcodeBookKey]string{}, gazetteer: gazetteer,
		checked: map[pcodeCheckKey][]pcodeProblem{}}
}

// GazetteerKey is the key of a p-code in a gazetteer map: the level, a
// colon and the code upper-cased and trimmed ("2:TD0701").
func GazetteerKey(level int, code string) string {
	return strconv.Itoa(level) + ":" + strings.ToUpper(strings.TrimSpace(code))
}

// Check records (level, code, name) and returns its problems. The returned
// slice may be shared with later calls: callers must not modify it.
func (b *PcodeBook) Check(level int, code, name string) []pcodeProblem {
	if b == nil || code == "" {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	ck := pcodeCheckKey{level, code, name}
	if out, ok := b.checked[ck]; ok {
		return out
	}
	out := b.check(level, code, name)
	if len(b.checked) >= pcodeBookMemoMax {
		clear(b.checked)
	}
	// Clone the strings: they may point into a large reader buffer.
	b.checked[pcodeCheckKey{level, strings.Clone(code), strings.Clone(name)}] = out
	return out
}

// check is Check without the memo; b.mu is held.
func (b *PcodeBook) check(level int, code, name string) []pcodeProblem {
	norm := strings.ToUpper(strings.TrimSpace(code))
	var out []pcodeProblem
	if b.gazetteer != nil && !PcodeIsPseudo(code) {
		if _, ok := b.gazetteer[GazetteerKey(level, code)]; !ok {
			out = append(out, pcodeProblem{"unknown", schemas.CodeUnknownPcode,
				fmt.Sprintf("admin%d p-code %q is not in the gazetteer", level, code)})
		}
	}
	if name == "" {
		return out
	}
	key := pcodeBookKey{level, norm}
	if first, ok := b.names[key]; !ok {
		b.names[pcodeBookKey{level, strings.Clone(norm)}] = strings.Clone(name)
	} else if first != name && NormalizeLabel(first) != NormalizeLabel(name) {
		out = append(out, pcodeProblem{"name", schemas.CodePcodeName,
			fmt.Sprintf("admin%d p-code %q is named %q here but %q on an earlier row of this file", level, code, name, first)})
	}
	return out
}
