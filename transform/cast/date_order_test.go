package cast

import "testing"

func TestNumericDayMonth(t *testing.T) {
	for _, c := range []struct {
		in   string
		a, b int
		ok   bool
	}{
		{"04/03/2024", 4, 3, true}, {"4-3-24", 4, 3, true}, {"13.03.2024", 13, 3, true}, {"03/13/2024 10:42", 3, 13, true},
		{"2024-03-04", 0, 0, false}, {"45366", 0, 0, false}, {"4 March 2024", 0, 0, false}, {"04/03-2024", 0, 0, false},
		{"16/01/2023 - 23/01/2023", 0, 0, false}, {"", 0, 0, false}, {"04/2024", 0, 0, false},
	} {
		a, b, ok := NumericDayMonth(c.in)
		if a != c.a || b != c.b || ok != c.ok {
			t.Errorf("NumericDayMonth(%q) = %d, %d, %v; want %d, %d, %v", c.in, a, b, ok, c.a, c.b, c.ok)
		}
	}
}

func TestParseDateOrder(t *testing.T) {
	for _, c := range []struct {
		in   string
		ord  DateOrder
		want string
	}{
		{"04/03/2024", DateOrderDMY, "2024-03-04"},
		{"04/03/2024", DateOrderMDY, "2024-04-03"},
		{"04/03/2024", DateOrderAuto, "2024-03-04"},
		{"13/03/2024", DateOrderMDY, "2024-03-13"}, // only day-first is a date
		{"03/13/2024", DateOrderDMY, "2024-03-13"}, // only month-first is a date
		{"4/3/24", DateOrderMDY, "2024-04-03"},
		{"04/03/2024 - 04/10/2024", DateOrderMDY, "2024-04-03"},
	} {
		d, _, _, err := ParseDateOrder(c.in, c.ord)
		if err != nil || d.Format("2006-01-02") != c.want {
			t.Errorf("ParseDateOrder(%q, %s) = %s, %v; want %s", c.in, c.ord, d.Format("2006-01-02"), err, c.want)
		}
	}
}
