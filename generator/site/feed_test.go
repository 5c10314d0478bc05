package site

import (
	"encoding/xml"
	"path"
	"strings"
	"testing"
	"time"
)

// feed is what TestFeed reads of feed.xml.
type feed struct {
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Authors []string `xml:"author>name"`
	Entries []struct {
		ID        string   `xml:"id"`
		Published string   `xml:"published"`
		Updated   string   `xml:"updated"`
		Authors   []string `xml:"author>name"`
	} `xml:"entry"`
}

const feedSite = `-- content/a.md --
---
title: a
date: 2023-01-02
started: 2023-01-02T10:00:00+01:00
resolved: 2023-01-02T12:30:00+01:00
authors: [Ada, Grace]
---
-- content/b.md --
---
title: b
date: 2023-03-04
timezone: America/New_York
started: 2023-03-04 22:00
mitigated: 2023-03-04 23:30
---
`

// TestFeed checks what a feed reader relies on: ids that are valid and
// stable, an author, and updated times that follow the incidents.
func TestFeed(t *testing.T) {
	read := func(opts Options) feed {
		t.Helper()
		var f feed
		res := mustBuild(t, New(siteFS(t, feedSite), opts), nil)
		if err := xml.Unmarshal(res.Files["feed.xml"], &f); err != nil {
			t.Fatal(err)
		}
		if len(f.Entries) != 2 {
			t.Fatalf("feed has %d entries, want 2", len(f.Entries))
		}
		return f
	}

	f := read(Options{})
	// Without a base URL: name-based UUIDs (the values of Python's uuid.uuid5).
	if f.ID != "urn:uuid:87ede647-2857-58ed-a531-1369f441c385" {
		t.Errorf("feed id %q", f.ID)
	}
	if f.Entries[1].ID != "urn:uuid:4752e50a-3042-56e1-bb33-099efd797cf0" {
		t.Errorf("entry id of a: %q", f.Entries[1].ID)
	}
	if f.Entries[0].ID == f.Entries[1].ID || !strings.HasPrefix(f.Entries[0].ID, "urn:uuid:") {
		t.Errorf("entry ids %q and %q", f.Entries[0].ID, f.Entries[1].ID)
	}
	if len(f.Authors) != 1 || f.Authors[0] != "Postmortems" {
		t.Errorf("feed authors %q, want the site's title", f.Authors)
	}
	if got := f.Entries[1].Authors; len(got) != 2 || got[0] != "Ada" || got[1] != "Grace" {
		t.Errorf("authors of a: %q", got)
	}
	// Times in UTC: b ended after midnight UTC, later than its day.
	for _, c := range []struct{ got, want string }{
		{f.Entries[0].Published, "2023-03-05T03:00:00Z"},
		{f.Entries[0].Updated, "2023-03-05T04:30:00Z"},
		{f.Entries[1].Published, "2023-01-02T09:00:00Z"},
		{f.Entries[1].Updated, "2023-01-02T11:30:00Z"},
		{f.Updated, "2023-03-05T04:30:00Z"},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
		if _, err := time.Parse(time.RFC3339, c.got); err != nil {
			t.Error(err)
		}
	}

	f = read(Options{BaseURL: "https://example.com/pm"})
	if f.ID != "https://example.com/pm/" || f.Entries[1].ID != "https://example.com/pm/incidents/a.html" {
		t.Errorf("with a base URL: feed id %q, entry id %q", f.ID, f.Entries[1].ID)
	}
}

const termFeedSite = `-- content/a.md --
---
title: a
date: 2023-01-02
severity: SEV1
root_causes: [dns]
services: [api]
---
-- content/b.md --
---
title: b
date: 2023-03-04
severity: SEV2
root_causes: [dns, capacity]
---
-- content/c.md --
---
title: c
date: 2023-05-06
root_causes: [capacity/disk]
services: [api]
---
`

// TestTermFeeds parses the feed of every root cause, service and severity
// as Atom: its entries are the term's incidents, newest first, with links
// that lead to their pages from the feed's folder; the term's page links
// it as an alternate.
func TestTermFeeds(t *testing.T) {
	for _, base := range []string{"", "https://x.example/kb/"} {
		res := mustBuild(t, New(siteFS(t, termFeedSite), Options{BaseURL: base}), nil)
		for feedPath, want := range map[string][]string{
			"root-causes/dns.xml": {"b", "a"}, "root-causes/capacity.xml": {"c", "b"}, "root-causes/capacity/disk.xml": {"c"},
			"services/api.xml": {"c", "a"}, "severities/sev1.xml": {"a"}, "severities/sev2.xml": {"b"},
		} {
			var f struct {
				XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
				ID      string   `xml:"id"`
				Entries []struct {
					Title string `xml:"title"`
					Link  struct {
						Href string `xml:"href,attr"`
					} `xml:"link"`
				} `xml:"entry"`
			}
			if err := xml.Unmarshal(res.Files[feedPath], &f); err != nil {
				t.Errorf("%s: %v", feedPath, err)
				continue
			}
			var got []string
			for _, e := range f.Entries {
				got = append(got, e.Title)
				target := strings.TrimPrefix(e.Link.Href, base)
				if base == "" {
					target = path.Join(path.Dir(feedPath), e.Link.Href)
				}
				if _, ok := res.Files[target]; !ok {
					t.Errorf("%s: entry %s links to %s, which the build did not write", feedPath, e.Title, e.Link.Href)
				}
			}
			if strings.Join(got, " ") != strings.Join(want, " ") || f.ID == "" {
				t.Errorf("%s (base %q): entries %v, want %v; id %q", feedPath, base, got, want, f.ID)
			}
			page := strings.TrimSuffix(feedPath, ".xml") + ".html"
			if !strings.Contains(string(res.Files[page]), `<link rel="alternate" type="application/atom+xml" title="`) ||
				!strings.Contains(string(res.Files[page]), `href="`+strings.Repeat("../", strings.Count(page, "/"))+feedPath+`">`) {
				t.Errorf("%s does not link its feed", page)
			}
		}
	}
}

// TestAddressesUnderBaseURL: with a base URL, the sitemap, the feeds and
// each page's canonical link give one address per page, escaped as the
// pages' own links are (a root cause named in Chinese), and a folder's
// index.html as the folder.
func TestAddressesUnderBaseURL(t *testing.T) {
	const src = `-- content/a.md --
---
title: a
date: 2023-01-02
root_causes: [网络]
---
`
	res := mustBuild(t, New(siteFS(t, src), Options{BaseURL: "https://example.com/pm/"}), nil)
	sitemap := string(res.Files["sitemap.xml"])
	for _, want := range []string{
		"<loc>https://example.com/pm/</loc>",
		"<loc>https://example.com/pm/incidents/</loc>",
		"<loc>https://example.com/pm/root-causes/%E7%BD%91%E7%BB%9C.html</loc>",
	} {
		if !strings.Contains(sitemap, want) {
			t.Errorf("sitemap.xml lacks %s", want)
		}
	}
	if strings.Contains(sitemap, "网络") {
		t.Errorf("sitemap.xml has a URL not escaped:\n%s", sitemap)
	}
	termFeed := string(res.Files["root-causes/网络.xml"])
	if !strings.Contains(termFeed, "<id>https://example.com/pm/root-causes/%E7%BD%91%E7%BB%9C.html</id>") {
		t.Errorf("the root cause's feed has no escaped id:\n%s", termFeed)
	}
	for p, want := range map[string]string{
		"index.html":           `<link rel="canonical" href="https://example.com/pm/">`,
		"incidents/index.html": `<link rel="canonical" href="https://example.com/pm/incidents/">`,
		"incidents/a.html":     `<link rel="canonical" href="https://example.com/pm/incidents/a.html">`,
		"root-causes/网络.html":  `<link rel="canonical" href="https://example.com/pm/root-causes/%E7%BD%91%E7%BB%9C.html">`,
		"404.html":             "",
	} {
		page := string(res.Files[p])
		if page == "" {
			t.Errorf("no %s; pages: %v", p, len(res.Files))
			continue
		}
		if got := strings.Contains(page, `rel="canonical"`); got != (want != "") || want != "" && !strings.Contains(page, want) {
			t.Errorf("%s: want %q", p, want)
		}
	}
	// Without a base URL, no page claims an address.
	res = mustBuild(t, New(siteFS(t, src), Options{}), nil)
	if strings.Contains(string(res.Files["index.html"]), `rel="canonical"`) {
		t.Error("a canonical link without a base URL")
	}
}
