package site

import (
	"context"
	"flag"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/postmortem/postmortem/generator/diag"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/")

// siteFS reads a txtar archive of a site into a file system.
func siteFS(t *testing.T, archive string) fstest.MapFS {
	t.Helper()
	a := txtar.Parse([]byte(archive))
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	return fsys
}

func mustBuild(t *testing.T, b *Builder, changed []string) *Result {
	t.Helper()
	res := b.Build(context.Background(), changed)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return res
}

var hrefRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// TestLinksResolve checks that every relative link of the example site
// points at a file of the output.
func TestLinksResolve(t *testing.T) {
	res := mustBuild(t, New(os.DirFS("../.."), Options{Drafts: true}), nil)
	if res.Postmortems < 8 {
		t.Fatalf("example site has %d postmortems, want at least 8", res.Postmortems)
	}
	checked := 0
	for _, p := range slices.Sorted(mapKeys(res.Files)) {
		if !strings.HasSuffix(p, ".html") || p == "404.html" {
			continue
		}
		for _, m := range hrefRE.FindAllStringSubmatch(string(res.Files[p]), -1) {
			u := strings.ReplaceAll(m[1], "&amp;", "&")
			if u == "" || strings.Contains(u, "://") || strings.HasPrefix(u, "mailto:") || strings.HasPrefix(u, "#") {
				continue
			}
			u, _, _ = strings.Cut(u, "#")
			u, _, _ = strings.Cut(u, "?")
			if dec, err := url.PathUnescape(u); err == nil {
				u = dec // as a browser asks for tom%c3%a1s.html
			}
			if strings.HasPrefix(u, "/") {
				t.Errorf("%s: link %q is absolute; the site must work under any path", p, m[1])
				continue
			}
			target := path.Join(path.Dir(p), u)
			if strings.HasSuffix(u, "/") || u == "." || u == ".." {
				target = path.Join(target, "index.html")
			}
			if _, ok := res.Files[target]; !ok {
				t.Errorf("%s: link %q points at %s, which was not built", p, m[1], target)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("checked only %d links", checked)
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestGolden compares the example site with testdata/example.txtar: every
// page, the export and the feed. Run with -update to rewrite it, and read
// the diff before committing it.
func TestGolden(t *testing.T) {
	res := mustBuild(t, New(os.DirFS("../.."), Options{BaseURL: "https://postmortems.example.com/", Now: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}), nil)
	var a txtar.Archive
	a.Comment = []byte("The example site built with --base-url https://postmortems.example.com/ --now 2024-06-01 (go test ./generator/site -run TestGolden -update).\n")
	for _, p := range slices.Sorted(mapKeys(res.Files)) {
		if strings.HasPrefix(p, "assets/") || strings.HasPrefix(p, "search/") && p != "search/index.html" || !strings.Contains(p, ".") {
			continue
		}
		switch path.Ext(p) {
		case ".html", ".json", ".xml":
			a.Files = append(a.Files, txtar.File{Name: p, Data: res.Files[p]})
		}
	}
	got := txtar.Format(&a)
	const golden = "testdata/example.txtar"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(got) == string(want) {
		return
	}
	wa := txtar.Parse(want)
	wantFiles := map[string]string{}
	for _, f := range wa.Files {
		wantFiles[f.Name] = string(f.Data)
	}
	for _, f := range a.Files {
		w, ok := wantFiles[f.Name]
		if !ok {
			t.Errorf("%s: new file", f.Name)
			continue
		}
		delete(wantFiles, f.Name)
		if w != string(f.Data) {
			gl, wl := strings.Split(string(f.Data), "\n"), strings.Split(w, "\n")
			for i := 0; i < max(len(gl), len(wl)); i++ {
				g, ww := "", ""
				if i < len(gl) {
					g = gl[i]
				}
				if i < len(wl) {
					ww = wl[i]
				}
				if g != ww {
					t.Errorf("%s:%d differs:\n got: %s\nwant: %s", f.Name, i+1, g, ww)
					break
				}
			}
		}
	}
	for name := range wantFiles {
		t.Errorf("%s: no longer built", name)
	}
}

// TestDeterministic builds the example site twice, with fresh builders, and
// wants the same bytes.
func TestDeterministic(t *testing.T) {
	a := mustBuild(t, New(os.DirFS("../.."), Options{Drafts: true}), nil)
	b := mustBuild(t, New(os.DirFS("../.."), Options{Drafts: true}), nil)
	if len(a.Files) != len(b.Files) {
		t.Fatalf("%d files, then %d", len(a.Files), len(b.Files))
	}
	for p, data := range a.Files {
		if string(b.Files[p]) != string(data) {
			t.Errorf("%s differs between two builds", p)
		}
	}
}

const xss = `<script>alert(1)</script>`

// TestEscaping puts a script in every front matter field and in the body,
// and wants it shown as text everywhere, never run.
func TestEscaping(t *testing.T) {
	fm := strings.NewReplacer("X", xss).Replace(`---
title: "X"
date: 2023-01-02
severity: SEV1
status: final
root_causes: ["X", "dns"]
contributing_factors: ["X"]
services: ["X"]
tags: ["X"]
authors: ["X"]
trigger: "X"
detection: "X"
summary: "X"
action_items:
  - {title: "X", owner: "X", status: open, type: prevent, url: "https://example.com/X"}
---
Body X and <img src=x onerror=alert(2)> [link](javascript:alert(3))

## Timeline

- 08:00 X began
- 09:00 X ended
`)
	site := siteFS(t, "-- content/a.md --\n"+fm+"-- content/b.md --\n---\ntitle: other\ndate: 2023-01-03\nroot_causes: [dns]\n---\nx\n")
	res := mustBuild(t, New(site, Options{}), nil)
	seen := 0
	for p, data := range res.Files {
		s := string(data)
		if strings.HasSuffix(p, ".csv") {
			// Data, served as text/csv and never run: the text as written.
			if !strings.Contains(s, xss) {
				t.Errorf("%s lacks the text as written", p)
			}
			continue
		}
		for _, bad := range []string{"<script>alert", "<img src=x onerror", `href="javascript:`} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains %q unescaped", p, bad)
			}
		}
		if strings.Contains(s, "&lt;script&gt;alert(1)&lt;/script&gt;") || strings.Contains(s, `\u003cscript\u003e`) {
			seen++
		}
	}
	if seen < 5 {
		t.Errorf("the escaped script shows in only %d files; the fields did not make it into the pages", seen)
	}
}

func TestUnsafeHTMLWhenEnabled(t *testing.T) {
	site := siteFS(t, "-- postmortem.yaml --\nunsafe_html: true\n-- content/a.md --\n---\ntitle: a\ndate: 2023-01-02\nroot_causes: [x]\n---\n<kbd>Ctrl</kbd>\n")
	res := mustBuild(t, New(site, Options{}), nil)
	if !strings.Contains(string(res.Files["incidents/a.html"]), "<kbd>Ctrl</kbd>") {
		t.Error("unsafe_html: true did not let raw HTML through")
	}
}

// TestAllErrorsReported wants every broken file reported, not just the first.
func TestAllErrorsReported(t *testing.T) {
	site := siteFS(t, `-- content/a.md --
---
title: a
date: 2023-02-30
root_causes: [x]
---
-- content/b.md --
---
title: b
date: 2023-01-02
severity: P1
root_causes: [x]
---
-- content/c.md --
---
title: c
date: 2023-01-02
slug: a
root_causes: [x]
---
`)
	res := New(site, Options{}).Build(context.Background(), nil)
	var got []string
	for _, d := range res.Diagnostics.Errors() {
		got = append(got, d.Error())
	}
	want := []string{
		`content/a.md:3:7: date: cannot read "2023-02-30" as a time: February 2023 has 28 days (want 2023-08-06, 2023-08-06 08:00 or 2023-08-06T08:00:00Z)`,
		`content/b.md:4:11: severity: unknown level "P1" (want one of SEV1, SEV2, SEV3, SEV4, SEV5)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.Files != nil {
		t.Error("a failed build returned files")
	}
}

func TestDuplicateSlug(t *testing.T) {
	site := siteFS(t, "-- content/a.md --\n---\ntitle: a\ndate: 2023-01-02\nroot_causes: [x]\n---\n-- content/2023/a.md --\n---\ntitle: a2\ndate: 2023-01-03\nroot_causes: [x]\n---\n")
	res := New(site, Options{}).Build(context.Background(), nil)
	want := "content/2023/a.md: slug: \"a\" is also the slug of content/a.md (set a distinct slug: in the front matter)\n" +
		`content/a.md: slug: "a" is also the slug of content/2023/a.md (set a distinct slug: in the front matter)`
	if err := res.Diagnostics.Err(); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestDraftsAndBundles(t *testing.T) {
	site := siteFS(t, `-- content/2024/outage/index.md --
---
title: bundle
date: 2024-01-02
root_causes: [x]
---
![diagram](diagram.svg)
-- content/2024/outage/diagram.svg --
<svg xmlns="http://www.w3.org/2000/svg"/>
-- content/draft.md --
---
title: draft
date: 2024-01-03
status: draft
root_causes: [x]
---
`)
	res := mustBuild(t, New(site, Options{}), nil)
	if _, ok := res.Files["incidents/outage/diagram.svg"]; !ok {
		t.Error("bundle asset not copied beside its page")
	}
	if !strings.Contains(string(res.Files["incidents/outage.html"]), `src="outage/diagram.svg"`) {
		t.Error("bundle page does not show its image by a relative link")
	}
	if _, ok := res.Files["incidents/draft.html"]; ok {
		t.Error("draft built without --drafts")
	}
	res = mustBuild(t, New(site, Options{Drafts: true}), nil)
	if !strings.Contains(string(res.Files["incidents/draft.html"]), "draft") {
		t.Error("draft not built, or not marked, with --drafts")
	}
}

// TestThemeOverride overrides one template from layouts/ and one asset from a
// named theme; everything else comes from the default theme.
func TestThemeOverride(t *testing.T) {
	site := siteFS(t, `-- postmortem.yaml --
theme: dark
-- themes/dark/assets/style.css --
body { background: black }
-- layouts/404.html --
{{define "main"}}<p class="custom">Lost?</p>{{end}}
-- content/a.md --
---
title: a
date: 2023-01-02
root_causes: [x]
---
`)
	res := mustBuild(t, New(site, Options{}), nil)
	if got := string(res.Files["assets/style.css"]); got != "body { background: black }\n" {
		t.Errorf("theme asset not overridden: %q", got)
	}
	if !strings.Contains(string(res.Files["404.html"]), `<p class="custom">Lost?</p>`) {
		t.Error("layouts/404.html did not override the theme's")
	}
	if !strings.Contains(string(res.Files["incidents/a.html"]), `class="site-header"`) {
		t.Error("the default theme's other templates are gone")
	}
	if _, ok := res.Files["assets/site.js"]; !ok {
		t.Error("the default theme's other assets are gone")
	}
}

// TestPartialOverride replaces the site header alone, as each partial is a
// file of its own: the footer and the term-link partial the page templates
// call still come from the default theme.
func TestPartialOverride(t *testing.T) {
	site := siteFS(t, `-- layouts/partials/site-header.html --
{{define "site-header"}}<header class="our-header">Ops</header>{{end}}
-- content/a.md --
---
title: a
date: 2023-01-02
root_causes: [dns]
---
`)
	page := string(mustBuild(t, New(site, Options{}), nil).Files["incidents/a.html"])
	if !strings.Contains(page, `<header class="our-header">Ops</header>`) {
		t.Error("layouts/partials/site-header.html did not override the theme's")
	}
	if !strings.Contains(page, `<footer class="site-footer">`) {
		t.Error("the default theme's footer is gone with its header")
	}
	if !strings.Contains(page, `<dd class="chips causes"><a href="../root-causes/dns.html">dns</a></dd>`) {
		t.Error("the root cause chip is missing: term-link should come from the default theme")
	}
}

// TestTemplateError: an error of a template is told once, at the file of
// the theme's layer it is in, its line and column, from the site root:
// whether the template fails to parse or to run, in a page or in a
// partial it calls.
func TestTemplateError(t *testing.T) {
	pm := "-- content/a.md --\n---\ntitle: a\ndate: 2023-01-02\n---\n-- content/b.md --\n---\ntitle: b\ndate: 2023-01-03\n---\n"
	for _, c := range []struct{ name, files, want string }{
		{"a page that does not parse", "-- layouts/404.html --\n{{define \"main\"}}\n{{.Nope}{{end}}\n", "layouts/404.html:2: error: bad character U+007D '}'"},
		{"a page of a theme of the site's", "-- postmortem.yaml --\ntheme: custom\n-- themes/custom/layouts/home.html --\n{{define \"main\"}}\n  {{.Totals.Postmortem}}{{end}}\n",
			"themes/custom/layouts/home.html:2:11: error: executing \"main\" at <.Totals.Postmortem>: can't evaluate field Postmortem in type link.Totals (rendering index.html)"},
		{"a partial that every page calls", "-- layouts/partials/site-footer.html --\n{{define \"site-footer\"}}\n<p>{{.Site.Titel}}</p>{{end}}\n",
			"layouts/partials/site-footer.html:2:10: error: executing \"site-footer\" at <.Site.Titel>: can't evaluate field Titel in type *render.Site"},
		{"a partial run for every incident", "-- layouts/partials/incident-row.html --\n{{define \"incident-row\"}}<li>{{.Incident.PM.Sevrity}}</li>{{end}}\n",
			"layouts/partials/incident-row.html:1:40: error: executing \"incident-row\" at <.Incident.PM.Sevrity>: can't evaluate field Sevrity"},
		// Errors of escaping: at the partial's own line, in plain words.
		{"a broken attribute in a partial base.html calls", "-- layouts/partials/esc.html --\n{{define \"esc\"}}\n<a href=\"{{.Site.Home}}>x</a>{{end}}\n-- layouts/partials/site-footer.html --\n{{define \"site-footer\"}}{{template \"esc\" .}}{{end}}\n",
			"layouts/partials/site-footer.html: error: the template ends inside a tag, attribute, comment or script string opened in it, or in a template it calls: close it (it calls layouts/partials/esc.html)"},
		{"a broken attribute in a partial the generator runs", "-- layouts/partials/incident-link.html --\n{{define \"incident-link\"}}<a class=\"x href=\"{{.URL}}\">x</a>{{end}}\n",
			"layouts/partials/incident-link.html"},
		{"a template that does not exist", "-- layouts/partials/site-footer.html --\n{{define \"site-footer\"}}\n{{template \"nosuch\" .}}{{end}}\n",
			"layouts/partials/site-footer.html:2: error: no such template \"nosuch\""},
		{"postmortem text in an iframe's srcdoc", "-- layouts/404.html --\n{{define \"main\"}}\n<iframe\n srcdoc=\"{{.Title}}\"></iframe>{{end}}\n",
			"layouts/404.html:3: error: an action in an iframe's srcdoc"},
		{"a script string left open", "-- layouts/404.html --\n{{define \"main\"}}\n<script>var t = \"{{.Title}};</script>\n{{end}}\n",
			"themes/default/layouts/base.html: error: the template ends inside a tag, attribute, comment or script string opened in it, or in a template it calls: close it (this page's own templates are in layouts/404.html)"},
	} {
		res := New(siteFS(t, c.files+pm), Options{}).Build(context.Background(), nil)
		var errs []string
		for _, d := range res.Diagnostics {
			if d.Severity == diag.Error {
				errs = append(errs, d.Text())
			}
		}
		if len(errs) != 1 || !strings.HasPrefix(errs[0], c.want) {
			t.Errorf("%s: errors\n%s\nwant one starting\n%s", c.name, strings.Join(errs, "\n"), c.want)
		}
	}
}
