package site

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

// publicSite has a unique marker in every place a public build must leave
// out: postmortems that are internal, in review or drafts (in every field,
// a term of their own, a bundle file), and internal blocks of a public
// postmortem (its first paragraph, a timeline entry that would set a time,
// a heading, a footnote, a link; lines that would give facts, action
// items).
const publicSite = `-- content/open.md --
---
title: Cache stampede
date: 2024-03-01
severity: SEV2
root_causes: [capacity, dns]
services: [api]
action_items:
  - {title: Add jitter, owner: ana, status: open, due: 2024-04-01}
---
::: internal
LEAKFIRSTPARA the customer was LEAKCUSTOMER.
:::

The cache expired at once and the database took every read, as in
[[secret]] and [the review](review.md).

## Timeline

- 08:00 Cache expires
::: internal
- 08:02 LEAKTIMELINE pager of LEAKPERSON
:::
- 09:00 Recovered

::: internal
## LEAKHEADING

See [the ticket](https://LEAKURL.example/1) and a note[^n].

[^n]: LEAKFOOTNOTE
:::
-- content/facts.md --
---
title: Queue backlog
date: 2024-03-05
---
::: internal
- Root cause: LEAKFACTCAUSE
- Affected services: LEAKFACTSERVICE
- Written by: @LEAKFACTAUTHOR
:::

The queue backed up for an hour.

## Action items

- [ ] Alert on the queue's depth (owner: @kim)
::: internal
- [ ] LEAKITEM let Bob go (owner: @LEAKITEMOWNER, due 2024-04-01)
:::

| Action | Owner |
| --- | --- |
| Drain the queue faster | kim |
-- content/secret/index.md --
---
title: LEAKTITLE internal
date: 2024-03-02
visibility: internal
severity: SEV1
root_causes: [LEAKCAUSE, capacity]
services: [LEAKSERVICE, api]
contributing_factors: [LEAKFACTOR]
tags: [LEAKTAG]
authors: [LEAKAUTHOR]
summary: LEAKSUMMARY
action_items:
  - {title: LEAKACTION, owner: LEAKOWNER, status: open, due: 2024-04-01}
---
LEAKBODY
-- content/secret/diagram.txt --
LEAKASSET
-- content/review.md --
---
title: LEAKREVIEW
date: 2024-03-03
status: review
root_causes: [LEAKREVIEWCAUSE]
---
LEAKREVIEWBODY
-- content/draft.md --
---
title: LEAKDRAFT
date: 2024-03-04
draft: true
root_causes: [LEAKDRAFTCAUSE]
---
LEAKDRAFTBODY
`

// TestPublicProfileLeaksNothing builds publicSite with the public profile,
// drafts asked for and a base URL (so that the sitemap is written too),
// a public postmortem referring to an internal one and to one in review,
// and wants no byte of any output file to hold a marker, in any case;
// the internal build shows them, internal blocks marked.
func TestPublicProfileLeaksNothing(t *testing.T) {
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	res := mustBuild(t, New(siteFS(t, publicSite), Options{Public: true, Drafts: true, BaseURL: "https://kb.example/", Now: now}), nil)
	if res.Postmortems != 2 {
		t.Errorf("public build of %d postmortems, want 2", res.Postmortems)
	}
	for p, data := range res.Files {
		if i := bytes.Index(bytes.ToUpper(data), []byte("LEAK")); i >= 0 || strings.Contains(strings.ToUpper(p), "LEAK") {
			t.Errorf("%s holds a marker: %q", p, data[max(0, i-40):min(len(data), max(i, 0)+60)])
		}
	}
	page := string(res.Files["incidents/open.html"])
	for _, want := range []string{"The cache expired at once", "Cache expires", "Recovered"} {
		if !strings.Contains(page, want) {
			t.Errorf("the public postmortem lacks %q", want)
		}
	}
	if strings.Contains(page, `class="internal"`) {
		t.Error("the public build marks an internal block")
	}
	for _, p := range []string{"index.json", "insights.json", "incidents.csv", "incidents.ndjson", "action-items.csv", "action-items.html", "feed.xml", "sitemap.xml", "insights.html", "root-causes/capacity.xml", "search/index.html"} {
		if _, ok := res.Files[p]; !ok {
			t.Errorf("the public build lacks %s", p)
		}
	}

	in := mustBuild(t, New(siteFS(t, publicSite), Options{Drafts: true, Now: now}), nil)
	if in.Postmortems != 5 {
		t.Errorf("internal build of %d postmortems, want 5", in.Postmortems)
	}
	page = string(in.Files["incidents/open.html"])
	if strings.Count(page, `<div class="internal">`) != 3 || !strings.Contains(page, "LEAKTIMELINE") {
		t.Errorf("the internal build does not show the internal blocks marked:\n%s", page)
	}
	// The summary is the first paragraph outside internal blocks, in both.
	if !strings.Contains(string(in.Files["index.json"]), "LEAKTITLE") || strings.Contains(string(in.Files["feed.xml"]), "LEAKFIRSTPARA") {
		t.Error("the internal build's export lacks the internal postmortem, or its feed shows an internal block as a summary")
	}
}

// publicBundle is a page bundle whose files are linked from its public
// text, from its internal blocks only, or from nothing.
const publicBundle = `-- content/2024/bun/index.md --
---
title: bun
date: 2024-02-04
---
Public text, see [details](details.md) and ![the graph](graph.png).

::: internal
Customer screenshot: ![acme](LEAK-customer-screenshot.png)
:::
-- content/2024/bun/details.md --
More details, and [the notes](notes/more.md).

::: internal
LEAKSECRET, see ![the log](LEAK-log.txt)
:::
-- content/2024/bun/graph.png --
graph
-- content/2024/bun/notes/more.md --
Even more.
-- content/2024/bun/LEAK-customer-screenshot.png --
screenshot
-- content/2024/bun/LEAK-log.txt --
log
-- content/2024/bun/LEAK-unlinked.pdf --
pdf
`

// TestPublicProfileBundleFiles builds publicBundle with the public profile
// and wants only the files its public text links to published, its
// Markdown files without their internal blocks, and a warning naming each
// file left out; the internal build publishes every file as it is.
func TestPublicProfileBundleFiles(t *testing.T) {
	res := mustBuild(t, New(siteFS(t, publicBundle), Options{Public: true}), nil)
	for p, data := range res.Files {
		if i := bytes.Index(data, []byte("LEAK")); i >= 0 || strings.Contains(p, "LEAK") {
			t.Errorf("%s holds a marker: %q", p, data[max(0, i-40):min(len(data), max(i, 0)+60)])
		}
	}
	for _, p := range []string{"incidents/bun/details.md", "incidents/bun/graph.png", "incidents/bun/notes/more.md"} {
		if _, ok := res.Files[p]; !ok {
			t.Errorf("the public build lacks %s, which its public text links to", p)
		}
	}
	if got := string(res.Files["incidents/bun/details.md"]); !strings.Contains(got, "More details") {
		t.Errorf("details.md in the public build is %q", got)
	}
	var warned []string
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Msg, "not published") {
			warned = append(warned, d.Path)
		}
	}
	want := []string{"content/2024/bun/LEAK-customer-screenshot.png", "content/2024/bun/LEAK-log.txt", "content/2024/bun/LEAK-unlinked.pdf"}
	if !slices.Equal(warned, want) {
		t.Errorf("warned of %q, want %q", warned, want)
	}

	in := mustBuild(t, New(siteFS(t, publicBundle), Options{}), nil)
	for _, p := range []string{"details.md", "graph.png", "notes/more.md", "LEAK-customer-screenshot.png", "LEAK-log.txt", "LEAK-unlinked.pdf"} {
		if _, ok := in.Files["incidents/bun/"+p]; !ok {
			t.Errorf("the internal build lacks incidents/bun/%s", p)
		}
	}
	if !strings.Contains(string(in.Files["incidents/bun/details.md"]), "LEAKSECRET") {
		t.Error("the internal build changed details.md")
	}
}

// TestPublicBundleFilesLinkedFromElsewhere: in the public build, a file of
// a bundle that another public postmortem links to is published, and the
// link to it holds, as in the internal build; one that only an internal
// postmortem links to is not.
func TestPublicBundleFilesLinkedFromElsewhere(t *testing.T) {
	site := `-- content/2024/bun/index.md --
---
title: bun
date: 2024-02-04
root_causes: [dns]
---
Public text.
-- content/2024/bun/details.md --
More details.
-- content/2024/bun/pic.png --
png
-- content/2024/bun/LEAK.png --
secret
-- content/2024/other.md --
---
title: other
date: 2024-02-05
root_causes: [dns]
---
See [the details](bun/details.md) and ![the picture](bun/pic.png).
-- content/2024/hidden.md --
---
title: hidden
date: 2024-02-06
root_causes: [dns]
visibility: internal
---
See ![it](bun/LEAK.png).
`
	res := mustBuild(t, New(siteFS(t, site), Options{Public: true}), nil)
	for _, p := range []string{"incidents/bun/details.md", "incidents/bun/pic.png"} {
		if _, ok := res.Files[p]; !ok {
			t.Errorf("the public build lacks %s, which another public postmortem links to", p)
		}
	}
	if _, ok := res.Files["incidents/bun/LEAK.png"]; ok {
		t.Error("the public build publishes a file only an internal postmortem links to")
	}
	if other := string(res.Files["incidents/other.html"]); !strings.Contains(other, `href="bun/details.md"`) {
		t.Errorf("incidents/other.html does not link to the details: %s", other)
	}
}
