package transform

import "strings"

// convMemo caches the results of pure per-value checks across the rows of
// one converter: a file repeats the same few hundred p-codes and round
// labels on every row. Each map is cleared when it reaches its bound, so
// memory stays small whatever the input. The zero value is ready to use.
type convMemo struct {
	pcodes map[pcodeMemoKey]pcodeMemo
	rounds map[string]roundMemo
}

// convMemoMax bounds each map of a convMemo.
const convMemoMax = 1 << 14

// pcodeMemoKey is a p-code as written with the context of its shape check.
type pcodeMemoKey struct {
	code, iso string
	level     int
}

// pcodeMemo is what checkPcodes needs to know of one code.
type pcodeMemo struct{ pseudo, shapeOK bool }

// roundMemo is the result of ParseRound.
type roundMemo struct {
	n  int64
	ok bool
}

// pcode returns PcodeIsPseudo(code) and PcodeShapeOK(code, iso, level)
// (the latter is only computed, and only meaningful, when not pseudo).
func (m *convMemo) pcode(code, iso string, level int) pcodeMemo {
	k := pcodeMemoKey{code, iso, level}
	if v, ok := m.pcodes[k]; ok {
		return v
	}
	var v pcodeMemo
	v.pseudo = PcodeIsPseudo(code)
	if !v.pseudo {
		v.shapeOK = PcodeShapeOK(code, iso, level)
	}
	if m.pcodes == nil || len(m.pcodes) >= convMemoMax {
		m.pcodes = make(map[pcodeMemoKey]pcodeMemo, 64)
	}
	// Clone: code may point into a large reader buffer.
	m.pcodes[pcodeMemoKey{strings.Clone(code), strings.Clone(iso), level}] = v
	return v
}

// round returns ParseRound(raw).
func (m *convMemo) round(raw string) (int64, bool) {
	if v, ok := m.rounds[raw]; ok {
		return v.n, v.ok
	}
	n, ok := ParseRound(raw)
	if m.rounds == nil || len(m.rounds) >= convMemoMax {
		m.rounds = make(map[string]roundMemo, 16)
	}
	m.rounds[strings.Clone(raw)] = roundMemo{n, ok}
	return n, ok
}
