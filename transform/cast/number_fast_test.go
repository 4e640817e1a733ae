package cast

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// checkFastThousands fails when fastThousands reads s otherwise than
// ParseInt's general path (parseIntSlow) does.
func checkFastThousands(t *testing.T, s string) {
	t.Helper()
	v, ok := fastThousands(s)
	if !ok {
		return
	}
	want, missing, err := parseIntSlow(Trim(s))
	if err != nil || missing || want != v {
		t.Fatalf("fastThousands(%q) = %d; the general path gives %d, missing %v, %v", s, v, want, missing, err)
	}
}

func TestFastThousandsMatchesNormalize(t *testing.T) {
	for _, s := range []string{"1,234", "12,345", "123,456", "1,234,567", "999,999,999,999,999,999",
		"100,000", "1,000,000,000,000,000", "0,123", "01,234", "1,23", "1,2345", "1234,567", ",123", "1,234,",
		"1,,234", "1,234.5", "1.234", "-1,234", "+1,234", " 1,234", "1,234 ", "1,234,56", "12,34,567", "1,a34",
		"9,223,372,036,854,775,807", "999,999,999,999,999,999,9", "１,234", "1,234\u00a0"} {
		checkFastThousands(t, s)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "0123456789,,,.- "
	for range 200_000 {
		b := make([]byte, 1+rng.IntN(24))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		checkFastThousands(t, string(b))
	}
	for range 50_000 { // well-formed groupings of every length
		n := rng.Uint64N(1_000_000_000_000_000_000)
		s := thousandsOf(strconv.FormatUint(n, 10))
		if v, ok := fastThousands(s); n >= 1000 && (!ok || uint64(v) != n) {
			t.Fatalf("fastThousands(%q) = %d, %v; want %d", s, v, ok, n)
		}
		checkFastThousands(t, s)
	}
}

// thousandsOf groups a string of digits by three with commas.
func thousandsOf(d string) string {
	var b strings.Builder
	for i := range len(d) {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(d[i])
	}
	return b.String()
}

func FuzzFastThousands(f *testing.F) {
	for _, s := range []string{"1,234", "12,345,678", "0,123", "1,23", "999,999,999,999,999,999", "1,234.0"} {
		f.Add(s)
	}
	f.Fuzz(checkFastThousands)
}
