package themes_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/postmortem/postmortem/generator/browser"
	"github.com/postmortem/postmortem/generator/output"
	"github.com/postmortem/postmortem/generator/site"
)

// box is an element's place on the page, in CSS pixels.
type box struct{ Top, Bottom, Left, Right float64 }

// TestHeaderOnOneLine checks, in headless Chromium at the widths of common
// laptop screens, that the header's search field sits on the line of the
// site's name, whole within the window, and that no page is wider than the
// window.
func TestHeaderOnOneLine(t *testing.T) {
	ctx := browser.Chromium(t)
	dir, _ := exampleSite(t, site.Options{Drafts: true})
	pages := []string{"index.html", "incidents/index.html", "incidents/2023-02-09-dns-provider-migration.html", "root-causes.html", "root-causes/dns.html"} // the search page hides the field: it has its own
	for _, width := range []int64{1280, 1024} {
		for _, p := range pages {
			var brand, field box
			var scrollWidth float64
			err := chromedp.Run(ctx,
				chromedp.EmulateViewport(width, 800),
				chromedp.Navigate("file://"+dir+"/"+p),
				chromedp.WaitVisible(`#site-search-input`),
				chromedp.Evaluate(boxOf(`.site-header .brand`), &brand),
				chromedp.Evaluate(boxOf(`#site-search-input`), &field),
				chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
			)
			if err != nil {
				t.Fatalf("%s at %d px: %v", p, width, err)
			}
			if field.Top >= brand.Bottom || field.Bottom <= brand.Top {
				t.Errorf("%s at %d px: the search field (%v) is not on the line of the site's name (%v)", p, width, field, brand)
			}
			if field.Left < brand.Right || field.Right > float64(width) {
				t.Errorf("%s at %d px: the search field (%v) is not whole between the site's name (%v) and the window's edge", p, width, field, brand)
			}
			if scrollWidth > float64(width) {
				t.Errorf("%s at %d px: the page is %.0f px wide", p, width, scrollWidth)
			}
		}
	}
}

// TestSearchShortcutTold: the header's search field tells of the "/"
// shortcut only where the script that makes it runs.
func TestSearchShortcutTold(t *testing.T) {
	ctx := browser.Chromium(t)
	dir, _ := exampleSite(t, site.Options{})
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `placeholder="Search"`) {
		t.Errorf("the page as served, before any script, tells of a shortcut or has no placeholder")
	}
	var placeholder string
	if err := chromedp.Run(ctx,
		chromedp.Navigate("file://"+dir+"/index.html"),
		chromedp.WaitVisible(`#site-search-input`),
		chromedp.Poll(`document.getElementById("site-search-input").placeholder.includes("/")`, nil),
		chromedp.Evaluate(`document.getElementById("site-search-input").placeholder`, &placeholder),
	); err != nil {
		t.Fatal(err)
	}
	if placeholder != "Search  ( / )" {
		t.Errorf("with the script, the placeholder is %q", placeholder)
	}
}

// TestSearchSkipsToResults: from the search field, one Tab reaches a
// link past the filters, which takes the keyboard to the results.
func TestSearchSkipsToResults(t *testing.T) {
	ctx := browser.Chromium(t)
	dir, _ := exampleSite(t, site.Options{})
	var skip, focused string
	if err := chromedp.Run(ctx,
		chromedp.Navigate("file://"+dir+"/search/index.html?q=dns"),
		chromedp.WaitVisible(`#search-results li`),
		chromedp.Focus(`#search-input`),
		chromedp.KeyEvent(kb.Tab),
		chromedp.Evaluate(`document.activeElement.textContent`, &skip),
		chromedp.KeyEvent(kb.Enter),
		chromedp.Poll(`document.activeElement.id === "search-found"`, nil, chromedp.WithPollingTimeout(3*time.Second)),
		chromedp.Evaluate(`document.activeElement.id`, &focused),
	); err != nil {
		t.Fatalf("Tab from the search field to %q, then Enter: %v", skip, err)
	}
	if skip != "Skip the filters to the results" || focused != "search-found" {
		t.Errorf("Tab from the field reaches %q; Enter there focuses %q", skip, focused)
	}
}

// TestSearchFiltersFoldOnAPhone: on a phone's screen the search page's
// filters are folded, so that its results are in view; on a laptop's they
// are open. The line above the results is the status a screen reader
// tells, not the whole list.
func TestSearchFiltersFoldOnAPhone(t *testing.T) {
	ctx := browser.Chromium(t)
	dir, _ := exampleSite(t, site.Options{})
	for width, want := range map[int64]bool{390: false, 1280: true} {
		var open bool
		var role string
		if err := chromedp.Run(ctx,
			chromedp.EmulateViewport(width, 844),
			chromedp.Navigate("file://"+dir+"/search/index.html?q=dns"),
			chromedp.WaitVisible(`#search-results li`),
			chromedp.Evaluate(`document.getElementById("search-facets-box").open`, &open),
			chromedp.Evaluate(`document.getElementById("search-status").getAttribute("role")`, &role),
		); err != nil {
			t.Fatal(err)
		}
		if open != want || role != "status" {
			t.Errorf("at %d px: filters open %v, want %v; the status's role %q", width, open, want, role)
		}
	}
}

// TestPrintedLinks: a postmortem printed keeps its links in the text
// underlined, so that they read as links, leaves out the crumbs, and
// wraps the lines of a code block rather than cut them at the paper's
// edge.
func TestPrintedLinks(t *testing.T) {
	ctx := browser.Chromium(t)
	dir, _ := exampleSite(t, site.Options{})
	var underline, crumbs string
	var overflow bool
	if err := chromedp.Run(ctx,
		emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Navigate("file://"+dir+"/incidents/2023-02-09-dns-provider-migration.html"),
		chromedp.WaitReady(`.body a`),
		chromedp.Evaluate(`getComputedStyle(document.querySelector(".body a")).textDecorationLine`, &underline),
		chromedp.Evaluate(`getComputedStyle(document.querySelector(".crumbs")).display`, &crumbs),
		chromedp.Evaluate(`(() => { const code = document.querySelector(".body pre code"); code.textContent += " " + "x".repeat(400); const pre = code.closest("pre"); return pre.scrollWidth > pre.clientWidth + 1; })()`, &overflow),
		emulation.SetEmulatedMedia().WithMedia(""),
	); err != nil {
		t.Fatal(err)
	}
	if underline != "underline" || crumbs != "none" || overflow {
		t.Errorf("printed: a link of the text is %q, the crumbs' display %q; a long line of code runs past the page: %v", underline, crumbs, overflow)
	}
}

// TestStackedColumnsApart: the segments of a stacked column are outlined
// in the page's background, so that neighbouring severities of close
// colours are told apart.
func TestStackedColumnsApart(t *testing.T) {
	ctx := browser.Chromium(t)
	dir, _ := exampleSite(t, site.Options{})
	var stroke, bg string
	if err := chromedp.Run(ctx,
		chromedp.Navigate("file://"+dir+"/insights.html"),
		chromedp.WaitReady(`svg.columns rect[class^="s-sev"]`),
		chromedp.Evaluate(`getComputedStyle(document.querySelector('svg.columns rect[class^="s-sev"]')).stroke`, &stroke),
		chromedp.Evaluate(`getComputedStyle(document.documentElement).backgroundColor`, &bg),
	); err != nil {
		t.Fatal(err)
	}
	if stroke != bg {
		t.Errorf("a column's segment is outlined in %q, the page's background is %q", stroke, bg)
	}
}

// TestLedgerFilterByState: the ledger's filter, without a script, shows
// the rows of the state picked; a state no row of the page is in says so.
func TestLedgerFilterByState(t *testing.T) {
	ctx := browser.Chromium(t)
	fsys := fstest.MapFS{
		"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2024-01-02\nroot_causes: [dns]\naction_items:\n  - {title: Fix it, owner: sam, status: done}\n  - {title: Page sooner, owner: sam, status: done}\n---\n")},
	}
	res := site.New(fsys, site.Options{}).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for p, data := range res.Files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var done, open int
	var emptyDone, emptyOpen bool
	visible := `[...document.querySelectorAll(".ledger-items tr[class^='st-']")].filter(r => r.offsetParent).length`
	shown := `!!document.querySelector(".ledger-empty").offsetParent`
	if err := chromedp.Run(ctx,
		chromedp.Navigate("file://"+dir+"/action-items/postmortems.html"),
		chromedp.WaitReady(`#state-done`),
		chromedp.Click(`label[for="state-done"]`),
		chromedp.Evaluate(visible, &done),
		chromedp.Evaluate(shown, &emptyDone),
		chromedp.Click(`label[for="state-open"]`),
		chromedp.Evaluate(visible, &open),
		chromedp.Evaluate(shown, &emptyOpen),
	); err != nil {
		t.Fatal(err)
	}
	if done != 2 || emptyDone || open != 0 || !emptyOpen {
		t.Errorf("done: %d rows, message shown %v; open: %d rows, message shown %v; want 2 and no message, then 0 and the message", done, emptyDone, open, emptyOpen)
	}
}

// boxOf is the script that returns the box of the element selector finds.
func boxOf(selector string) string {
	return `(() => { const r = document.querySelector(` + "`" + selector + "`" + `).getBoundingClientRect();
		return {Top: r.top, Bottom: r.bottom, Left: r.left, Right: r.right}; })()`
}

// TestSearchPageInLanguage checks in headless Chromium that the words the
// search script writes, the filters' titles and the count of results, come
// from the site's labels.
func TestSearchPageInLanguage(t *testing.T) {
	ctx := browser.Chromium(t)
	fsys := fstest.MapFS{
		"postmortem.yaml": {Data: []byte("language: de\n")},
		"labels/de.yaml":  {Data: []byte("tax_root_cause_one: Grundursache\nsearch_count_one: \"%d Vorfall\"\nsearch_count: \"%[1]d Vorfälle\"\nstatus_final: endgültig\nsearch_quoted: \"„%s“\"\n")},
		"content/a.md":    {Data: []byte("---\ntitle: Zertifikat abgelaufen\ndate: 2023-01-02\nstatus: final\nroot_causes: [expired-certificate]\n---\nDas Zertifikat lief ab.\n")},
		"content/b.md":    {Data: []byte("---\ntitle: DNS kaputt\ndate: 2023-02-03\nroot_causes: [dns]\n---\nDas Zertifikat war es nicht.\n")},
	}
	res := site.New(fsys, site.Options{}).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "public")
	if err := output.Write(context.Background(), dir, res.Files); err != nil {
		t.Fatal(err)
	}
	var legends, statuses []string
	var one, many, ignored string
	err := chromedp.Run(ctx,
		chromedp.Navigate("file://"+dir+"/search/index.html?q=zertifikat"),
		chromedp.WaitVisible(`#search-results li`),
		chromedp.Text(`#search-status`, &many),
		chromedp.Evaluate(`[...document.querySelectorAll('#search-facets legend')].map(e => e.textContent)`, &legends),
		chromedp.Evaluate(`[...document.querySelectorAll('#search-facets input[name=status]')].map(e => e.value + "=" + e.nextElementSibling.textContent)`, &statuses),
		chromedp.Navigate("file://"+dir+"/search/index.html?q=kaputt"),
		chromedp.WaitVisible(`#search-results li`),
		chromedp.Text(`#search-status`, &one),
		chromedp.Navigate("file://"+dir+"/search/index.html?q=kaputt+zyzzyva"),
		chromedp.WaitVisible(`#search-results li`),
		chromedp.Text(`#search-status`, &ignored),
	)
	if err != nil {
		t.Fatal(err)
	}
	if many != "2 Vorfälle" || one != "1 Vorfall" {
		t.Errorf("status %q and %q, want 2 Vorfälle and 1 Vorfall", many, one)
	}
	if !slices.Contains(legends, "Grundursache") {
		t.Errorf("filter titles %q lack Grundursache", legends)
	}
	if !strings.Contains(ignored, "„zyzzyva“") {
		t.Errorf("status %q: want the word quoted as the labels quote it", ignored)
	}
	if !slices.Contains(statuses, "final=endgültig") {
		t.Errorf("the status filter's values %q: want final shown as endgültig", statuses)
	}
}

// TestLedgerFilter checks, in headless Chromium, that the ledger's filter
// by state works without a server on each kind of its pages: picking a
// state shows all the rows of that state on the page, and only those, and
// All shows them all again.
func TestLedgerFilter(t *testing.T) {
	ctx := browser.Chromium(t)
	dir, _ := buildSite(t, smallPages(t), site.Options{Now: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)})
	// The classes of the rows the filter hides or shows, and whether each
	// is shown.
	const rows = `[...document.querySelectorAll('.ledger-items tr[class^="st-"], .ledger-groups tr.group')].map(r => ({Class: r.className, Shown: r.getClientRects().length > 0}))`
	type row struct {
		Class string
		Shown bool
	}
	seen, hidden := map[string]bool{}, false
	for _, p := range []string{"action-items.html", "action-items/owners/kwame-mensah.html", "action-items/postmortems.html", "action-items/postmortems.2.html"} {
		for _, state := range []string{"overdue", "done", "wontfix", "all"} {
			var got []row
			err := chromedp.Run(ctx,
				chromedp.Navigate("file://"+dir+"/"+p),
				chromedp.WaitVisible(`#state-all`),
				chromedp.Click(`#state-`+state),
				chromedp.Evaluate(rows, &got),
			)
			if err != nil {
				t.Fatalf("%s, %s: %v", p, state, err)
			}
			if len(got) == 0 {
				t.Fatalf("%s has no rows to filter", p)
			}
			for _, r := range got {
				want := state == "all" || slices.Contains(strings.Fields(r.Class), "st-"+state) || slices.Contains(strings.Fields(r.Class), "has-"+state)
				if r.Shown != want {
					t.Errorf("%s, showing %s: a row of class %q is shown: %v, want %v", p, state, r.Class, r.Shown, want)
				}
				if r.Shown && state != "all" {
					seen[state] = true
				}
				hidden = hidden || !r.Shown
			}
		}
	}
	if !seen["overdue"] || !seen["done"] || !hidden {
		t.Errorf("the filter showed rows of only %v, and hid some: %v; it was not tried", seen, hidden)
	}
}

// TestChartLabelsReadOnAPhone: on a phone's screen the insights' charts
// keep their labels at a size that can be read (at least 10 px as drawn),
// scrolling sideways in a region the keyboard can reach, rather than
// shrinking to the screen's width.
func TestChartLabelsReadOnAPhone(t *testing.T) {
	ctx := browser.Chromium(t)
	dir, _ := exampleSite(t, site.Options{})
	var smallest float64
	var focusable bool
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(360, 800),
		chromedp.Navigate("file://"+dir+"/insights.html"),
		chromedp.WaitReady(`svg.chart .tick`),
		chromedp.Evaluate(`Math.min(...[...document.querySelectorAll("svg.chart:not(.spark) .tick")].map(e => e.getBoundingClientRect().height))`, &smallest),
		chromedp.Evaluate(`[...document.querySelectorAll("svg.chart:not(.spark)")].every(s => s.parentElement.tabIndex === 0)`, &focusable),
	); err != nil {
		t.Fatal(err)
	}
	if smallest < 10 || !focusable {
		t.Errorf("at 360 px: the smallest label of a chart is %.1f px high (want 10 or more); every chart in a focusable region: %v", smallest, focusable)
	}
}
