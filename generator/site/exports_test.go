package site

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/export"
	"github.com/postmortem/postmortem/generator/insights"
)

// index is what the export tests read of index.json.
type index struct {
	Postmortems []struct {
		Slug            string               `json:"slug"`
		Title           string               `json:"title"`
		Severity        string               `json:"severity"`
		RootCauses      []string             `json:"root_causes"`
		Services        []string             `json:"services"`
		Started         string               `json:"started"`
		Resolved        string               `json:"resolved"`
		DurationMinutes int                  `json:"duration_minutes"`
		ActionItems     []export.ActionEntry `json:"action_items"`
	} `json:"postmortems"`
}

// readCSV parses a table of the output into rows by column name.
func readCSV(t *testing.T, data []byte) []map[string]string {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range records[1:] {
		m := map[string]string{}
		for i, col := range records[0] {
			m[col] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestExportsAgree builds the example site on a fixed day, and reads
// incidents.csv, incidents.ndjson and action-items.csv back: the same
// incidents in the same order as index.json, with the same slugs,
// durations, root causes, services and action items, overdue alike.
func TestExportsAgree(t *testing.T) {
	res := mustBuild(t, New(os.DirFS("../.."), Options{Now: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}), nil)
	var idx index
	if err := json.Unmarshal(res.Files["index.json"], &idx); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, res.Files["incidents.csv"])
	var lines []export.Incident
	sc := bufio.NewScanner(bytes.NewReader(res.Files["incidents.ndjson"]))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var in export.Incident
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			t.Fatalf("incidents.ndjson line %d: %v", len(lines)+1, err)
		}
		lines = append(lines, in)
	}
	if len(idx.Postmortems) < 10 || len(rows) != len(idx.Postmortems) || len(lines) != len(idx.Postmortems) {
		t.Fatalf("index.json has %d postmortems, incidents.csv %d, incidents.ndjson %d", len(idx.Postmortems), len(rows), len(lines))
	}
	actions := readCSV(t, res.Files["action-items.csv"])
	overdue, k := 0, 0
	for i, p := range idx.Postmortems {
		row, line := rows[i], lines[i]
		if row["slug"] != p.Slug || line.Slug != p.Slug || row["title"] != p.Title || line.Title != p.Title {
			t.Errorf("postmortem %d: index.json %q, incidents.csv %q, incidents.ndjson %q", i, p.Slug, row["slug"], line.Slug)
		}
		// Unknown, the duration is left out of index.json, blank in
		// incidents.csv and null in incidents.ndjson.
		csvWant, ndWant := strconv.Itoa(p.DurationMinutes), &p.DurationMinutes
		if p.Started == "" || p.Resolved == "" {
			csvWant, ndWant = "", nil
		}
		if row["duration_minutes"] != csvWant || (line.DurationMinutes == nil) != (ndWant == nil) || ndWant != nil && *line.DurationMinutes != *ndWant {
			t.Errorf("%s: duration %d in index.json, %q in incidents.csv, %v in incidents.ndjson", p.Slug, p.DurationMinutes, row["duration_minutes"], line.DurationMinutes)
		}
		for _, l := range []struct {
			name    string
			want    []string
			csv, nd string
			ndj     []string
		}{{"root_causes", p.RootCauses, row["root_causes"], "", line.RootCauses}, {"services", p.Services, row["services"], "", line.Services}} {
			if row := strings.Join(l.want, ";"); l.csv != row || !slices.Equal(l.ndj, l.want) {
				t.Errorf("%s: %s %q in index.json, %q in incidents.csv, %q in incidents.ndjson", p.Slug, l.name, l.want, l.csv, l.ndj)
			}
		}
		if row["started"] != p.Started || line.Started != p.Started || row["severity"] != p.Severity {
			t.Errorf("%s: started %q, %q, %q", p.Slug, p.Started, row["started"], line.Started)
		}
		for _, a := range p.ActionItems {
			if k >= len(actions) {
				t.Fatalf("action-items.csv has %d rows, fewer than index.json", len(actions))
			}
			got := actions[k]
			k++
			if got["slug"] != p.Slug || got["postmortem"] != p.Title || got["title"] != a.Title || got["owner"] != a.Owner ||
				got["status"] != a.Status || got["type"] != a.Type || got["due"] != a.Due || got["overdue"] != strconv.FormatBool(a.Overdue) {
				t.Errorf("action-items.csv row %d: %v, want %+v of %s", k, got, a, p.Slug)
			}
			if a.Overdue {
				overdue++
			}
		}
	}
	if k != len(actions) {
		t.Errorf("action-items.csv has %d rows, index.json %d action items", len(actions), k)
	}
	// The example site has items past their due date on 2024-06-01, as
	// the owners' pages of the ledger count them.
	overdueRows := 0
	for p, data := range res.Files {
		if strings.HasPrefix(p, "action-items/owners/") {
			overdueRows += bytes.Count(data, []byte(`<tr class="st-overdue">`))
		}
	}
	if overdue == 0 || overdueRows != overdue {
		t.Errorf("%d overdue items in index.json, %d rows on the owners' pages of the ledger", overdue, overdueRows)
	}
}

const insightsSite = `-- postmortem.yaml --
recurrence_days: 30
-- content/a.md --
---
title: a
date: 2024-01-10
severity: SEV1
started: 2024-01-10T10:00:00Z
detected: 2024-01-10T10:10:00Z
resolved: 2024-01-10T11:00:00Z
root_causes: [dns]
services: [api]
---
-- content/b.md --
---
title: b
date: 2024-02-01
severity: SEV2
started: 2024-02-01T10:00:00Z
detected: 2024-02-01T10:20:00Z
resolved: 2024-02-01T12:00:00Z
root_causes: [dns]
services: [api]
---
-- content/c.md --
---
title: c
date: 2024-05-01
severity: SEV1
started: 2024-05-01T10:00:00Z
resolved: 2024-05-01T10:30:00Z
root_causes: [dns]
services: [api]
---
`

// TestCausesYearByYear: the insights page counts each root cause's
// incidents in each year from the site's first to its last, a year
// without any blank, its total last.
func TestCausesYearByYear(t *testing.T) {
	site := ""
	for i, c := range []struct{ date, causes string }{{"2021-03-01", "dns"}, {"2023-05-01", "dns, capacity"}, {"2023-07-01", "dns"}, {"2024-01-01", "capacity"}} {
		site += fmt.Sprintf("-- content/p%d.md --\n---\ntitle: p%d\ndate: %s\nroot_causes: [%s]\n---\n", i, i, c.date, c.causes)
	}
	res := mustBuild(t, New(siteFS(t, site), Options{}), nil)
	page := string(res.Files["insights.html"])
	_, table, _ := strings.Cut(page, `<table class="by-year">`)
	table, _, _ = strings.Cut(table, "</table>")
	head := `<th scope="col" class="num">2021</th><th scope="col" class="num">2022</th><th scope="col" class="num">2023</th><th scope="col" class="num">2024</th>`
	rows := []string{
		`<a href="root-causes/dns.html">dns</a></th><td class="num">1</td><td class="num"></td><td class="num">2</td><td class="num"></td><td class="num">3</td></tr>`,
		`<a href="root-causes/capacity.html">capacity</a></th><td class="num"></td><td class="num"></td><td class="num">1</td><td class="num">1</td><td class="num">2</td></tr>`,
	}
	for _, want := range append(rows, head) {
		if !strings.Contains(table, want) {
			t.Errorf("the table of root causes by year lacks %s:\n%s", want, table)
		}
	}
	if strings.Index(table, "dns.html") > strings.Index(table, "capacity.html") {
		t.Error("the table of root causes by year does not list the cause of most incidents first")
	}
}

// TestInsightsPage builds three incidents and reads insights.json and the
// pages back: the figures worked out by hand, the recurrence window of
// postmortem.yaml, the charts as images with a title, and a root cause's
// own median.
func TestInsightsPage(t *testing.T) {
	res := mustBuild(t, New(siteFS(t, insightsSite), Options{}), nil)
	var in insights.Insights
	if err := json.Unmarshal(res.Files["insights.json"], &in); err != nil {
		t.Fatal(err)
	}
	// Q1: a and b: detect 10 and 20 -> 15; resolve 60 and 120 -> 90; impact 180.
	// Q2: c: resolve 30, no detect.
	if len(in.Quarters) != 2 || in.Quarters[0].Quarter != "2024-Q1" || in.Quarters[0].Figures != (insights.Figures{Incidents: 2, MedianMinutesToDetect: 15, MedianMinutesToResolve: 90, ImpactMinutes: 180, Detected: 2, Resolved: 2}) ||
		in.Quarters[1].Quarter != "2024-Q2" || in.Quarters[1].Figures != (insights.Figures{Incidents: 1, MedianMinutesToResolve: 30, ImpactMinutes: 30, Resolved: 1}) {
		t.Errorf("quarters: %+v", in.Quarters)
	}
	// b started 22 days after a: within 30. c 90 days after b: not.
	if len(in.Recurrences) != 1 || in.Recurrences[0] != (insights.Recurrence{RootCause: "dns", Service: "api", Slug: "b", Previous: "a", Days: 22}) {
		t.Errorf("recurrences: %+v", in.Recurrences)
	}
	page := string(res.Files["insights.html"])
	charts := strings.Split(page, "<svg ")[1:]
	if len(charts) < 7 {
		t.Errorf("insights.html has %d charts", len(charts))
	}
	for _, c := range charts {
		if open, rest, _ := strings.Cut(c, ">"); !strings.Contains(open, `role="img"`) || !strings.HasPrefix(rest, "<title>") {
			t.Errorf("a chart without role=img and a title first: <svg %.200s", c)
		}
	}
	// The month chart, its columns stacked by severity, says which colour
	// is which.
	if len(charts) > 0 && !regexp.MustCompile(`<rect class="s-sev1" [^>]*/><text class="tick" [^>]*>SEV1</text>`).MatchString(charts[0]) {
		t.Errorf("the month chart has no legend for SEV1: <svg %s", charts[0])
	}
	for _, want := range []string{`href="incidents/b.html"`, `href="incidents/a.html"`, "2024-Q1", "1 h 30 min", "at most 30 days",
		"Impact is the time from started to resolved", "An incident counts whole for each of its root causes"} {
		if !strings.Contains(page, want) {
			t.Errorf("insights.html lacks %s", want)
		}
	}
	// dns: durations 60, 120, 30 -> 60; two incidents in Q1, one in Q2.
	dns := string(res.Files["root-causes/dns.html"])
	if !strings.Contains(dns, "Median time to resolve</dt><dd>1 h") || !strings.Contains(dns, `<th scope="row">2024-Q1</th><td class="num">2</td>`) {
		t.Errorf("root-causes/dns.html lacks its median or its quarters:\n%s", dns)
	}
	// Its chart of quarters has a scale (2 at the top) and says which
	// quarters it runs from and to, and the count of each column.
	_, chart, _ := strings.Cut(dns, `<svg class="chart columns"`)
	chart, _, _ = strings.Cut(chart, "</svg>")
	for _, want := range []string{`<text class="tick" x="28" y="12">2</text>`, ">2024-Q1</text>", ">2024-Q2</text>", "<title>2024-Q1: 2</title>", "<title>2024-Q2: 1</title>"} {
		if !strings.Contains(chart, want) {
			t.Errorf("the chart of root-causes/dns.html lacks %s: %s", want, chart)
		}
	}
}

// TestInsightsWithoutTimes: on a site whose incidents give no times, the
// insights page says so where the medians to detect and to resolve would
// be, rather than drawing charts without a point beside blank tables.
func TestInsightsWithoutTimes(t *testing.T) {
	res := mustBuild(t, New(siteFS(t, `
-- content/a.md --
---
title: a
date: 2022-01-05
root_causes: [dns]
---
-- content/b.md --
---
title: b
date: 2023-04-05
root_causes: [disk]
---
`), Options{}), nil)
	page := string(res.Files["insights.html"])
	if !strings.Contains(page, "No incident gives its start with its detection or its resolution yet") {
		t.Error("insights.html does not say that no incident gives its times")
	}
	if strings.Contains(page, `class="chart lines`) {
		t.Error("insights.html draws charts of times no incident gives")
	}
}

// TestInsightsUnknownImpact builds an incident without its times beside
// one with them: the insights page leaves its impact and median blank,
// as unknown, rather than showing 0 min.
func TestInsightsUnknownImpact(t *testing.T) {
	res := mustBuild(t, New(siteFS(t, `
-- content/a.md --
---
title: a
date: 2024-01-05
started: 2024-01-05T10:00:00Z
resolved: 2024-01-05T11:00:00Z
root_causes: [dns]
services: [api]
---
-- content/b.md --
---
title: b
date: 2024-04-05
root_causes: [disk]
services: [db]
---
`), Options{}), nil)
	var in insights.Insights
	if err := json.Unmarshal(res.Files["insights.json"], &in); err != nil {
		t.Fatal(err)
	}
	for _, term := range in.RootCauses {
		if want := map[string]int{"dns": 1, "disk": 0}[term.Name]; term.Resolved != want {
			t.Errorf("root cause %s: resolved %d, want %d", term.Name, term.Resolved, want)
		}
	}
	page := string(res.Files["insights.html"])
	if strings.Contains(page, "0 min") {
		t.Errorf("insights.html shows an unknown impact as 0 min")
	}
	for _, want := range []string{
		`<th scope="row">2024-Q2</th><td class="num">1</td><td class="num"></td>`,
		`<a href="root-causes/disk.html">disk</a></th><td class="num">1</td><td class="num"></td><td class="num"></td>`,
		`<a href="root-causes/dns.html">dns</a></th><td class="num">1</td><td class="num">1 h</td><td class="num">1 h</td>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("insights.html lacks %s", want)
		}
	}
}

// TestExportsUnknownMinutes: the minutes to a time not known are a blank
// cell of incidents.csv and null in incidents.ndjson, which a spreadsheet
// or a script leaves out of an average; index.json leaves it out.
func TestExportsUnknownMinutes(t *testing.T) {
	res := mustBuild(t, New(siteFS(t, `
-- content/a.md --
---
title: a
date: 2024-01-05
started: 2024-01-05T10:00:00Z
detected: 2024-01-05T10:20:00Z
root_causes: [dns]
---
`), Options{}), nil)
	row := readCSV(t, res.Files["incidents.csv"])[0]
	for col, want := range map[string]string{"duration_minutes": "", "minutes_to_detect": "20", "minutes_to_mitigate": "", "minutes_to_resolve": ""} {
		if row[col] != want {
			t.Errorf("incidents.csv: %s %q, want %q", col, row[col], want)
		}
	}
	line := string(res.Files["incidents.ndjson"])
	for _, want := range []string{`"duration_minutes":null`, `"minutes_to_detect":20`, `"minutes_to_acknowledge":null`} {
		if !strings.Contains(line, want) {
			t.Errorf("incidents.ndjson lacks %s:\n%s", want, line)
		}
	}
	if strings.Contains(string(res.Files["index.json"]), `"duration_minutes"`) {
		t.Errorf("index.json gives an unknown duration")
	}
}

// TestFiguresSayWhatTheyAreOver: a root cause's median and impact, and the
// home page's, over only some of its incidents say how many. An incident
// resolved as it started is measured, at zero minutes, in the figures and
// the exports alike.
func TestFiguresSayWhatTheyAreOver(t *testing.T) {
	res := mustBuild(t, New(siteFS(t, `
-- content/a.md --
---
title: a
date: 2024-01-05
started: 2024-01-05T10:00:00Z
resolved: 2024-01-05T12:05:00Z
root_causes: [dns]
---
-- content/b.md --
---
title: b
date: 2024-02-05
root_causes: [dns]
---
-- content/c.md --
---
title: c
date: 2024-03-05
started: 2024-03-05T10:00:00Z
resolved: 2024-03-05T10:30:00Z
root_causes: [disk]
---
-- content/d.md --
---
title: d
date: 2024-04-05
started: 2024-04-05T10:00:00Z
resolved: 2024-04-05T10:00:40Z
root_causes: [dns]
---
`), Options{}), nil)
	want := "<dt>Measured over</dt><dd>%s</dd>"
	if page := string(res.Files["root-causes/dns.html"]); !strings.Contains(page, fmt.Sprintf(want, "2 of the 3 incidents, those with a start and an end")) || !strings.Contains(page, "Median time to resolve</dt><dd>1 h 02 min") {
		t.Errorf("root-causes/dns.html does not say its median is over 2 of its 3 incidents, 125 and 0 minutes")
	}
	if page := string(res.Files["root-causes/disk.html"]); strings.Contains(page, "Measured over") {
		t.Errorf("root-causes/disk.html, whose one incident is measured, says what its figures are over")
	}
	if page := string(res.Files["index.html"]); !strings.Contains(page, fmt.Sprintf(want, "3 of the 4 incidents, those with a start and an end")) {
		t.Errorf("index.html does not say its figures are over 3 of 4 incidents")
	}
	if page := string(res.Files["incidents/d.html"]); !strings.Contains(page, "<dt>Duration</dt><dd>0 min</dd>") {
		t.Errorf("incidents/d.html does not give its duration of 0 min")
	}
	var idx struct {
		Postmortems []struct {
			Slug            string `json:"slug"`
			DurationMinutes *int   `json:"duration_minutes"`
		} `json:"postmortems"`
	}
	if err := json.Unmarshal(res.Files["index.json"], &idx); err != nil {
		t.Fatal(err)
	}
	for _, p := range idx.Postmortems {
		if known := p.Slug != "b"; (p.DurationMinutes != nil) != known || p.Slug == "d" && *p.DurationMinutes != 0 {
			t.Errorf("index.json gives %s the duration %v", p.Slug, p.DurationMinutes)
		}
	}
	var in insights.Insights
	if err := json.Unmarshal(res.Files["insights.json"], &in); err != nil {
		t.Fatal(err)
	}
	for _, term := range in.RootCauses {
		if term.Name == "dns" && (term.Resolved != 2 || term.MedianMinutesToResolve != 62) {
			t.Errorf("insights.json: dns resolved %d, median %d; want 2 and 62, as its page", term.Resolved, term.MedianMinutesToResolve)
		}
	}
}
