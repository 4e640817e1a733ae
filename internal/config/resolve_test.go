package config

import (
	"strings"
	"testing"
)

// TestResolvePrecedence: for each setting, the flag wins over the
// environment, the environment over the job file, the job over the
// default; each row takes one source away.
func TestResolvePrecedence(t *testing.T) {
	job, err := Parse([]byte("warehouse: wh\nconcurrency: 2\nprivacy:\n  pseudonym_key_env: MY_KEY\n  min_cell: 10\nsources:\n  - name: a\n    kind: displacement_admin\n    api: {countries: [SSD], base_url: 'https://job.example'}\n"), "/jobs")
	if err != nil {
		t.Fatal(err)
	}
	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }
	fullEnv := Env{EnvWarehouse: "/env/wh", EnvThreads: "8", "MY_KEY": "job-named key", EnvPseudonymKey: "default-named key",
		EnvMemoryLimit: "1GiB", EnvGoMemLimit: "100MiB", EnvAPIURL: "https://env.example", EnvAPIKey: "k", EnvServeToken: "tok"}
	flags := Flags{Warehouse: str("/flag/wh"), MinCell: num(3), MemoryLimit: str("2GiB")}
	type want struct {
		warehouse, keyEnv, key, memory, api string
		threads, minCell                    int
	}
	cases := []struct {
		name  string
		job   *Job
		flags Flags
		env   Env
		want  want
	}{
		{"flags win", job, flags, fullEnv, want{"/flag/wh", "MY_KEY", "job-named key", "2GiB", "https://env.example", 8, 3}},
		{"then the environment", job, Flags{}, fullEnv, want{"/env/wh", "MY_KEY", "job-named key", "1GiB", "https://env.example", 8, 10}},
		{"then the job", job, Flags{}, Env{EnvGoMemLimit: "100MiB"}, want{"/jobs/wh", "MY_KEY", "", "runtime", "https://job.example", 2, 10}},
		{"then the defaults", nil, Flags{}, nil, want{DefaultWarehouse, EnvPseudonymKey, "", "", "https://dtmapi.iom.int", 1, 0}},
		{"default key variable", nil, Flags{}, fullEnv, want{"/env/wh", EnvPseudonymKey, "default-named key", "1GiB", "https://env.example", 8, 0}},
		{"a flag given empty is still given", job, Flags{Warehouse: str("")}, fullEnv, want{"", "MY_KEY", "job-named key", "1GiB", "https://env.example", 8, 10}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Resolve(tc.job, tc.flags, tc.env)
			if err != nil {
				t.Fatal(err)
			}
			src := Source{}
			if tc.job != nil {
				src = tc.job.Sources[0]
			}
			got := want{s.Warehouse, s.PseudonymKeyEnv, s.PseudonymKey, s.MemoryLimit, s.APIBaseURL(src), s.Threads, s.MinCell}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
	s, _ := Resolve(nil, Flags{}, fullEnv)
	if s.APIKey != "k" || s.ServeToken != "tok" {
		t.Errorf("keys from the environment: %+v", s)
	}
}

func TestResolveRefusesMalformedValues(t *testing.T) {
	zero := 0
	cases := []struct {
		flags Flags
		env   Env
		msg   string
	}{
		{Flags{}, Env{EnvThreads: "0"}, "DTM_THREADS"},
		{Flags{}, Env{EnvThreads: "lots"}, "DTM_THREADS"},
		{Flags{MinCell: &zero}, nil, "--min-cell must be at least 1"},
	}
	for _, tc := range cases {
		if _, err := Resolve(nil, tc.flags, tc.env); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%+v %v: error %v, want %q", tc.flags, tc.env, err, tc.msg)
		}
	}
	if _, err := Parse([]byte("privacy: {min_cell: -1}\nsources:\n  - {name: a, kind: site_assessment, paths: [x]}\n"), "/jobs"); err == nil || !strings.Contains(err.Error(), "line 1") || !strings.Contains(err.Error(), "min_cell") {
		t.Errorf("negative min_cell: %v", err)
	}
}

func TestEnvFrom(t *testing.T) {
	e := EnvFrom([]string{"A=1", "B=x=y", "A=2", "=bad", "NOVALUE"})
	if e.Get("A") != "2" || e.Get("B") != "x=y" || len(e) != 2 {
		t.Errorf("%v", e)
	}
	var none Env
	if none.Get("A") != "" {
		t.Error("nil Env")
	}
}
