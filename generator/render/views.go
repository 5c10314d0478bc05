package render

import (
	"fmt"
	"hash/fnv"
	"html/template"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/timeline"
)

// Link is a named link, its URL relative to the site root.
type Link struct {
	Name, URL string
}

// Incident is a postmortem as the templates see it, with its links. The
// postmortem is a named field, not an embedded one: templates look fields of
// embedded structs up by a slow path, and a site has thousands of pages.
type Incident struct {
	PM                                                  *postmortem.Postmortem
	URL                                                 string
	RootCauseLinks, FactorLinks, ServiceLinks, TagLinks []Link
	SeverityURL, YearURL                                string

	frag    func(in *Incident, name, root string) (template.HTML, error)
	listKey uint64 // hash of what lists and links show of the incident
	// reportKey is the hash of what the taxonomy report reads of it.
	reportKey uint64

	mu    sync.Mutex
	frags map[[2]string]template.HTML // rendered fragments, by name and root
}

// Row returns the incident as a row of the incident table, for a page at
// root: the "incident-row" template, rendered once per build and root.
func (in *Incident) Row(root string) (template.HTML, error) { return in.frag(in, "incident-row", root) }

// Link returns the incident as a link with its date and severity, for a page
// at root: the "incident-link" template, rendered once per build and root.
func (in *Incident) Link(root string) (template.HTML, error) {
	return in.frag(in, "incident-link", root)
}

// Related is a related incident and why it is related.
type Related struct {
	Incident *Incident
	Reason   string
}

// Fact is one time or duration in the header of a postmortem's page.
type Fact struct {
	Label string // "Duration", "Started", ...
	Text  string // "3 h 30 min", "6 Aug 2023 08:00 WAT"
	// Time is the time as RFC 3339, for a <time> element; "" for a duration.
	Time string
	// FromTimeline is set when the time was read from the timeline, not
	// given in the front matter.
	FromTimeline bool
}

// facts lists the durations and times of p that are known, in the order a
// reader looks for them.
func facts(p *postmortem.Postmortem, words config.Labels) []Fact {
	var out []Fact
	for _, d := range []struct {
		label string
		d     time.Duration
	}{{"duration", p.Duration()}, {"time_to_detect", p.TimeToDetect()}, {"time_to_resolve", p.TimeToResolve()}} {
		if d.d > 0 {
			out = append(out, Fact{Label: words[d.label], Text: words.Duration(d.d)})
		}
	}
	for _, t := range []struct {
		name string
		t    time.Time
	}{{"started", p.Started}, {"detected", p.Detected}, {"acknowledged", p.Acknowledged}, {"mitigated", p.Mitigated}, {"resolved", p.Resolved}} {
		if !t.t.IsZero() {
			out = append(out, Fact{Label: words[t.name], Text: words.DateTime(t.t.In(p.Location)), Time: t.t.Format(time.RFC3339), FromTimeline: slices.Contains(p.FromTimeline, t.name)})
		}
	}
	return out
}

// TimelineEntry is one line of a drawn timeline.
type TimelineEntry struct {
	Time time.Time
	// ISO is the time as RFC 3339, Clock as hours and minutes as the
	// postmortem wrote them, with the zone when it is not the page's.
	ISO, Clock string
	Text       string
	// Offset is the time since the first entry, as "+1 h 05 min".
	Offset string
	// Percent places the entry on a bar from the first entry to the last.
	Percent int
}

// TermView is one term of a taxonomy with its incidents.
type TermView struct {
	Term      *link.Term
	Taxonomy  *link.Taxonomy
	Incidents []*Incident
	CoCauses  []Link
	URL       string
	// Parent is the term above this one, nil when none; Children are the
	// terms below it, their names with their counts of incidents.
	Parent   *Link
	Children []Link
	// Insights are set for root causes, services and severities.
	Insights *TermInsights
	// FeedURL is the term's Atom feed, relative to the site root; set for
	// root causes, services and severities.
	FeedURL string
}

// incident builds the view of postmortem i of s.
func incident(s *link.Site, i int) *Incident {
	p := s.Postmortems[i]
	links := func(key string, names []string) []Link {
		tax := s.Taxonomy(key)
		out := make([]Link, len(names))
		for k, n := range names {
			out[k] = Link{Name: n, URL: tax.URL(n)}
		}
		return out
	}
	in := &Incident{
		PM:             p,
		URL:            PostmortemURL(p.Slug),
		RootCauseLinks: links("root_cause", p.RootCauses),
		FactorLinks:    links("contributing_factor", p.ContributingFactors),
		ServiceLinks:   links("service", p.Services),
		TagLinks:       links("tag", p.Tags),
		YearURL:        s.Taxonomy("year").URL(strconv.Itoa(p.Year())),
	}
	if p.Severity != "" {
		in.SeverityURL = s.Taxonomy("severity").URL(p.Severity)
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%d\x00%v\x00%s\x00%s\x00%s\x00%d\x00%s",
		p.Slug, p.Title, p.Date, p.Severity, p.SeverityRank, p.Draft, p.RootCauses, p.Services, p.Summary, p.Duration(), p.Status)
	in.listKey = h.Sum64()
	in.reportKey = reportKey(p)
	return in
}

// body is the body of postmortem i of s, its references resolved to
// links relative to its page.
func body(s *link.Site, i int, views []*Incident) template.HTML {
	p := s.Postmortems[i]
	if len(p.Refs) == 0 {
		return p.HTML
	}
	targets := make([]markdown.Target, len(p.Refs))
	for k, to := range s.Refs[i] {
		if to == link.Unbuilt {
			// Not on the site (a draft): its name, as written, not its title.
			targets[k].Title = p.Refs[k].Slug
			if p.Refs[k].Path != "" {
				targets[k].Title = path.Base(p.Refs[k].Path)
			}
			continue
		}
		// Pages of incidents are side by side.
		u := path.Base(views[to].URL)
		if to := s.Postmortems[to]; p.Refs[k].Path != "" && p.Refs[k].Path != to.Path {
			// A file of a page bundle, beside the bundle's page.
			u = path.Join(strings.TrimSuffix(u, ".html"), strings.TrimPrefix(p.Refs[k].Path, to.Dir+"/"))
			u = (&url.URL{Path: u}).EscapedPath()
			targets[k] = markdown.Target{URL: u, Title: path.Base(p.Refs[k].Path)}
			continue
		}
		if f := p.Refs[k].Fragment; f != "" {
			u += "#" + (&url.URL{Fragment: f[1:]}).EscapedFragment()
		}
		targets[k] = markdown.Target{URL: u, Title: views[to].PM.Title}
	}
	return markdown.Resolve(p.HTML, targets)
}

// BundleDir is the output folder of the assets of a page bundle, relative to
// the site root.
func BundleDir(slug string) string { return "incidents/" + slug }

// PostmortemURL is the page of a postmortem, relative to the site root
// (see link.PostmortemURL).
func PostmortemURL(slug string) string { return link.PostmortemURL(slug) }

func drawTimeline(entries []timeline.Entry, loc *time.Location, words config.Labels) []TimelineEntry {
	if len(entries) == 0 {
		return nil
	}
	first, last := entries[0].Time, entries[len(entries)-1].Time
	total := last.Sub(first)
	out := make([]TimelineEntry, len(entries))
	for i, e := range entries {
		out[i] = TimelineEntry{Time: e.Time, ISO: e.Time.Format(time.RFC3339), Clock: clock(e.Time, loc), Text: e.Text, Offset: "+" + words.Duration(e.Time.Sub(first))}
		if total > 0 {
			out[i].Percent = int(100 * e.Time.Sub(first) / total)
		}
	}
	return out
}

// clock writes t as its postmortem wrote it, hours and minutes in the zone
// it was written in, with that zone named when it is not the page's, loc.
func clock(t time.Time, loc *time.Location) string {
	written, _ := t.Zone()
	if page, _ := t.In(loc).Zone(); written != page {
		return t.Format("15:04 MST")
	}
	return t.Format("15:04")
}
