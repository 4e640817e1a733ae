package query

import (
	"fmt"
	"strconv"
	"strings"
)

// setRange applies a `-- range: NAME MIN MAX` header line to the declared
// parameter NAME (declared before it).
func (f *Figure) setRange(val string) error {
	parts := strings.Fields(val)
	if len(parts) != 3 {
		return fmt.Errorf("want NAME MIN MAX")
	}
	lo, err1 := strconv.ParseInt(parts[1], 10, 64)
	hi, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || lo > hi {
		return fmt.Errorf("MIN and MAX must be whole numbers, MIN <= MAX")
	}
	for i := range f.Params {
		if f.Params[i].Name == parts[0] {
			f.Params[i].Min, f.Params[i].Max = &lo, &hi
			return nil
		}
	}
	return fmt.Errorf("no parameter %q declared before it", parts[0])
}

// checkRange refuses an integer value outside the parameter's declared range.
func (p Param) checkRange(v any) error {
	n, ok := v.(int64)
	if !ok || p.Min == nil || p.Max == nil {
		return nil
	}
	if n < *p.Min || n > *p.Max {
		return fmt.Errorf("%w: %s must be between %d and %d for this figure, got %d", ErrBadParam, p.Name, *p.Min, *p.Max, n)
	}
	return nil
}
