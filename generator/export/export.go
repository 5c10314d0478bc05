// Package export holds the machine-readable files of a site, made from the
// linked site beside its pages: index.json, the Atom feed and sitemap.xml.
package export

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"hash/maphash"
	"io"
	"path"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/scratch"
)

// IndexEntry is one postmortem in index.json.
type IndexEntry struct {
	Slug                string        `json:"slug"`
	Title               string        `json:"title"`
	URL                 string        `json:"url"`
	Date                string        `json:"date"`
	Severity            string        `json:"severity"`
	Status              string        `json:"status"`
	RootCauses          []string      `json:"root_causes"`
	ContributingFactors []string      `json:"contributing_factors"`
	Services            []string      `json:"services"`
	Tags                []string      `json:"tags"`
	Started             string        `json:"started,omitempty"`
	Detected            string        `json:"detected,omitempty"`
	Resolved            string        `json:"resolved,omitempty"`
	DurationMinutes     *int          `json:"duration_minutes,omitempty"` // nil when unknown
	Related             []string      `json:"related"`
	ActionItems         []ActionEntry `json:"action_items"`
}

// TermEntry is one term of a taxonomy in index.json.
type TermEntry struct {
	Name  string `json:"name"`
	URL   string `json:"url"`
	Count int    `json:"count"`
}

// stamp writes a time as RFC 3339, "" when unknown.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// nonNil is s, or an empty list for nil, which JSON writes as [] rather
// than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Exporter writes index.json, and keeps each postmortem's entry between
// builds. It is not safe for concurrent use. Its settings stay those it
// was made with: make a new one when they change.
type Exporter struct {
	// Now and Deadlines say which action items are overdue (see
	// ledger.IsOverdue).
	Now       time.Time
	Deadlines map[string]config.Days

	entries map[entryKey]entry
}

// entryKey is what an entry of index.json is made from: the postmortem,
// which its hash stands for, and the slugs of its related postmortems,
// hashed.
type entryKey struct{ hash, related uint64 }

// entry is the JSON of a postmortem in index.json, and its hash.
type entry struct {
	raw scratch.Bytes
	sum uint64
}

var seed = maphash.MakeSeed()

// Index brings the entries of index.json up to s, and returns the key of
// the file they make and what writes it: compact JSON, each postmortem and
// each list of terms on a line of its own, so that a diff of two builds
// names the postmortems that changed. Everything in it is made from the
// entries of the postmortems (the lists of terms too): an entry is encoded
// again when its postmortem or related list changed, and the key is that
// of the entries' bytes. The file itself is not held (at 100,000
// postmortems, 0.1 GB): write writes it from the entries, which file holds
// (nil: memory; 0.1 GB more at 100,000). An entry that file cannot give
// back is encoded anew.
func (x *Exporter) Index(s *link.Site, file *scratch.File) (key uint64, write func(io.Writer) error) {
	entries := make(map[entryKey]entry, len(s.Postmortems))
	list := make([]entry, len(s.Postmortems))
	var h, rh maphash.Hash
	h.SetSeed(seed)
	rh.SetSeed(seed)
	for i, p := range s.Postmortems {
		rh.Reset()
		for _, r := range s.Related[i] {
			rh.WriteString(s.Postmortems[r.To].Slug)
			rh.WriteByte(0)
		}
		key := entryKey{postmortem.HashOf(p), rh.Sum64()}
		e, ok := x.entries[key]
		if !ok {
			raw := x.entry(s, i)
			e = entry{file.Hold(raw), maphash.Bytes(seed, raw)}
		}
		entries[key], list[i] = e, e
		h.Write(binary.LittleEndian.AppendUint64(nil, e.sum))
	}
	x.entries = entries
	return h.Sum64(), func(w io.Writer) error {
		var r scratch.Reader
		return writeIndex(w, len(list), func(i int) []byte {
			if b, err := r.Read(list[i].raw); err == nil {
				return b
			}
			return x.entry(s, i)
		}, termLists(s))
	}
}

// WriteIndex writes index.json of s to w, as Index makes it, but an entry
// at a time, keeping none: for a build that makes it once (at 100,000
// postmortems the entries and the file took 0.2 GB).
func (x *Exporter) WriteIndex(w io.Writer, s *link.Site) error {
	return writeIndex(w, len(s.Postmortems), func(i int) []byte { return x.entry(s, i) }, termLists(s))
}

// entry returns the entry of the i-th postmortem of s in index.json.
func (x *Exporter) entry(s *link.Site, i int) []byte {
	p := s.Postmortems[i]
	related := make([]string, len(s.Related[i]))
	for k, r := range s.Related[i] {
		related[k] = s.Postmortems[r.To].Slug
	}
	raw, _ := json.Marshal(IndexEntry{
		Slug: p.Slug, Title: p.Title, URL: link.PostmortemURL(p.Slug), Date: p.Date.Format(time.DateOnly),
		Severity: p.Severity, Status: p.Status, RootCauses: nonNil(p.RootCauses),
		ContributingFactors: nonNil(p.ContributingFactors), Services: nonNil(p.Services), Tags: nonNil(p.Tags),
		Started: stamp(p.Started), Detected: stamp(p.Detected), Resolved: stamp(p.Resolved),
		DurationMinutes: minutes(p.Started, p.Resolved), Related: related, ActionItems: ActionEntries(p, x.Now, x.Deadlines),
	})
	return raw
}

// termLists returns the lists of terms of index.json, each after ",\n".
func termLists(s *link.Site) []byte {
	var terms bytes.Buffer
	for _, key := range []string{"root_cause", "contributing_factor", "service"} {
		tax := s.Taxonomy(key)
		out := []TermEntry{}
		for _, t := range tax.ByCount() {
			out = append(out, TermEntry{Name: t.Name, URL: tax.URL(t.Name), Count: len(t.Members)})
		}
		data, _ := json.Marshal(out)
		name, _ := json.Marshal(strings.ReplaceAll(tax.Dir, "-", "_"))
		fmt.Fprintf(&terms, ",\n%s:%s", name, data)
	}
	return terms.Bytes()
}

// writeIndex writes index.json of n entries, the i-th given by entry, and
// the lists of terms.
func writeIndex(w io.Writer, n int, entry func(i int) []byte, terms []byte) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("{\"postmortems\":[")
	for i := range n {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		bw.Write(entry(i))
	}
	bw.WriteString("\n]")
	bw.Write(terms)
	bw.WriteString("\n}\n")
	return bw.Flush()
}

type atomFeed struct {
	XMLName xml.Name     `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string       `xml:"title"`
	ID      string       `xml:"id"`
	Updated string       `xml:"updated"`
	Authors []atomAuthor `xml:"author"`
	Links   []atomLink   `xml:"link"`
	Entries []atomEntry  `xml:"entry"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type atomEntry struct {
	Title      string       `xml:"title"`
	ID         string       `xml:"id"`
	Published  string       `xml:"published"`
	Updated    string       `xml:"updated"`
	Authors    []atomAuthor `xml:"author"`
	Link       atomLink     `xml:"link"`
	Summary    string       `xml:"summary"`
	Categories []atomCat    `xml:"category"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

// FeedEntries is how many incidents the Atom feed carries.
const FeedEntries = 50

// Feed returns the Atom feed of the newest incidents. Links are absolute
// when the site has a base URL, and relative to the feed otherwise. Ids are
// the pages' absolute URLs with a base URL, and otherwise name-based UUIDs
// (RFC 9562 version 5) of the site's title and the incident's slug, the same
// from build to build. The site is the author of the feed, and an incident's
// authors of its entry. An entry is published at the start of its incident
// and updated at the last time it records; the feed is updated at its
// newest entry.
func Feed(s *link.Site, title, baseURL string) []byte {
	f := atomFeed{Title: title, ID: baseURL, Authors: []atomAuthor{{title}},
		Links: []atomLink{{Href: baseURL, Rel: "alternate"}, {Href: baseURL + link.FeedURL, Rel: "self"}}}
	if baseURL == "" {
		f.ID = nameUUID("postmortem feed\x00" + title)
		f.Links = []atomLink{{Href: link.HomeURL, Rel: "alternate"}}
	}
	return writeFeed(f, s.Postmortems[:min(len(s.Postmortems), FeedEntries)], title, baseURL, "")
}

// TermFeedURL is the Atom feed of a term, beside its page, relative to the
// site root.
func TermFeedURL(tax *link.Taxonomy, term string) string {
	return strings.TrimSuffix(tax.URL(term), ".html") + ".xml"
}

// FeedTaxonomies are the taxonomies whose terms have a feed of their own.
var FeedTaxonomies = []string{"root_cause", "service", "severity"}

// TermFeeder writes the Atom feed of every root cause, service and
// severity level, and keeps each between builds while the postmortems it
// shows are unchanged (by the hashes of their sources). Its settings stay
// those it was made with: make a new one when they change. It is not safe
// for concurrent use.
type TermFeeder struct {
	Title, BaseURL string
	Words          config.Labels // for the kind of term in a feed's title

	memo map[string]feedMemo
}

type feedMemo struct {
	key  uint64
	data []byte
}

// Feeds returns the feeds of the terms of s by output path (TermFeedURL):
// each term's newest incidents, as Feed has those of the site. A feed's id
// is its term page's URL with a base URL, else a name-based UUID of the
// site's title and the term.
func (x *TermFeeder) Feeds(s *link.Site) map[string][]byte {
	out := map[string][]byte{}
	memo := map[string]feedMemo{}
	var k maphash.Hash
	k.SetSeed(seed)
	for _, key := range FeedTaxonomies {
		tax := s.Taxonomy(key)
		for _, term := range tax.Terms {
			self := TermFeedURL(tax, term.Name)
			members := term.Members[:min(len(term.Members), FeedEntries)]
			k.Reset()
			k.WriteString(key + "\x00" + term.Name + "\x00")
			for _, m := range members {
				k.Write(binary.LittleEndian.AppendUint64(nil, postmortem.HashOf(s.Postmortems[m])))
			}
			m, ok := x.memo[self]
			if sum := k.Sum64(); !ok || m.key != sum {
				m = feedMemo{sum, x.feed(s, tax, term, members)}
			}
			memo[self], out[self] = m, m.data
		}
	}
	x.memo = memo
	return out
}

// feed writes the feed of term, whose newest incidents are members.
func (x *TermFeeder) feed(s *link.Site, tax *link.Taxonomy, term *link.Term, members []int) []byte {
	page, self := link.WebPath(tax.URL(term.Name)), link.WebPath(TermFeedURL(tax, term.Name))
	name := x.Title + ": " + x.Words["tax_"+tax.Key+"_one"] + " " + term.Name
	f := atomFeed{Title: name, ID: x.BaseURL + page, Authors: []atomAuthor{{x.Title}},
		Links: []atomLink{{Href: x.BaseURL + page, Rel: "alternate"}, {Href: x.BaseURL + self, Rel: "self"}}}
	prefix := ""
	if x.BaseURL == "" {
		// Links are relative to the feed, a folder down or more (a
		// narrower root cause is in its parent's folder).
		f.ID = nameUUID("postmortem feed\x00" + x.Title + "\x00" + tax.Key + "\x00" + term.Name)
		prefix = strings.Repeat("../", strings.Count(self, "/"))
		f.Links = []atomLink{{Href: path.Base(page), Rel: "alternate"}}
	}
	pms := make([]*postmortem.Postmortem, len(members))
	for i, m := range members {
		pms[i] = s.Postmortems[m]
	}
	return writeFeed(f, pms, x.Title, x.BaseURL, prefix)
}

// writeFeed adds an entry per postmortem to f and encodes it. Entry links
// are under baseURL, else prefix (the way from the feed to the site root).
func writeFeed(f atomFeed, pms []*postmortem.Postmortem, title, baseURL, prefix string) []byte {
	var newest time.Time
	for _, p := range pms {
		published, updated := p.Date, p.Date
		if !p.Started.IsZero() {
			published = p.Started
		}
		for _, t := range []time.Time{p.Started, p.Detected, p.Acknowledged, p.Mitigated, p.Resolved} {
			if t.After(updated) {
				updated = t
			}
		}
		if updated.After(newest) {
			newest = updated
		}
		page := link.WebPath(link.PostmortemURL(p.Slug))
		e := atomEntry{Title: p.Title, ID: baseURL + page, Published: feedStamp(published), Updated: feedStamp(updated),
			Link: atomLink{Href: baseURL + prefix + page, Rel: "alternate"}, Summary: p.Summary}
		if baseURL == "" {
			e.ID = nameUUID("postmortem entry\x00" + title + "\x00" + p.Slug)
		}
		for _, a := range p.Authors {
			e.Authors = append(e.Authors, atomAuthor{a})
		}
		for _, c := range p.RootCauses {
			e.Categories = append(e.Categories, atomCat{c})
		}
		f.Entries = append(f.Entries, e)
	}
	if newest.IsZero() {
		newest = time.Unix(0, 0)
	}
	f.Updated = feedStamp(newest)
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	_ = enc.Encode(f)
	buf.WriteByte('\n')
	return buf.Bytes()
}

// feedStamp writes a time of the feed in UTC, as RFC 3339.
func feedStamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// nameUUID returns the URN of the version 5 UUID of name in the URL
// namespace of RFC 9562.
func nameUUID(name string) string {
	ns := [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // the variant of RFC 9562
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// Sitemap returns sitemap.xml listing the HTML pages among paths, absolute
// under baseURL, with directory URLs in place of index.html.
func Sitemap(paths []string, baseURL string) []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range paths {
		if len(p) < 5 || p[len(p)-5:] != ".html" || p == link.NotFoundURL {
			continue
		}
		u := baseURL + link.WebPath(p)
		buf.WriteString("  <url><loc>")
		_ = xml.EscapeText(&buf, []byte(u))
		buf.WriteString("</loc></url>\n")
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
}
