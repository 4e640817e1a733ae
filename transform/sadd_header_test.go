package transform

import (
	"fmt"
	"testing"
)

func band(group, sex string, lo int32, hi int32) SADDBand {
	b := SADDBand{Group: group, Sex: sex, AgeMin: lo}
	if hi >= 0 {
		b.AgeMax = &hi
	}
	return b
}

func bandString(b SADDBand) string {
	hi := "nil"
	if b.AgeMax != nil {
		hi = fmt.Sprint(*b.AgeMax)
	}
	return fmt.Sprintf("{%q %s %d-%s}", b.Group, b.Sex, b.AgeMin, hi)
}

func TestParseSADDHeader(t *testing.T) {
	const open = -1
	cases := []struct {
		in   string
		want SADDBand
	}{
		// Chad
		{"male_less_than_1", band("", "m", 0, 0)},
		{"female_less_than_1", band("", "f", 0, 0)},
		{"female_1_to_5", band("", "f", 1, 5)},
		{"male_6_to_12", band("", "m", 6, 12)},
		{"female_13_to_17", band("", "f", 13, 17)},
		{"male_18_to_59", band("", "m", 18, 59)},
		{"female_60_above", band("", "f", 60, open)},
		{"male_60_above", band("", "m", 60, open)},
		{"male_1_to_5_ret", band("returnee", "m", 1, 5)},
		{"female_60_above_retournes", band("returnee", "f", 60, open)},
		{"male_less_than_1_retournes", band("returnee", "m", 0, 0)},
		{"female_18_to_59_pdi", band("", "f", 18, 59)},
		{"Male_18_to_59", band("", "m", 18, 59)},
		// Burundi
		{"h_Nourrissons(<1 an)", band("", "m", 0, 0)},
		{"f_Nourrissons(<1 an)", band("", "f", 0, 0)},
		{"h_Enfants(1-5 ans)", band("", "m", 1, 5)},
		{"f_Jeunes(6-17 ans)", band("", "f", 6, 17)},
		{"h_Jeunes(6-17 ans)", band("", "m", 6, 17)},
		{"h_Adultes(18-59 ans)", band("", "m", 18, 59)},
		{"f_Personnes âgées(60 ans et +)", band("", "f", 60, open)},
		{"h_Personnes agees(60 ans et +)", band("", "m", 60, open)},
		// Sudan
		{"lessthan1M", band("", "m", 0, 0)},
		{"0lessthan1F", band("", "f", 0, 0)},
		{"1-5M", band("", "m", 1, 5)},
		{"1-5F", band("", "f", 1, 5)},
		{"6-17F", band("", "f", 6, 17)},
		{"18-59M", band("", "m", 18, 59)},
		{"60+F", band("", "f", 60, open)},
		{"60+M", band("", "m", 60, open)},
		// Ukraine
		{"Male Infants (U1)", band("", "m", 0, 0)},
		{"Female Infants (U1)", band("", "f", 0, 0)},
		{"Male Children U5 (excl. U1)", band("", "m", 1, 4)},
		{"Female Children U5 (excl. U1)", band("", "f", 1, 4)},
		{"Male Children 5-17", band("", "m", 5, 17)},
		{"Female Adults 18-59", band("", "f", 18, 59)},
		{"Male Adults 18-59", band("", "m", 18, 59)},
		{"Female Elderly (60+)", band("", "f", 60, open)},
		{"Male Elderly (60+)", band("", "m", 60, open)},
		// other spellings
		{"Hommes 18-59 ans", band("", "m", 18, 59)},
		{"Girls 6-17", band("", "f", 6, 17)},
		{"Women 60 and above", band("", "f", 60, open)},
		{"sadd/male_1_to_5", band("", "m", 1, 5)},
		{"  female_13_to_17  ", band("", "f", 13, 17)},
		{"Returnees male 0-4", band("returnee", "m", 0, 4)},
		{"female_18_to_59_host", band("host", "f", 18, 59)},
	}
	for _, c := range cases {
		got, ok := ParseSADDHeader(c.in)
		if !ok || bandString(got) != bandString(c.want) {
			t.Errorf("ParseSADDHeader(%q) = %s, %v; want %s", c.in, bandString(got), ok, bandString(c.want))
		}
	}
}

func TestParseSADDHeaderRejects(t *testing.T) {
	for _, in := range []string{
		"", "Total IDP (Individuals)", "Male", "Female", "Males", "Round", "Households",
		"Latitude", "Longitude", "total_male_pdi", "total_female_pdi", "numberMales",
		"m0310_loc_num_idp_ind", "IDP HH", "Admin 1 pcode", "Survey Date", "R38", "B2_01",
		"Total IDP (Households)", "male_total", "Male 18", "female_59_to_18", "male_1_to_5_xyz",
		"male female 1-5", "Male 0-11 months", "h_Nourrissons(0-11 mois)", "male_1_to_500",
		"female_200_above", "1-5", "60+", "lessthan1", "Enfants (1-5 ans)", "Male >60",
		"male_1_to_5_ret_host", "2.1.b.7: Total IDP (Individuals)", "Ménages des PDI",
		"Female Children U1 (excl. U5)", "male_less_than_0", "Q12 - Male 1-5 total",
	} {
		if got, ok := ParseSADDHeader(in); ok {
			t.Errorf("ParseSADDHeader(%q) = %s, want not a band", in, bandString(got))
		}
	}
}

func FuzzParseSADDHeader(f *testing.F) {
	for _, s := range []string{"male_less_than_1", "female_60_above_retournes", "h_Enfants(1-5 ans)",
		"f_Personnes âgées(60 ans et +)", "0lessthan1F", "60+F", "Male Children U5 (excl. U1)",
		"Total IDP (Individuals)", "Male", "", "sadd/male_1_to_5", "1-2-3-4-5-6-7-8-9 m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, ok := ParseSADDHeader(s)
		if !ok {
			if b != (SADDBand{}) {
				t.Fatalf("ParseSADDHeader(%q) not ok but returned %s", s, bandString(b))
			}
			return
		}
		if b.Sex != "m" && b.Sex != "f" {
			t.Fatalf("ParseSADDHeader(%q): sex %q", s, b.Sex)
		}
		if b.AgeMin < 0 || b.AgeMin > saddMaxAge || (b.AgeMax != nil && (*b.AgeMax < b.AgeMin || *b.AgeMax > saddMaxAge)) {
			t.Fatalf("ParseSADDHeader(%q): bad band %s", s, bandString(b))
		}
		switch b.Group {
		case "", "returnee", "host", "refugee":
		default:
			t.Fatalf("ParseSADDHeader(%q): group %q", s, b.Group)
		}
	})
}
