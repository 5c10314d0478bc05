package render

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestPanelsEachToItsScale: times to detect of minutes and to resolve of
// days are drawn each in a panel whose top is its own largest value, so
// that the minutes are not flattened at the foot of a scale of days.
func TestPanelsEachToItsScale(t *testing.T) {
	quarters := []string{"2024-Q1", "2024-Q2", "2024-Q3"}
	chart := string(panelChart("Times", quarters, []series{
		{class: "s-detect", name: "Detect", values: []int{12, 30, 20}},
		{class: "s-resolve", name: "Resolve", values: []int{600, 13000, 900}},
	}, inMinutes))
	panels := strings.Split(chart, "<g ")[1:]
	if len(panels) != 2 {
		t.Fatalf("%d panels, want 2: %s", len(panels), chart)
	}
	for k, want := range []struct{ name, top string }{{"Detect", "30 min"}, {"Resolve", "13000 min"}} {
		if !strings.Contains(chart, ">"+want.name+"</text>") || !strings.Contains(panels[k], ">"+want.top+"</text>") {
			t.Errorf("panel %d: not named %q or its top not %q: %s", k, want.name, want.top, panels[k])
		}
	}
	// The highest point of each panel is at the top of its plot.
	for k, p := range panels {
		ys := regexp.MustCompile(`cy="([0-9.]+)"`).FindAllStringSubmatch(p, -1)
		if len(ys) != 3 {
			t.Fatalf("panel %d: %d points, want 3", k, len(ys))
		}
		if ys[1][1] != "16.0" {
			t.Errorf("panel %d: its largest value drawn at y=%s, not at the top (16)", k, ys[1][1])
		}
		// 12 minutes of a top of 30 are 0.4 of the plot's 106 above its
		// baseline (122); on the scale of 13,000 they would be on it.
		if low, _ := strconv.ParseFloat(ys[0][1], 64); k == 0 && low != 79.6 {
			t.Errorf("the first panel draws its 12 minutes at y=%.1f, want 79.6", low)
		}
	}
}

// TestLinesToldApartWithoutColour: the lines of a chart by severity differ
// in the shape of their points and in their dashes, and the legend shows
// each shape, so that a reader who cannot tell the colours apart can.
func TestLinesToldApartWithoutColour(t *testing.T) {
	var ss []series
	for k := range 6 { // five levels and none
		ss = append(ss, series{class: severityClass(k + 1), name: "SEV" + strconv.Itoa(k+1), values: []int{10, 20}, mark: severityMark(k + 1)})
	}
	ss[5].class, ss[5].mark = "s-none", severityMark(0)
	chart := string(lineChart("Resolve", []string{"2024-Q1", "2024-Q2"}, ss, inMinutes))
	seen := map[string]bool{}
	for k, s := range ss {
		point := regexp.MustCompile(`<(circle|rect|polygon) class="` + s.class + `"[^>]*><title>2024-Q1 `).FindStringSubmatch(chart)
		line := regexp.MustCompile(`<polyline class="` + s.class + `"[^>]*>`).FindString(chart)
		if point == nil || line == "" {
			t.Fatalf("series %d: no point or no line: %s", k, chart)
		}
		shape := point[1] + regexp.MustCompile(`stroke-dasharray="[^"]*"`).FindString(line)
		if seen[shape] {
			t.Errorf("series %d drawn as another (%s)", k, shape)
		}
		seen[shape] = true
		if !regexp.MustCompile(`<` + point[1] + ` class="` + s.class + `"[^>]*></` + point[1] + `><text class="tick"[^>]*>` + s.name + `</text>`).MatchString(chart) {
			t.Errorf("the legend of %s has no %s", s.name, point[1])
		}
	}
}

// inMinutes writes a chart's values, minutes.
func inMinutes(m int) string { return strconv.Itoa(m) + " min" }

// TestSeverityKeepsItsMark: a level's line has the same mark in a chart
// without the levels above it, as it has the same colour.
func TestSeverityKeepsItsMark(t *testing.T) {
	shape := func(ss []series, class string) string {
		chart := string(lineChart("t", []string{"Q1", "Q2"}, ss, inMinutes))
		m := regexp.MustCompile(`<(circle|rect|polygon) class="` + class + `"[^>]*><title>Q1`).FindStringSubmatch(chart)
		line := regexp.MustCompile(`<polyline class="` + class + `"[^>]*>`).FindString(chart)
		if m == nil {
			t.Fatalf("no point of %s: %s", class, chart)
		}
		return m[1] + " " + regexp.MustCompile(`stroke-dasharray="[^"]*"`).FindString(line)
	}
	level := func(rank int) series {
		return series{class: severityClass(rank), name: "L" + strconv.Itoa(rank), values: []int{5, 9}, mark: severityMark(rank)}
	}
	all := shape([]series{level(1), level(2), level(3), level(4)}, "s-sev4")
	without := shape([]series{level(1), level(2), level(4)}, "s-sev4")
	if all != without {
		t.Errorf("the fourth level is drawn %q beside the third and %q without it", all, without)
	}
}
