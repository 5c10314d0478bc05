package review

import (
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/postmortem"
)

var md = markdown.New(false)

// run parses the files, checks them with cfg on 2024-06-01, the built site
// holding the output paths, and returns the diagnostics as check prints them.
func run(t *testing.T, cfg config.Config, files map[string]string, output []string) []string {
	t.Helper()
	fsys := fstest.MapFS{}
	var pms []*postmortem.Postmortem
	for _, name := range sortedKeys(files) {
		fsys[name] = &fstest.MapFile{Data: []byte(files[name])}
		if path.Ext(name) != ".md" {
			continue // a file beside the postmortems
		}
		dir := ""
		if path.Base(name) == "index.md" {
			dir = path.Dir(name)
		}
		p, diags := postmortem.Parse(name, []byte(files[name]), &cfg, md, dir)
		if err := diags.Err(); err != nil {
			t.Fatalf("%s does not parse: %v", name, err)
		}
		pms = append(pms, p)
	}
	built := map[string][]byte{}
	for _, p := range output {
		built[p] = nil
	}
	var out []string
	for _, d := range Check(Input{FS: fsys, Config: &cfg, Postmortems: pms, Now: time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC), Output: has(built)}) {
		out = append(out, d.Error()+" ["+d.Rule+"]")
	}
	return out
}

// has returns the Output of a site whose files are those of files.
func has(files map[string][]byte) func(string) bool {
	return func(p string) bool { _, ok := files[p]; return ok }
}

func sortedKeys(m map[string]string) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

const head = "---\ntitle: T\ndate: 2024-05-01\nroot_causes: [dns]\n"

func TestRules(t *testing.T) {
	for _, c := range []struct {
		name  string
		cfg   func(*config.Config)
		files map[string]string
		// output lists the paths of the built site, where links lead.
		output []string
		want   []string // substrings, one per diagnostic, in order; none for a case that must not fire
	}{
		{name: "timeline in order", files: map[string]string{"a.md": head + "started: 2024-05-01 08:00\n---\n## Timeline\n\n- 08:00 — Start.\n- 08:10 — Alert.\n"}},
		{name: "timeline out of order", files: map[string]string{"a.md": head + "---\n## Timeline\n\n- 08:10 — Alert.\n- 08:00 — Start.\n"},
			want: []string{"a.md:9: warning: timeline: 08:00 is earlier than the entry above it (08:10); if it is a later day, write its date [timeline-order]"}},
		{name: "timeline over the hour the clocks skip", files: map[string]string{"a.md": "---\ntitle: A\ndate: 2023-03-26\nroot_causes: [dns]\ntimezone: Europe/Berlin\n---\n## Timeline\n\n- 02:30 — Alert.\n- 03:10 — Fixed.\n"}},
		{name: "timeline past midnight", files: map[string]string{"a.md": head + "---\n## Timeline\n\n- 23:50 — Alert.\n- 00:20 — Fixed.\n"}},
		{name: "timeline past midnight most of a day on", files: map[string]string{"a.md": head + "---\n## Timeline\n\n- 10:00 — Alert.\n- 11:00 — Rolled back.\n- 03:00 — Fixed.\n- 14:00 — Closed.\n"},
			want: []string{"a.md:10: warning: timeline: 2024-05-02 03:00 is read as the next day, 16 h after the entry above it (2024-05-01 11:00): if it is the same day, it is out of order; if it is the next, write its date [timeline-order]"}},
		{name: "dated timeline out of order", files: map[string]string{"a.md": head + "---\n## Timeline\n\n| Time | Event |\n| --- | --- |\n| 2024-05-02 08:10 | Alert |\n| 2024-05-01 08:00 | Start |\n"},
			want: []string{"a.md:11: warning: timeline: 2024-05-01 08:00 is earlier than the entry above it (2024-05-02 08:10) [timeline-order]"}},
		{name: "a lead-up before started", files: map[string]string{"a.md": head + "started: 2024-05-01 08:05\n---\n## Timeline\n\n- 08:00 — Deploy.\n- 08:10 — Alert.\n"}},
		{name: "entry days before started", files: map[string]string{"a.md": head + "started: 2024-05-01 08:05\n---\n## Timeline\n\n- 2024-04-21 08:00 — Deploy.\n- 2024-05-01 08:10 — Alert.\n"},
			want: []string{"a.md:9: warning: timeline: 2024-04-21 08:00 is more than a day before started (2024-05-01 08:05): is its day right, or started's? [timeline-before-start]"}},
		{name: "entry days before a started written with an offset", files: map[string]string{"a.md": head + "timezone: Europe/Berlin\nstarted: 2024-05-01T08:05:00+02:00\n---\n## Timeline\n\n- 2024-04-21 08:00 CEST — Deploy.\n- 2024-05-01 08:10 — Alert.\n"},
			want: []string{`a.md:10: warning: timeline: 2024-04-21 08:00 is more than a day before started (2024-05-01 08:05): is its day right, or started's? [timeline-before-start]`}},
		{name: "an entry out of order is told once", files: map[string]string{"a.md": head + "started: 2024-05-01 08:05\n---\n## Timeline\n\n- 2024-05-01 08:10 — Alert.\n- 2024-04-21 08:00 — Deploy.\n"},
			want: []string{"a.md:10: warning: timeline: 2024-04-21 08:00 is earlier than the entry above it (2024-05-01 08:10) [timeline-order]"}},
		{name: "entry written in another zone", files: map[string]string{"a.md": head + "timezone: America/Los_Angeles\n---\n## Timeline\n\n- 10:00 — Deploy.\n- 10:05 EST — Alert.\n"},
			want: []string{"a.md:10: warning: timeline: 2024-05-01 10:05 EDT is earlier than the entry above it (2024-05-01 10:00 PDT); if it is a later day, write its date [timeline-order]"}},
		{name: "action item with owner", files: map[string]string{"a.md": head + "action_items:\n  - {title: Fix, owner: ana, status: done}\n---\n"}},
		{name: "action item without owner", files: map[string]string{"a.md": head + "action_items:\n  - {title: Fix, status: open}\n---\n"},
			want: []string{`a.md:6: warning: action_items[1] "Fix" has no owner [action-owner]`}},
		{name: "an item of the body whose owner and due day are not read", files: map[string]string{"a.md": head + "severity: SEV2\n---\n## Action items\n\n- [ ] Fix the lock — jörg — EOW\n"},
			want: []string{`a.md:9: warning: action_items[1] "Fix the lock — jörg — EOW" has no owner (its line ends with "— jörg — EOW", not read as an owner or a due day: write — @name, by 2024-12-18, or (owner: name, due 2024-12-18)) [action-owner]`,
				`a.md:9: warning: action_items[1] "Fix the lock — jörg — EOW" of a SEV2 incident has no due date (its line ends with "— jörg — EOW"`}},
		{name: "done action item without owner", files: map[string]string{"a.md": head + "action_items:\n  - {title: Fix, status: done}\n  - {title: Skip, status: wontfix}\n---\n"}},
		{name: "SEV2 open item with a due date", files: map[string]string{"a.md": head + "severity: SEV2\naction_items:\n  - {title: Fix, owner: ana, due: 2024-07-01}\n---\n"}},
		{name: "SEV2 open item without due", files: map[string]string{"a.md": head + "severity: SEV2\naction_items:\n  - {title: Fix, owner: ana}\n---\n"},
			want: []string{`a.md:7: warning: action_items[1] "Fix" of a SEV2 incident has no due date [action-due]`}},
		{name: "SEV3 open item without due", files: map[string]string{"a.md": head + "severity: SEV3\naction_items:\n  - {title: Fix, owner: ana}\n---\n"}},
		{name: "date in the future", files: map[string]string{"a.md": "---\ntitle: T\ndate: 2042-05-01\nroot_causes: [dns]\n---\n"},
			want: []string{`a.md:3: warning: date: 2042-05-01 is later than the day of the check (2024-06-01): is the year or the month right? [future-date]`}},
		{name: "date a day ahead, for a zone east", files: map[string]string{"a.md": "---\ntitle: T\ndate: 2024-06-02\nroot_causes: [dns]\n---\n"}},
		{name: "started in the future", files: map[string]string{"a.md": "---\ntitle: T\nstarted: 2024-07-01T10:00:00Z\nroot_causes: [dns]\n---\n"},
			want: []string{`a.md:3: warning: date: 2024-07-01 is later than the day of the check (2024-06-01): is the year or the month right? [future-date]`}},
		{name: "the item postmortem new wrote, on a draft dated weeks back", files: map[string]string{"a.md": head + "status: draft\naction_items:\n  - title: First follow-up\n    owner: someone\n    due: 2024-05-29\n---\n"}},
		{name: "overdue", files: map[string]string{"a.md": head + "action_items:\n  - {title: Fix, owner: ana, due: 2024-05-31}\n  - {title: Done, owner: ana, due: 2024-05-01, status: done}\n  - {title: Today, owner: ana, due: 2024-06-01}\n---\n"},
			want: []string{`a.md:6: warning: action_items[1] "Fix" is open and was due 2024-05-31: set its status: done if it is, wontfix if it will not be, or move its due: day [action-overdue]`}},
		{name: "past the severity's deadline", cfg: func(c *config.Config) { c.ActionItemDeadlines = map[string]config.Days{"SEV3": 14, "SEV4": 14} },
			// SEV3 resolved 16 May: deadline 30 May, passed on 1 June. SEV4 without
			// resolved counts from its date, 20 May: deadline 3 June, not yet.
			files: map[string]string{
				"a.md": head + "severity: SEV3\nstarted: 2024-05-15 08:00\nresolved: 2024-05-16 09:00\naction_items:\n  - {title: Fix, owner: ana}\n---\n",
				"b.md": "---\ntitle: T\ndate: 2024-05-20\nroot_causes: [dns]\nseverity: SEV4\naction_items:\n  - {title: Fix, owner: ana}\n---\n"},
			want: []string{`a.md:9: warning: action_items[1] "Fix" is open and past the SEV3 deadline of action_item_deadlines, 2024-05-30: set its status: done if it is, wontfix if it will not be, or give it a due: day [action-overdue]`}},
		{name: "SEV1 without action items", files: map[string]string{"a.md": head + "severity: SEV1\n---\n"},
			want: []string{"a.md:5: warning: SEV1 incident with no action item: what will stop it happening again? [action-missing]"}},
		{name: "SEV4 without action items", files: map[string]string{"a.md": head + "severity: SEV4\n---\n"}},
		{name: "required sections present", cfg: func(c *config.Config) { c.RequiredSections = []string{"Summary", "root cause", "Impact"} },
			files: map[string]string{"a.md": head + "summary: Short.\n---\n# Root Cause Analysis\n\nImpact:\n\nNone.\n"}},
		{name: "required section missing", cfg: func(c *config.Config) { c.RequiredSections = []string{"impact", "timeline"} },
			files: map[string]string{"a.md": head + "---\n## Impact\n\n```\n## Timeline\n```\n"},
			want:  []string{`a.md:6: no "timeline" section (required by postmortem.yaml) [required-section]`}},
		{name: "required section misspelt", cfg: func(c *config.Config) { c.RequiredSections = []string{"summary", "root cause"} },
			files: map[string]string{"a.md": head + "---\n## Summery\n\nText.\n\n## Root-cause\n\nText.\n"},
			want: []string{`a.md:6: no "root cause" section (required by postmortem.yaml); is "root-cause" meant to be it? [required-section]`,
				`a.md:6: no "summary" section (required by postmortem.yaml); is "summery" meant to be it? [required-section]`}},
		{name: "in the vocabulary", cfg: func(c *config.Config) { c.Vocabulary = []string{"DNS", "capacity"} },
			files: map[string]string{"a.md": head + "---\n"}},
		{name: "outside the vocabulary", cfg: func(c *config.Config) { c.Vocabulary = []string{"expired-certificate", "capacity"} },
			files: map[string]string{"a.md": "---\ntitle: T\ndate: 2024-05-01\nroot_causes: [expired-certificates]\n---\n"},
			want:  []string{`a.md:4: root cause "expired-certificates" is not in the vocabulary; did you mean "expired-certificate"? [vocabulary]`}},
		{name: "near duplicates", files: map[string]string{
			"a.md": head + "---\n",
			"b.md": "---\ntitle: T\ndate: 2024-05-01\nroot_causes: [dns-failure]\n---\n",
			"c.md": "---\ntitle: T\ndate: 2024-05-01\nroot_causes: [dns-failures, misconfig]\n---\n",
			"d.md": "---\ntitle: T\ndate: 2024-05-01\nroot_causes: [dns-failure, misconfiguration]\nservices: [api-v1]\n---\n",
			"e.md": "---\ntitle: T\ndate: 2024-05-01\nroot_causes: [misconfiguration]\nservices: [api-v2]\n---\n",
		}, want: []string{
			`c.md:4: warning: root_causes: "dns-failures" (1 incident) and "dns-failure" (2 incidents) look like one term; merge them with aliases: {dns-failures: dns-failure} in postmortem.yaml [near-duplicate]`,
			`c.md:4: warning: root_causes: "misconfig" (1 incident) and "misconfiguration" (2 incidents) look like one term`,
		}},
		{name: "links to files of the site", output: []string{"incidents/a.html", "incidents/b.html", "incidents/b/d.svg", "logo.png", "root-causes/dns.html", "incidents/index.html"},
			files: map[string]string{
				"content/a.md":       head + "---\n![logo](../logo.png) [c](../root-causes/dns.html#top) [all](./) [b](b.html?x=1) [web](https://e.com/x.png)\n",
				"content/b/index.md": head + "---\n![d](d.svg) [d](./d.svg#x)\n",
			}},
		{name: "links to missing files", output: []string{"incidents/a.html", "incidents/b.html", "logo.png"},
			files: map[string]string{
				"content/a.md":        head + "---\nText.\n\n![d](diagram.png) and [notes](../../up.txt) and [the logo](../logo%20old.png)\n",
				"content/diagram.png": "png",
				"content/b/index.md":  head + "---\n![d](d.svg) ![g](graph.png) ![l](../../Logo.PNG)\n",
				"content/b/Graph.png": "png",
				"static/logo.png":     "png",
			},
			want: []string{
				`content/a.md:8:1: image "diagram.png": the site has no incidents/diagram.png: files beside a postmortem are published only from a page bundle (a folder with index.md and its files) [missing-file]`,
				`content/a.md:8:23: link "../../up.txt" leads out of the site [missing-file]`,
				`content/a.md:8:49: link "../logo%20old.png": the site has no logo old.png [missing-file]`,
				`content/b/index.md:6:1: image "d.svg": the site has no incidents/b/d.svg [missing-file]`,
				`content/b/index.md:6:13: image "graph.png": the site has no incidents/b/graph.png: there is a Graph.png, in another case (names are case-sensitive where the site is served) [missing-file]`,
				`content/b/index.md:6:29: image "../../Logo.PNG": the site has no Logo.PNG: there is a logo.png, in another case (names are case-sensitive where the site is served) [missing-file]`,
			}},
		{name: "a rule switched off", cfg: func(c *config.Config) { c.Rules = map[string]string{"action-owner": "off", "action-overdue": "error"} },
			files: map[string]string{"a.md": head + "action_items:\n  - {title: Fix, due: 2024-05-31}\n---\n"},
			want:  []string{`a.md:6: action_items[1] "Fix" is open and was due 2024-05-31: set its status: done if it is, wontfix if it will not be, or move its due: day [action-overdue]`}},
		{name: "an unknown rule", cfg: func(c *config.Config) { c.Rules = map[string]string{"owner": "off", "action-due": "loud"} },
			files: map[string]string{"a.md": head + "---\n"},
			want:  []string{`postmortem.yaml: rules: action-due: want off, warning or error, got "loud"`, `postmortem.yaml: rules: unknown rule "owner"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := config.Default()
			if c.cfg != nil {
				c.cfg(&cfg)
			}
			got := run(t, cfg, c.files, c.output)
			if len(got) != len(c.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(c.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.Contains(got[i], c.want[i]) {
					t.Errorf("got  %s\nwant %s", got[i], c.want[i])
				}
			}
		})
	}
}

func TestAlike(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"dns-failure", "dns-failures", true},
		{"misconfig", "misconfiguration", true},
		{"dependency", "dependencies", true},
		{"timout", "timeout", true},
		{"dns", "dns-failure", false},
		{"api-v1", "api-v2", false},
		{"capacity", "cache", false},
		{"deploy", "deployment-freeze", false},
	} {
		if got := alike(c.a, c.b); got != c.want {
			t.Errorf("alike(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestRulesAreSortedAndDocumented(t *testing.T) {
	for i, r := range Rules {
		if r.Doc == "" || i > 0 && Rules[i-1].Name >= r.Name {
			t.Errorf("rule %q: undocumented or out of order", r.Name)
		}
	}
}

// TestREADMEListsEveryRule keeps the rule table of the README in step.
func TestREADMEListsEveryRule(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules {
		row := fmt.Sprintf("| `%s` | %s | %s |", r.Name, r.Severity, r.Doc)
		if !strings.Contains(string(data), row) {
			t.Errorf("README.md lacks the row\n%s", row)
		}
	}
}

// TestUnbuilt checks, as for a build that stopped at a postmortem that
// failed to parse, the links to files static/ lacks, not those into what
// the build makes; and skips near-duplicate, which needs every postmortem.
func TestUnbuilt(t *testing.T) {
	cfg := config.Default()
	src := head + "---\n" +
		"[a](../nope/a.html) [b](../docs/b.pdf) [c](../docs/c.pdf) [d](failed.html) [e](../root-causes/x.html) [f](../feed.xml) [g](../assets/x.css)\n"
	p, diags := postmortem.Parse("a.md", []byte(src), &cfg, md, "")
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	q, _ := postmortem.Parse("b.md", []byte("---\ntitle: T\ndate: 2024-05-01\nroot_causes: [dns-failures]\n---\n"), &cfg, md, "")
	r, _ := postmortem.Parse("c.md", []byte("---\ntitle: T\ndate: 2024-05-01\nroot_causes: [dns-failure]\n---\n"), &cfg, md, "")
	in := Input{FS: fstest.MapFS{}, Config: &cfg, Postmortems: []*postmortem.Postmortem{p, q, r},
		Output: has(map[string][]byte{"docs/b.pdf": nil}), Unbuilt: true, Failed: 1}
	var got []string
	for _, d := range Check(in) {
		got = append(got, d.Error())
	}
	want := []string{
		`a.md:6:1: link "../nope/a.html": the site has no nope/a.html`,
		`a.md:6:40: link "../docs/c.pdf": the site has no docs/c.pdf`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	in.Failed = 0
	if diags := Check(in); len(diags) != 3 || diags[2].Rule != "near-duplicate" {
		t.Errorf("with every postmortem parsed: %v, want near-duplicate too", diags)
	}
}

// TestPartial: a review of some postmortems of the site, as the preview
// makes of those just edited, reports their own findings but not the
// near-duplicate terms, which only all of them can tell.
func TestPartial(t *testing.T) {
	cfg := config.Default()
	parse := func(name, src string) *postmortem.Postmortem {
		t.Helper()
		p, diags := postmortem.Parse(name, []byte(src), &cfg, md, "")
		if err := diags.Err(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := parse("b.md", "---\ntitle: T\ndate: 2024-05-01\nroot_causes: [dns-failures]\n---\n## Timeline\n- 10:00 b\n- 09:00 a\n")
	q := parse("c.md", "---\ntitle: T\ndate: 2024-05-01\nroot_causes: [dns-failure]\n---\n")
	in := Input{FS: fstest.MapFS{}, Config: &cfg, Postmortems: []*postmortem.Postmortem{p, q}, Partial: true}
	var got []string
	for _, d := range Check(in) {
		got = append(got, d.Rule)
	}
	if !slices.Equal(got, []string{"timeline-order"}) {
		t.Errorf("a partial review found %v, want its timeline-order alone", got)
	}
	in.Partial = false
	if diags := Check(in); !slices.ContainsFunc(diags, func(d diag.Diagnostic) bool { return d.Rule == "near-duplicate" }) {
		t.Errorf("a review of the whole site: %v, want near-duplicate too", diags)
	}
}

// TestEmptySection wants each heading with nothing under it reported, out
// of draft: an HTML comment is nothing, a section within it, text, a list
// or code is something; a draft's are not reported.
func TestEmptySection(t *testing.T) {
	const body = "\n## Summary\n\nCheckout was down.\n\n## Impact\n\n<!-- who was hit,\nfor how long -->\n\n## Root cause\n\n### Details\n\nA stale record.\n\n## Resolution\n\n```\nrollback\n```\n\n## Lessons learned\n\n### Kept\n\n## Follow-up\n\n- Alerts\n\n## Notes\n"
	got := run(t, config.Default(), map[string]string{
		"content/a.md": "---\ntitle: A\ndate: 2024-03-02\nroot_causes: [dns]\n---\n" + body,
		"content/d.md": "---\ntitle: D\ndate: 2024-03-02\nroot_causes: [dns]\nstatus: draft\n---\n" + body,
	}, nil)
	var empty []string
	for _, d := range got {
		if strings.HasSuffix(d, "[empty-section]") {
			empty = append(empty, d)
		}
	}
	want := []string{
		`content/a.md:11: warning: "## Impact" has nothing under it: write the section, or take its heading out [empty-section]`,
		`content/a.md:30: warning: "### Kept" has nothing under it: write the section, or take its heading out [empty-section]`,
		`content/a.md:36: warning: "## Notes" has nothing under it: write the section, or take its heading out [empty-section]`,
	}
	if !slices.Equal(empty, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(empty, "\n"), strings.Join(want, "\n"))
	}
}
