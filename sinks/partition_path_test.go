package sinks

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	_ "github.com/duckdb/duckdb-go/v2" // DuckDB's hive decoding reads the values back
)

// hostilePartitionValues are values that try to leave or confuse their
// partition directory.
var hostilePartitionValues = []string{
	"", "../../x", "..", ".", "/", "//", "/etc/passwd", "a/../../b", `..\..\x`, `C:\x`, ":", "C:",
	HiveNull, "__hive_default_partition__", "%2F", "%2E%2E", "%", "a=b", "country=SSD", "x\x00y",
	"\n", " ", "~", "~0123456789abcdef", "NUL", "con", "é", "\xff\xfe", "SS01'; DROP TABLE x;--",
	strings.Repeat("a", 300), strings.Repeat("/", 300), strings.Repeat("a", 299) + "b", strings.Repeat("é", 100),
}

// underRoot reports whether rel, joined to root and cleaned, stays a strict
// descendant of root.
func underRoot(root, rel string) bool {
	p := filepath.Clean(filepath.Join(root, rel))
	r, err := filepath.Rel(root, p)
	return err == nil && r != "." && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

// checkEscaped asserts the properties of one escaped value.
func checkEscaped(t *testing.T, v string) string {
	t.Helper()
	e := EscapePartitionValue(v)
	if e == "" || e == "." || e == ".." || len(e) > 255 {
		t.Fatalf("EscapePartitionValue(%q) = %q", v, e)
	}
	for i := 0; i < len(e); i++ {
		c := e[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '%' || c == '_' || c == '~') {
			t.Fatalf("EscapePartitionValue(%q) = %q has byte %q", v, e, c)
		}
	}
	root := filepath.Join(string(filepath.Separator), "wh")
	dir := PartitionDir("site_assessment", v, "round_part", v)
	if !underRoot(root, dir) {
		t.Fatalf("PartitionDir(%q) = %q leaves the root", v, dir)
	}
	if got := filepath.Clean(filepath.Join(root, dir)); got != filepath.Join(root, dir) || strings.Count(dir, "/") != 2 {
		t.Fatalf("PartitionDir(%q) = %q is not three plain levels", v, dir)
	}
	return e
}

func TestEscapePartitionValueHostile(t *testing.T) {
	seen := map[string]string{}
	for _, v := range hostilePartitionValues {
		e := checkEscaped(t, v)
		if prev, dup := seen[e]; dup {
			t.Errorf("%q and %q share the directory %q", prev, v, e)
		}
		seen[e] = v
	}
	if EscapePartitionValue("") != HiveNull || EscapePartitionValue(HiveNull) == HiveNull {
		t.Errorf("empty and literal %s must differ", HiveNull)
	}
}

// TestEscapePartitionValueRandom: for random values (bytes, path pieces,
// long runs) the directory stays under the root and distinct values give
// distinct directories.
func TestEscapePartitionValueRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	pieces := []string{"/", "..", ".", "\\", ":", "%", "~", "_", "=", "a", "Z", "0", "-", "é", "\x00", "\xff", "__HIVE_DEFAULT_PARTITION__", "%2F"}
	seen := map[string]string{}
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		n := rng.Intn(12)
		if i%50 == 0 {
			n = 60 + rng.Intn(200) // long values exercise the cut
		}
		for j := 0; j < n; j++ {
			if rng.Intn(3) == 0 {
				b.WriteByte(byte(rng.Intn(256)))
			} else {
				b.WriteString(pieces[rng.Intn(len(pieces))])
			}
		}
		v := b.String()
		e := checkEscaped(t, v)
		if prev, dup := seen[e]; dup && prev != v {
			t.Fatalf("%q and %q share the directory %q", prev, v, e)
		}
		seen[e] = v
	}
}

// TestEscapePartitionValueLongDistinct: values that differ only after the
// cut keep distinct directories, and the cut never splits an escape.
func TestEscapePartitionValueLongDistinct(t *testing.T) {
	for pad := 0; pad < 3; pad++ {
		base := strings.Repeat("a", pad) + strings.Repeat("/", 100)
		a, b := EscapePartitionValue(base+"x"), EscapePartitionValue(base+"y")
		if a == b {
			t.Fatalf("pad %d: long values collide: %q", pad, a)
		}
		head, _, ok := strings.Cut(a, "~")
		if !ok {
			t.Fatalf("pad %d: long value not marked as cut: %q", pad, a)
		}
		if i := strings.LastIndexByte(head, '%'); i >= 0 && i+3 > len(head) {
			t.Fatalf("pad %d: cut splits an escape: %q", pad, head)
		}
	}
}

func FuzzEscapePartitionValue(f *testing.F) {
	for _, v := range hostilePartitionValues {
		f.Add(v, "x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ea := checkEscaped(t, a)
		if a != b && ea == EscapePartitionValue(b) {
			t.Fatalf("%q and %q share the directory %q", a, b, ea)
		}
	})
}

// TestPartitionValuesReadBackThroughDuckDB writes one Parquet file per
// hostile value into its escaped directory and reads the warehouse back
// with DuckDB's hive partitioning: each value (except cut ones) decodes to
// itself, and nothing lands outside the root.
func TestPartitionValuesReadBackThroughDuckDB(t *testing.T) {
	root := t.TempDir()
	wh := filepath.Join(root, "wh")
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	want := map[int]string{}
	for i, v := range hostilePartitionValues {
		if v == "" || !utf8.ValidString(v) || strings.ContainsRune(v, 0) || len(EscapePartitionValue(v)) > maxEscaped-17 && strings.Contains(EscapePartitionValue(v), "~") {
			continue // NULL, non-text or cut values do not read back as themselves
		}
		dir := filepath.Join(wh, "ds", "v="+EscapePartitionValue(v))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "part.parquet")
		if _, err := db.ExecContext(ctx, fmt.Sprintf("COPY (SELECT %d AS id) TO '%s' (FORMAT parquet)", i, strings.ReplaceAll(file, "'", "''"))); err != nil {
			t.Fatal(err)
		}
		want[i] = v
	}
	rows, err := db.QueryContext(ctx, fmt.Sprintf("SELECT id, v FROM read_parquet('%s/ds/*/*.parquet', hive_partitioning = true, hive_types_autocast = false)", wh))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := 0
	for rows.Next() {
		var id int
		var v sql.NullString
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		got++
		if v.String != want[id] {
			t.Errorf("value %q read back as %q (directory %q)", want[id], v.String, EscapePartitionValue(want[id]))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if got != len(want) {
		t.Errorf("read %d rows, wrote %d", got, len(want))
	}
	ents, _ := os.ReadDir(root)
	if len(ents) != 1 {
		t.Errorf("files created beside the warehouse: %d entries in its parent", len(ents))
	}
}
