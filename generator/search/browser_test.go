package search_test

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/postmortem/postmortem/generator/browser"
	"github.com/postmortem/postmortem/generator/output"
	"github.com/postmortem/postmortem/generator/site"
)

// exampleSite builds the example site of the repository into a temporary folder.
func exampleSite(t *testing.T) string {
	t.Helper()
	return builtSite(t, os.DirFS("../.."))
}

// builtSite builds the site of fsys into a temporary folder.
func builtSite(t *testing.T, fsys fs.FS) string {
	t.Helper()
	res := site.New(fsys, site.Options{}).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if err := output.Write(context.Background(), out, res.Files); err != nil {
		t.Fatal(err)
	}
	return out
}

const firstResult = `#search-results li:first-child a`

func TestBrowserSearch(t *testing.T) {
	ctx := browser.Chromium(t)
	out := exampleSite(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	for _, base := range []string{srv.URL + "/", "file://" + out + "/"} {
		t.Run(strings.SplitN(base, ":", 2)[0], func(t *testing.T) {
			// Typing: the known best answer comes first; the words of the
			// query are highlighted.
			var href, mark string
			err := chromedp.Run(ctx,
				chromedp.Navigate(base+"search/index.html"),
				chromedp.WaitVisible(`#search-input`),
				chromedp.SendKeys(`#search-input`, "dnssec"),
				chromedp.WaitVisible(firstResult),
				chromedp.AttributeValue(firstResult, "href", &href, nil),
				chromedp.SendKeys(`#search-input`, " migrations"),
				chromedp.WaitVisible(`#search-results li:first-child h2 mark`),
				chromedp.Text(`#search-results li:first-child h2 mark`, &mark),
			)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(href, "2023-02-09-dns-provider-migration") {
				t.Errorf("first result for dnssec: %s", href)
			}
			if mark != "migration" {
				t.Errorf("highlighted %q in the title, want migration", mark)
			}

			// A query typed, left to rest, then typed on: Back gives the
			// query that rested, then the page as it was opened.
			var rested string
			err = chromedp.Run(ctx,
				chromedp.Sleep(1200*time.Millisecond),
				chromedp.SendKeys(`#search-input`, " replication"),
				chromedp.WaitVisible(firstResult),
				chromedp.NavigateBack(),
				chromedp.Poll(`document.getElementById("search-input").value === "dnssec migrations"`, nil, chromedp.WithPollingTimeout(5*time.Second)),
				chromedp.Value(`#search-input`, &rested),
				chromedp.NavigateBack(),
				chromedp.Poll(`document.getElementById("search-input").value === ""`, nil, chromedp.WithPollingTimeout(5*time.Second)),
			)
			if err != nil {
				t.Fatalf("back through typed queries: %v (after one Back, %q)", err, rested)
			}

			// A filter changes the counts, and lives in the URL.
			var before, after, status, url string
			err = chromedp.Run(ctx,
				chromedp.Navigate(base+"search/index.html?q=dns"),
				chromedp.WaitVisible(firstResult),
				chromedp.Text(`#search-status`, &before),
				chromedp.Click(`#search-facets input[name=severity][value=SEV3]`),
				chromedp.Poll(`document.getElementById("search-status").textContent !== `+quote(before), nil),
				chromedp.Text(`#search-status`, &after),
				chromedp.Text(`#search-facets input[name=severity][value=SEV3] ~ .count`, &status),
				chromedp.Location(&url),
			)
			if err != nil {
				t.Fatal(err)
			}
			if before == after || !strings.Contains(url, "severity=SEV3") {
				t.Errorf("filter: status %q then %q, url %s", before, after, url)
			}

			// By keyboard: a filter checked with Space keeps the focus,
			// which the list of filters, made anew, would lose; Escape
			// there leaves the query alone (it clears it in the box).
			var focused, kept string
			err = chromedp.Run(ctx,
				chromedp.Navigate(base+"search/index.html?q=dns"),
				chromedp.WaitVisible(firstResult),
				chromedp.Text(`#search-status`, &before),
				chromedp.Focus(`#search-facets input[name=severity][value=SEV3]`),
				chromedp.KeyEvent(" "),
				chromedp.Poll(`document.getElementById("search-status").textContent !== `+quote(before), nil),
				chromedp.Poll(`document.activeElement && document.activeElement.value === "SEV3"`, nil, chromedp.WithPollingTimeout(5*time.Second)),
				chromedp.Evaluate(`document.activeElement.name + "=" + document.activeElement.value`, &focused),
				chromedp.KeyEvent(kb.Escape),
				chromedp.Sleep(100*time.Millisecond),
				chromedp.Value(`#search-input`, &kept),
			)
			if err != nil {
				t.Fatalf("keyboard on the filters: %v (focus on %q)", err, focused)
			}
			if focused != "severity=SEV3" || kept != "dns" {
				t.Errorf("after Space on a filter, the focus is on %q; after Escape there, the query is %q", focused, kept)
			}

			// A shared URL: query and filters are restored.
			var q string
			var checked bool
			var causes []string
			err = chromedp.Run(ctx,
				chromedp.Navigate(base+"search/index.html?q=certificate&root_cause=expired-certificate&sort=oldest"),
				chromedp.WaitVisible(firstResult),
				chromedp.Value(`#search-input`, &q),
				chromedp.Evaluate(`document.querySelector('#search-facets input[name=root_cause][value="expired-certificate"]').checked`, &checked),
				chromedp.Evaluate(`[...document.querySelectorAll('#search-results li .meta')].map(e => e.textContent)`, &causes),
			)
			if err != nil {
				t.Fatal(err)
			}
			if q != "certificate" || !checked || len(causes) != 2 {
				t.Errorf("shared URL: query %q, facet checked %v, results %v", q, checked, causes)
			}
			for _, c := range causes {
				if !strings.Contains(c, "expired-certificate") {
					t.Errorf("result without the filtered root cause: %s", c)
				}
			}
			if len(causes) == 2 && !(strings.Contains(causes[0], "2022") && strings.Contains(causes[1], "2024")) {
				t.Errorf("sort=oldest: %v", causes)
			}

			// A length in the URL written in hours is the menu's entry; one
			// the menu has not, an entry of its own.
			var hours, odd string
			err = chromedp.Run(ctx,
				chromedp.Navigate(base+"search/index.html?longer=8h"),
				chromedp.WaitVisible(firstResult),
				chromedp.Value(`#search-longer`, &hours),
				chromedp.Navigate(base+"search/index.html?longer=45"),
				chromedp.WaitVisible(firstResult),
				chromedp.Value(`#search-longer`, &odd),
			)
			if err != nil {
				t.Fatal(err)
			}
			if hours != "480" || odd != "45" {
				t.Errorf("longer=8h shows %q, want 480; longer=45 shows %q, want 45", hours, odd)
			}

			// A shared URL gone stale: a value the site does not have
			// matches nothing, shown checked with no incidents; unchecked,
			// the results come back.
			var stale bool
			var n int
			err = chromedp.Run(ctx,
				chromedp.Navigate(base+"search/index.html?q=dns&root_cause=no-such-cause&root_cause=no-such-cause&root_cause="),
				chromedp.WaitVisible(`#search-facets input[name=root_cause][value="no-such-cause"]`),
				chromedp.Evaluate(`document.querySelector('#search-facets input[name=root_cause][value="no-such-cause"]').checked`, &stale),
				chromedp.Evaluate(`document.querySelectorAll('#search-results li').length`, &n),
			)
			if err != nil {
				t.Fatal(err)
			}
			var boxes int
			err = chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('#search-facets input[name=root_cause]:checked').length`, &boxes))
			if err != nil {
				t.Fatal(err)
			}
			if !stale || n != 0 || boxes != 1 {
				t.Errorf("stale filter, given twice and empty once: shown checked %v (%d checked), %d results, want one checked and no result", stale, boxes, n)
			}
			err = chromedp.Run(ctx,
				chromedp.Click(`#search-facets input[name=root_cause][value="no-such-cause"]`),
				chromedp.WaitVisible(firstResult),
			)
			if err != nil {
				t.Errorf("unchecking the stale filter: %v", err)
			}

			// A word of no incident is left out and named; a word typed in
			// part mid-query is a prefix.
			for _, tc := range []struct{ q, status, cause string }{
				{"certificate zyzzyva", "zyzzyva", "expired-certificate"},
				{"certif expired", "", "expired-certificate"},
				// A parameter the page does not filter by is named.
				{"certificate&tag=zyzzyva", "zyzzyva", "expired-certificate"},
			} {
				var status, meta string
				err = chromedp.Run(ctx,
					chromedp.Navigate(base+"search/index.html?q="+strings.ReplaceAll(tc.q, " ", "+")),
					chromedp.WaitVisible(firstResult),
					chromedp.Text(`#search-status`, &status),
					chromedp.Text(`#search-results li:first-child .meta`, &meta),
				)
				if err != nil {
					t.Fatalf("%s: %v", tc.q, err)
				}
				if (tc.status != "") != strings.Contains(status, "zyzzyva") || !strings.Contains(meta, tc.cause) {
					t.Errorf("%q: status %q, first result %q", tc.q, status, meta)
				}
			}

			// A sort that names a property every object has is relevance.
			for _, sort := range []string{"__proto__", "constructor", "toString"} {
				var status, first, relevance string
				err = chromedp.Run(ctx,
					chromedp.Navigate(base+"search/index.html?q=dns&sort="+sort),
					chromedp.WaitVisible(firstResult),
					chromedp.Text(`#search-status`, &status),
					chromedp.AttributeValue(firstResult, "href", &first, nil),
					chromedp.Navigate(base+"search/index.html?q=dns"),
					chromedp.WaitVisible(firstResult),
					chromedp.AttributeValue(firstResult, "href", &relevance, nil),
				)
				if err != nil {
					t.Fatalf("sort=%s: %v", sort, err)
				}
				if !strings.HasSuffix(status, "incidents") || first != relevance {
					t.Errorf("sort=%s: status %q, first result %s, by relevance %s", sort, status, first, relevance)
				}
			}

			// Keyboard: arrow down to a result, Enter opens it.
			var loc string
			err = chromedp.Run(ctx,
				chromedp.Navigate(base+"search/index.html"),
				chromedp.WaitVisible(`#search-input`),
				chromedp.SendKeys(`#search-input`, "robots"),
				chromedp.WaitVisible(firstResult),
				chromedp.KeyEvent("\n"),
				chromedp.WaitVisible(`article.postmortem`),
				chromedp.Location(&loc),
			)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(loc, "incidents/robots-txt-blocked-crawlers.html") {
				t.Errorf("Enter opened %s", loc)
			}
		})
	}
}

func quote(s string) string { return "`" + strings.ReplaceAll(s, "`", "") + "`" }

// TestBrowserSearchWithoutTable runs the page as on a large site, whose
// meta table does not come with meta.js: a query shows its results and a
// Filters button instead of the facets; the button loads the table and
// shows the facets with their counts, which a filter then changes.
func TestBrowserSearchWithoutTable(t *testing.T) {
	ctx := browser.Chromium(t)
	out := exampleSite(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(`window.PostmortemSearch = { eagerTable: 0 };`).Do(ctx)
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, base := range []string{srv.URL + "/", "file://" + out + "/"} {
		t.Run(strings.SplitN(base, ":", 2)[0], func(t *testing.T) {
			var status, before, after string
			var facets int
			err := chromedp.Run(ctx,
				chromedp.Navigate(base+"search/index.html?q=dns"),
				chromedp.WaitVisible(firstResult),
				chromedp.Text(`#search-status`, &status),
				chromedp.Evaluate(`document.querySelectorAll("#search-facets fieldset").length`, &facets),
				chromedp.WaitVisible(`#search-filters`),
			)
			if err != nil {
				t.Fatal(err)
			}
			if facets != 0 || !strings.HasSuffix(status, "incidents") {
				t.Errorf("before Filters: %d facets shown, status %q", facets, status)
			}
			err = chromedp.Run(ctx,
				chromedp.Click(`#search-filters`),
				chromedp.WaitVisible(`#search-facets input[name=severity][value=SEV3]`),
				chromedp.Text(`#search-status`, &before),
				chromedp.Click(`#search-facets input[name=severity][value=SEV3]`),
				chromedp.Poll(`document.getElementById("search-status").textContent !== `+quote(before), nil),
				chromedp.Text(`#search-status`, &after),
			)
			if err != nil {
				t.Fatal(err)
			}
			if before != status || after == before {
				t.Errorf("status %q, then with the table %q, then filtered %q", status, before, after)
			}
		})
	}
}

// phraseSite builds a site of n postmortems that name a cascading
// problem and a failure apart, and one, long, that has the phrase
// "cascading failure": it ranks last of the phrase's candidates.
func phraseSite(t *testing.T, n int) string {
	t.Helper()
	fsys := fstest.MapFS{}
	for i := range n {
		day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		fsys[fmt.Sprintf("content/p%03d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\ntitle: Outage %d of the cascading queue\ndate: %s\nroot_causes: [failure]\nservices: [queue]\n---\nA cascading retry storm in the queue, then a failure of the disk.\n",
			i, day.Format(time.DateOnly)))}
	}
	long := strings.Repeat("The web stack served errors while the team looked for the cause in the logs of every server. ", 60)
	fsys["content/seed.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Web stack outage\ndate: 2023-08-06\nroot_causes: [misconfiguration]\n---\n" +
		long + "\n\nA cascading failure followed, from the API integration to the web stack.\n\n" + long + "\n")}
	return builtSite(t, fsys)
}

// TestBrowserPhraseAndBack: a quoted phrase whose one incident ranks last
// of many candidates is found without a click, the filters' counts marked
// as at most while candidates are left; the page's title names the query;
// Back from a result shows as many results as were shown, where the page
// was scrolled to.
func TestBrowserPhraseAndBack(t *testing.T) {
	ctx := browser.Chromium(t)
	out := phraseSite(t, 1000)
	// Not kept for Back (no-store), so that Back runs the page again.
	files := http.FileServer(http.Dir(out))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()
	var href, title, status string
	err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+`/search/index.html?q="cascading+failure"`),
		chromedp.WaitVisible(firstResult),
		chromedp.AttributeValue(firstResult, "href", &href, nil),
		chromedp.Title(&title),
		chromedp.Text(`#search-status`, &status),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(href, "incidents/seed.html") || !strings.HasPrefix(title, `"cascading failure" · Search`) {
		t.Errorf("the phrase's result %s (want incidents/seed.html), title %q, status %q", href, title, status)
	}
	var counts []string
	err = chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll('#search-facets .count')].map(e => e.textContent)`, &counts))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(status, "Up to") && !strings.HasSuffix(status, "1 incident") {
		t.Errorf("status %q", status)
	}
	for _, c := range counts {
		if strings.Contains(status, "Up to") && !strings.HasPrefix(c, "≤ ") {
			t.Errorf("a filter's count %q while the phrase is checked, want it marked as at most", c)
		}
	}
	// Every candidate checked: the counts are exact, the phrase's own.
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`(async () => { for (let i = 0; i < 40 && !document.getElementById("search-more").hidden; i++) {
			document.getElementById("search-more").click(); await new Promise(r => setTimeout(r, 150)); } })()`, nil, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.Poll(`document.getElementById("search-more").hidden`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`[...document.querySelectorAll('#search-facets .count')].map(e => e.textContent)`, &counts),
	)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(counts, " ") != "1 1 1" {
		t.Errorf("the filters' counts once every candidate is checked: %q, want those of the one incident", counts)
	}

	var shown, y, again int
	var yAgain float64
	err = chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/search/index.html?q=queue"),
		chromedp.WaitVisible(firstResult),
		chromedp.Click(`#search-more`),
		chromedp.Poll(`document.querySelectorAll('#search-results li').length === 20`, nil, chromedp.WithPollingTimeout(5*time.Second)),
		chromedp.Click(`#search-more`),
		chromedp.Poll(`document.querySelectorAll('#search-results li').length === 30`, nil, chromedp.WithPollingTimeout(5*time.Second)),
		chromedp.Evaluate(`document.querySelectorAll('#search-results li').length`, &shown),
		chromedp.Evaluate(`document.querySelector('#search-results li:last-child').scrollIntoView(); Math.round(window.scrollY)`, &y),
	)
	if err != nil {
		t.Fatalf("an expanded list: %v", err)
	}
	err = chromedp.Run(ctx,
		chromedp.Click(`#search-results li:last-child a`),
		chromedp.WaitVisible(`article.postmortem`),
	)
	if err != nil {
		t.Fatalf("opening a result: %v", err)
	}
	// Back in the page's own way: the page is loaded again, and a
	// look at it may land between the two documents, which is tried again.
	if err := chromedp.Run(ctx, chromedp.Evaluate(`history.back()`, nil)); err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(5 * time.Second); ; {
		var state []float64
		err = chromedp.Run(ctx, chromedp.Evaluate(`document.getElementById("search-results") && document.readyState === "complete" ? [document.querySelectorAll('#search-results li').length, window.scrollY] : [0, 0]`, &state))
		if err == nil && len(state) == 2 {
			again, yAgain = int(state[0]), state[1]
			if again == 30 && yAgain > 0 {
				break
			}
		}
		if time.Now().After(end) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if shown != 30 || again != 30 || y == 0 || int(yAgain) < y-5 || int(yAgain) > y+5 {
		t.Errorf("%d results shown at %d px; after Back %d at %v px", shown, y, again, yAgain)
	}
}

// TestBrowserSearchWithinATerm: the link of a term's page to the search
// page filters by the term, and finds as many incidents as the page
// lists: a root cause with those below it, one below another, a severity
// and a year.
func TestBrowserSearchWithinATerm(t *testing.T) {
	ctx := browser.Chromium(t)
	out := exampleSite(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	for _, term := range []string{"root-causes/misconfiguration.html", "root-causes/misconfiguration/api-integration.html", "severities/sev2.html", "years/2024.html"} {
		var n int
		var status string
		err := chromedp.Run(ctx,
			chromedp.Navigate(srv.URL+"/"+term),
			chromedp.Evaluate(`+[...document.querySelectorAll(".facts div")].find(d => d.querySelector("dt").textContent === "Incidents").querySelector("dd").textContent`, &n),
			chromedp.Click(`a[href*="search/index.html?"]`),
			chromedp.WaitVisible(firstResult),
			chromedp.Text(`#search-status`, &status),
		)
		if err != nil {
			t.Fatalf("%s: %v", term, err)
		}
		if want := fmt.Sprintf("%d incident", n); n == 0 || !strings.HasPrefix(status, want) {
			t.Errorf("%s lists %d incidents; searched within, %q", term, n, status)
		}
	}
	// Days the wrong way round are told as such.
	var reversed string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/search/index.html?from=2024-01-01&to=2023-01-01"),
		chromedp.Poll(`document.getElementById("search-status").textContent !== ""`, nil, chromedp.WithPollingTimeout(5*time.Second)),
		chromedp.Text(`#search-status`, &reversed),
	); err != nil || !strings.Contains(reversed, "“from” is later") {
		t.Errorf("from after to: status %q (%v)", reversed, err)
	}
	// A value written by hand in another case is the site's.
	var checked bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/search/index.html?severity=sev2&root_cause=DNS"),
		chromedp.WaitVisible(firstResult),
		chromedp.Evaluate(`document.querySelector('#search-facets input[name=severity][value=SEV2]').checked && document.querySelector('#search-facets input[name=root_cause][value=dns]').checked`, &checked),
	)
	if err != nil || !checked {
		t.Errorf("?severity=sev2&root_cause=DNS: the filters SEV2 and dns checked %v (%v)", checked, err)
	}
}
