package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/link"
)

// IndexEntry is one postmortem in index.json.
type IndexEntry struct {
	Slug                string   `json:"slug"`
	Title               string   `json:"title"`
	URL                 string   `json:"url"`
	Date                string   `json:"date"`
	Severity            string   `json:"severity"`
	Status              string   `json:"status"`
	RootCauses          []string `json:"root_causes"`
	ContributingFactors []string `json:"contributing_factors"`
	Services            []string `json:"services"`
	Tags                []string `json:"tags"`
	Started             string   `json:"started,omitempty"`
	Detected            string   `json:"detected,omitempty"`
	Resolved            string   `json:"resolved,omitempty"`
	DurationMinutes     int      `json:"duration_minutes,omitempty"`
	Related             []string `json:"related"`
}

// TermEntry is one term of a taxonomy in index.json.
type TermEntry struct {
	Name  string `json:"name"`
	URL   string `json:"url"`
	Count int    `json:"count"`
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Exporter writes index.json, and keeps each postmortem's entry between
// builds. It is not safe for concurrent use.
type Exporter struct {
	entries map[exportKey]json.RawMessage
}

type exportKey struct {
	hash    uint64
	related string
}

// Index returns index.json of s, indented as json.MarshalIndent would.
// The entries of the postmortems are encoded one by one, and reused while
// what they show is unchanged.
func (x *Exporter) Index(s *link.Site) []byte {
	entries := make(map[exportKey]json.RawMessage, len(s.Postmortems))
	var buf bytes.Buffer
	buf.WriteString("{\n  \"postmortems\": [")
	for i, p := range s.Postmortems {
		related := make([]string, len(s.Related[i]))
		for k, r := range s.Related[i] {
			related[k] = s.Postmortems[r.To].Slug
		}
		key := exportKey{p.Hash, strings.Join(related, "\x00")}
		raw, ok := x.entries[key]
		if !ok {
			raw, _ = json.MarshalIndent(IndexEntry{
				Slug: p.Slug, Title: p.Title, URL: PostmortemURL(p.Slug), Date: p.Date.Format(time.DateOnly),
				Severity: p.Severity, Status: p.Status, RootCauses: nonNil(p.RootCauses),
				ContributingFactors: nonNil(p.ContributingFactors), Services: nonNil(p.Services), Tags: nonNil(p.Tags),
				Started: stamp(p.Started), Detected: stamp(p.Detected), Resolved: stamp(p.Resolved),
				DurationMinutes: p.DurationMinutes(), Related: related,
			}, "    ", "  ")
		}
		entries[key] = raw
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n    ")
		buf.Write(raw)
	}
	x.entries = entries
	if len(s.Postmortems) > 0 {
		buf.WriteString("\n  ")
	}
	buf.WriteString("]")
	for _, key := range []string{"root_cause", "contributing_factor", "service"} {
		tax := s.Taxonomy(key)
		out := []TermEntry{}
		for _, t := range tax.ByCount() {
			out = append(out, TermEntry{Name: t.Name, URL: tax.URL(t.Name), Count: len(t.Members)})
		}
		data, _ := json.MarshalIndent(out, "  ", "  ")
		name, _ := json.Marshal(strings.ReplaceAll(tax.Dir, "-", "_"))
		fmt.Fprintf(&buf, ",\n  %s: %s", name, data)
	}
	buf.WriteString("\n}\n")
	return buf.Bytes()
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type atomEntry struct {
	Title      string    `xml:"title"`
	ID         string    `xml:"id"`
	Updated    string    `xml:"updated"`
	Link       atomLink  `xml:"link"`
	Summary    string    `xml:"summary"`
	Categories []atomCat `xml:"category"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

// FeedEntries is how many incidents the Atom feed carries.
const FeedEntries = 50

// Feed returns the Atom feed of the newest incidents. Links are absolute
// when the site has a base URL, and relative to the feed otherwise.
func Feed(s *link.Site, title, baseURL string) []byte {
	f := atomFeed{Title: title, ID: baseURL, Links: []atomLink{{Href: baseURL, Rel: "alternate"}, {Href: baseURL + "feed.xml", Rel: "self"}}}
	if baseURL == "" {
		f.ID = "urn:postmortem:" + title
		f.Links = []atomLink{{Href: "index.html", Rel: "alternate"}}
	}
	for i, p := range s.Postmortems {
		if i == FeedEntries {
			break
		}
		updated := p.Date
		if !p.Resolved.IsZero() {
			updated = p.Resolved
		}
		if f.Updated == "" || stamp(updated) > f.Updated {
			f.Updated = stamp(updated)
		}
		e := atomEntry{Title: p.Title, ID: "urn:postmortem:" + p.Slug, Updated: stamp(updated),
			Link: atomLink{Href: baseURL + PostmortemURL(p.Slug)}, Summary: p.Summary}
		for _, c := range p.RootCauses {
			e.Categories = append(e.Categories, atomCat{c})
		}
		f.Entries = append(f.Entries, e)
	}
	if f.Updated == "" {
		f.Updated = stamp(time.Unix(0, 0).UTC())
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	_ = enc.Encode(f)
	buf.WriteByte('\n')
	return buf.Bytes()
}

// Sitemap returns sitemap.xml listing the HTML pages among paths, absolute
// under baseURL, with directory URLs in place of index.html.
func Sitemap(paths []string, baseURL string) []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range paths {
		if len(p) < 5 || p[len(p)-5:] != ".html" || p == "404.html" {
			continue
		}
		u := baseURL + p
		if len(p) >= 10 && p[len(p)-10:] == "index.html" {
			u = baseURL + p[:len(p)-10]
		}
		buf.WriteString("  <url><loc>")
		_ = xml.EscapeText(&buf, []byte(u))
		buf.WriteString("</loc></url>\n")
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
}
