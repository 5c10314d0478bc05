package site

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/link"
)

// The adoption fixtures are folders of postmortems as teams keep them
// before they use postmortem: without front matter, with their own key
// names. Each testdata/adopt/NAME.txtar is a site; NAME.golden is what
// building it gives (go test ./generator/site -run TestAdopt -update).

// adoptDump writes what a user sees of a build: its diagnostics, and for
// each postmortem the fields it has, where they came from, and the times
// its page shows.
func adoptDump(res *Result) string {
	var b strings.Builder
	b.WriteString("# diagnostics\n")
	for _, d := range res.Diagnostics {
		fmt.Fprintln(&b, d.Error())
	}
	if res.Site == nil {
		return b.String()
	}
	for _, p := range res.Site.Postmortems {
		fmt.Fprintf(&b, "\n# %s\n", p.Path)
		fmt.Fprintf(&b, "slug: %s\ntitle: %s\ndate: %s\nzone: %s\n", p.Slug, p.Title, p.Date.Format(time.DateOnly), p.Location)
		for _, f := range []struct {
			name string
			t    time.Time
		}{{"started", p.Started}, {"detected", p.Detected}, {"acknowledged", p.Acknowledged}, {"mitigated", p.Mitigated}, {"resolved", p.Resolved}} {
			if !f.t.IsZero() {
				fmt.Fprintf(&b, "%s: %s\n", f.name, f.t.Format(time.RFC3339))
			}
		}
		if m := p.DurationMinutes(); m > 0 {
			fmt.Fprintf(&b, "duration: %d min\n", m)
		}
		fmt.Fprintf(&b, "inferred: %v\nfrom timeline: %v\n", p.Inferred, p.FromTimeline)
		fmt.Fprintf(&b, "severity: %s\nroot causes: %v\nservices: %v\ntags: %v\n", p.Severity, p.RootCauses, p.Services, p.Tags)
		for _, k := range slices.Sorted(maps.Keys(p.Params)) {
			fmt.Fprintf(&b, "params.%s: %s\n", k, p.Params[k])
		}
		for _, it := range p.ActionItems {
			fmt.Fprintf(&b, "action item, line %d: [%s] %s\n", it.Line, it.Status, it.Title)
		}
		for _, e := range p.Timeline {
			fmt.Fprintf(&b, "timeline, line %d: %s %s\n", e.Line, e.Time.Format(time.RFC3339), e.Text)
		}
		page := string(res.Files[link.PostmortemURL(p.Slug)])
		page, _, _ = strings.Cut(page, "<aside") // related incidents and the rest: not this one's
		fmt.Fprintf(&b, "page: %d <h1>\n", strings.Count(page, "<h1"))
		for _, m := range timeRE.FindAllStringSubmatch(page, -1) {
			fmt.Fprintf(&b, "page time: %s\n", m[1])
		}
		for _, m := range noteRE.FindAllStringSubmatch(page, -1) {
			fmt.Fprintf(&b, "page note: %s\n", m[1])
		}
	}
	return b.String()
}

var (
	timeRE = regexp.MustCompile(`<time datetime="[^"]*">([^<]*)</time>`)
	noteRE = regexp.MustCompile(`<p class="note"[^>]*>(.*?)</p>`)
)

// checkGolden compares got with the file golden, or rewrites it with -update.
func checkGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update and read the diff):\n%s", golden, got)
	}
}

// TestSeed builds the seed postmortem, a file written without front matter
// and saved as it was, unchanged, in testdata/seed/content.
func TestSeed(t *testing.T) {
	res := New(os.DirFS("testdata/seed"), Options{}).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatalf("the seed does not build:\n%v", err)
	}
	got := adoptDump(res)
	for _, want := range []string{
		"title: Web stack outage\n",
		"started: 2023-08-06T08:00:00+01:00\n",
		"resolved: 2023-08-06T11:30:00+01:00\n",
		"duration: 210 min\n",
		"warning: root_causes: no root causes",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the seed's build lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\ntimeline, line "); n != 8 {
		t.Errorf("the seed's timeline has %d entries, want its 8 lines", n)
	}
	// Four measures, then four tasks, each an indented paragraph.
	if n := strings.Count(got, "\naction item, line "); n != 8 {
		t.Errorf("the seed has %d action items, want its 4 measures and 4 tasks", n)
	}
	checkGolden(t, "testdata/seed.golden", got)
}

// TestAdopt builds each folder of testdata/adopt and compares what it gives
// with its golden file.
func TestAdopt(t *testing.T) {
	archives, _ := filepath.Glob("testdata/adopt/*.txtar")
	if len(archives) == 0 {
		t.Fatal("no fixtures in testdata/adopt")
	}
	slices.Sort(archives)
	for _, a := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(a), ".txtar"), func(t *testing.T) {
			data, err := os.ReadFile(a)
			if err != nil {
				t.Fatal(err)
			}
			res := New(siteFS(t, string(data)), Options{}).Build(context.Background(), nil)
			checkGolden(t, strings.TrimSuffix(a, ".txtar")+".golden", adoptDump(res))
		})
	}
}
