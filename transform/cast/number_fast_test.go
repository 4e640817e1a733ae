package cast

import (
	"math"
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

// TestFastDecimal: fastDecimal reads what strconv.ParseFloat reads, to the
// bit, for every text it takes (random decimals of up to 15 digits, signs,
// zeros, the largest and smallest), and takes no other text.
func TestFastDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var texts []string
	for range 200_000 {
		digits := 1 + rng.IntN(16)
		b := make([]byte, 0, 20)
		if rng.IntN(4) == 0 {
			b = append(b, '-')
		}
		dot := rng.IntN(digits + 1)
		for i := range digits {
			if i == dot && i > 0 {
				b = append(b, '.')
			}
			b = append(b, byte('0'+rng.IntN(10)))
		}
		texts = append(texts, string(b))
	}
	texts = append(texts, "0", "-0", "-0.0", "0.000000000000001", "999999999999999", "99999999.9999999",
		"9999999999999999", "1.", ".5", "-", "", ".", "1..2", "1.2.3", "+1.5", "1e5", "1,5", " 1.5", "12a", "--1", "1-2")
	for _, s := range texts {
		got, ok := fastDecimal(s)
		want, err := strconv.ParseFloat(s, 64)
		digits := 0
		for _, c := range s {
			if c >= '0' && c <= '9' {
				digits++
			}
		}
		plain := digits > 0 && digits <= 15 && s != "" && s[len(s)-1] != '.' && strings.Trim(s, "-") == strings.TrimLeft(s, "-") &&
			strings.Count(s, ".") <= 1 && strings.Count(s, "-") <= 1 && strings.Trim(strings.TrimPrefix(s, "-"), "0123456789.") == "" &&
			!strings.HasPrefix(strings.TrimPrefix(s, "-"), ".")
		if ok != plain {
			t.Errorf("fastDecimal(%q) ok = %v, want %v", s, ok, plain)
			continue
		}
		if ok && (err != nil || math.Float64bits(got) != math.Float64bits(want)) {
			t.Errorf("fastDecimal(%q) = %v (%x), strconv %v (%x), %v", s, got, math.Float64bits(got), want, math.Float64bits(want), err)
		}
	}
}
