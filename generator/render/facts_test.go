package render_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/postmortem/postmortem/generator/site"
)

// TestFactsAgreeWithInsights wants the times to something on a postmortem's
// page counted from its start, as the insights and the exports count them:
// a page that said "Time to resolve 1 h 38 min" (from detection) beside
// root-cause pages and an incidents.csv that said 1 h 49 min (from the
// start) gave one incident two figures.
func TestFactsAgreeWithInsights(t *testing.T) {
	pm := `---
title: Checkout down after a payment API change
date: 2024-05-14
started: 2024-05-14T13:52:00Z
detected: 2024-05-14T14:03:00Z
mitigated: 2024-05-14T14:40:00Z
resolved: 2024-05-14T15:41:00Z
root_causes: [misconfiguration]
---
Body.
`
	res := site.New(fstest.MapFS{"content/a.md": {Data: []byte(pm)}}, site.Options{}).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	page := string(res.Files["incidents/a.html"])
	for _, want := range []string{
		"<dt>Duration</dt><dd>1 h 49 min</dd>",
		"<dt>Time to detect</dt><dd>11 min</dd>",
		"<dt>Time to mitigate</dt><dd>48 min</dd>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Contains(page, "1 h 38 min") {
		t.Error("the page shows the time from detection to resolution (1 h 38 min)")
	}
	var in struct {
		RootCauses []struct {
			MedianMinutesToResolve int `json:"median_minutes_to_resolve"`
		} `json:"root_causes"`
	}
	if err := json.Unmarshal(res.Files["insights.json"], &in); err != nil {
		t.Fatal(err)
	}
	if len(in.RootCauses) != 1 || in.RootCauses[0].MedianMinutesToResolve != 109 {
		t.Errorf("insights.json root causes = %+v, want one with 109 minutes to resolve", in.RootCauses)
	}
	term := string(res.Files["root-causes/misconfiguration.html"])
	if !strings.Contains(term, "1 h 49 min") {
		t.Errorf("the root cause's page lacks its median time to resolve, 1 h 49 min:\n%s", term)
	}
}

// TestActionWithoutOwner wants an action item without an owner shown on
// its postmortem's page as the ledger names it, linked to the ledger's
// page of such items, as an item with an owner is: the cell was empty.
func TestActionWithoutOwner(t *testing.T) {
	pm := "---\ntitle: Disk full\ndate: 2024-01-02\nroot_causes: [capacity]\naction_items:\n  - title: Add an alert\n    status: open\n---\nBody.\n"
	res := site.New(fstest.MapFS{"content/a.md": {Data: []byte(pm)}}, site.Options{}).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	page := string(res.Files["incidents/a.html"])
	m := regexp.MustCompile(`<td><a href="\.\./([^"]+)">\(no owner\)</a></td>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the page lacks the owner cell of its item without owner:\n%s", page)
	}
	if ledger := string(res.Files[m[1]]); !strings.Contains(ledger, "Add an alert") {
		t.Errorf("%s, where the cell links, lacks the item:\n%s", m[1], ledger)
	}
}

// TestTimelineAcrossDays wants the drawn timeline of an incident that spans
// days to show the date of the first entry of each day: "08:00" after
// "10:20" read as time going back.
func TestTimelineAcrossDays(t *testing.T) {
	pm := "---\ntitle: Crawlers blocked\ndate: 2022-09-03\nroot_causes: [bad-deploy]\n---\n## Timeline\n\n" +
		"- 2022-09-03 10:20 Release goes live.\n- 2022-09-03 11:00 Nothing seen.\n- 2022-09-05 08:00 Crawl rate falls.\n- 2022-09-12 10:20 Fixed.\n"
	res := site.New(fstest.MapFS{"content/a.md": {Data: []byte(pm)}}, site.Options{}).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	page := string(res.Files["incidents/a.html"])
	got := regexp.MustCompile(`<li style="--at: \d+"><time datetime="[^"]*">([^<]*)</time> <span class="offset">([^<]*)</span>`).FindAllStringSubmatch(page, -1)
	want := [][2]string{{"3 Sep 2022 10:20", "&#43;0 min"}, {"11:00", "&#43;40 min"}, {"5 Sep 2022 08:00", "&#43;45 h 40 min"}, {"12 Sep 2022 10:20", "&#43;9 d"}}
	if len(got) != len(want) {
		t.Fatalf("drawn timeline %q, want %q", got, want)
	}
	for i, w := range want {
		if got[i][1] != w[0] || got[i][2] != w[1] {
			t.Errorf("entry %d: %q %q, want %q %q", i, got[i][1], got[i][2], w[0], w[1])
		}
	}
}

// TestScalesInTheirOrder wants the index of severities worst first and
// that of years newest first, whatever their counts: a reader looks for
// SEV1 or 2024 where the scale puts it.
func TestScalesInTheirOrder(t *testing.T) {
	pm := func(day, sev string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: Outage " + day + "\ndate: " + day + "\nseverity: " + sev + "\nroot_causes: [dns]\n---\nBody.\n")}
	}
	res := site.New(fstest.MapFS{
		"content/a.md": pm("2023-01-02", "SEV3"), "content/b.md": pm("2023-02-03", "SEV3"), "content/c.md": pm("2024-03-04", "SEV1"),
	}, site.Options{}).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	terms := func(page, dir string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`<a href="`+dir+`/([^".]+)\.html">`).FindAllStringSubmatch(string(res.Files[page]), -1) {
			out = append(out, m[1])
		}
		return out
	}
	if got := terms("severities.html", "severities"); strings.Join(got, " ") != "sev1 sev3" {
		t.Errorf("severities.html lists %v, want sev1 then sev3", got)
	}
	if got := terms("years.html", "years"); strings.Join(got, " ") != "2024 2023" {
		t.Errorf("years.html lists %v, want 2024 then 2023", got)
	}
}

// TestDetectedAtOnce wants a time to detect of zero, detected as it
// started, shown as 0 min: left out, it read as not known.
func TestDetectedAtOnce(t *testing.T) {
	pm := "---\ntitle: Caught at once\ndate: 2024-05-14\nstarted: 2024-05-14T13:52:00Z\ndetected: 2024-05-14T13:52:00Z\nresolved: 2024-05-14T14:52:00Z\nroot_causes: [dns]\n---\nBody.\n"
	res := site.New(fstest.MapFS{"content/a.md": {Data: []byte(pm)}}, site.Options{}).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	if page := string(res.Files["incidents/a.html"]); !strings.Contains(page, "<dt>Time to detect</dt><dd>0 min</dd>") {
		t.Error("the page leaves out a time to detect of 0 min")
	}
	if in := string(res.Files["insights.html"]); !strings.Contains(in, `<th scope="row">2024-Q2</th><td class="num">0 min</td><td class="num">1 h</td>`) {
		t.Error("insights.html leaves out a median time to detect of 0 min")
	}
}

// TestTimelineDaysInTheirZone wants an entry written in another zone dated
// in that zone, as its clock is shown: 23:30 PST on 1 March is 1 March,
// though it is 2 March in the page's UTC.
func TestTimelineDaysInTheirZone(t *testing.T) {
	pm := "---\ntitle: Across zones\ndate: 2024-03-01\nroot_causes: [dns]\n---\n## Timeline\n\n" +
		"- 2024-03-01 20:00 Deploy.\n- 2024-03-01 23:30 PST Pager in the US.\n- 2024-03-02 09:00 Fixed.\n"
	res := site.New(fstest.MapFS{"content/a.md": {Data: []byte(pm)}}, site.Options{}).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	got := regexp.MustCompile(`<li style="--at: \d+"><time datetime="[^"]*">([^<]*)</time>`).FindAllStringSubmatch(string(res.Files["incidents/a.html"]), -1)
	want := []string{"1 Mar 2024 20:00", "23:30 PST", "2 Mar 2024 09:00"}
	if len(got) != len(want) {
		t.Fatalf("drawn timeline %q, want %q", got, want)
	}
	for i, w := range want {
		if got[i][1] != w {
			t.Errorf("entry %d: %q, want %q", i, got[i][1], w)
		}
	}
}

// TestDescription wants a postmortem's page described by its summary, cut
// at a word with an ellipsis when long, and the other pages by the site's
// description.
func TestDescription(t *testing.T) {
	long := strings.Repeat("The cache expired and every read went to the database. ", 6)
	fsys := fstest.MapFS{
		"postmortem.yaml": {Data: []byte("description: Every outage of Acme.\n")},
		"content/a.md":    {Data: []byte("---\ntitle: A\ndate: 2024-05-14\nroot_causes: [dns]\nsummary: \"" + long + "\"\n---\nBody.\n")},
	}
	res := site.New(fsys, site.Options{}).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<meta name="description" content="([^"]*)">`).FindStringSubmatch(string(res.Files["incidents/a.html"]))
	if m == nil {
		t.Fatal("the incident's page has no description")
	}
	cut := strings.TrimSuffix(m[1], "…")
	if cut == m[1] || !strings.HasPrefix(long, cut+" ") || len([]rune(cut)) > 200 || len(cut) < 150 {
		t.Errorf("the incident's description is %q, want its summary cut at a word within 200 characters", m)
	}
	if !strings.Contains(string(res.Files["index.html"]), `<meta name="description" content="Every outage of Acme.">`) {
		t.Error("the home page is not described by the site's description")
	}
}
