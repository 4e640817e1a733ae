package transform

import (
	"regexp"
	"strconv"
	"strings"
)

// FlowAge is an age as published: an exact age in years, or a band
// [Min, Max] (Max -1 for an open band such as 60+).
type FlowAge struct {
	Exact    bool
	Years    int
	Min, Max int
}

// maxFlowAge is the oldest plausible exact age.
const maxFlowAge = 120

var (
	flowAgeRange = regexp.MustCompile(`^(\d{1,3})\s*(?:-|–|to|a|à|y|and)\s*(\d{1,3})(?:\s*(?:ans|años|anos|years|yrs|y))?$`)
	flowAgePlus  = regexp.MustCompile(`^(?:(\d{1,3})\s*(?:\+|ans et plus|años y mas|and over|and above|or more|plus|et plus|y mas|y más)|(?:>=|≥|over|plus de|mas de|más de|above)\s*(\d{1,3}))(?:\s*(?:ans|años|anos|years|yrs))?$`)
	flowAgeUnder = regexp.MustCompile(`^(?:<|under|below|less than|moins de|menos de|menores de|menor de)\s*(\d{1,3})(?:\s*(?:ans|años|anos|years|yrs))?$`)
	flowAgeChild = newFlowSynonyms(map[string]string{
		"child": "child|children|minor|minors|kid|kids|enfant|enfants|mineur|mineurs|mineure|mineures|nino|niños|ninos|niñas|menor|menores|nna",
		"adult": "adult|adults|adulte|adultes|adulto|adultos|adulta|adultas|mayor|mayores|mayores de edad",
	})
)

// ParseFlowAge reads an exact age ("34", "34 ans", "34.0") or an age band
// ("18+", "under 18", "moins de 18 ans", "0-17", "adults", "enfants",
// "menores"). ok is false for text that is neither (and for ages above 120).
func ParseFlowAge(raw string) (FlowAge, bool) {
	s := strings.ToLower(strings.Join(strings.Fields(raw), " "))
	if s == "" {
		return FlowAge{}, false
	}
	num := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(s, "ans"), "años"), "years"))
	num = strings.TrimSuffix(num, ".0")
	if n, err := strconv.Atoi(num); err == nil {
		if n < 0 || n > maxFlowAge {
			return FlowAge{}, false
		}
		return FlowAge{Exact: true, Years: n, Min: n, Max: n}, true
	}
	if m := flowAgeRange.FindStringSubmatch(s); m != nil {
		lo, _ := strconv.Atoi(m[1])
		hi, _ := strconv.Atoi(m[2])
		if lo > hi || hi > maxFlowAge {
			return FlowAge{}, false
		}
		return FlowAge{Min: lo, Max: hi}, true
	}
	if m := flowAgePlus.FindStringSubmatch(s); m != nil {
		d := m[1] + m[2]
		lo, _ := strconv.Atoi(d)
		if strings.HasPrefix(s, "over") || strings.HasPrefix(s, "plus de") || strings.HasPrefix(s, "mas de") || strings.HasPrefix(s, "más de") || strings.HasPrefix(s, "above") {
			lo++
		}
		if lo > maxFlowAge {
			return FlowAge{}, false
		}
		return FlowAge{Min: lo, Max: -1}, true
	}
	if m := flowAgeUnder.FindStringSubmatch(s); m != nil {
		hi, _ := strconv.Atoi(m[1])
		if hi <= 0 {
			return FlowAge{}, false
		}
		return FlowAge{Min: 0, Max: hi - 1}, true
	}
	switch c, _ := flowAgeChild.lookup(s); c {
	case "child":
		return FlowAge{Min: 0, Max: 17}, true
	case "adult":
		return FlowAge{Min: 18, Max: -1}, true
	}
	return FlowAge{}, false
}

// AgeGroup returns "0-17" or "18+" when the age (or the whole band) falls
// in one of them.
func (a FlowAge) AgeGroup() (string, bool) {
	switch {
	case a.Max >= 0 && a.Max < 18:
		return "0-17", true
	case a.Min >= 18:
		return "18+", true
	}
	return "", false
}

var flowAgeBandBounds = []struct {
	lo, hi int
	name   string
}{{0, 17, "0-17"}, {18, 24, "18-24"}, {25, 34, "25-34"}, {35, 44, "35-44"}, {45, 59, "45-59"}, {60, -1, "60+"}}

// AgeBand returns the survey age band (0-17, 18-24, 25-34, 35-44, 45-59,
// 60+) holding the age or the whole published band.
func (a FlowAge) AgeBand() (string, bool) {
	for _, b := range flowAgeBandBounds {
		if a.Min < b.lo {
			continue
		}
		if b.hi < 0 || (a.Max >= 0 && a.Max <= b.hi) {
			return b.name, true
		}
	}
	return "", false
}
