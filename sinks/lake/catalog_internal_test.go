package lake

import "testing"

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://dtm:s3cret@db:5432/iceberg?sslmode=require":       "postgres://dtm:***@db:5432/iceberg?sslmode=require",
		"postgresql://dtm@db/iceberg?password=s3cret&sslmode=disable": "postgresql://dtm@db/iceberg?password=***&sslmode=disable",
		"postgres://db/iceberg?sslmode=disable&PASSWORD=x":            "postgres://db/iceberg?sslmode=disable&PASSWORD=***",
		"https://user:tok@rest.example.org/catalog":                   "https://user:***@rest.example.org/catalog",
		"https://rest.example.org/catalog":                            "https://rest.example.org/catalog",
		"sqlite:/srv/dtm/catalog.db":                                  "sqlite:/srv/dtm/catalog.db",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
