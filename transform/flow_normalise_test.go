package transform

import (
	"testing"
	"time"
)

func TestFlowVocabularies(t *testing.T) {
	cases := []struct {
		fn   func(string) (string, bool)
		in   string
		want string
	}{
		{NormalizeDirection, "Incoming", "incoming"}, {NormalizeDirection, "inflow", "incoming"},
		{NormalizeDirection, "Entrée", "incoming"}, {NormalizeDirection, "entrada", "incoming"},
		{NormalizeDirection, "outflow", "outgoing"}, {NormalizeDirection, "Sortie ", "outgoing"},
		{NormalizeDirection, "salida", "outgoing"}, {NormalizeDirection, "sideways", ""},
		{NormalizeSex, "Male", "male"}, {NormalizeSex, "male", "male"}, {NormalizeSex, "Homme", "male"},
		{NormalizeSex, "Femme", "female"}, {NormalizeSex, "Mujer", "female"}, {NormalizeSex, "F", "female"},
		{NormalizeSex, "Otra designación", "other"}, {NormalizeSex, "Autre", "other"},
		{NormalizeSex, "NS/NR", "unknown"}, {NormalizeSex, "No sabe / No responde", "unknown"}, {NormalizeSex, "xyz", ""},
		{NormalizeTransport, "À pied", "foot"}, {NormalizeTransport, "Camion", "truck"}, {NormalizeTransport, "Moto", "motorbike"},
		{NormalizeTransport, "Voiture", "car"}, {NormalizeTransport, "pirogue", "boat"}, {NormalizeTransport, "hovercraft", ""},
		{NormalizeReason, "economique", "economic"}, {NormalizeReason, "conflit", "conflict"}, {NormalizeReason, "familia", "family"},
		{NormalizePeriodType, "Mensuel", "month"}, {NormalizePeriodType, "daily", "day"}, {NormalizePeriodType, "semanal", "week"},
	}
	for _, c := range cases {
		got, ok := c.fn(c.in)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%q: got %q %v, want %q", c.in, got, ok, c.want)
		}
	}
}

func TestParseFlowAge(t *testing.T) {
	cases := []struct {
		in          string
		ok          bool
		exact       bool
		band, group string
	}{
		{"34", true, true, "25-34", "18+"},
		{"17 ans", true, true, "0-17", "0-17"},
		{"61", true, true, "60+", "18+"},
		{"18+", true, false, "", "18+"},
		{"under 18", true, false, "0-17", "0-17"},
		{"moins de 18 ans", true, false, "0-17", "0-17"},
		{"adults", true, false, "", "18+"},
		{"enfants", true, false, "0-17", "0-17"},
		{"menores", true, false, "0-17", "0-17"},
		{"25-34", true, false, "25-34", "18+"},
		{"60+", true, false, "60+", "18+"},
		{"15-24", true, false, "", ""},
		{"130", false, false, "", ""},
		{"-3", false, false, "", ""},
		{"old", false, false, "", ""},
	}
	for _, c := range cases {
		a, ok := ParseFlowAge(c.in)
		if ok != c.ok {
			t.Errorf("%q: ok = %v", c.in, ok)
			continue
		}
		if !ok {
			continue
		}
		band, _ := a.AgeBand()
		group, _ := a.AgeGroup()
		if a.Exact != c.exact || band != c.band || group != c.group {
			t.Errorf("%q: exact %v band %q group %q, want %v %q %q", c.in, a.Exact, band, group, c.exact, c.band, c.group)
		}
	}
}

func TestParseFlowPeriod(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	cases := []struct {
		in, freq, start, end, typ string
	}{
		{"2023-01-15", "", "2023-01-15", "2023-01-15", "day"},
		{"30/01/2023", "", "2023-01-30", "2023-01-30", "day"},
		{"janvier 2023", "", "2023-01-01", "2023-01-31", "month"},
		{"2023-02", "", "2023-02-01", "2023-02-28", "month"},
		{"2023-02-01", "month", "2023-02-01", "2023-02-28", "month"},
		{"2023-02-14", "month", "2023-02-01", "2023-02-28", "month"},
		{"2023-01-16", "week", "2023-01-16", "2023-01-22", "week"},
		{"2023-W03", "", "2023-01-16", "2023-01-22", "week"},
		{"S03 2023", "", "2023-01-16", "2023-01-22", "week"},
		{"16 - 23 Jan 2023", "", "2023-01-16", "2023-01-23", "range"},
	}
	for _, c := range cases {
		p, missing, err := ParseFlowPeriod(c.in)
		if err != nil || missing {
			t.Errorf("%q: %v %v", c.in, missing, err)
			continue
		}
		if p, err = p.WithFrequency(c.freq); err != nil {
			t.Errorf("%q: %v", c.in, err)
		}
		if !p.Start.Equal(d(c.start)) || !p.End.Equal(d(c.end)) || p.Type != c.typ {
			t.Errorf("%q (%s): %s..%s %s, want %s..%s %s", c.in, c.freq, p.Start.Format("2006-01-02"), p.End.Format("2006-01-02"), p.Type, c.start, c.end, c.typ)
		}
	}
	for _, bad := range []string{"not a date", "2023-W60"} {
		if _, _, err := ParseFlowPeriod(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	if p, _, _ := ParseFlowPeriod("janvier 2023"); true {
		if _, err := p.WithFrequency("day"); err == nil {
			t.Error("a month with a daily frequency: want an error")
		}
	}
}

func TestLooksPersonal(t *testing.T) {
	yes := []string{"+235 66 12 34 01", "+237 6 77 12 34 11", "0661234567", "00235 66123456", "066-123-4567", "(555) 123-4567", "amina@example.org", "+249 91 234 5604"}
	no := []string{"2023-01-15", "30.03.2021", "44592", "1 234", "12.3456789", "-12.345678", "FMP01", "120", "Kalait", "1,234,567", "a@b"}
	for _, s := range yes {
		if !LooksPersonal(s) {
			t.Errorf("%q should look personal", s)
		}
	}
	for _, s := range no {
		if LooksPersonal(s) {
			t.Errorf("%q should not look personal", s)
		}
	}
	if !containsPersonal("travels alone; phone of uncle +235 99 87 65 10") || containsPersonal("travels alone") {
		t.Error("containsPersonal on free text")
	}
}

func FuzzParseFlowAge(f *testing.F) {
	for _, s := range []string{"34", "18+", "moins de 18 ans", "25-34", "adults", "", "999999999999999999999", "under 0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := ParseFlowAge(s)
		if !ok {
			return
		}
		if a.Min < 0 || a.Min > maxFlowAge || (a.Max >= 0 && a.Max < a.Min) {
			t.Fatalf("%q: impossible age %+v", s, a)
		}
		// The group and band, when given, must contain the age read.
		if g, ok := a.AgeGroup(); ok {
			child := a.Max >= 0 && a.Max < 18
			if (g == "0-17") != child || (g == "18+") != (a.Min >= 18) {
				t.Fatalf("%q: age %+v in group %q", s, a, g)
			}
		}
		if band, ok := a.AgeBand(); ok {
			found := false
			for _, b := range flowAgeBandBounds {
				if b.name == band {
					found = true
					if a.Min < b.lo || (b.hi >= 0 && (a.Max < 0 || a.Max > b.hi)) {
						t.Fatalf("%q: age %+v outside its band %q [%d, %d]", s, a, band, b.lo, b.hi)
					}
				}
			}
			if !found {
				t.Fatalf("%q: unknown band %q", s, band)
			}
		}
	})
}

func FuzzParseFlowPeriod(f *testing.F) {
	for _, s := range []string{"2023-01-15", "janvier 2023", "2023-W03", "S53 2020", "16 - 23 Jan 2023", "W99-9999", ""} {
		f.Add(s, "month")
	}
	f.Fuzz(func(t *testing.T, s, freq string) {
		p, missing, err := ParseFlowPeriod(s)
		if err != nil || missing {
			return
		}
		if p.End.Before(p.Start) {
			t.Fatalf("%q: end before start", s)
		}
		q, err := p.WithFrequency(freq)
		if err == nil && q.End.Before(q.Start) {
			t.Fatalf("%q %q: end before start", s, freq)
		}
	})
}

func FuzzLooksPersonal(f *testing.F) {
	for _, s := range []string{"+235 66 12 34 01", "a@b.org", "2023-01-15", "x +1 (555) 123-4567 y", "((((", "+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if LooksPersonal(s) && !containsPersonal(s) {
			t.Fatalf("%q: LooksPersonal but not containsPersonal", s)
		}
	})
}
