package site

import (
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	benchcorpus "github.com/postmortem/postmortem/bench/corpus"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/render"
)

// maxPage is the size no HTML page a reader opens may reach, whatever the
// size of the site.
const maxPage = 300 << 10

var (
	rowRE   = regexp.MustCompile(`<tr[^>]*>\s*<td><time[^>]*>[^<]*</time></td>\s*<td><a href="([^"]*)"`)
	nextRE  = regexp.MustCompile(`<a rel="next" href="([^"]*)"`)
	prevRE  = regexp.MustCompile(`<a rel="prev" href="([^"]*)"`)
	countRE = regexp.MustCompile(`<dt>Incidents</dt><dd>(\d+)</dd>`)
	headRE  = regexp.MustCompile(`<link rel="(?:next|prev)" href="([^"]*)"`)
	titleRE = regexp.MustCompile(`<title>([^<]*)</title>`)
)

// walkPages follows the rel="next" links from the page first of a list, and
// returns each page's path and the incident pages its rows link to, checking
// that each page's rel="prev" leads back.
func walkPages(t *testing.T, files map[string][]byte, first string) (pages []string, rows []string) {
	t.Helper()
	resolve := func(from, href string) string { return path.Join(path.Dir(from), href) }
	prev := ""
	for p := first; p != ""; {
		html, ok := files[p]
		if !ok {
			t.Fatalf("%s links to page %s, not in the output", prev, p)
		}
		pages = append(pages, p)
		for _, m := range rowRE.FindAllSubmatch(html, -1) {
			rows = append(rows, resolve(p, string(m[1])))
		}
		back := prevRE.FindSubmatch(html)
		switch {
		case prev == "" && back != nil:
			t.Errorf("%s, the first page, has a previous page %s", p, back[1])
		case prev != "" && (back == nil || resolve(p, string(back[1])) != prev):
			t.Errorf("%s: rel=prev is %q, want a link to %s", p, back, prev)
		}
		if want := len(nextRE.FindAll(html, -1)) + len(prevRE.FindAll(html, -1)); len(headRE.FindAll(html, -1)) != want {
			t.Errorf("%s: the head links to %d next and previous pages, the pager to %d", p, len(headRE.FindAll(html, -1)), want)
		}
		prev = p
		p = ""
		if m := nextRE.FindSubmatch(html); m != nil {
			p = resolve(prev, string(m[1]))
		}
		if len(pages) > 10000 {
			t.Fatalf("%s: the next links go round in circles", first)
		}
	}
	return pages, rows
}

// TestPagination builds a few thousand postmortems with a small page size,
// and checks that every list is split into pages of at most that many
// incidents, newest first, linked in order, that the pages together list
// every incident of the list once, and that no page is over maxPage.
func TestPagination(t *testing.T) {
	const size = 20
	n := 3000
	if testing.Short() {
		n = 600
	}
	fsys := fstest.MapFS{"postmortem.yaml": {Data: []byte("page_size: 20\n")}}
	for _, f := range benchcorpus.Site(n, 5) {
		fsys[f.Path] = &fstest.MapFile{Data: f.Data}
	}
	res := mustBuild(t, New(fsys, Options{}), nil)
	for p, data := range res.Files {
		if path.Ext(p) == ".html" && len(data) > maxPage {
			t.Errorf("%s is %d KB, over the %d KB a page may be", p, len(data)>>10, maxPage>>10)
		}
	}
	check := func(first string, want []string) {
		t.Helper()
		pages, rows := walkPages(t, res.Files, first)
		if wantPages := max(1, (len(want)+size-1)/size); len(pages) != wantPages {
			t.Errorf("%s: %d pages, want %d for %d incidents", first, len(pages), wantPages, len(want))
		}
		titles := map[string]bool{}
		for k, p := range pages {
			if want := render.PageURL(first, k+1); p != want {
				t.Errorf("%s: page %d is %s, want %s", first, k+1, p, want)
			}
			// Each page has a title of its own, for the reader's history
			// and bookmarks.
			if m := titleRE.FindSubmatch(res.Files[p]); m == nil || titles[string(m[1])] {
				t.Errorf("%s: the title %q of page %d is not its own", first, m, k+1)
			} else {
				titles[string(m[1])] = true
			}
		}
		if len(rows) != len(want) {
			t.Fatalf("%s: its pages list %d incidents, want %d", first, len(rows), len(want))
		}
		for i := range rows {
			if rows[i] != want[i] {
				t.Fatalf("%s: incident %d is %s, want %s (newest first)", first, i, rows[i], want[i])
			}
		}
	}
	var all []string
	for _, p := range res.Site.Postmortems {
		all = append(all, link.PostmortemURL(p.Slug))
	}
	if len(all) < 10*size {
		t.Fatalf("only %d postmortems built", len(all))
	}
	check("incidents/index.html", all)
	terms := 0
	for _, tax := range res.Site.Taxonomies {
		for _, term := range tax.Terms {
			var want []string
			for _, m := range term.Members {
				want = append(want, all[m])
			}
			check(tax.URL(term.Name), want)
			if m := countRE.FindSubmatch(res.Files[tax.URL(term.Name)]); m == nil || string(m[1]) != strconv.Itoa(len(want)) {
				t.Errorf("%s: the first page gives the count %q, want %d", tax.URL(term.Name), m, len(want))
			}
			if len(want) > size {
				terms++
				// Its charts and the terms seen with it are on its first
				// page: the next ones go on with the list.
				if later := string(res.Files[render.PageURL(tax.URL(term.Name), 2)]); strings.Contains(later, `id="quarters-h"`) || strings.Contains(later, `id="co-h"`) {
					t.Errorf("%s: page 2 repeats the charts or the terms seen with it", tax.URL(term.Name))
				}
			}
		}
	}
	if terms == 0 {
		t.Error("no term has more than one page")
	}
}

// TestEmptyTaxonomies: a site whose incidents name no tag and no service
// says so on tags.html and on the insights page, rather than showing an
// empty table under "0 tags".
func TestEmptyTaxonomies(t *testing.T) {
	res := mustBuild(t, New(siteFS(t, `
-- content/a.md --
---
title: a
date: 2024-01-05
root_causes: [dns]
---
Text.
`), Options{}), nil)
	tags, in := string(res.Files["tags.html"]), string(res.Files["insights.html"])
	if !strings.Contains(tags, "<p>No incident has tags yet.</p>") || strings.Contains(tags, "<table") {
		t.Errorf("tags.html:\n%s", tags)
	}
	for _, want := range []string{"<p>No incident names a service yet.</p>", "<p>No incident gives both its start and its resolution yet"} {
		if !strings.Contains(in, want) {
			t.Errorf("insights.html lacks %s", want)
		}
	}
}

// TestIncidentsWithoutTerms: the page of a taxonomy's terms says how many
// incidents have none of them: severities.html, those without a severity.
func TestIncidentsWithoutTerms(t *testing.T) {
	res := mustBuild(t, New(siteFS(t, `
-- content/a.md --
---
title: a
date: 2024-01-05
severity: SEV2
root_causes: [dns]
---
-- content/b.md --
---
title: b
date: 2024-01-06
root_causes: [dns]
---
-- content/c.md --
---
title: c
date: 2024-01-07
root_causes: [disk]
---
`), Options{}), nil)
	if page := string(res.Files["severities.html"]); !strings.Contains(page, `<p class="note">2 incidents have no severity.</p>`) {
		t.Errorf("severities.html does not count the incidents without a severity:\n%s", page)
	}
	if page := string(res.Files["root-causes.html"]); strings.Contains(page, "have no") || strings.Contains(page, "has no") {
		t.Errorf("root-causes.html counts incidents without a root cause, when each has one")
	}
}

// TestSummaryOnItsPage: a summary of the front matter leads the
// postmortem's own page; one taken from the body is not shown twice.
func TestSummaryOnItsPage(t *testing.T) {
	res := mustBuild(t, New(siteFS(t, `
-- content/a.md --
---
title: a
date: 2024-01-05
root_causes: [dns]
summary: A bad DNS record took checkout down for an hour.
---
Details.
-- content/b.md --
---
title: b
date: 2024-01-06
root_causes: [dns]
---
Checkout was down for an hour.
`), Options{}), nil)
	if a := string(res.Files["incidents/a.html"]); !strings.Contains(a, `<p class="lead summary">A bad DNS record took checkout down for an hour.</p>`) {
		t.Errorf("incidents/a.html does not lead with its summary")
	}
	b := string(res.Files["incidents/b.html"])
	if shown := b[strings.Index(b, "<body"):]; strings.Count(shown, "Checkout was down for an hour.") != 1 {
		t.Errorf("incidents/b.html shows its first paragraph %d times", strings.Count(shown, "Checkout was down for an hour."))
	}
	// Search engines and link previews read it as the page's description.
	if !strings.Contains(b, `<meta name="description" content="Checkout was down for an hour.">`) {
		t.Errorf("incidents/b.html does not give its summary as its description")
	}
}
