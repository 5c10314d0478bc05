package render

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// Charts are drawn at build time as inline SVG: no script, no library. Each
// has role="img" and a <title>, and its colours come from classes that the
// theme's style sheet sets (.chart .s-sev1, ...), so that they follow dark
// mode and print. Every chart is shown beside a table of its numbers.

// series is one row of values of a chart, drawn with a class; in a line
// chart, its points with marks[mark].
type series struct {
	class, name string
	values      []int
	mark        int
}

const (
	chartWidth  = 640
	chartHeight = 220
	chartPad    = 28 // room for the axis labels
)

// svgOpen starts a chart of the given size with its title.
func svgOpen(b *strings.Builder, class, title string, w, h int) {
	fmt.Fprintf(b, `<svg class="chart %s" role="img" viewBox="0 0 %d %d" width="%d" height="%d" preserveAspectRatio="xMinYMin meet"><title>%s</title>`,
		class, w, h, w, h, template.HTMLEscapeString(title))
}

// maxOf is the largest total of the stacked values at any position, at least 1.
func maxOf(ss []series, stacked bool) int {
	m := 1
	if len(ss) == 0 {
		return m
	}
	for i := range ss[0].values {
		t := 0
		for _, s := range ss {
			if stacked {
				t += s.values[i]
			} else {
				t = max(t, s.values[i])
			}
		}
		m = max(m, t)
	}
	return m
}

// axes draws the baseline, the largest value at the top left, and the
// first and last labels under the ends.
func axes(b *strings.Builder, labels []string, top string, w, h int) {
	fmt.Fprintf(b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`, chartPad, h-chartPad, w, h-chartPad)
	fmt.Fprintf(b, `<line class="axis" x1="%d" y1="16" x2="%d" y2="16"/>`, chartPad, w)
	fmt.Fprintf(b, `<text class="tick" x="%d" y="12">%s</text>`, chartPad, template.HTMLEscapeString(top))
	if len(labels) > 0 {
		fmt.Fprintf(b, `<text class="tick" x="%d" y="%d">%s</text>`, chartPad, h-8, template.HTMLEscapeString(labels[0]))
	}
	if len(labels) > 1 {
		fmt.Fprintf(b, `<text class="tick" x="%d" y="%d" text-anchor="end">%s</text>`, w, h-8, template.HTMLEscapeString(labels[len(labels)-1]))
	}
}

// columnChart draws one column per label, its series stacked, with a
// tooltip title per segment and a legend of the named series.
func columnChart(title string, labels []string, ss []series, format func(int) string) template.HTML {
	var b strings.Builder
	w, h := chartWidth, chartHeight
	svgOpen(&b, "columns", title, w, h)
	top := maxOf(ss, true)
	axes(&b, labels, format(top), w, h)
	plot := float64(h - chartPad - 16)
	step := float64(w-chartPad) / float64(max(len(labels), 1))
	bar := max(step*0.8, 1)
	for i, label := range labels {
		base := float64(h - chartPad)
		for _, s := range ss {
			v := s.values[i]
			if v == 0 {
				continue
			}
			height := plot * float64(v) / float64(top)
			base -= height
			name := label
			if s.name != "" {
				name += " " + s.name
			}
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %s</title></rect>`,
				s.class, float64(chartPad)+float64(i)*step+(step-bar)/2, base, bar, height, template.HTMLEscapeString(name), template.HTMLEscapeString(format(v)))
		}
	}
	legend(&b, ss, h, false)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// lineChart draws one line per series over the labels; a zero is a
// missing value, which breaks the line. Each series has its own marker
// and dashes besides its colour (see marks), so that the lines can be told
// apart without their colours.
func lineChart(title string, labels []string, ss []series, format func(int) string) template.HTML {
	var b strings.Builder
	w, h := chartWidth, chartHeight
	svgOpen(&b, "lines", title, w, h)
	lines(&b, labels, ss, format, 0, h)
	legend(&b, ss, h, true)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// panelChart draws each series as lineChart would, in a panel of its own
// with its own scale, one above the other, the series' name over its
// panel: times to detect, minutes, are then not flattened under times to
// resolve, days.
func panelChart(title string, labels []string, ss []series, format func(int) string) template.HTML {
	var b strings.Builder
	const panel = 150 // each panel's height, its name and its labels included
	w, h := chartWidth, panel*max(len(ss), 1)
	svgOpen(&b, "lines panels", title, w, h)
	for k, s := range ss {
		top := k * panel
		fmt.Fprintf(&b, `<text class="tick panel-name" x="%d" y="%d" text-anchor="end">%s</text>`, w, top+12, template.HTMLEscapeString(s.name))
		lines(&b, labels, []series{s}, format, top, panel)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// lines draws the axes and a line per series in the band of height h
// from y = top down.
func lines(b *strings.Builder, labels []string, ss []series, format func(int) string, top, h int) {
	highest := maxOf(ss, false)
	fmt.Fprintf(b, `<g transform="translate(0 %d)">`, top)
	axes(b, labels, format(highest), chartWidth, h)
	plot := float64(h - chartPad - 16)
	step := float64(chartWidth-chartPad) / float64(max(len(labels), 1))
	for _, s := range ss {
		mark := marks[s.mark%len(marks)]
		var pts []string
		flush := func() {
			if len(pts) > 1 {
				fmt.Fprintf(b, `<polyline class="%s" points="%s"%s/>`, s.class, strings.Join(pts, " "), mark.dashes)
			}
			pts = pts[:0]
		}
		for i, v := range s.values {
			if v == 0 {
				flush()
				continue
			}
			x := float64(chartPad) + float64(i)*step + step/2
			y := float64(h-chartPad) - plot*float64(v)/float64(highest)
			pts = append(pts, strconv.FormatFloat(x, 'f', 1, 64)+","+strconv.FormatFloat(y, 'f', 1, 64))
			b.WriteString(mark.at(s.class, x, y, 3.5))
			fmt.Fprintf(b, `<title>%s %s: %s</title></%s>`,
				template.HTMLEscapeString(labels[i]), template.HTMLEscapeString(s.name), template.HTMLEscapeString(format(v)), mark.tag)
		}
		flush()
	}
	b.WriteString(`</g>`)
}

// mark is how a line chart draws the points of one series: a shape, and
// the dashes of its line.
type mark struct {
	tag    string // the element of a point: circle, rect or polygon
	dashes string // the attribute of its line's dashes, if any
	// points, for a polygon: its corners around its centre, of radius 1
	points [][2]float64
}

// marks are the marks of the series of a line chart, in order: six, as
// many as five levels of severity and none.
var marks = []mark{
	{tag: "circle"},
	{tag: "rect", dashes: ` stroke-dasharray="6 3"`},
	{tag: "polygon", dashes: ` stroke-dasharray="2 3"`, points: [][2]float64{{0, -1.3}, {1.2, 0.9}, {-1.2, 0.9}}},
	{tag: "polygon", dashes: ` stroke-dasharray="8 3 2 3"`, points: [][2]float64{{0, -1.35}, {1.35, 0}, {0, 1.35}, {-1.35, 0}}},
	{tag: "polygon", dashes: ` stroke-dasharray="12 4"`, points: [][2]float64{{0, 1.3}, {1.2, -0.9}, {-1.2, -0.9}}},
	{tag: "polygon", dashes: ` stroke-dasharray="1 3"`, points: [][2]float64{
		{-0.4, -1.2}, {0.4, -1.2}, {0.4, -0.4}, {1.2, -0.4}, {1.2, 0.4}, {0.4, 0.4},
		{0.4, 1.2}, {-0.4, 1.2}, {-0.4, 0.4}, {-1.2, 0.4}, {-1.2, -0.4}, {-0.4, -0.4}}},
}

// at opens the element of a point of the class at x, y of radius r; the
// caller adds its title and closes it.
func (m mark) at(class string, x, y, r float64) string {
	switch m.tag {
	case "circle":
		return fmt.Sprintf(`<circle class="%s" cx="%.1f" cy="%.1f" r="%.1f">`, class, x, y, r)
	case "rect":
		return fmt.Sprintf(`<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f">`, class, x-r, y-r, 2*r, 2*r)
	}
	pts := make([]string, len(m.points))
	for i, p := range m.points {
		pts[i] = strconv.FormatFloat(x+r*p[0], 'f', 1, 64) + "," + strconv.FormatFloat(y+r*p[1], 'f', 1, 64)
	}
	return fmt.Sprintf(`<polygon class="%s" points="%s">`, class, strings.Join(pts, " "))
}

// legend names the colour of each named series, under the plot between
// the end labels, with the mark of its points in a line chart.
func legend(b *strings.Builder, ss []series, h int, marked bool) {
	x := chartPad + 90
	for _, s := range ss {
		if s.name == "" {
			continue
		}
		if m := marks[s.mark%len(marks)]; marked {
			b.WriteString(m.at(s.class, float64(x+5), float64(h-12), 5))
			b.WriteString("</" + m.tag + ">")
		} else {
			fmt.Fprintf(b, `<rect class="%s" x="%d" y="%d" width="10" height="10"/>`, s.class, x, h-17)
		}
		fmt.Fprintf(b, `<text class="tick" x="%d" y="%d">%s</text>`, x+14, h-8, template.HTMLEscapeString(s.name))
		x += 14 + 8*len(s.name) + 16
	}
}

// barChart draws one horizontal bar per name, longest first as given.
func barChart(title string, names []string, values []int, format func(int) string) template.HTML {
	var b strings.Builder
	const row, label = 22, 200
	w, h := chartWidth, row*max(len(names), 1)+4
	svgOpen(&b, "bars", title, w, h)
	top := 1
	for _, v := range values {
		top = max(top, v)
	}
	for i, name := range names {
		y := 2 + i*row
		length := float64(w-label-80) * float64(values[i]) / float64(top)
		shown := name
		if r := []rune(name); len(r) > 28 {
			shown = string(r[:27]) + "…"
		}
		fmt.Fprintf(&b, `<text class="tick" x="%d" y="%d" text-anchor="end">%s</text>`, label-6, y+15, template.HTMLEscapeString(shown))
		fmt.Fprintf(&b, `<rect class="s-bar" x="%d" y="%d" width="%.1f" height="%d"><title>%s: %s</title></rect>`,
			label, y+3, max(length, 1), row-6, template.HTMLEscapeString(name), template.HTMLEscapeString(format(values[i])))
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%d">%s</text>`, float64(label)+max(length, 1)+6, y+15, template.HTMLEscapeString(format(values[i])))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// sparkline draws counts as a small line without axes.
func sparkline(title string, values []int) template.HTML {
	var b strings.Builder
	const w, h = 160, 32
	svgOpen(&b, "spark", title, w, h)
	top := 1
	for _, v := range values {
		top = max(top, v)
	}
	pts := make([]string, len(values))
	for i, v := range values {
		x := 2.0
		if len(values) > 1 {
			x += float64(w-4) * float64(i) / float64(len(values)-1)
		}
		pts[i] = strconv.FormatFloat(x, 'f', 1, 64) + "," + strconv.FormatFloat(float64(h-2)-float64(h-4)*float64(v)/float64(top), 'f', 1, 64)
	}
	if len(pts) == 1 {
		pts = append(pts, strconv.Itoa(w-2)+pts[0][strings.IndexByte(pts[0], ','):])
	}
	fmt.Fprintf(&b, `<polyline class="s-line" points="%s"/></svg>`, strings.Join(pts, " "))
	return template.HTML(b.String())
}

// severityMark is the mark of a severity level's line by its rank, as
// severityClass is its colour: the same level has the same mark whatever
// levels a chart shows.
func severityMark(rank int) int {
	if rank <= 0 {
		return 5
	}
	return (rank - 1) % 5
}

// severityClass is the class of a severity level by its rank among the
// site's levels: s-sev1 to s-sev5, again from s-sev1 after five; s-none
// for incidents without a level.
func severityClass(rank int) string {
	if rank <= 0 {
		return "s-none"
	}
	return "s-sev" + strconv.Itoa((rank-1)%5+1)
}
