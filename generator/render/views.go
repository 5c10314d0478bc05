package render

import (
	"encoding/binary"
	"hash/maphash"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/parallel"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/timeline"
)

// incidents returns the views of the postmortems of s for pages at root,
// newest first, making those that kept (the views of the last build at
// root: a view is made from its postmortem and root alone) lacks, and
// the views to keep for the next build.
func incidents(s *link.Site, root string, words config.Labels, kept map[*postmortem.Postmortem]*Incident) ([]*Incident, map[*postmortem.Postmortem]*Incident) {
	views := make([]*Incident, len(s.Postmortems))
	urls := termURLs(s, root)
	parallel.For(len(views), func(i int) {
		if v, ok := kept[s.Postmortems[i]]; ok {
			views[i] = v
		} else {
			views[i] = incident(s, i, root, words, urls)
		}
	})
	next := make(map[*postmortem.Postmortem]*Incident, len(views))
	for i, p := range s.Postmortems {
		next[p] = views[i]
	}
	return views, next
}

// termURLs returns the URL of every term of s at root, by taxonomy key and
// term name: made once for all the incidents, which share them (each
// incident's own copies took 80 MB at 100,000 postmortems).
func termURLs(s *link.Site, root string) map[string]map[string]string {
	out := make(map[string]map[string]string, len(s.Taxonomies))
	for _, tax := range s.Taxonomies {
		urls := make(map[string]string, len(tax.Terms))
		for _, t := range tax.Terms {
			urls[t.Name] = root + tax.URL(t.Name)
		}
		out[tax.Key] = urls
	}
	return out
}

// incident makes the view of postmortem i of s for pages at root, its
// facts in words, urls the URLs of the terms at root (termURLs).
func incident(s *link.Site, i int, root string, words config.Labels, urls map[string]map[string]string) *Incident {
	p := s.Postmortems[i]
	url := func(key, name string) string {
		if u, ok := urls[key][name]; ok {
			return u
		}
		return root + s.Taxonomy(key).URL(name)
	}
	links := func(key string, names []string) []Link {
		out := make([]Link, len(names))
		for k, n := range names {
			out[k] = Link{Name: n, URL: url(key, n)}
		}
		return out
	}
	in := &Incident{
		PM:             p,
		URL:            root + link.PostmortemURL(p.Slug),
		RootCauseLinks: links("root_cause", p.RootCauses),
		FactorLinks:    links("contributing_factor", p.ContributingFactors),
		ServiceLinks:   links("service", p.Services),
		TagLinks:       links("tag", p.Tags),
		YearURL:        url("year", strconv.Itoa(p.Year())),
		root:           root,
		words:          words,
		frags:          &rendered{},
	}
	if p.Severity != "" {
		in.SeverityURL = url("severity", p.Severity)
	}
	var h maphash.Hash
	h.SetSeed(keySeed)
	h.Write(binary.LittleEndian.AppendUint64(nil, postmortem.HashOf(p)))
	h.WriteString(root)
	in.key = h.Sum64()
	return in
}

// terms returns the views of the terms of tax for pages at root, in the
// order of tax.Terms, with views the incidents of s at that root. A view of
// kept made from the same term and incident views is reused; each is added
// to next.
func terms(s *link.Site, tax *link.Taxonomy, root string, views []*Incident, kept, next map[termKey]*Term) []*Term {
	out := make([]*Term, len(tax.Terms))
	causes := s.Taxonomy("root_cause")
	for k, t := range tax.Terms {
		old, ok := kept[termKey{t, root}]
		if ok && sameViews(old.Incidents, t.Members, views) {
			out[k], next[termKey{t, root}] = old, old
			continue
		}
		tv := &Term{Name: t.Name, Slug: t.Slug, URL: root + tax.URL(t.Name),
			TotalMinutes: t.TotalMinutes, MedianMinutes: t.MedianMinutes, Measured: t.Measured, First: t.First, Last: t.Last}
		tv.Incidents = make([]*Incident, len(t.Members))
		for m, i := range t.Members {
			tv.Incidents[m] = views[i]
		}
		tv.Direct, tv.Depth = t.Direct, t.Depth
		if ok {
			// Made from t and root alone.
			tv.CoCauses, tv.Parent, tv.Children = old.CoCauses, old.Parent, old.Children
		} else {
			for _, c := range t.CoCauses {
				tv.CoCauses = append(tv.CoCauses, Link{Name: c.Name + " (" + strconv.Itoa(c.N) + ")", URL: root + causes.URL(c.Name)})
			}
			if t.Parent != nil {
				tv.Parent = &Link{Name: t.Parent.Name, URL: root + tax.URL(t.Parent.Name)}
			}
			for _, c := range t.Children {
				tv.Children = append(tv.Children, Link{Name: c.Name + " (" + strconv.Itoa(len(c.Members)) + ")", URL: root + tax.URL(c.Name)})
			}
		}
		tv.key = keyOf(*tv)
		out[k], next[termKey{t, root}] = tv, tv
	}
	return out
}

// termKey names a term view kept between builds: a view is made from the
// term, which link keeps while its members are the same, the root and the
// views of its members.
type termKey struct {
	term *link.Term
	root string
}

// sameViews reports whether list holds the views of members.
func sameViews(list []*Incident, members []int, views []*Incident) bool {
	if len(list) != len(members) {
		return false
	}
	for k, i := range members {
		if list[k] != views[i] {
			return false
		}
	}
	return true
}

// taxonomy returns the view of tax for pages at root, named in words.
func taxonomy(tax *link.Taxonomy, root string, words config.Labels) *Taxonomy {
	return &Taxonomy{Key: tax.Key, Title: words["tax_"+tax.Key], Singular: words["tax_"+tax.Key+"_one"],
		URL: root + tax.IndexURL(), Count: len(tax.Terms)}
}

// newSite returns the site-wide data of the pages at root.
func newSite(cfg *config.Config, customCSS bool, s *link.Site, root string) *Site {
	words := cfg.Labels
	site := &Site{Title: cfg.Title, Description: cfg.Description, BaseURL: cfg.BaseURL, Language: cfg.Language, CustomCSS: customCSS,
		Home: root + link.HomeURL, Catalog: root + link.CatalogURL, Search: root + link.SearchURL,
		Feed: root + link.FeedURL, Export: root + link.ExportURL, Report: root + link.TaxonomyURL, unnamed: s.Unnamed}
	site.Nav = append(site.Nav, Link{words["incidents"], site.Catalog}, Link{words["insights"], root + InsightsURL}, Link{words["action_items"], root + LedgerURL})
	for _, t := range s.Taxonomies {
		tv := taxonomy(t, root, words)
		site.Taxonomies = append(site.Taxonomies, &SiteTaxonomy{Key: tv.Key, Title: tv.Title, Singular: tv.Singular, URL: tv.URL, HasTerms: tv.Count > 0})
		if tv.Count > 0 {
			site.Nav = append(site.Nav, Link{tv.Title, tv.URL})
		}
	}
	site.Nav = append(site.Nav, Link{words["search"], site.Search})
	site.key = keyOf(*site)
	return site
}

// body is the body of p, its references resolved to links to targets, the
// views of the incidents they name (nil for one not on the site).
func body(p *postmortem.Postmortem, targets []*Incident, unnamed string) template.HTML {
	if len(p.Refs) == 0 {
		return postmortem.BodyHTML(p)
	}
	to := make([]*postmortem.Postmortem, len(targets))
	for k, in := range targets {
		if in != nil {
			to[k] = in.PM
		}
	}
	return markdown.Resolve(postmortem.BodyHTML(p), link.RefTargets(p, to, unnamed))
}

// Facts returns the times and durations of the incident that are known,
// in the order a reader looks for them. They are made at each call, not
// kept: a page shows them once, and at 100,000 postmortems those kept
// until the build's end held 0.14 GB.
func (in *Incident) Facts() []Fact { return facts(in.PM, in.words) }

// Timeline returns the incident's timeline as drawn on its page, made at
// each call as Facts is.
func (in *Incident) Timeline() []TimelineEntry {
	return drawTimeline(in.PM.Timeline, in.PM.Started, in.PM.Location, in.words)
}

// facts lists the durations and times of p that are known, in the order a
// reader looks for them.
func facts(p *postmortem.Postmortem, words config.Labels) []Fact {
	var out []Fact
	for _, d := range []struct {
		label string
		d     time.Duration
		known bool // a zero is a figure: detected as it started
	}{{"duration", p.Duration(), p.Measured()}, {"time_to_detect", p.TimeToDetect(), postmortem.Known(p.Started, p.Detected)},
		{"time_to_mitigate", p.TimeToMitigate(), postmortem.Known(p.Started, p.Mitigated)}} {
		if d.known {
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

// drawTimeline lays out entries for the page: each entry's offset from
// started, the incident's start (from the first entry when unknown), so
// that the offset of the resolution is the incident's duration; an entry
// of the lead-up, before it, has a negative one.
func drawTimeline(entries []timeline.Entry, started time.Time, loc *time.Location, words config.Labels) []TimelineEntry {
	if len(entries) == 0 {
		return nil
	}
	first, last := timeline.Span(entries) // as the postmortem's times are read from it
	total := last.Sub(first)
	if started.IsZero() {
		started = first
	}
	out := make([]TimelineEntry, len(entries))
	days := make([]string, len(entries)) // each entry's day, in the zone its clock is shown in
	spans := false
	for i, e := range entries {
		days[i] = words.Date(shownIn(e.Time, loc))
		spans = spans || days[i] != days[0]
	}
	for i, e := range entries {
		out[i] = TimelineEntry{Time: e.Time, ISO: e.Time.Format(time.RFC3339), Clock: clock(e.Time, loc), Text: markdown.InlineText(e.Text), Offset: offset(e.Time.Sub(started), words)}
		if spans && (i == 0 || days[i] != days[i-1]) {
			out[i].Day = days[i]
		}
		if total > 0 {
			out[i].Percent = int(100 * e.Time.Sub(first) / total)
		}
	}
	return out
}

// offset writes d, the time from the incident's start, signed: "+1 h 05
// min", "−4 min".
func offset(d time.Duration, words config.Labels) string {
	if d < 0 {
		return "−" + words.Duration(-d)
	}
	return "+" + words.Duration(d)
}

// ownZone reports whether t was written in a zone other than the page's,
// loc: it is shown in its own, named.
func ownZone(t time.Time, loc *time.Location) bool {
	written, _ := t.Zone()
	page, _ := t.In(loc).Zone()
	return written != page
}

// shownIn returns t in the zone a page in loc shows it in.
func shownIn(t time.Time, loc *time.Location) time.Time {
	if ownZone(t, loc) {
		return t
	}
	return t.In(loc)
}

// clock writes t as its postmortem wrote it, hours and minutes in the zone
// it was written in, with that zone named when it is not the page's, loc.
func clock(t time.Time, loc *time.Location) string {
	if ownZone(t, loc) {
		return t.Format("15:04 MST")
	}
	return t.Format("15:04")
}

// reasonText words r in the labels words: "shares root cause dns and
// service api", "similar title", "3 days apart" in English.
func reasonText(r *link.Reason, words config.Labels) string {
	label := func(key string, args ...any) string {
		s, _ := words.Label(key, args...) // the theme's labels have every key: see labels/en.yaml
		return s
	}
	if len(r.Shared) > 0 {
		parts := make([]string, len(r.Shared))
		for i, sh := range r.Shared {
			key := "related_" + sh.Key
			if len(sh.Names) == 1 {
				key += "_one"
			}
			parts[i] = label(key, strings.Join(sh.Names, ", "))
		}
		return label("related_shares", link.JoinAnd(parts, label("related_and")))
	}
	switch {
	case r.Similar:
		return label("related_similar_title")
	case r.Days == 0:
		return label("related_same_day")
	}
	return label("related_days_apart", r.Days)
}
