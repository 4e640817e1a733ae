package sinks

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRecoverAtEveryCommitPoint stops a commit at each of its hook points
// (by panicking out of the hook, as a crash would stop it) and checks that
// Recover leaves exactly the files of the manifest on disk.
func TestRecoverAtEveryCommitPoint(t *testing.T) {
	points := []string{"stage:created:0", "commit:staged", "commit:moved:0", "commit:synced", "commit:before-manifest",
		"manifest:temp-written", "commit:after-manifest", "cleanup:removed:0", "cleanup:staging"}
	for _, point := range points {
		t.Run(point, func(t *testing.T) {
			root := t.TempDir()
			txn, _ := Begin(root, "r1")
			old := writePart(t, txn, "k:a", "1")
			txn.PutSource(&Source{Key: "k:a", Dataset: "ds", Hash: "h1", Files: []string{old}})
			if err := txn.Commit(); err != nil {
				t.Fatal(err)
			}
			txn, _ = Begin(root, "r2")
			txn.Hook = func(p string) {
				if p == point {
					panic("crash")
				}
			}
			func() {
				defer func() { recover() }()
				neu := writePart(t, txn, "k:a", "2")
				txn.PutSource(&Source{Key: "k:a", Dataset: "ds", Hash: "h2", Files: []string{neu}})
				txn.Commit()
				t.Fatalf("the hook %s was not called", point)
			}()
			if _, err := Recover(root); err != nil {
				t.Fatal(err)
			}
			m, err := ReadManifest(root)
			if err != nil {
				t.Fatal(err)
			}
			parts := listParts(t, root)
			if len(parts) != 1 || parts[0] != m.Sources["k:a"].Files[0] {
				t.Errorf("after recovery: parts %v, manifest %v", parts, m.Sources["k:a"].Files)
			}
			for _, d := range []string{"_dtm/staging"} {
				if _, err := os.Stat(filepath.Join(root, d)); !os.IsNotExist(err) {
					t.Errorf("%s left: %v", d, err)
				}
			}
			if tmps, _ := filepath.Glob(filepath.Join(root, "_dtm", ".tmp-*")); len(tmps) > 0 {
				t.Errorf("temporary files left: %v", tmps)
			}
		})
	}
}

func TestRecoverRemovesRunTemps(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "_dtm", "runs"), 0o755)
	tmp := filepath.Join(root, "_dtm", "runs", ".tmp-r1.json-123")
	keep := filepath.Join(root, "_dtm", "runs", "r0.json")
	os.WriteFile(tmp, []byte("{"), 0o644)
	os.WriteFile(keep, []byte("{}"), 0o644)
	var hooks []string
	if _, err := RecoverHook(root, func(p string) { hooks = append(hooks, p) }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Error("temporary run document left")
	}
	if _, err := os.Stat(keep); err != nil {
		t.Error("a run document was removed")
	}
	if len(hooks) != 2 || hooks[0] != "recover:staging" || hooks[1] != "recover:tmp" {
		t.Errorf("hooks %v", hooks)
	}
}
