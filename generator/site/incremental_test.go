package site

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/render"
)

var causes = []string{"dns", "misconfiguration", "expired-certificate", "capacity", "bad-deploy", "disk-full", "misconfiguration/api", "misconfiguration/api/keys"}
var services = []string{"web", "checkout", "auth", "search", "db"}

// owners are the owners of the second action item of each postmortem: the
// last two make the same page name, and the ledger's list of owners has
// two pages of 3.
var owners = []string{"ada", "Bob", "Zoë", "zoë", "ops team"}

func randomPostmortem(r *rand.Rand, i int) string {
	day := 1 + r.IntN(28)
	pick := func(list []string) string {
		a, b := list[r.IntN(len(list))], list[r.IntN(len(list))]
		return a + ", " + b
	}
	return fmt.Sprintf(`---
title: Incident %d with %s
date: 2024-%02d-%02d
started: 2024-%02d-%02d 10:00
resolved: 2024-%02d-%02d %02d:30
severity: SEV%d
root_causes: [%s]
services: [%s]
---
Summary of incident %d, word%d.

## Timeline

- 10:00 — Impact began
- 10:10 — Alert fired
`, i, pick(causes), 1+i%12, day, 1+i%12, day, 1+i%12, day, 11+r.IntN(8), 1+r.IntN(4), pick(causes), pick(services), i, r.IntN(1000))
}

// TestIncrementalMatchesFull applies a random series of edits, renames and
// deletions, rebuilding incrementally after each, and wants the output of a
// fresh full build every time.
func TestIncrementalMatchesFull(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { incrementalMatchesFull(t, seed) })
	}
}

func incrementalMatchesFull(t *testing.T, seed uint64) {
	r := rand.New(rand.NewPCG(1, 2+seed))
	fsys := fstest.MapFS{}
	for i := range 30 {
		fsys[fmt.Sprintf("content/2024/p%d.md", i)] = &fstest.MapFile{Data: []byte(randomPostmortem(r, i))}
	}
	// References go to the pinned postmortems, which are never deleted or
	// renamed, so that the site keeps building.
	for i := range 4 {
		fsys[fmt.Sprintf("content/pinned/pin%d.md", i)] = &fstest.MapFile{Data: []byte(randomPostmortem(r, 200+i))}
	}
	fsys["content/2024/bundle/index.md"] = &fstest.MapFile{Data: []byte(randomPostmortem(r, 99) + "\n![d](d.svg)\n")}
	fsys["content/2024/bundle/d.svg"] = &fstest.MapFile{Data: []byte("<svg/>")}
	fsys["static/robots.txt"] = &fstest.MapFile{Data: []byte("User-agent: *\n")}
	// Small pages, so that edits move incidents between the pages of lists.
	fsys["postmortem.yaml"] = &fstest.MapFile{Data: []byte("page_size: 4\nledger_page_size: 4\n")}
	inc := New(fsys, Options{})
	mustBuild(t, inc, nil)
	next := 100
	steps := 60
	if testing.Short() {
		steps = 20
	}
	for step := range steps {
		var files []string
		for p := range fsys {
			if strings.HasSuffix(p, ".md") {
				files = append(files, p)
			}
		}
		slices.Sort(files)
		victim := files[r.IntN(len(files))]
		var changed []string
		var op string
		kind := r.IntN(12)
		if (kind == 2 || kind == 3 || kind == 5) && strings.HasPrefix(victim, "content/pinned/") {
			kind = 11
		}
		if kind == 10 && r.IntN(2) == 0 {
			victim = fmt.Sprintf("content/pinned/pin%d.md", r.IntN(4)) // its title shows where [[pin]] refers to it
		}
		inDir := 0
		for _, f := range files {
			if strings.HasPrefix(f, path.Dir(victim)+"/") {
				inDir++
			}
		}
		if len(files) < 15 && (kind == 2 || kind == 5) || kind == 5 && inDir == len(files) {
			kind = 4 // keep the site from emptying
		}
		switch kind {
		case 0: // body edit: its last note replaced, so that words go too, or one added; lines above the timeline, at times
			op = "edit body of " + victim
			data := string(fsys[victim].Data)
			if i := strings.LastIndex(data, "\nNote "); i >= 0 {
				data = data[:i]
			}
			if r.IntN(2) == 0 {
				op += ", moving its timeline"
				data = strings.Replace(data, "## Timeline", strings.Repeat("Moved.\n\n", 1+r.IntN(3))+"## Timeline", 1)
			}
			fsys[victim] = &fstest.MapFile{Data: []byte(data + fmt.Sprintf("\nNote %d: quokka%d.\n", step, step))}
			changed = []string{victim}
		case 1: // front matter edit: new causes, services, date
			op = "rewrite " + victim
			fsys[victim] = &fstest.MapFile{Data: []byte(randomPostmortem(r, next))}
			next++
			changed = []string{victim}
		case 2: // delete
			op = "delete " + victim
			delete(fsys, victim)
			changed = []string{victim}
		case 3: // rename
			to := fmt.Sprintf("content/2025/renamed%d.md", next)
			next++
			op = "rename " + victim + " to " + to
			fsys[to] = fsys[victim]
			delete(fsys, victim)
			changed = []string{victim, to}
		case 4: // new folder with a postmortem
			dir := fmt.Sprintf("content/new%d", next)
			op = "create " + dir
			fsys[dir+"/x.md"] = &fstest.MapFile{Data: []byte(randomPostmortem(r, next))}
			next++
			changed = []string{dir}
		case 5: // delete a folder
			dir := path.Dir(victim)
			op = "delete folder " + dir
			for p := range fsys {
				if strings.HasPrefix(p, dir+"/") {
					delete(fsys, p)
				}
			}
			changed = []string{dir}
		case 6: // bundle asset change
			op = "edit bundle asset"
			fsys["content/2024/bundle/d.svg"] = &fstest.MapFile{Data: []byte(fmt.Sprintf("<svg id=%q/>", op+fmt.Sprint(step)))}
			changed = []string{"content/2024/bundle/d.svg"}
		case 9: // root causes and services only: title and times stay
			op = "change the terms of " + victim
			var out []string
			for _, l := range strings.Split(string(fsys[victim].Data), "\n") {
				switch {
				case strings.HasPrefix(l, "root_causes:"):
					l = "root_causes: [" + causes[r.IntN(len(causes))] + "]"
				case strings.HasPrefix(l, "services:") && r.IntN(2) == 0:
					l = "services: [" + services[r.IntN(len(services))] + "]"
				}
				out = append(out, l)
			}
			fsys[victim] = &fstest.MapFile{Data: []byte(strings.Join(out, "\n"))}
			changed = []string{victim}
		case 10: // title only: its words score it as a candidate of others
			op = "retitle " + victim
			words := []string{"dns", "checkout", "outage", "latency", "certificate"}
			var out []string
			for _, l := range strings.Split(string(fsys[victim].Data), "\n") {
				if strings.HasPrefix(l, "title:") {
					l = fmt.Sprintf("title: %s %s step %d", words[r.IntN(len(words))], words[r.IntN(len(words))], step)
				}
				out = append(out, l)
			}
			fsys[victim] = &fstest.MapFile{Data: []byte(strings.Join(out, "\n"))}
			changed = []string{victim}
		case 11: // a reference to a pinned postmortem, by slug or by file
			to := r.IntN(4)
			ref := fmt.Sprintf("\nSee [[pin%d]].\n", to)
			if r.IntN(2) == 0 {
				rel, _ := filepath.Rel(path.Dir(victim), fmt.Sprintf("content/pinned/pin%d.md", to))
				ref = fmt.Sprintf("\nSee [the other](%s#impact).\n", filepath.ToSlash(rel))
			}
			op = "refer from " + victim + " by " + strings.TrimSpace(ref)
			fsys[victim].Data = append(slices.Clone(fsys[victim].Data), []byte(ref)...)
			changed = []string{victim}
		case 7: // static file edit
			op = "edit static file"
			fsys["static/robots.txt"] = &fstest.MapFile{Data: []byte(fmt.Sprintf("User-agent: *\nDisallow: /%d\n", step))}
			changed = []string{"static/robots.txt"}
		case 8: // new static folder
			dir := fmt.Sprintf("static/s%d", next)
			next++
			op = "create " + dir
			fsys[dir+"/note.txt"] = &fstest.MapFile{Data: []byte(op)}
			changed = []string{dir}
		}
		got := inc.Build(context.Background(), changed)
		want := New(fsys, Options{}).Build(context.Background(), nil)
		if (got.Diagnostics.Err() == nil) != (want.Diagnostics.Err() == nil) {
			t.Fatalf("step %d (%s): incremental errors %v, full errors %v", step, op, got.Diagnostics.Err(), want.Diagnostics.Err())
		}
		if want.Diagnostics.Err() != nil {
			continue // a rename may collide on a slug: both must fail alike
		}
		for p, data := range want.Files {
			if g, ok := got.Files[p]; !ok {
				t.Fatalf("step %d (%s): %s missing from the incremental build", step, op, p)
			} else if string(g) != string(data) {
				t.Fatalf("step %d (%s): %s differs from the full build", step, op, p)
			}
		}
		for p := range got.Files {
			if _, ok := want.Files[p]; !ok {
				t.Fatalf("step %d (%s): %s is stale in the incremental build", step, op, p)
			}
		}
	}
}

// TestIncrementalChanged reports only the pages a body edit touches.
func TestIncrementalChanged(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	fsys := fstest.MapFS{}
	for i := range 20 {
		fsys[fmt.Sprintf("content/p%d.md", i)] = &fstest.MapFile{Data: []byte(randomPostmortem(r, i))}
	}
	b := New(fsys, Options{})
	mustBuild(t, b, nil)
	fsys["content/p3.md"].Data = append(slices.Clone(fsys["content/p3.md"].Data), "\nA new sentence.\n"...)
	res := mustBuild(t, b, []string{"content/p3.md"})
	if !slices.Contains(res.Changed, "incidents/p3.html") {
		t.Errorf("changed pages %v lack the edited postmortem", res.Changed)
	}
	if slices.Contains(res.Changed, "assets/style.css") || len(res.Changed) > len(res.Files)/2 {
		t.Errorf("a body edit changed %d of %d files: %v", len(res.Changed), len(res.Files), res.Changed)
	}
	if res := mustBuild(t, b, []string{"content/p3.md"}); len(res.Changed) != 0 {
		t.Errorf("a rebuild without edits changed %v", res.Changed)
	}
}

// cancelOn is a site that calls cancel, when set, on opening the file name.
type cancelOn struct {
	fs.FS
	name   string
	cancel context.CancelFunc
}

func (c *cancelOn) Open(name string) (fs.File, error) {
	if name == c.name && c.cancel != nil {
		c.cancel()
	}
	return c.FS.Open(name)
}

// TestCanceledBuild cancels a build at several stages: it returns no
// files, and the next build, incremental, is as a fresh full build.
func TestCanceledBuild(t *testing.T) {
	for _, at := range []string{"content/p15.md", "content/2024/bundle/d.svg", "static/robots.txt"} {
		t.Run(at, func(t *testing.T) {
			fsys := randomSite(rand.New(rand.NewPCG(5, 6)), 30)
			site := &cancelOn{FS: fsys, name: at}
			b := New(site, Options{})
			mustBuild(t, b, nil)
			fsys["content/p3.md"].Data = append(slices.Clone(fsys["content/p3.md"].Data), "\nA new sentence.\n"...)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			site.cancel = cancel
			if res := b.Build(ctx, nil); res.Files != nil || res.Site != nil || ctx.Err() == nil {
				t.Fatalf("a canceled build returned %d files (canceled: %v)", len(res.Files), ctx.Err())
			}
			site.cancel = nil
			fsys["content/p3.md"].Data = append(slices.Clone(fsys["content/p3.md"].Data), "\nAnother.\n"...)
			got := mustBuild(t, b, []string{"content/p3.md"})
			want := mustBuild(t, New(fsys, Options{}), nil)
			if !maps.EqualFunc(got.Files, want.Files, bytes.Equal) {
				t.Errorf("the build after a canceled one has %d files, a fresh build %d, or they differ", len(got.Files), len(want.Files))
			}
			if got.Postmortems != 31 {
				t.Errorf("the build after a canceled one shows %d postmortems, want 31", got.Postmortems)
			}
		})
	}
}

// everyField is a theme that shows every field of every piece of page data:
// with it, an incremental build that misses a change shows it.
func everyField(t *testing.T) map[string]string {
	t.Helper()
	// dump shows every exported field, and every method that takes
	// nothing, of the value of type typ at dot; skip names those left out.
	dump := func(typ reflect.Type, skip ...string) string {
		var b strings.Builder
		for i := range typ.Elem().NumField() {
			if f := typ.Elem().Field(i); f.IsExported() && !slices.Contains(skip, f.Name) {
				fmt.Fprintf(&b, "%s={{.%s}}\n", f.Name, f.Name)
			}
		}
		for i := range typ.NumMethod() {
			if m := typ.Method(i); m.Type.NumIn() == 1 && !slices.Contains(skip, m.Name) {
				fmt.Fprintf(&b, "%s()={{.%s}}\n", m.Name, m.Name)
			}
		}
		return b.String()
	}
	pm := `{{define "pm"}}` + dump(reflect.TypeFor[*render.Incident](), "PM", "Row", "Link") +
		`{{with .PM}}` + dump(reflect.TypeFor[*postmortem.Postmortem]()) + `{{end}}{{end}}` +
		`{{define "term"}}` + dump(reflect.TypeFor[*render.Term](), "Incidents") + `{{range .Incidents}}{{template "pm" .}}{{end}}{{end}}`
	site := `{{.Root}} ` + strings.ReplaceAll(dump(reflect.TypeFor[*render.Site](), "Taxonomies"), "{{.", "{{.Site.") +
		`{{range .Site.Taxonomies}}` + dump(reflect.TypeFor[*render.SiteTaxonomy]()) + `{{end}}`
	report := `{{with .Report}}{{.Vocabulary}}{{range .NearDuplicates}}` + dump(reflect.TypeFor[*render.NearDuplicate]()) + `{{end}}` +
		`{{range .NoRootCause}}{{template "pm" .}}{{end}}{{range .Once}}{{.Term}}{{.Target}}{{range .Incidents}}{{template "pm" .}}{{end}}{{end}}{{range .OutsideVocabulary}}{{.Term}}{{.Target}}{{range .Incidents}}{{template "pm" .}}{{end}}{{end}}{{range .Aliases}}{{.Term}}{{.Target}}{{range .Incidents}}{{template "pm" .}}{{end}}{{end}}{{end}}`
	// The figures, the ledger and a postmortem's action items, without the
	// addresses that printing a pointer shows.
	action := `{{define "action"}}` + dump(reflect.TypeFor[*render.ActionView](), "ActionItem") + `{{with .ActionItem}}` + dump(reflect.TypeFor[*postmortem.ActionItem]()) + `{{end}}{{end}}` +
		`{{define "owner"}}` + dump(reflect.TypeFor[*render.OwnerItems](), "Items") + `{{range .Items}}{{template "action" .}}{{end}}{{end}}` +
		`{{define "pm-items"}}` + dump(reflect.TypeFor[*render.PostmortemItems](), "Items") + `{{range .Items}}{{template "action" .}}{{end}}{{end}}`
	follow := `{{with .Actions}}{{.Tally}}{{range .Items}}{{template "action" .}}{{end}}{{end}}` +
		`{{with .Ledger}}` + dump(reflect.TypeFor[*render.LedgerView](), "Owners", "Owner", "Postmortems", "ByPostmortem") +
		`{{range .Owners}}{{template "owner" .}}{{end}}{{with .Owner}}{{template "owner" .}}{{end}}` +
		`{{range .Postmortems}}{{template "pm-items" .}}{{end}}{{range .ByPostmortem}}{{template "pm-items" .}}{{end}}{{end}}` +
		`{{with .Insights}}{{.Data.Quarters}}{{.Data.Months}}{{.Data.Recurrences}}{{.Data.RootCauses}}{{.Data.Services}}{{.MonthsChart}}{{.TimesChart}}{{range .Recurrences}}{{.Recurrence}}{{.Incident.Link}}{{.Previous.Link}}{{end}}{{end}}` +
		`{{with .TermInsights}}{{.Quarters}}{{.Sparkline}}{{.Chart}}{{.MedianMinutesToResolve}}{{end}}`
	page := dump(reflect.TypeFor[*render.Page](), "Site", "Incident", "Related", "Prev", "Next", "Incidents", "Term", "Terms", "TopCauses", "Shared", "Links",
		"References", "ReferencedBy", "Report", "Insights", "Ledger", "Actions", "TermInsights") + report + follow +
		`{{range .References}}{{with .}}{{template "pm" .}}{{else}}unbuilt{{end}}{{end}}{{range .ReferencedBy}}{{template "pm" .}}{{end}}` +
		`{{with .Incident}}{{template "pm" .}}{{.Link}}{{end}}{{range .Related}}{{.Reason}}{{template "pm" .Incident}}{{.Incident.Link}}{{end}}` +
		`{{with .Prev}}{{template "pm" .}}{{end}}{{with .Next}}{{template "pm" .}}{{end}}` +
		`{{range .Incidents}}{{template "pm" .}}{{.Row}}{{end}}{{with .Term}}{{template "term" .}}{{end}}` +
		`{{range .Terms}}{{template "term" .}}{{end}}{{range .TopCauses}}{{template "term" .}}{{end}}`
	files := map[string]string{
		"layouts/partials/zz-every-field.html": pm + action +
			`{{define "incident-row"}}{{.Root}}{{template "pm" .Incident}}{{end}}` +
			`{{define "incident-link"}}{{.Root}}{{.Incident.URL}}{{.Incident.PM.Title}}{{.Links .Incident.TagLinks "t" ","}}{{end}}` +
			`{{define "site-header"}}` + site + `{{end}}{{define "site-footer"}}{{end}}{{define "site-head"}}{{end}}`,
	}
	for _, name := range render.Templates {
		files["layouts/"+name] = `{{define "main"}}` + page + `{{end}}`
	}
	return files
}

// fieldEdits change one field of the front matter written by
// fullPostmortem; each is a line that replaces the field's line.
var fieldEdits = map[string]string{
	"title": "title: A changed title", "date": "date: 2024-03-04", "started": "started: 2024-03-05 09:50",
	"detected": "detected: 2024-03-05 10:06", "acknowledged": "acknowledged: 2024-03-05 10:08",
	"mitigated": "mitigated: 2024-03-05 10:31", "resolved": "resolved: 2024-03-05 12:30",
	"timezone": "timezone: Asia/Tokyo", "severity": "severity: SEV4", "status": "status: final", "draft": "draft: true", "visibility": "visibility: internal",
	"root_causes": "root_causes: [dns, disk-full]", "contributing_factors": "contributing_factors: [manual-step]",
	"trigger": "trigger: a config push", "detection": "detection: a customer", "services": "services: [web, auth]",
	"tags": "tags: [storage]", "authors": "authors: [ada, grace]", "summary": "summary: Another summary.",
	"action_items": "action_items: [{title: Fix it, owner: grace, status: done, type: prevent, due: 2024-04-02}]",
	"slug":         "slug: renamed",
}

// fullPostmortem writes postmortem i with every front matter field, but
// the time zone when i is odd; all but the first refer to the first.
func fullPostmortem(i int) string {
	ref := " It followed [[incident-0]]."
	if i == 0 {
		ref = ""
	}
	zone := "timezone: Europe/Berlin\n"
	if i%2 == 1 {
		zone = ""
	}
	return fmt.Sprintf(`---
title: Incident %[1]d
date: 2024-03-05
started: 2024-03-05 10:00
detected: 2024-03-05 10:05
acknowledged: 2024-03-05 10:07
mitigated: 2024-03-05 10:30
resolved: 2024-03-05 11:%02[2]d
%[6]sseverity: SEV%[3]d
status: review
draft: false
visibility: public
root_causes: [%[4]s]
contributing_factors: [no-canary]
trigger: a deploy
detection: an alert
services: [%[5]s]
tags: [network]
authors: [ada]
summary: Summary %[1]d.
action_items: [{title: Fix, owner: bob, status: open, type: mitigate, due: 2024-04-01}, {title: Watch, owner: %[8]s, status: done}]
slug: incident-%[1]d
---
Body of incident %[1]d.%[7]s

## Timeline

- 10:00 — Impact began
- 10:05 — Alert fired
`, i, 10+i, 1+i%4, causes[i%len(causes)], services[i%len(services)], zone, ref, owners[i%len(owners)])
}

// TestIncrementalEveryField edits one thing at a time (each front matter
// field, the body, the configuration, a static file, a template) under a
// theme that shows every field, and wants the output of a full build
// after each edit.
func TestIncrementalEveryField(t *testing.T) {
	// Lists of 3 a page, till the configuration is edited: the ledger's
	// lists, of owners and items, each have pages.
	fsys := fstest.MapFS{"static/robots.txt": {Data: []byte("User-agent: *\n")}, "postmortem.yaml": {Data: []byte("page_size: 3\n")}}
	for p, src := range everyField(t) {
		fsys[p] = &fstest.MapFile{Data: []byte(src)}
	}
	for i := range 8 {
		fsys[fmt.Sprintf("content/p%d.md", i)] = &fstest.MapFile{Data: []byte(fullPostmortem(i))}
	}
	type edit struct {
		name, path string
		apply      func(old string) string
	}
	var edits []edit
	for k, field := range config.FieldNames {
		line, ok := fieldEdits[field]
		if !ok {
			t.Fatalf("no edit of front matter field %s: add one to fieldEdits", field)
		}
		// p7 stays for the draft edit, which takes it out of the site.
		target := k % 7
		if field == "draft" {
			target = 7
		}
		edits = append(edits, edit{field, fmt.Sprintf("content/p%d.md", target), func(old string) string {
			var out []string
			for _, l := range strings.Split(old, "\n") {
				if strings.HasPrefix(l, field+":") {
					l = line
				}
				out = append(out, l)
			}
			return strings.Join(out, "\n")
		}})
	}
	edits = append(edits,
		edit{"body", "content/p3.md", func(old string) string { return old + "\nOne more sentence.\n" }},
		edit{"status to draft", "content/p4.md", func(old string) string { return strings.Replace(old, "status: review", "status: draft", 1) }},
		edit{"config time zone", "postmortem.yaml", func(string) string { return "timezone: America/New_York\n" }},
		edit{"config title", "postmortem.yaml", func(old string) string { return old + "title: Our incidents\n" }},
		edit{"static file", "static/robots.txt", func(string) string { return "User-agent: *\nDisallow: /\n" }},
		edit{"custom.css", "assets/custom.css", func(string) string { return "body { color: teal }\n" }},
		edit{"labels", "labels/en.yaml", func(string) string { return "incidents: Events\nsearch: Find\n" }},
		edit{"language", "postmortem.yaml", func(old string) string { return old + "language: en-GB\n" }},
		edit{"template", "layouts/home.html", func(old string) string { return old + `{{define "head"}}<meta name="x">{{end}}` }},
		edit{"partial", "layouts/partials/zz-every-field.html", func(old string) string {
			return strings.Replace(old, `{{define "site-footer"}}{{end}}`, `{{define "site-footer"}}{{.Site.Title}}{{end}}`, 1)
		}},
	)
	inc := New(fsys, Options{})
	mustBuild(t, inc, nil)
	for _, e := range edits {
		var old string
		if f, ok := fsys[e.path]; ok {
			old = string(f.Data)
		}
		fsys[e.path] = &fstest.MapFile{Data: []byte(e.apply(old))}
		got := inc.Build(context.Background(), []string{e.path})
		want := New(fsys, Options{}).Build(context.Background(), nil)
		if err := want.Diagnostics.Err(); err != nil {
			t.Fatalf("edit of %s: the full build fails: %v", e.name, err)
		}
		if err := got.Diagnostics.Err(); err != nil {
			t.Fatalf("edit of %s: the incremental build fails: %v", e.name, err)
		}
		if d := diff(got.Files, want.Files); len(d) > 0 {
			t.Errorf("edit of %s: the incremental build differs from the full one in %v", e.name, d)
		}
		if len(got.Changed) == 0 {
			t.Errorf("edit of %s changed no file", e.name)
		}
	}
}

// diff lists the paths whose content differs between two outputs, sorted.
func diff(a, b map[string][]byte) []string {
	var out []string
	for p, data := range a {
		if o, ok := b[p]; !ok || !bytes.Equal(o, data) {
			out = append(out, p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// TestSummaryTitles wants a summary taken from a first paragraph that
// names another postmortem by [[slug]] to show its title, as the page does,
// on the home page, in the feed and in the search's cards; and, once that
// title changes, the rebuild to show the new one, as a full build does.
func TestSummaryTitles(t *testing.T) {
	fsys := fstest.MapFS{
		"content/a.md": {Data: []byte("---\ntitle: DNS resolver overload\ndate: 2024-01-10\nroot_causes: [dns]\n---\n\nResolvers fell over.\n")},
		"content/b.md": {Data: []byte("---\ntitle: Second one\ndate: 2024-02-10\nroot_causes: [dns]\n---\n\nSame failure as [[a]], see [[a|the first]] and [](a.md).\n")},
	}
	inc := New(fsys, Options{})
	res := mustBuild(t, inc, nil)
	want := "Same failure as DNS resolver overload, see the first and DNS resolver overload."
	for _, f := range []string{"index.html", "feed.xml", "incidents.csv"} {
		if !strings.Contains(string(res.Files[f]), want) {
			t.Errorf("%s lacks the summary %q", f, want)
		}
	}
	fsys["content/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Resolvers overloaded\ndate: 2024-01-10\nroot_causes: [dns]\n---\n\nResolvers fell over.\n")}
	res = mustBuild(t, inc, []string{"content/a.md"})
	full := mustBuild(t, New(fsys, Options{}), nil)
	want = "Same failure as Resolvers overloaded, see the first and Resolvers overloaded."
	if !strings.Contains(string(res.Files["index.html"]), want) {
		t.Errorf("after a's new title, index.html lacks %q", want)
	}
	for p, data := range full.Files {
		if got, ok := res.Files[p]; ok && !bytes.Equal(got, data) {
			t.Errorf("%s differs from a full build's", p)
		}
	}
	// An edit of b's body below its first paragraph is a body edit: the
	// site is not linked again, and b keeps its summary.
	fsys["content/b.md"] = &fstest.MapFile{Data: append(slices.Clone(fsys["content/b.md"].Data), "\nA second paragraph.\n"...)}
	again := mustBuild(t, inc, []string{"content/b.md"})
	if again.Site != res.Site {
		t.Error("an edit of b's body linked the site again")
	}
	full = mustBuild(t, New(fsys, Options{}), nil)
	for p, data := range full.Files {
		if got, ok := again.Files[p]; ok && !bytes.Equal(got, data) {
			t.Errorf("after the body edit, %s differs from a full build's", p)
		}
	}
}

// TestBuilt: Built tells the paths of the last successful output, which a
// review of the links reads: a page is there once built, gone once its
// postmortem is removed, and a failed build changes neither.
func TestBuilt(t *testing.T) {
	fsys := fstest.MapFS{
		"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2024-01-02\n---\nText.\n")},
		"content/b.md": {Data: []byte("---\ntitle: B\ndate: 2024-01-03\n---\nText.\n")},
	}
	b := New(fsys, Options{})
	if res := b.Build(context.Background(), nil); res.Site == nil {
		t.Fatal(res.Diagnostics)
	}
	for p, want := range map[string]bool{"incidents/a.html": true, "incidents/b.html": true, "index.html": true, "incidents/c.html": false} {
		if got := b.Built(p); got != want {
			t.Errorf("Built(%q) = %v, want %v", p, got, want)
		}
	}
	delete(fsys, "content/b.md")
	if res := b.Build(context.Background(), []string{"content/b.md"}); res.Site == nil {
		t.Fatal(res.Diagnostics)
	}
	if b.Built("incidents/b.html") {
		t.Error("the page of a removed postmortem is still built")
	}
	fsys["content/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: A\ndate: nope\n---\n")}
	if res := b.Build(context.Background(), []string{"content/a.md"}); res.Site != nil {
		t.Fatal("a date of nope built")
	}
	if !b.Built("incidents/a.html") {
		t.Error("a failed build dropped the pages of the last good one")
	}
}
