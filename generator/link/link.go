// Package link holds the cross-links of a site: the taxonomies (root causes,
// contributing factors, services, severities, years, tags) with their terms,
// related incidents, and the order of incidents in time.
package link

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/parallel"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/stats"
)

// Site is the linked set of postmortems.
type Site struct {
	// Postmortems are newest first: by date, then start time, then slug.
	Postmortems []*postmortem.Postmortem
	// Index maps a slug to its position in Postmortems.
	Index map[string]int
	// Taxonomies in display order: root causes, contributing factors,
	// services, severities, years, tags.
	Taxonomies []*Taxonomy
	// Related holds, for each postmortem, its most related others, best first.
	Related [][]Relation
	// Refs holds, for each postmortem, the targets of its references
	// (Postmortem.Refs) as positions in Postmortems, or Unbuilt. The
	// target of a link to a Markdown file of a page bundle, not its
	// index.md, is that bundle.
	Refs [][]int
	// ReferencedBy holds, for each postmortem, the others whose bodies
	// refer to it, newest first.
	ReferencedBy [][]int
	// Totals are the figures of the whole site.
	Totals Totals
	// Unnamed is what a reference to a postmortem left out of the site
	// shows, in a build that must not name it (the public profile, whose
	// readers are not to learn the slugs of internal incidents); "" for the
	// name it was written with.
	Unnamed string

	entries []*entry                          // of Postmortems, by position
	cache   map[*postmortem.Postmortem]*entry // the same, by postmortem, for the next build
}

// Totals are the figures of a whole site.
type Totals struct {
	Postmortems, RootCauses, Services int
	// Measured counts the postmortems with a duration; the minutes are theirs.
	Measured, TotalMinutes, MedianMinutes int
}

// totals computes the figures of s, once its taxonomies are built.
func totals(s *Site) Totals {
	t := Totals{Postmortems: len(s.Postmortems), RootCauses: len(s.Taxonomy("root_cause").Terms), Services: len(s.Taxonomy("service").Terms)}
	var mins []int
	for _, e := range s.entries {
		if e.Measured {
			mins = append(mins, e.Minutes)
			t.TotalMinutes += e.Minutes
		}
	}
	t.Measured, t.MedianMinutes = len(mins), stats.Median(mins)
	return t
}

// Taxonomy is one way of grouping incidents.
type Taxonomy struct {
	Key      string // facet key: root_cause, contributing_factor, service, severity, year, tag
	Dir      string // output folder: root-causes, services, ...
	Title    string // "Root causes"
	Singular string // "root cause"
	Terms    []*Term
	// Hierarchical is set when a term written with slashes is the child of
	// the term before its last slash (root causes): a term's members are
	// then its own incidents and those of its children.
	Hierarchical bool
	// Without counts the incidents that have none of its terms.
	Without int
	idx     int                                   // position in newTaxonomies, and of its terms in entry.Values
	values  func(*postmortem.Postmortem) []string // read by entryOf only
}

// Term is one value of a taxonomy and its incidents.
type Term struct {
	Name    string
	Slug    string
	Members []int // positions in Site.Postmortems, newest first
	// TotalMinutes and MedianMinutes are over the members with a known duration.
	TotalMinutes, MedianMinutes, Measured int
	First, Last                           time.Time // dates of the oldest and newest member
	CoCauses                              []Count   // root causes found with this term, most frequent first
	// Direct counts the members that have the term itself, not only one
	// of its children; Members counts both.
	Direct int
	// Parent is the term above this one in a hierarchical taxonomy, nil at
	// the top; Children are those below it, by name; Depth counts the
	// terms above it.
	Parent   *Term
	Children []*Term
	Depth    int
}

// Count is a term name with a number of incidents.
type Count struct {
	Name, Slug string
	N          int
}

// Relation says that a postmortem is related to another, and why.
type Relation struct {
	To     int // position in Site.Postmortems
	Score  float64
	Reason *Reason // equal reasons are one value
}

// Reason says why a postmortem is related to another: the terms they
// share, else that their titles share words, else how many days apart
// they are. The theme's labels word it (see render).
type Reason struct {
	Shared  []Shared // by taxonomy, in the site's order; none when the rest say why
	Similar bool     // no term shared: the titles share words
	Days    int      // neither: the days between them
}

// Shared are the terms of one taxonomy two postmortems share.
type Shared struct {
	Key   string   // the taxonomy's: root_cause, contributing_factor, service
	Names []string // sorted
}

// String is the reason in English: "shares root cause dns and service
// api", "similar title", "3 days apart".
func (r *Reason) String() string {
	if len(r.Shared) > 0 {
		var parts []string
		for _, sh := range r.Shared {
			singular, plural := strings.ReplaceAll(sh.Key, "_", " "), strings.ReplaceAll(sh.Key, "_", " ")+"s"
			if len(sh.Names) == 1 {
				parts = append(parts, singular+" "+sh.Names[0])
			} else {
				parts = append(parts, plural+" "+strings.Join(sh.Names, ", "))
			}
		}
		return "shares " + JoinAnd(parts, " and ")
	}
	switch {
	case r.Similar:
		return "similar title"
	case r.Days == 0:
		return "same day"
	case r.Days == 1:
		return "1 day apart"
	}
	return strconv.Itoa(r.Days) + " days apart"
}

// JoinAnd joins parts with commas, the last two with and: "a, b and c".
func JoinAnd(parts []string, and string) string {
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + and + parts[len(parts)-1]
}

// Term finds a term by name, or nil.
func (t *Taxonomy) Term(name string) *Term {
	i, ok := slices.BinarySearchFunc(t.Terms, name, func(t *Term, n string) int { return strings.Compare(t.Name, n) })
	if !ok {
		return nil
	}
	return t.Terms[i]
}

// ByCount returns the terms, most incidents first, then by name.
func (t *Taxonomy) ByCount() []*Term {
	out := slices.Clone(t.Terms)
	slices.SortStableFunc(out, func(a, b *Term) int { return cmp.Compare(len(b.Members), len(a.Members)) })
	return out
}

// URL is the term's page, relative to the site root.
func (t *Taxonomy) URL(term string) string {
	if tm := t.Term(term); tm != nil {
		return t.Dir + "/" + tm.Slug + ".html"
	}
	return t.Dir + "/" + t.slug(term) + ".html"
}

// slug is the page name of term: folders of its parts when hierarchical.
func (t *Taxonomy) slug(term string) string {
	if t.Hierarchical {
		return postmortem.TermPath(term)
	}
	return postmortem.Slugify(term)
}

// IndexURL is the page that lists the terms, relative to the site root.
func (t *Taxonomy) IndexURL() string { return t.Dir + ".html" }

// The output paths of the pages and files of a site, relative to its root:
// with Taxonomy.URL and Taxonomy.IndexURL, the one place that names them.
const (
	HomeURL     = "index.html"
	CatalogURL  = "incidents/index.html"
	SearchURL   = "search/index.html"
	NotFoundURL = "404.html"
	ExportURL   = "index.json"
	FeedURL     = "feed.xml"
	SitemapURL  = "sitemap.xml"
	TaxonomyURL = "taxonomy.html" // the taxonomy report
)

// WebPath is the path of the output file p (relative to the site root) as
// a URL under the site's base URL gives it: escaped, and a folder's
// index.html as the folder ("incidents/"). The sitemap, the feeds and the
// pages' canonical links all write it so.
func WebPath(p string) string {
	if p == "index.html" || strings.HasSuffix(p, "/index.html") {
		p = strings.TrimSuffix(p, "index.html")
	}
	return (&url.URL{Path: p}).EscapedPath()
}

// PostmortemURL is the page of a postmortem, relative to the site root.
func PostmortemURL(slug string) string { return "incidents/" + slug + ".html" }

// BundleDir is the output folder of the assets of a page bundle, relative to
// the site root.
func BundleDir(slug string) string { return "incidents/" + slug }

// Taxonomy finds a taxonomy by key, or nil.
func (s *Site) Taxonomy(key string) *Taxonomy {
	for _, t := range s.Taxonomies {
		if t.Key == key {
			return t
		}
	}
	return nil
}

func newTaxonomies() []*Taxonomy {
	taxes := []*Taxonomy{
		{Key: "root_cause", Dir: "root-causes", Title: "Root causes", Singular: "root cause", Hierarchical: true,
			values: func(p *postmortem.Postmortem) []string { return postmortem.WithAncestors(p.RootCauses) }},
		{Key: "contributing_factor", Dir: "contributing-factors", Title: "Contributing factors", Singular: "contributing factor",
			values: func(p *postmortem.Postmortem) []string { return p.ContributingFactors }},
		{Key: "service", Dir: "services", Title: "Services", Singular: "service",
			values: func(p *postmortem.Postmortem) []string { return p.Services }},
		{Key: "severity", Dir: "severities", Title: "Severities", Singular: "severity",
			values: func(p *postmortem.Postmortem) []string {
				if p.Severity == "" {
					return nil
				}
				return []string{p.Severity}
			}},
		{Key: "year", Dir: "years", Title: "Years", Singular: "year",
			values: func(p *postmortem.Postmortem) []string { return []string{strconv.Itoa(p.Year())} }},
		{Key: "tag", Dir: "tags", Title: "Tags", Singular: "tag",
			values: func(p *postmortem.Postmortem) []string { return p.Tags }},
	}
	for i, t := range taxes {
		t.idx = i
	}
	return taxes
}

// terms returns the terms of taxonomy t in entry e.
func (t *Taxonomy) terms(e *entry) []string { return e.Values[t.idx] }

// newestFirst orders postmortems by date and start, the newest first, then
// by slug and path. It compares lazily: sorting 10,000 postmortems runs on
// every rebuild of the live preview.
func newestFirst(a, b *postmortem.Postmortem) int {
	if c := b.Date.Compare(a.Date); c != 0 {
		return c
	}
	if c := b.Started.Compare(a.Started); c != 0 {
		return c
	}
	return cmp.Or(strings.Compare(a.Slug, b.Slug), strings.Compare(a.Path, b.Path))
}

// sharedSlugs reports each postmortem whose slug another has, at its own
// file, naming the others, so that any of them may be the one changed.
func sharedSlugs(pms []*postmortem.Postmortem) diag.List {
	var diags diag.List
	bySlug := map[string][]*postmortem.Postmortem{}
	for _, p := range pms {
		if p.Slug != "index" {
			bySlug[p.Slug] = append(bySlug[p.Slug], p)
		}
	}
	for slug, same := range bySlug {
		for _, p := range same {
			if len(same) < 2 {
				break
			}
			var others []string
			for _, o := range same {
				if o != p {
					others = append(others, slugAt(o))
				}
			}
			slices.Sort(others)
			diags.Add(p.Path, p.SlugLine, p.SlugCol, "slug: %q is also the slug of %s (set a distinct slug: in the front matter)", slug, strings.Join(others, " and "))
		}
	}
	return diags.Sort()
}

// Build links the postmortems. Two postmortems with one slug is an error,
// as is a reference in a body to no postmortem; unbuilt are the postmortems
// left out of the site (drafts), which references may name. unnamed, when
// not "", is what such a reference shows instead of the name it was
// written with (Site.Unnamed). prev, the previous build's site or nil,
// lends what the same postmortems made: all of it when none changed, else
// the related lists that a change cannot alter.
func Build(pms, unbuilt []*postmortem.Postmortem, prev *Site, unnamed string) (*Site, diag.List) {
	var diags diag.List
	s := &Site{Postmortems: slices.Clone(pms), Index: make(map[string]int, len(pms)), Unnamed: unnamed}
	slices.SortFunc(s.Postmortems, newestFirst)
	for i, p := range s.Postmortems {
		if p.Slug == "index" {
			diags.Add(p.Path, p.SlugLine, p.SlugCol, `slug: "index" is reserved for the list of incidents (set another slug: in the front matter)`)
			continue
		}
		if _, dup := s.Index[p.Slug]; dup {
			continue
		}
		s.Index[p.Slug] = i
	}
	diags = append(diags, sharedSlugs(s.Postmortems)...)
	// References are made again each time: they read the bodies.
	diags = append(diags, refs(s, unbuilt)...)
	summaryTitles(s)
	s.entries = make([]*entry, len(s.Postmortems))
	parallel.For(len(s.Postmortems), func(i int) {
		if prev != nil {
			if e, ok := prev.cache[s.Postmortems[i]]; ok {
				s.entries[i] = e
				return
			}
		}
		s.entries[i] = entryOf(s.Postmortems[i])
	})
	s.cache = make(map[*postmortem.Postmortem]*entry, len(s.entries))
	for i, p := range s.Postmortems {
		s.cache[p] = s.entries[i]
	}
	// Everything linked is made from the entries alone: what equal entries
	// in the same order make is taken from prev.
	same := prev != nil && slices.EqualFunc(prev.entries, s.entries, func(a, b *entry) bool { return a.key == b.key })
	// Terms hold positions and figures, not postmortems: they carry over.
	if same && len(diags) == 0 && len(prev.Index) == len(s.Index) {
		s.Taxonomies, s.Totals, s.Related = prev.Taxonomies, prev.Totals, prev.Related
		return s, diags
	}
	s.Taxonomies = newTaxonomies()
	parallel.For(len(s.Taxonomies), func(i int) { s.Taxonomies[i].build(s) })
	s.Totals = totals(s)
	s.Related = related(s, prevRelated(prev), affected(s, prev))
	return s, diags
}

// Final drops what only a next build of the site reads, when none will:
// at 100,000 postmortems, 85 MB held while the pages are made. Build must
// not be given s as its prev after.
func (s *Site) Final() { s.entries, s.cache = nil, nil }

// slugAt names where p's slug comes from: its slug: line, else its file.
func slugAt(p *postmortem.Postmortem) string {
	if p.SlugLine > 0 {
		return fmt.Sprintf("%s:%d:%d", p.Path, p.SlugLine, p.SlugCol)
	}
	return p.Path
}

func prevRelated(prev *Site) [][]Relation {
	if prev == nil {
		return nil
	}
	return prev.Related
}

// affected returns the positions whose related lists a change from prev can
// alter, or nil for all of them: when the postmortems kept their positions
// and few changed, the changed ones, their neighbours in time, and every
// postmortem that has, or had, one of their root causes, contributing
// factors or services. A postmortem that shares none of those neither was
// nor can become a candidate of a changed one, and the weights of its own
// terms are unchanged.
func affected(s, prev *Site) []int {
	n := len(s.Postmortems)
	if prev == nil || len(prev.Postmortems) != n || len(prev.Related) != n {
		return nil
	}
	var changed []int
	for i := range n {
		if s.Postmortems[i].Slug != prev.Postmortems[i].Slug {
			return nil
		}
		if s.entries[i].key != prev.entries[i].key {
			changed = append(changed, i)
		}
	}
	if len(changed) > n/20+1 {
		return nil
	}
	mark := make([]bool, n)
	for _, i := range changed {
		for d := -neighbours; d <= neighbours; d++ {
			if j := i + d; j >= 0 && j < n {
				mark[j] = true
			}
		}
		// A changed title or time changes the score of i as a candidate of
		// every postmortem sharing a term with it. When only its terms
		// changed, the members of the terms it kept see no change: their
		// lists, windows and weights are as before.
		was, is := prev.entries[i], s.entries[i]
		termsOnly := was.Title == is.Title && was.Date.Equal(is.Date) && was.Started.Equal(is.Started)
		for _, site := range []*Site{s, prev} {
			for _, tax := range site.Taxonomies {
				if _, ok := weights[tax.Key]; !ok {
					continue
				}
				for _, v := range tax.terms(site.entries[i]) {
					if termsOnly && slices.Contains(tax.terms(was), v) && slices.Contains(tax.terms(is), v) {
						continue
					}
					if term := tax.Term(v); term != nil {
						for _, m := range term.Members {
							mark[m] = true
						}
					}
				}
			}
		}
	}
	var out []int
	for i, m := range mark {
		if m {
			out = append(out, i)
		}
	}
	return out
}

func (t *Taxonomy) build(s *Site) {
	byName := map[string]*Term{}
	t.Without = 0
	for i, e := range s.entries {
		values := t.terms(e)
		if len(values) == 0 {
			t.Without++
		}
		for _, v := range values {
			term := byName[v]
			if term == nil {
				term = &Term{Name: v, Slug: t.slug(v)}
				byName[v] = term
				t.Terms = append(t.Terms, term)
			}
			term.Members = append(term.Members, i)
		}
	}
	slices.SortFunc(t.Terms, func(a, b *Term) int { return strings.Compare(a.Name, b.Name) })
	for _, term := range t.Terms {
		term.stats(s, t.Key)
	}
	if t.Hierarchical {
		t.tree(s)
	} else {
		for _, term := range t.Terms {
			term.Direct = len(term.Members)
		}
	}
}

func (term *Term) stats(s *Site, key string) {
	var mins []int
	co := map[string]int{}
	for _, i := range term.Members {
		e := s.entries[i]
		if e.Measured {
			mins = append(mins, e.Minutes)
			term.TotalMinutes += e.Minutes
		}
		for _, c := range e.RootCauses {
			if key != "root_cause" || !sameBranch(c, term.Name) {
				co[c]++
			}
		}
	}
	term.Measured, term.MedianMinutes = len(mins), stats.Median(mins)
	term.Last = s.entries[term.Members[0]].Date
	term.First = s.entries[term.Members[len(term.Members)-1]].Date
	for name, n := range co {
		term.CoCauses = append(term.CoCauses, Count{Name: name, Slug: postmortem.Slugify(name), N: n})
	}
	slices.SortFunc(term.CoCauses, func(a, b Count) int { return cmp.Or(cmp.Compare(b.N, a.N), strings.Compare(a.Name, b.Name)) })
}
