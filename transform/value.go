package transform

import "time"

// value is one cast cell, before it is appended to an Arrow builder.
type value struct {
	set  bool // false = null
	s    string
	i    int64
	f    float64
	b    bool
	d    time.Time
	list []string
	sadd []SADDCell
}

// SADDCell is one published sex-and-age count.
type SADDCell struct {
	SADDBand
	Count int64
}

// reset empties v, keeping the capacity of its lists. A value already
// empty (most of a row's: fields the file does not have) is only read:
// rewriting its pointers would cost write barriers while the GC runs.
func (v *value) reset() {
	if !v.set && v.s == "" && v.i == 0 && v.f == 0 && !v.b && v.d == (time.Time{}) && len(v.list) == 0 && len(v.sadd) == 0 {
		return
	}
	list, sadd := v.list[:0], v.sadd[:0]
	*v = value{list: list, sadd: sadd}
}

func strValue(s string) value { return value{set: true, s: s} }
func intValue(i int64) value  { return value{set: true, i: i} }
