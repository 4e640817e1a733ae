package layers

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/iom-dtm/dtm/"

// rank gives each top-level package (first path element) its layer; see doc.go.
var rank = map[string]int{
	"schemas": 0, "ingest": 0,
	"transform": 1, "sinks": 1,
	"query":    2,
	"report":   3,
	"serve":    4,
	"internal": 5,
	"cmd":      6,
}

// TestNoImportOfAHigherLayer parses every non-test Go file of the module and
// fails on an import of a package whose layer is not strictly below the
// importer's (packages of one top-level tree may use each other).
func TestNoImportOfAHigherLayer(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "testdata" || n == "bin" || n == "node_modules") {
				return filepath.SkipDir
			}
			if path != root && isOtherModule(path) {
				return filepath.SkipDir // e.g. third_party/iceberg-go: not this module's code
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		f, perr := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if perr != nil {
			return perr
		}
		from, ok := rank[top(pkg)]
		if !ok {
			t.Errorf("%s: package %s has no layer: give %q a rank in layers_test.go and doc.go", path, pkg, top(pkg))
			return nil
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !strings.HasPrefix(p, module) {
				continue
			}
			dep := strings.TrimPrefix(p, module)
			checked++
			if dep == pkg || strings.HasPrefix(dep, pkg+"/") || strings.HasPrefix(pkg, dep+"/") {
				continue // own subtree or parent
			}
			to, ok := rank[top(dep)]
			if !ok {
				t.Errorf("%s imports %s, which has no layer", path, dep)
				continue
			}
			if top(dep) == top(pkg) {
				continue // within one layer's tree (ingest/formats uses ingest/csv; Go forbids cycles)
			}
			if to >= from {
				t.Errorf("%s (layer %d, %s) imports %s (layer %d): a package may import only lower layers", path, from, top(pkg), dep, to)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("no imports checked: the walk found no source")
	}
}

func top(pkg string) string {
	first, _, _ := strings.Cut(pkg, "/")
	return first
}

// isOtherModule reports whether dir holds a go.mod: a nested module (such as
// the patched library under third_party), whose files are not this module's.
func isOtherModule(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "go.mod"))
	return err == nil
}
