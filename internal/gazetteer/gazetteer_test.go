package gazetteer

import (
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/transform"
)

func TestRead(t *testing.T) {
	gz, err := Read(strings.NewReader("\ufeffAdmin_Level,PCode,Name,extra\n1,SS01,Central Equatoria,x\n2, SS0101 ,Juba,\n"), "gz.csv")
	if err != nil {
		t.Fatal(err)
	}
	if got := gz[transform.GazetteerKey(2, "SS0101")]; got != "Juba" {
		t.Errorf("SS0101 = %q, want Juba", got)
	}
	if len(gz) != 2 {
		t.Errorf("%d entries, want 2", len(gz))
	}
}

// TestReadMalformedRowFails: a malformed row anywhere fails the load and
// names its row; the loader used to stop silently at the first one.
func TestReadMalformedRowFails(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"bare quote", "admin_level,pcode,name\n1,SS01,A\n1,SS\"02,B\n1,SS03,C\n", "row 3"},
		{"too few cells", "admin_level,pcode,name\n1,SS01,A\n1\n", "row 3"},
		{"bad level", "admin_level,pcode,name\n1,SS01,A\n1,SS02,B\nseven,SS03,C\n", "row 4"},
		{"level out of range", "admin_level,pcode,name\n9,SS01,A\n", "row 2"},
		{"empty pcode", "admin_level,pcode,name\n1,,A\n", "row 2"},
		{"missing column", "level,pcode,name\n1,SS01,A\n", "needs columns"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), "gz.csv")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one naming %q", err, tc.want)
			}
		})
	}
}

func TestReadParents(t *testing.T) {
	gz, err := Read(strings.NewReader("admin_level,pcode,name,parent_pcode\n1,AA9,North,\n2,AA21,Ward,AA9\n"), "gz.csv")
	if err != nil {
		t.Fatal(err)
	}
	if gz[transform.GazetteerParentKey(2, "AA21")] != "AA9" || gz[transform.GazetteerKey(2, "AA21")] != "Ward" {
		t.Errorf("%v", gz)
	}
	if _, ok := gz[transform.GazetteerParentKey(1, "AA9")]; ok {
		t.Errorf("an empty parent is no parent: %v", gz)
	}
}
