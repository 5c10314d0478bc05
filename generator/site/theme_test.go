package site

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestCustomCSS checks that a site's assets/custom.css is published and
// linked on every page after the theme's styles, and only when it exists;
// and that every page has the theme's favicon.
func TestCustomCSS(t *testing.T) {
	const page = `-- content/a.md --
---
title: a
date: 2023-01-02
root_causes: [dns]
---
`
	res := mustBuild(t, New(siteFS(t, page+"-- assets/custom.css --\nbody { color: teal }\n"), Options{}), nil)
	if got := string(res.Files["assets/custom.css"]); got != "body { color: teal }\n" {
		t.Errorf("assets/custom.css published as %q", got)
	}
	pages := 0
	for p, data := range res.Files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		pages++
		html := string(data)
		root := strings.Repeat("../", strings.Count(p, "/"))
		if p == "404.html" {
			root = "/"
		}
		theme := strings.Index(html, `href="`+root+`assets/style.css"`)
		custom := strings.Index(html, `<link rel="stylesheet" href="`+root+`assets/custom.css">`)
		if theme < 0 || custom < theme {
			t.Errorf("%s: custom.css is not linked after the theme's style.css (at %d and %d)", p, custom, theme)
		}
		if !strings.Contains(html, `<link rel="icon" href="`+root+`assets/favicon.svg" type="image/svg+xml">`) {
			t.Errorf("%s: no favicon", p)
		}
	}
	if pages < 5 {
		t.Errorf("only %d pages", pages)
	}
	res = mustBuild(t, New(siteFS(t, page), Options{}), nil)
	if strings.Contains(string(res.Files["index.html"]), "custom.css") {
		t.Error("custom.css linked by a site without one")
	}
}

func TestUnknownTheme(t *testing.T) {
	res := New(siteFS(t, "-- postmortem.yaml --\ntheme: drak\n-- themes/dark/assets/style.css --\n-- content/a.md --\n---\ntitle: a\ndate: 2023-01-02\n---\n"), Options{}).Build(context.Background(), nil)
	err := res.Diagnostics.Err()
	if err == nil || res.Files != nil || !strings.Contains(err.Error(), `postmortem.yaml:1: theme: unknown theme "drak"`) {
		t.Errorf("a misspelt theme name built, or failed with: %v", err)
	}
}

// TestEmptyTaxonomyNotInMenu checks that the menu lists only the taxonomies
// with terms, and follows them as a rebuild adds the first term.
func TestEmptyTaxonomyNotInMenu(t *testing.T) {
	site := siteFS(t, "-- content/a.md --\n---\ntitle: a\ndate: 2023-01-02\nroot_causes: [dns]\n---\n")
	b := New(site, Options{})
	nav := func() string {
		html := string(mustBuild(t, b, []string{"content/a.md"}).Files["incidents/a.html"])
		start, end := strings.Index(html, `<nav aria-label="Site">`), strings.Index(html, "</nav>")
		return html[start:end]
	}
	menu := nav()
	if !strings.Contains(menu, ">Root causes<") || !strings.Contains(menu, ">Years<") {
		t.Errorf("menu lacks taxonomies with terms: %s", menu)
	}
	for _, empty := range []string{">Tags<", ">Services<", ">Contributing factors<", ">Severities<"} {
		if strings.Contains(menu, empty) {
			t.Errorf("menu lists %s, which has no terms: %s", empty, menu)
		}
	}
	site["content/a.md"].Data = []byte("---\ntitle: a\ndate: 2023-01-02\nroot_causes: [dns]\ntags: [edge]\n---\n")
	if menu := nav(); !strings.Contains(menu, ">Tags<") {
		t.Errorf("a rebuild after the first tag kept the menu without tags: %s", menu)
	}
}

// TestLanguage checks that a site in another language gets its lang and
// its words, its own over the theme's, in pages and in Markdown alerts.
func TestLanguage(t *testing.T) {
	site := siteFS(t, `-- postmortem.yaml --
language: de
-- labels/de.yaml --
incidents: Vorfälle
alert_warning: Achtung
skip_to_content: Zum Inhalt
duration_hours_minutes: "%d Std. %02d Min."
months: Jan. Feb. März Apr. Mai Juni Juli Aug. Sep. Okt. Nov. Dez.
related_shares: teilt %s
related_and: " und "
related_root_cause_one: Ursache %s
related_service: Dienste %s
tax_service_text: Dienste
-- content/a.md --
---
title: a
date: 2023-03-02
started: 2023-03-02T08:00:00Z
resolved: 2023-03-02T09:30:00Z
root_causes: [dns]
services: [api, web]
---
> [!WARNING]
> Heiß.
-- content/b.md --
---
title: b
date: 2023-04-02
root_causes: [dns]
services: [api, web]
---
`)
	res := mustBuild(t, New(site, Options{}), nil)
	// A taxonomy within a sentence, as the language writes it: German
	// nouns keep their capital.
	if page := string(res.Files["services.html"]); !strings.Contains(page, "2 Dienste, most incidents first.") {
		t.Errorf("services.html does not name its services as the labels do:\n%s", page)
	}
	html := string(res.Files["incidents/a.html"])
	for _, want := range []string{`<html lang="de">`, `<a class="skip" href="#main">Zum Inhalt</a>`, `<li><a href="../incidents/index.html">Vorfälle</a></li>`,
		`<p class="callout-title">Achtung</p>`, `<p>Heiß.</p>`, `<dd>1 Std. 30 Min.</dd>`, `2 März 2023`, `teilt Ursache dns und Dienste api, web`} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %s", want)
		}
	}

	site["labels/de.yaml"].Data = []byte("incidnets: Vorfälle\n")
	err := New(site, Options{}).Build(context.Background(), nil).Diagnostics.Err()
	if err == nil || !strings.Contains(err.Error(), `labels/de.yaml:1:1: unknown label "incidnets"`) {
		t.Errorf("a misspelt label key: %v", err)
	}
}

// TestNotFoundLinks checks the links of 404.html, which a host serves for a
// missing address at any depth: absolute under the base URL when there is
// one, root-relative otherwise and in preview, which serves the site at the
// root of its host.
func TestNotFoundLinks(t *testing.T) {
	const content = "-- content/a.md --\n---\ntitle: a\ndate: 2023-01-02\n---\n"
	for _, c := range []struct {
		name, config string
		opts         Options
		root         string
	}{
		{"base URL", "base_url: https://example.com/pm\n", Options{}, "https://example.com/pm/"},
		{"no base URL", "", Options{}, "/"},
		{"preview", "base_url: https://example.com/pm\n", Options{Preview: true}, "/"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := mustBuild(t, New(siteFS(t, "-- postmortem.yaml --\n"+c.config+content), c.opts), nil)
			html := string(res.Files["404.html"])
			links := hrefRE.FindAllStringSubmatch(html, -1)
			if len(links) < 10 {
				t.Fatalf("404.html has %d links", len(links))
			}
			for _, m := range links {
				if strings.HasPrefix(m[1], "#") {
					continue // in the page: right at any depth
				}
				if !strings.HasPrefix(m[1], c.root) || strings.HasPrefix(m[1], c.root+"/") {
					t.Errorf("link %q does not start with %q", m[1], c.root)
				}
				if target := strings.TrimPrefix(m[1], c.root); res.Files[target] == nil {
					t.Errorf("link %q points at %s, which was not built", m[1], target)
				}
			}
		})
	}
}

// TestLabelsLinkOutOfTheSite links a site's labels file to outside the
// site: the build warns, and keeps the theme's words.
func TestLabelsLinkOutOfTheSite(t *testing.T) {
	outside := t.TempDir()
	onDisk(t, outside, "-- de.yaml --\nincidents: SECRET\n", nil)
	dir := t.TempDir()
	onDisk(t, dir, "-- postmortem.yaml --\nlanguage: de\n"+bundleSite, map[string]string{"labels/de.yaml": filepath.Join(outside, "de.yaml")})
	res := buildDir(t, dir)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatalf("build failed: %v", err)
	}
	for p, data := range res.Files {
		if bytes.Contains(data, []byte("SECRET")) {
			t.Errorf("%s holds a word from outside the site", p)
		}
	}
	want := `labels/de.yaml: warning: skipped: symbolic link to "` + filepath.Join(outside, "de.yaml") + `", outside the site`
	if got := warnings(res); got != want {
		t.Errorf("warnings:\n%s\nwant:\n%s", got, want)
	}
}

// TestIncidentPrintedWhole: an incident a template prints whole shows its
// title, not its fields (the labels among them).
func TestIncidentPrintedWhole(t *testing.T) {
	site := siteFS(t, `-- layouts/term.html --
{{define "main"}}<ul>{{range .Incidents}}<li>{{.}}</li>{{end}}</ul>{{end}}
-- content/a.md --
---
title: Disk full
date: 2023-03-02
root_causes: [disk]
---
`)
	page := string(mustBuild(t, New(site, Options{}), nil).Files["root-causes/disk.html"])
	if !strings.Contains(page, "<li>Disk full</li>") {
		t.Errorf("an incident printed whole:\n%s", page)
	}
}
