package site

import (
	"bytes"
	"html"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	benchcorpus "github.com/postmortem/postmortem/bench/corpus"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/render"
)

var (
	// ownerRE is a row of the ledger's list of owners: the owner's page
	// and name.
	ownerRE = regexp.MustCompile(`<tr class="group[^"]*"><td><a href="([^"]*)">([^<]*)</a></td>`)
	// itemRE is a row of an item: its title, and the page of its incident
	// (on an owner's pages) or of its owner (by postmortem).
	itemRE = regexp.MustCompile(`<tr class="st-\w+"><td>(?:<a href="[^"]*">)?([^<]*)(?:</a>)?</td><td><a href="([^"]*)">`)
)

// corpusSite returns a generated site of n postmortems with the
// configuration config.
func corpusSite(n int, config string) fstest.MapFS {
	fsys := fstest.MapFS{"postmortem.yaml": {Data: []byte(config)}}
	for _, f := range benchcorpus.Site(n, 7) {
		fsys[f.Path] = &fstest.MapFile{Data: f.Data}
	}
	return fsys
}

// ledgerNow is the build day of the ledger tests: items of every state.
var ledgerNow = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

var (
	// filterRE is a state of the ledger's filter and its count.
	filterRE = regexp.MustCompile(`<label for="state-(\w+)">[^<]*\((\d+)\)</label>`)
	// stateRE is the state of a row of items.
	stateRE = regexp.MustCompile(`<tr class="st-(\w+)">`)
)

// ledgerItem is an action item as the ledger's pages show it: its
// postmortem, title and owner's first page.
type ledgerItem struct{ slug, title, owner string }

// TestLedgerPages builds a few thousand postmortems with ledger lists of 8
// a page (ledger_page_size; the lists of incidents keep theirs), and
// checks that the ledger's list of owners, each owner's items and the
// items by postmortem are split into pages of at most 8, linked in order,
// and that every action item is on exactly one page of its owner and one
// page by postmortem, whose owner link leads to that owner.
func TestLedgerPages(t *testing.T) {
	const size = 8
	n := 3000
	if testing.Short() {
		n = 600
	}
	res := mustBuild(t, New(corpusSite(n, "ledger_page_size: 8\n"), Options{Now: ledgerNow}), nil)
	resolve := func(from, href string) string { return path.Join(path.Dir(from), html.UnescapeString(href)) }
	slugOf := func(page string) string {
		return strings.TrimSuffix(strings.TrimPrefix(page, "incidents/"), ".html")
	}
	pageCount := func(entries int) int { return max(1, (entries+size-1)/size) }
	// checkPages wants the pages of the list whose first page is first
	// at the addresses PageURL gives, as many as entries take.
	checkPages := func(first string, pages []string, entries int) {
		t.Helper()
		if len(pages) != pageCount(entries) {
			t.Errorf("%s: %d pages, want %d for %d entries", first, len(pages), pageCount(entries), entries)
		}
		for k, p := range pages {
			if want := render.PageURL(first, k+1); p != want {
				t.Errorf("%s: page %d is %s, want %s", first, k+1, p, want)
			}
		}
	}

	// The wanted items, and the owners.
	want := map[ledgerItem]int{}
	names := map[string]bool{}
	total := 0
	for _, p := range res.Site.Postmortems {
		for _, a := range p.ActionItems {
			names[a.Owner] = true
			total++
		}
	}
	if total < 10*size || len(names) < 2*size {
		t.Fatalf("the site has %d action items of %d owners, too few to fill pages of %d", total, len(names), size)
	}

	// The list of owners, from the front page on.
	pages, _ := walkPages(t, res.Files, render.LedgerURL)
	checkPages(render.LedgerURL, pages, len(names))
	ownerPage := map[string]string{} // by name
	for _, p := range pages {
		rows := ownerRE.FindAllSubmatch(res.Files[p], -1)
		if len(rows) > size {
			t.Errorf("%s lists %d owners, more than %d", p, len(rows), size)
		}
		for _, m := range rows {
			name := html.UnescapeString(string(m[2]))
			if name == "(no owner)" {
				name = ""
			}
			if _, ok := ownerPage[name]; ok {
				t.Errorf("%s: owner %q listed twice", p, name)
			}
			ownerPage[name] = resolve(p, string(m[1]))
		}
	}
	if len(ownerPage) != len(names) {
		t.Fatalf("the list of owners has %d owners, want %d", len(ownerPage), len(names))
	}
	for _, p := range res.Site.Postmortems {
		for _, a := range p.ActionItems {
			want[ledgerItem{p.Slug, a.Title, ownerPage[a.Owner]}]++
		}
	}

	// Each owner's items.
	byOwner := map[ledgerItem]int{}
	for name, first := range ownerPage {
		pages, _ := walkPages(t, res.Files, first)
		items := 0
		for _, p := range pages {
			rows := itemRE.FindAllSubmatch(res.Files[p], -1)
			if len(rows) > size {
				t.Errorf("%s lists %d items, more than %d", p, len(rows), size)
			}
			for _, m := range rows {
				byOwner[ledgerItem{slugOf(resolve(p, string(m[2]))), html.UnescapeString(string(m[1])), first}]++
			}
			items += len(rows)
		}
		n := 0
		for it, k := range want {
			if it.owner == first {
				n += k
			}
		}
		if items != n {
			t.Errorf("the pages of owner %q list %d items, want %d", name, items, n)
		}
		checkPages(first, pages, n)
	}

	// Every item by postmortem, newest first.
	pages, _ = walkPages(t, res.Files, render.LedgerPostmortemsURL)
	checkPages(render.LedgerPostmortemsURL, pages, total)
	byPostmortem := map[ledgerItem]int{}
	var order []string // the postmortems, as the pages list them
	for _, p := range pages {
		data := res.Files[p]
		if k := len(itemRE.FindAll(data, -1)); k > size {
			t.Errorf("%s lists %d items, more than %d", p, k, size)
		}
		// The filter by state counts the rows it filters: this page's.
		for _, m := range filterRE.FindAllSubmatch(data, -1) {
			state, n := string(m[1]), 0
			for _, row := range stateRE.FindAllSubmatch(data, -1) {
				if state == "all" || string(row[1]) == state {
					n++
				}
			}
			if string(m[2]) != strconv.Itoa(n) {
				t.Errorf("%s: the filter counts %s %s, but the page has %d such rows", p, m[2], state, n)
			}
		}
		groups := bytes.Split(data, []byte(`<tbody id="pm-`))
		for _, g := range groups[1:] {
			slug, _, _ := bytes.Cut(g, []byte(`"`))
			if len(order) == 0 || order[len(order)-1] != string(slug) {
				order = append(order, string(slug))
			}
			for _, m := range itemRE.FindAllSubmatch(g, -1) {
				byPostmortem[ledgerItem{string(slug), html.UnescapeString(string(m[1])), resolve(p, string(m[2]))}]++
			}
		}
	}
	var newest []string
	for _, p := range res.Site.Postmortems {
		if len(p.ActionItems) > 0 {
			newest = append(newest, p.Slug)
		}
	}
	if strings.Join(order, " ") != strings.Join(newest, " ") {
		t.Errorf("the pages by postmortem list %d postmortems, want the %d with items, newest first", len(order), len(newest))
	}

	for name, got := range map[string]map[ledgerItem]int{"owners'": byOwner, "by postmortem": byPostmortem} {
		for it, k := range want {
			if got[it] != k {
				t.Errorf("the %s pages list %+v %d times, want %d", name, it, got[it], k)
			}
		}
		if len(got) != len(want) {
			t.Errorf("the %s pages list %d different items, want %d", name, len(got), len(want))
		}
	}

	// The front page keeps the figures, and the postmortems with the most
	// overdue items link to theirs.
	front := res.Files[render.LedgerURL]
	if !bytes.Contains(front, []byte("Every action item of every postmortem:")) || !bytes.Contains(front, []byte(`id="pms-h"`)) {
		t.Errorf("%s lacks its tally or the postmortems with the most overdue items", render.LedgerURL)
	}
	if bytes.Contains(res.Files[render.PageURL(render.LedgerURL, 2)], []byte(`id="pms-h"`)) {
		t.Errorf("%s, the second page of owners, repeats the postmortems with the most overdue items", render.PageURL(render.LedgerURL, 2))
	}
	for _, p := range res.Site.Postmortems[:50] {
		if page := res.Files[link.PostmortemURL(p.Slug)]; len(p.ActionItems) > 0 && !bytes.Contains(page, []byte(`href="../action-items/owners/`)) {
			t.Errorf("%s does not link the owners of its action items", link.PostmortemURL(p.Slug))
		}
	}
}

// TestLedgerPageSize builds a few thousand postmortems with the default
// page size, and wants every page of the ledger under maxPage.
func TestLedgerPageSize(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 600
	}
	res := mustBuild(t, New(corpusSite(n, ""), Options{Now: ledgerNow}), nil)
	pages, largest := 0, 0
	for p, data := range res.Files {
		if strings.HasPrefix(p, "action-items") && strings.HasSuffix(p, ".html") {
			pages++
			largest = max(largest, len(data))
			if len(data) > maxPage {
				t.Errorf("%s is %d KB, over the %d KB a page may be", p, len(data)>>10, maxPage>>10)
			}
		}
	}
	if pages < 3 {
		t.Errorf("the ledger has %d pages", pages)
	}
	t.Logf("%d ledger pages, the largest %d KB", pages, largest>>10)
}

// TestSiteEditKeepsLedger edits what every page shows but the ledger does
// not read: the only tag of the site goes, and with it the menu's link to
// the tags, and no line moves (the ledger reads the lines of the action
// items). The ledger's pages, whose views a builder keeps only as keys,
// and the postmortems' action items are made again with it, as a full
// build makes them.
func TestSiteEditKeepsLedger(t *testing.T) {
	fsys := fstest.MapFS{}
	for i, extra := range []string{"tags: [storage]\n", ""} {
		fsys[path.Join("content", string(rune('a'+i))+".md")] = &fstest.MapFile{Data: []byte("---\ntitle: Incident " + string(rune('A'+i)) +
			"\ndate: 2024-03-0" + string(rune('1'+i)) + "\nseverity: SEV2\nroot_causes: [dns]\n" + extra +
			"action_items: [{title: Fix the resolver, owner: ada, status: open, due: 2024-04-01}]\n---\nBody.\n")}
	}
	b := New(fsys, Options{Now: ledgerNow})
	mustBuild(t, b, nil)
	fsys["content/a.md"].Data = bytes.Replace(fsys["content/a.md"].Data, []byte("tags: [storage]"), []byte("tags: []"), 1) // no line moves
	got := mustBuild(t, b, []string{"content/a.md"})
	want := mustBuild(t, New(fsys, Options{Now: ledgerNow}), nil)
	if d := diff(got.Files, want.Files); len(d) > 0 {
		t.Errorf("after the site's only tag went, the rebuild differs from a full build in %v", d)
	}
	if page := string(got.Files[render.LedgerURL]); !strings.Contains(page, ">ada</a>") {
		t.Errorf("the ledger's front page lost its owner:\n%.2000s", page)
	}
	if page := string(got.Files["incidents/b.html"]); !strings.Contains(page, "Fix the resolver") {
		t.Errorf("a postmortem's page lost its action item:\n%.2000s", page)
	}
}

// TestActionItemsFromTheBody: a postmortem whose action items are read from
// its body's own list shows that list, and the table of where they stand
// under a heading of its own, not a second "Action items".
func TestActionItemsFromTheBody(t *testing.T) {
	res := mustBuild(t, New(siteFS(t, `
-- content/a.md --
---
title: a
date: 2024-01-05
root_causes: [dns]
---
Text.

## Action items

- [ ] Add an alert on resolver latency
- [x] Roll back the change
-- content/b.md --
---
title: b
date: 2024-01-06
root_causes: [dns]
action_items:
  - {title: Add a runbook, owner: ana}
---
Text.
`), Options{}), nil)
	a, b := string(res.Files["incidents/a.html"]), string(res.Files["incidents/b.html"])
	if strings.Count(a, ">Action items</h2>") != 1 || !strings.Contains(a, `<h2 id="actions-h">Where the action items stand</h2>`) {
		t.Errorf("incidents/a.html: want the body's Action items heading once and the table under its own:\n%s", a)
	}
	if !strings.Contains(b, `<h2 id="actions-h">Action items</h2>`) {
		t.Errorf("incidents/b.html: the table of the front matter's items is not headed Action items")
	}
}

// TestNothingLeftToDo: a postmortem whose only action item won't be done
// says that nothing is left to do, not "0 of 0 done (100 %)".
func TestNothingLeftToDo(t *testing.T) {
	res := mustBuild(t, New(siteFS(t, `
-- content/a.md --
---
title: a
date: 2024-01-02
root_causes: [dns]
action_items:
  - title: Rewrite it
    owner: sam
    status: wontfix
---
`), Options{}), nil)
	for _, p := range []string{"incidents/a.html", "action-items.html", "action-items/postmortems.html", "action-items/owners/sam.html"} {
		page := string(res.Files[p])
		if !strings.Contains(page, "nothing left to do (no item will be done)") || strings.Contains(page, "0 of 0 done") {
			t.Errorf("%s does not say that nothing is left to do:\n%s", p, page)
		}
	}
}

// TestOwnersAcrossCase: "maria" and "Maria" own items as one owner, with
// one page, named as most items spell it, which every item links to.
func TestOwnersAcrossCase(t *testing.T) {
	res := mustBuild(t, New(siteFS(t, `
-- content/a.md --
---
title: a
date: 2024-01-02
root_causes: [dns]
action_items:
  - title: Add an alert
    owner: maria
    status: done
  - title: Rotate the keys
    owner: Maria
  - title: Write the runbook
    owner: Maria
---
`), Options{Now: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)}), nil)
	page := string(res.Files["action-items/owners/maria.html"])
	if !strings.Contains(page, "Maria</h1>") || !strings.Contains(page, "Add an alert") || !strings.Contains(page, "Rotate the keys") {
		t.Errorf("action-items/owners/maria.html does not hold every item of Maria's:\n%s", page)
	}
	if _, ok := res.Files["action-items/owners/maria-2.html"]; ok {
		t.Error("maria and Maria have a page each")
	}
	if pm := string(res.Files["incidents/a.html"]); strings.Count(pm, `href="../action-items/owners/maria.html"`) != 3 {
		t.Errorf("incidents/a.html does not link each item to its owner's page:\n%s", pm)
	}
	// The front page's link to the items of each postmortem with work
	// left names it to a screen reader, which lists links out of context.
	if front := string(res.Files["action-items.html"]); !strings.Contains(front, `its items<span class="visually-hidden">: a</span></a>`) {
		t.Errorf("action-items.html does not name the postmortem of its items' link:\n%s", front)
	}
}

// TestWontFixToldOnTheLedger: the ledger's list by postmortem says how many
// items of each will not be done, as its page does, so that "4 of 4 done"
// of a postmortem with 5 items does not read as all of them.
func TestWontFixToldOnTheLedger(t *testing.T) {
	res := mustBuild(t, New(siteFS(t, `
-- content/a.md --
---
title: a
date: 2024-01-02
root_causes: [dns]
action_items:
  - {title: Fix it, owner: sam, status: done}
  - {title: Rewrite it, owner: sam, status: wontfix}
---
`), Options{}), nil)
	for _, p := range []string{"incidents/a.html", "action-items/postmortems.html"} {
		if page := string(res.Files[p]); !strings.Contains(page, "1 of 1 done (100 %); 1 won&#39;t do, not counted") {
			t.Errorf("%s does not tell the item that will not be done beside 1 of 1 done", p)
		}
	}
}

// TestOverdueAsOfOnItsPage: a postmortem's page with an overdue item says
// the day it is overdue as of, as the ledger does: a page published once
// and read later would otherwise seem to say so of the reader's day.
func TestOverdueAsOfOnItsPage(t *testing.T) {
	res := mustBuild(t, New(siteFS(t, `
-- content/a.md --
---
title: a
date: 2024-01-02
root_causes: [dns]
action_items:
  - {title: Fix it, owner: sam, due: 2024-03-01}
---
-- content/b.md --
---
title: b
date: 2024-01-03
root_causes: [dns]
action_items:
  - {title: Fix that, owner: sam, due: 2024-09-01}
---
`), Options{Now: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}), nil)
	if a := string(res.Files["incidents/a.html"]); !strings.Contains(a, "Overdue as of 1 Jun 2024") {
		t.Error("the page with an overdue item does not say the day it is overdue as of")
	}
	if b := string(res.Files["incidents/b.html"]); strings.Contains(b, "Overdue as of") {
		t.Error("a page with no overdue item says it is overdue as of a day")
	}
}
