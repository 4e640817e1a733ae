package schemas

import "testing"

func TestFlowDatasetsShape(t *testing.T) {
	core := []string{"country_iso3", "fmp_id", "fmp_name", "fmp_country", "direction", "period_start", "period_end", "nationality", "sex", "sex_label", "age_group", "reasons"}
	for _, d := range []*Dataset{FlowRegistry(), FlowSurvey()} {
		t.Run(d.Name, func(t *testing.T) {
			if d.PartitionKey != "year_part" || d.PartitionField != "period_start" {
				t.Fatalf("partition = %s/%s", d.PartitionKey, d.PartitionField)
			}
			if f, ok := d.Field("period_start"); !ok || f.Kind != Date {
				t.Fatalf("period_start must be a date field")
			}
			if f, _ := d.Field("country_iso3"); !f.Required {
				t.Errorf("country_iso3 must be required")
			}
			for _, n := range core {
				if _, ok := d.Field(n); !ok {
					t.Errorf("core field %s missing", n)
				}
			}
			names, aliases := map[string]bool{}, map[string]string{}
			for _, f := range d.Fields {
				if names[f.Name] {
					t.Errorf("duplicate field %s", f.Name)
				}
				names[f.Name] = true
				if f.Description == "" || f.Sensitivity == "" {
					t.Errorf("field %s lacks description or sensitivity", f.Name)
				}
				for _, a := range append([]string{f.Name}, f.Aliases...) {
					k := normAlias(a)
					if other, dup := aliases[k]; dup && other != f.Name {
						t.Errorf("alias %q of %s already names %s", a, f.Name, other)
					}
					aliases[k] = f.Name
				}
			}
			for _, f := range d.StoredFields() {
				if f.Sensitivity == Personal {
					t.Errorf("personal field %s would be stored", f.Name)
				}
			}
		})
	}
	reg := FlowRegistry()
	if f, _ := reg.Field("individuals"); !f.Required || f.Unit != "persons" {
		t.Errorf("registry individuals must be a required count")
	}
	if f, _ := reg.Field("period_start"); !f.Required {
		t.Errorf("registry period_start must be required")
	}
	sv := FlowSurvey()
	for _, n := range []string{"age", "sex", "nationality", "birth_country", "origin_admin1", "origin_admin2", "destination_admin1", "destination_admin2", "uam", "group_size", "period_start", "fmp_id"} {
		if f, _ := sv.Field(n); f.Sensitivity != Sensitive {
			t.Errorf("survey quasi-identifier %s is %q, want sensitive", n, f.Sensitivity)
		}
	}
	for _, n := range []string{"respondent_id", "respondent_name", "phone_number", "device_id", "remarks", "latitude", "longitude"} {
		if f, ok := sv.Field(n); !ok || f.Sensitivity != Personal {
			t.Errorf("survey identifier %s must be a personal field", n)
		}
		for _, s := range sv.StoredFields() {
			if s.Name == n {
				t.Errorf("%s is stored", n)
			}
		}
	}
	if _, err := Default().Lookup("flow_survey"); err != nil {
		t.Error(err)
	}
	if _, err := Default().Lookup("flow_registry"); err != nil {
		t.Error(err)
	}
}
