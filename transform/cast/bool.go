package cast

import "strings"

// ParseBool casts a cell to a boolean. True: 1, yes, y, true, t, oui, o,
// vrai, sí, si, x (a ticked box), 1.0. False: 0, no, n, false, f, non, faux,
// 0.0. Case and surrounding spaces are ignored. Missing-value tokens (see
// IsMissing) give missing=true; anything else is an error (code type-error).
func ParseBool(s string) (v bool, missing bool, err error) {
	s = Trim(s)
	switch len(s) {
	case 1:
		switch s[0] {
		case '1', 'y', 'Y', 't', 'T', 'x', 'X', 'o', 'O':
			return true, false, nil
		case '0', 'n', 'N', 'f', 'F':
			return false, false, nil
		}
	case 0:
		return false, true, nil
	}
	if len(s) <= 8 {
		var buf [8]byte
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		switch string(buf[:len(s)]) {
		case "yes", "true", "oui", "vrai", "si", "sí", "1.0", "1,0":
			return true, false, nil
		case "no", "false", "non", "faux", "0.0", "0,0":
			return false, false, nil
		}
	}
	if strings.EqualFold(s, "SÍ") {
		return true, false, nil
	}
	if IsMissing(s) {
		return false, true, nil
	}
	return false, false, TypeErrorf("%s is not yes or no", Quote(s))
}
