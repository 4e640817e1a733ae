package transform

import (
	"fmt"
	"github.com/iom-dtm/dtm/transform/cast"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// FlowPeriod is a counted period: its first and last day and its type
// (day, week, month or range).
type FlowPeriod struct {
	Start, End time.Time
	Type       string
}

var flowISOWeek = regexp.MustCompile(`^(?i)(\d{4})\s*-?\s*(?:w|s|sem|semaine|semana|week)\s*(\d{1,2})$|^(?i)(?:w|s|sem|semaine|semana|week)\s*(\d{1,2})\s*[-/ ,]\s*(\d{4})$`)

// ParseFlowPeriod reads a date or period cell: everything cast.ParseDate reads
// (a date gives a day, a month a month, a range a range) plus ISO weeks
// ("2023-W03", "W03 2023", "S03-2023", "semaine 3 2023"). missing is true for
// missing-value tokens; err has the codes of cast.ParseDate.
func ParseFlowPeriod(raw string) (p FlowPeriod, missing bool, err error) {
	s := strings.TrimSpace(raw)
	if m := flowISOWeek.FindStringSubmatch(s); m != nil {
		y, w := m[1], m[2]
		if y == "" {
			y, w = m[4], m[3]
		}
		yi, _ := strconv.Atoi(y)
		wi, _ := strconv.Atoi(w)
		start, ok := isoWeekStart(yi, wi)
		if !ok {
			return p, false, cast.TypeErrorf("%q: week %d does not exist in %d", raw, wi, yi)
		}
		return FlowPeriod{Start: start, End: start.AddDate(0, 0, 6), Type: "week"}, false, nil
	}
	start, end, missing, err := cast.ParseDate(s)
	if err != nil || missing {
		return p, missing, err
	}
	return FlowPeriod{Start: start, End: end, Type: periodType(start, end)}, false, nil
}

// isoWeekStart returns the Monday of ISO week w of year y.
func isoWeekStart(y, w int) (time.Time, bool) {
	if y < cast.MinYear || y > cast.MaxYear || w < 1 || w > 53 {
		return time.Time{}, false
	}
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	wd := int(jan4.Weekday()+6) % 7 // Monday = 0
	start := jan4.AddDate(0, 0, -wd+7*(w-1))
	if _, iw := start.ISOWeek(); iw != w {
		return time.Time{}, false
	}
	return start, true
}

// periodType names the span start..end.
func periodType(start, end time.Time) string {
	switch {
	case start.Equal(end):
		return "day"
	case start.Day() == 1 && end.Equal(start.AddDate(0, 1, -1)):
		return "month"
	case end.Sub(start) == 6*24*time.Hour:
		return "week"
	}
	return "range"
}

// WithFrequency widens a single day to the period a frequency names: a
// week of 7 days from the date, or the calendar month of the date. A
// period that is already longer than a day is kept, and an error is
// returned when its type contradicts the frequency.
func (p FlowPeriod) WithFrequency(freq string) (FlowPeriod, error) {
	if freq == "" || freq == p.Type || freq == "range" {
		return p, nil
	}
	if p.Type != "day" {
		return p, fmt.Errorf("the period is a %s but the frequency says %s", p.Type, freq)
	}
	switch freq {
	case "week":
		return FlowPeriod{Start: p.Start, End: p.Start.AddDate(0, 0, 6), Type: "week"}, nil
	case "month":
		first := time.Date(p.Start.Year(), p.Start.Month(), 1, 0, 0, 0, 0, time.UTC)
		return FlowPeriod{Start: first, End: first.AddDate(0, 1, -1), Type: "month"}, nil
	}
	return p, nil
}
