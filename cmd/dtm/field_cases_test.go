package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fieldCasesDir holds one folder per field case (../shared/field_cases,
// copied): the input file and a case.txt with its right values.
var fieldCasesDir = filepath.Join("..", "..", "testdata", "field_cases")

// fieldCase is one case.txt:
//
//	file: INPUT            the input file, beside case.txt
//	kind: KIND             the dataset kind passed to `dtm ingest --kind`
//	flags: ARGS            further ingest flags (space-separated, may be empty)
//	exit: N                the expected ingest exit code (default 0)
//	query: SQL             a query over the warehouse, one value (last row, last column)
//	want: VALUE            its right value; query/want pairs repeat, in order
//	inspect: TEXT          text `dtm inspect --kind KIND FLAGS FILE` must print (repeatable)
//	pending: WHY           the case is known wrong: skipped, with WHY
//
// Lines starting with '#' are comments.
type fieldCase struct {
	file, kind, pending string
	flags               []string
	exit                string
	queries, wants      []string
	inspects            []string
}

func readFieldCase(t *testing.T, path string) fieldCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := fieldCase{exit: "0"}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("%s: line %q has no key", path, line)
		}
		val = strings.TrimSpace(val)
		switch key {
		case "file":
			c.file = val
		case "kind":
			c.kind = val
		case "flags":
			c.flags = strings.Fields(val)
		case "exit":
			c.exit = val
		case "query":
			c.queries = append(c.queries, val)
		case "want":
			c.wants = append(c.wants, val)
		case "inspect":
			c.inspects = append(c.inspects, val)
		case "pending":
			c.pending = val
		default:
			t.Fatalf("%s: unknown key %q", path, key)
		}
	}
	if len(c.queries) != len(c.wants) {
		t.Fatalf("%s: %d queries but %d wants", path, len(c.queries), len(c.wants))
	}
	return c
}

// TestFieldCases ingests every field case through the CLI into a fresh
// warehouse and checks each query's value against its right value.
func TestFieldCases(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(fieldCasesDir, "*", "case.txt"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no field cases under %s (%v)", fieldCasesDir, err)
	}
	for _, path := range dirs {
		dir := filepath.Dir(path)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			c := readFieldCase(t, path)
			if c.pending != "" {
				t.Skipf("pending: %s", c.pending)
			}
			wh := filepath.Join(t.TempDir(), "wh")
			args := append([]string{"--warehouse", wh, "--quiet", "--log-format", "json", "ingest", "--kind", c.kind}, c.flags...)
			args = append(args, filepath.Join(dir, c.file))
			out, errOut, code := runCLI(t, args...)
			if got := strconv.Itoa(code); got != c.exit {
				t.Fatalf("ingest exit %s, want %s\nstdout:\n%s\nstderr:\n%s", got, c.exit, out, errOut)
			}
			if len(c.inspects) > 0 {
				iargs := append([]string{"--warehouse", wh, "inspect", "--kind", c.kind}, c.flags...)
				iout, ierr, icode := runCLI(t, append(iargs, filepath.Join(dir, c.file))...)
				if icode != 0 {
					t.Fatalf("inspect exit %d\n%s%s", icode, iout, ierr)
				}
				for _, want := range c.inspects {
					if !strings.Contains(iout, want) {
						t.Errorf("dtm inspect does not say %q:\n%s", want, iout)
					}
				}
			}
			for i, q := range c.queries {
				qout, qerr, qcode := runCLI(t, "--warehouse", wh, "--quiet", "query", "--format", "csv", q)
				if qcode != 0 {
					t.Fatalf("query %q: exit %d\n%s%s", q, qcode, qout, qerr)
				}
				if got := lastCSVValue(qout); got != c.wants[i] {
					t.Errorf("%s\n got %q, want %q", q, got, c.wants[i])
				}
			}
		})
	}
}

// lastCSVValue returns the last line of a CSV output without quotes and CR,
// as ../shared/field_cases/check.sh reads it.
func lastCSVValue(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\r\n"), "\n")
	return strings.NewReplacer("\"", "", "\r", "").Replace(lines[len(lines)-1])
}
