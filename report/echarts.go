package report

// ECharts options, built as plain maps and marshalled to JSON as they are.
// They hold data only, no functions: report.js adds the number formatters
// (thousands separators, absolute values for pyramids) when it draws.
// Every chart is drawn with the SVG renderer and without animation.

// series is one named series of values along a category axis; a nil
// value is a gap.
type series struct {
	name   string
	values []*float64
}

// val boxes a number for a series.
func val(f float64) *float64 { return &f }

// data is the ECharts data of a series: numbers, "-" for gaps.
func (s series) data() []any {
	out := make([]any, len(s.values))
	for i, v := range s.values {
		if v == nil {
			out[i] = "-"
		} else {
			out[i] = *v
		}
	}
	return out
}

// palette is colour-blind-safe (Okabe-Ito), in series order.
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}

func baseOption() map[string]any {
	return map[string]any{
		"color":     palette,
		"animation": false,
		"textStyle": map[string]any{"fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"},
		"tooltip":   map[string]any{"trigger": "axis", "confine": true},
	}
}

func legend(n int) map[string]any {
	return map[string]any{"show": n > 1, "type": "scroll", "top": 0}
}

// gridFor leaves room for the legend (n series), a y axis name above the
// plot and an x axis name under it (containLabel covers the tick labels
// only).
func gridFor(n int, yName, xName bool) map[string]any {
	top := 16
	if n > 1 || yName {
		top = 40
	}
	if n > 1 && yName {
		top = 56
	}
	bottom := 8
	if xName {
		bottom = 32
	}
	return map[string]any{"left": 16, "right": 32, "top": top, "bottom": bottom, "containLabel": true}
}

// yNameStyle is the style of a value axis name written above a vertical
// axis: left-aligned so that it is not cut at the edge.
var yNameStyle = map[string]any{"align": "left"}

// lineOption draws one line per series over category x values.
func lineOption(x []string, ss []series, xName, yName string) map[string]any {
	o := baseOption()
	o["legend"] = legend(len(ss))
	o["grid"] = gridFor(len(ss), true, true)
	o["xAxis"] = map[string]any{"type": "category", "data": x, "name": xName, "nameLocation": "middle", "nameGap": 28, "boundaryGap": false}
	o["yAxis"] = map[string]any{"type": "value", "name": yName, "nameTextStyle": yNameStyle}
	var out []any
	for _, s := range ss {
		out = append(out, map[string]any{
			"type": "line", "name": s.name, "data": s.data(), "connectNulls": true,
			"symbol": "circle", "symbolSize": 7, "showSymbol": true,
		})
	}
	o["series"] = out
	return o
}

// barOption draws vertical bars (one bar per series at each category),
// stacked when stack is true.
func barOption(x []string, ss []series, yName string, stack bool) map[string]any {
	o := baseOption()
	o["legend"] = legend(len(ss))
	o["grid"] = gridFor(len(ss), true, false)
	o["xAxis"] = map[string]any{"type": "category", "data": x}
	o["yAxis"] = map[string]any{"type": "value", "name": yName, "nameTextStyle": yNameStyle}
	o["series"] = barSeries(ss, stack)
	return o
}

// hbarOption draws horizontal bars, the first category at the top.
func hbarOption(y []string, ss []series, xName string, stack bool) map[string]any {
	o := baseOption()
	o["legend"] = legend(len(ss))
	o["grid"] = gridFor(len(ss), false, true)
	o["yAxis"] = map[string]any{"type": "category", "data": y, "inverse": true,
		"axisLabel": map[string]any{"width": 220, "overflow": "truncate"}}
	o["xAxis"] = map[string]any{"type": "value", "name": xName, "nameLocation": "middle", "nameGap": 28}
	o["series"] = barSeries(ss, stack)
	return o
}

func barSeries(ss []series, stack bool) []any {
	var out []any
	for _, s := range ss {
		m := map[string]any{"type": "bar", "name": s.name, "data": s.data()}
		if stack {
			m["stack"] = "total"
		}
		out = append(out, m)
	}
	return out
}

// hbarHeight is a drawing height that gives each of n categories room.
func hbarHeight(n, seriesCount int) int {
	per := 22
	if seriesCount > 1 {
		per = 14 + 8*min(seriesCount, 4)
	}
	return min(max(160, 60+n*per), 900)
}

// pyramidOption draws a population pyramid: bands bottom (youngest) to top
// (oldest), males to the left as negative values, females to the right.
// report.js shows the values without sign.
func pyramidOption(bands []string, males, females []*float64) map[string]any {
	o := baseOption()
	o["legend"] = legend(2)
	o["grid"] = gridFor(2, false, true)
	o["tooltip"] = map[string]any{"trigger": "axis", "confine": true, "axisPointer": map[string]any{"type": "shadow"}}
	o["yAxis"] = map[string]any{"type": "category", "data": bands, "axisTick": map[string]any{"show": false}}
	o["xAxis"] = map[string]any{"type": "value", "name": "individuals", "nameLocation": "middle", "nameGap": 28}
	neg := make([]*float64, len(males))
	for i, m := range males {
		if m != nil {
			neg[i] = val(-*m)
		}
	}
	o["series"] = []any{
		map[string]any{"type": "bar", "name": "male", "stack": "pyramid", "data": series{values: neg}.data(), "barCategoryGap": "10%"},
		map[string]any{"type": "bar", "name": "female", "stack": "pyramid", "data": series{values: females}.data(), "barCategoryGap": "10%"},
	}
	return o
}

// point is one site on the lon/lat plot.
type point struct {
	lon, lat, size float64
	idps           int64
	name           string
}

// scatterOption plots points on plain longitude/latitude axes (no map
// tiles), one series per group, symbol area proportional to the value.
func scatterOption(groups []string, points [][]point) map[string]any {
	o := baseOption()
	o["legend"] = legend(len(groups))
	o["grid"] = gridFor(len(groups), true, true)
	o["tooltip"] = map[string]any{"trigger": "item", "confine": true}
	o["xAxis"] = map[string]any{"type": "value", "name": "longitude (°)", "nameLocation": "middle", "nameGap": 28, "scale": true}
	o["yAxis"] = map[string]any{"type": "value", "name": "latitude (°)", "scale": true, "nameTextStyle": yNameStyle}
	var out []any
	for i, g := range groups {
		data := make([]any, len(points[i]))
		for j, p := range points[i] {
			data[j] = map[string]any{"name": p.name, "value": []any{p.lon, p.lat, p.idps}, "symbolSize": p.size}
		}
		out = append(out, map[string]any{"type": "scatter", "name": g, "data": data,
			"itemStyle": map[string]any{"opacity": 0.7}})
	}
	o["series"] = out
	return o
}
