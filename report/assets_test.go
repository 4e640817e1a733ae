package report

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"regexp"
	"testing"
)

// TestVendoredEChartsIsTheRecordedOne: the embedded library is the file
// whose SHA-256 assets/README.md records (npm package echarts, unmodified):
// a changed byte, or an update without updating the record, fails.
func TestVendoredEChartsIsTheRecordedOne(t *testing.T) {
	readme, err := os.ReadFile("assets/README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("SHA-256 is\\s+`([0-9a-f]{64})`").FindSubmatch(readme)
	if m == nil {
		t.Fatal("assets/README.md records no SHA-256")
	}
	sum := sha256.Sum256([]byte(echartsJS))
	if got := hex.EncodeToString(sum[:]); got != string(m[1]) {
		t.Errorf("embedded echarts.common.min.js has SHA-256 %s, README records %s", got, m[1])
	}
}
