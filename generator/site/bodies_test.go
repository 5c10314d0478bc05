package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/postmortem/postmortem/generator/postmortem"
)

// bodySite is a site of 12 postmortems, in lists of 4 a page.
func bodySite() fstest.MapFS {
	r := rand.New(rand.NewPCG(5, 6))
	fsys := fstest.MapFS{"postmortem.yaml": {Data: []byte("page_size: 4\n")}}
	for i := range 12 {
		fsys[fmt.Sprintf("content/p%d.md", i)] = &fstest.MapFile{Data: []byte(randomPostmortem(r, i))}
	}
	return fsys
}

// edit applies f to the file at p of fsys.
func edit(fsys fstest.MapFS, p string, f func(string) string) {
	fsys[p] = &fstest.MapFile{Data: []byte(f(string(fsys[p].Data)))}
}

// sameAsFull fails the test unless res, of an incremental build, has the
// output of a fresh build of fsys.
func sameAsFull(t *testing.T, what string, fsys fstest.MapFS, res *Result) {
	t.Helper()
	want := mustBuild(t, New(fsys, Options{}), nil)
	if d := diff(res.Files, want.Files); len(d) > 0 {
		t.Errorf("%s: the incremental build differs from the full one in %v", what, d)
	}
}

// TestBodyEditKeepsSite edits bodies alone: the rebuild renders again the
// edited pages and the search index, and keeps the linked site, which a
// rebuild after any other edit links anew, as after a failed build.
func TestBodyEditKeepsSite(t *testing.T) {
	fsys := bodySite()
	fsys["content/README.md"] = &fstest.MapFile{Data: []byte("How we write postmortems.\n")}
	fsys["content/draft.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Draft\ndate: 2024-05-01\nstatus: draft\n---\nNot yet.\n")}
	b := New(fsys, Options{})
	last := mustBuild(t, b, nil)
	if len(last.Skipped) != 1 {
		t.Fatalf("skipped %v, want README.md", last.Skipped)
	}
	step := 0
	rebuild := func(what string, keeps bool, paths ...string) {
		t.Helper()
		res := mustBuild(t, b, paths)
		if kept := res.Site == last.Site; kept != keeps {
			t.Errorf("%s: the linked site kept is %v, want %v", what, kept, keeps)
		}
		sameAsFull(t, what, fsys, res)
		last = res
	}
	addNote := func(s string) string {
		step++
		return s + fmt.Sprintf("\nNote %d: wombat%d.\n", step, step)
	}

	edit(fsys, "content/p3.md", addNote)
	rebuild("a sentence added to a body", true, "content/p3.md")
	if !strings.Contains(string(last.Files["incidents/p3.html"]), "wombat1") {
		t.Errorf("the page of the edited postmortem lacks its new sentence")
	}
	for _, p := range last.Changed {
		if !strings.HasPrefix(p, "search/") && p != "incidents/p3.html" {
			t.Errorf("a body edit changed %s", p)
		}
	}
	edit(fsys, "content/p2.md", addNote)
	rebuild("a save through a temporary file, gone since", true, "content/.p2.md.tmp", "content/p2.md")
	edit(fsys, "content/p3.md", func(s string) string { return strings.Replace(s, "wombat1", "numbat", 1) })
	edit(fsys, "content/p5.md", addNote)
	rebuild("a word replaced in one body, a sentence added to another", true, "content/p3.md", "content/p5.md")
	edit(fsys, "content/p3.md", func(s string) string {
		return strings.Replace(s, "## Timeline", "A line before the timeline.\n\n## Timeline", 1)
	})
	rebuild("a line that moves the timeline's lines", true, "content/p3.md")
	edit(fsys, "content/p7.md", func(s string) string { return s + "\nSee [[draft]].\n" })
	rebuild("a reference to a draft added", false, "content/p7.md")
	for range 2 {
		edit(fsys, "content/p7.md", func(s string) string { return strings.Replace(s, "See [[draft]]", "A line.\n\nSee [[draft]]", 1) })
		rebuild("a line that moves the reference", true, "content/p7.md")
		full := mustBuild(t, New(fsys, Options{}), nil)
		if got, want := fmt.Sprint(last.Diagnostics), fmt.Sprint(full.Diagnostics); got != want || !strings.Contains(want, "draft") {
			t.Errorf("after a line that moves a reference, the warnings are\n%s\nwant\n%s", got, want)
		}
	}
	edit(fsys, "content/p4.md", func(s string) string { return strings.Replace(s, "title: ", "title: Renamed ", 1) })
	rebuild("a title edited", false, "content/p4.md")

	edit(fsys, "content/p6.md", func(s string) string { return strings.Replace(s, "severity: ", "severity: [", 1) })
	if res := b.Build(context.Background(), []string{"content/p6.md"}); res.Diagnostics.Err() == nil {
		t.Fatal("a broken front matter built")
	}
	edit(fsys, "content/p6.md", func(s string) string { return addNote(strings.Replace(s, "severity: [", "severity: ", 1)) })
	rebuild("a body edited after a failed build", false, "content/p6.md")
	edit(fsys, "content/p6.md", addNote)
	rebuild("a body edited after that", true, "content/p6.md")

	delete(fsys, "content/README.md")
	edit(fsys, "content/p6.md", addNote)
	rebuild("a skipped file removed", false, "content/README.md", "content/p6.md")
	if len(last.Skipped) != 0 {
		t.Errorf("the removed README.md is still skipped: %v", last.Skipped)
	}
}

// TestBodiesShownElsewhere: a theme whose lists show the bodies of their
// incidents, the hashes of their files, or the lines of their timelines,
// by name or through printf, has them shown right after an edit of a body
// alone; one that prints timelines whole, as JSON in a script or through a
// label shows no line.
func TestBodiesShownElsewhere(t *testing.T) {
	sentence := func(s string) string { return s + "\nA wombat was seen.\n" }
	line := func(s string) string {
		return strings.Replace(s, "## Timeline", "A wombat was seen.\n\n## Timeline", 1)
	}
	for _, tc := range []struct {
		name, shows string
		edit        func(string) string
		shown       func(*Result) string // what a list shows of the edited postmortem, "" for nothing new
	}{
		{"body", "{{.Incident.PM.Text}}", sentence, func(*Result) string { return "A wombat was seen." }},
		{"hash", "{{.Incident.PM.Hash}}", sentence, func(res *Result) string { return fmt.Sprint(postmortem.HashOf(edited(res))) }},
		{"lines", "{{range .Incident.PM.Timeline}}{{.Line}}. {{end}}", line, func(res *Result) string {
			return fmt.Sprintf("%d. %d. ", edited(res).Timeline[0].Line, edited(res).Timeline[1].Line)
		}},
		{"timeline whole", "{{.Incident.PM.Timeline}}", line, func(*Result) string { return "" }},
		{"timeline as JSON", `<script type="application/ld+json">{{.Incident.PM.Timeline}}</script>`, line, func(*Result) string { return "" }},
		{"timeline in a handler", `<button onclick="show({{.Incident.PM.Timeline}})">t</button>`, line, func(*Result) string { return "" }},
		{"timeline with printf", `{{printf "%d" .Incident.PM.Timeline}}`, line, func(*Result) string { return "" }},
		{"timeline into a script through a template", `<script>var t = {{template "tl" .Incident.PM.Timeline}};</script>`, line, func(*Result) string { return "" }},
		{"timeline through a label", `{{range .Incident.PM.Timeline}}{{label "entry_at" .}} {{end}}`, line, func(*Result) string { return "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := bodySite()
			fsys["layouts/partials/incident-row.html"] = &fstest.MapFile{Data: []byte(
				`{{define "tl"}}{{.}}{{end}}{{define "incident-row"}}<tr><td><a href="{{.Incident.URL}}">{{.Incident.PM.Title}}</a></td><td>` + tc.shows + `</td></tr>{{end}}`)}
			fsys["labels/en.yaml"] = &fstest.MapFile{Data: []byte("entry_at: \"%d\"\n")} // whose %d would print every field
			b := New(fsys, Options{})
			mustBuild(t, b, nil)
			edit(fsys, "content/p3.md", tc.edit)
			res := mustBuild(t, b, []string{"content/p3.md"})
			sameAsFull(t, "a body edit", fsys, res)
			shown := tc.shown(res)
			if shown == "" {
				return
			}
			found := false
			for p, data := range res.Files {
				if p != "incidents/p3.html" && strings.HasSuffix(p, ".html") && strings.Contains(string(data), shown) {
					found = true
				}
			}
			if !found {
				t.Errorf("no list shows the edited postmortem's new %s, %q", tc.name, shown)
			}
		})
	}
}

// TestPlacesNotCompared: what a body holds cannot be compared whole with
// eq, which would compare where it is, so that no page shows the outcome.
func TestPlacesNotCompared(t *testing.T) {
	fsys := bodySite()
	fsys["layouts/partials/incident-row.html"] = &fstest.MapFile{Data: []byte(
		`{{define "incident-row"}}<tr><td>{{with .Incident.PM.Timeline}}{{if eq (index . 0) (index . 0)}}same{{end}}{{end}}</td></tr>{{end}}`)}
	res := New(fsys, Options{}).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), "non-comparable type") {
		t.Errorf("a theme compared timeline entries with eq: %v", err)
	}
}

// TestActionsPrintedWhole: a postmortem page that prints its action items
// whole ({{$.Actions}}) is as a full build makes it after a body edit.
func TestActionsPrintedWhole(t *testing.T) {
	fsys := bodySite()
	edit(fsys, "content/p3.md", func(s string) string {
		return strings.Replace(s, "---\n", "---\naction_items:\n  - title: Fix DNS\n    owner: ana\n    status: open\n", 1)
	})
	fsys["layouts/postmortem.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}<p class="dump">{{$.Actions}}</p>{{$.Body}}{{end}}`)}
	b := New(fsys, Options{})
	if !strings.Contains(string(mustBuild(t, b, nil).Files["incidents/p3.html"]), "Fix DNS") {
		t.Fatal("the page does not show its action item")
	}
	edit(fsys, "content/p3.md", func(s string) string { return s + "\nA wombat was seen.\n" })
	sameAsFull(t, "a body edit", fsys, mustBuild(t, b, []string{"content/p3.md"}))
}

// edited returns the postmortem of content/p3.md of res.
func edited(res *Result) *postmortem.Postmortem {
	return res.Site.Postmortems[slices.IndexFunc(res.Site.Postmortems, func(p *postmortem.Postmortem) bool { return p.Path == "content/p3.md" })]
}

// staged is a sink that keeps the output of the last successful build, as
// the preview's folder does: what a build that fails gave it is dropped.
type staged struct {
	mu          sync.Mutex
	files, next map[string][]byte
	fail        string // a path whose Put fails
}

func (s *staged) Put(p string, data []byte) error {
	if p == s.fail {
		return errors.New("no space left on device")
	}
	s.mu.Lock()
	s.next[p] = bytes.Clone(data)
	s.mu.Unlock()
	return nil
}

// build builds with b into s, and keeps its output when it succeeds.
func (s *staged) build(b *Builder, changed ...string) *Result {
	s.next = map[string][]byte{}
	res := b.BuildTo(context.Background(), changed, s)
	if res.Site == nil {
		return res
	}
	for _, p := range res.Changed {
		if data, ok := s.next[p]; ok {
			s.files[p] = data
		} else {
			delete(s.files, p)
		}
	}
	return res
}

// TestFailedBodyEdit: a rebuild after an edit of a body alone that fails
// (its page could not be written) leaves the next build, after another
// edit, with the output of a full build, the first edit's page included.
func TestFailedBodyEdit(t *testing.T) {
	fsys := bodySite()
	b := New(fsys, Options{})
	out := &staged{files: map[string][]byte{}}
	if res := out.build(b); res.Site == nil {
		t.Fatalf("the first build failed: %v", res.Diagnostics.Err())
	}
	edit(fsys, "content/p3.md", func(s string) string { return s + "\nA wombat was seen.\n" })
	out.fail = "incidents/p3.html"
	if res := out.build(b, "content/p3.md"); res.Site != nil {
		t.Fatal("a build whose page could not be written succeeded")
	}
	out.fail = ""
	edit(fsys, "content/p5.md", func(s string) string { return s + "\nA numbat too.\n" })
	if res := out.build(b, "content/p5.md"); res.Site == nil {
		t.Fatalf("the next build failed: %v", res.Diagnostics.Err())
	}
	want := mustBuild(t, New(fsys, Options{}), nil)
	if d := diff(out.files, want.Files); len(d) > 0 {
		t.Errorf("after a failed body edit and another, the output differs from a full build in %v", d)
	}
}
