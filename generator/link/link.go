// Package link holds the cross-links of a site: the taxonomies (root causes,
// contributing factors, services, severities, years, tags) with their terms,
// related incidents, and the order of incidents in time.
package link

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/parallel"
	"github.com/postmortem/postmortem/generator/postmortem"
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
	// Unchanged reports that the taxonomies, the related lists and the
	// exported fields of every postmortem are those of the previous build.
	Unchanged bool

	keys  []linkKeys                          // of each postmortem, to reuse what did not change
	cache map[*postmortem.Postmortem]linkKeys // keys by postmortem, kept for the next build
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
	for _, p := range s.Postmortems {
		if m := p.DurationMinutes(); m > 0 {
			mins = append(mins, m)
			t.TotalMinutes += m
		}
	}
	t.Measured = len(mins)
	if len(mins) > 0 {
		slices.Sort(mins)
		t.MedianMinutes = mins[len(mins)/2]
	}
	return t
}

// linkKeys hash what the related lists and the taxonomies depend on.
type linkKeys struct{ related, taxonomies uint64 }

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
	values       func(*postmortem.Postmortem) []string
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
	Reason string
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

// PostmortemURL is the page of a postmortem, relative to the site root.
func PostmortemURL(slug string) string { return "incidents/" + slug + ".html" }

// IndexURL is the page that lists the terms, relative to the site root.
func (t *Taxonomy) IndexURL() string { return t.Dir + ".html" }

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
	return []*Taxonomy{
		{Key: "root_cause", Dir: "root-causes", Title: "Root causes", Singular: "root cause", Hierarchical: true,
			values: func(p *postmortem.Postmortem) []string { return withAncestors(p.RootCauses) }},
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
}

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

// Build links the postmortems. Two postmortems with one slug is an error,
// as is a reference in a body to no postmortem; unbuilt are the postmortems
// left out of the site (drafts), which references may name. When prev, the previous build's site, has the same link-relevant fields
// for every postmortem, its related lists are reused instead of recomputed.
func Build(pms, unbuilt []*postmortem.Postmortem, prev *Site) (*Site, diag.List) {
	var diags diag.List
	s := &Site{Postmortems: slices.Clone(pms), Index: make(map[string]int, len(pms))}
	slices.SortFunc(s.Postmortems, newestFirst)
	for i, p := range s.Postmortems {
		if p.Slug == "index" {
			diags.Add(p.Path, p.SlugLine, p.SlugCol, `slug: "index" is reserved for the list of incidents (set another slug: in the front matter)`)
			continue
		}
		if j, dup := s.Index[p.Slug]; dup {
			other := s.Postmortems[j]
			first, second := other, p
			if second.Path < first.Path {
				first, second = second, first
			}
			diags.Add(second.Path, second.SlugLine, second.SlugCol, "slug: %q is also the slug of %s (set a distinct slug: in the front matter)", p.Slug, slugAt(first))
			continue
		}
		s.Index[p.Slug] = i
	}
	refDiags := refs(s, unbuilt)
	s.keys = make([]linkKeys, len(s.Postmortems))
	s.cache = make(map[*postmortem.Postmortem]linkKeys, len(s.Postmortems))
	parallel.For(len(s.Postmortems), func(i int) {
		p, ok := s.Postmortems[i], false
		if prev != nil {
			s.keys[i], ok = prev.cache[p]
		}
		if !ok {
			s.keys[i] = keysOf(p)
		}
	})
	for i, p := range s.Postmortems {
		s.cache[p] = s.keys[i]
	}
	same := func(field func(linkKeys) uint64) bool {
		return prev != nil && slices.EqualFunc(prev.keys, s.keys, func(a, b linkKeys) bool { return field(a) == field(b) })
	}
	// Terms hold positions and figures, not postmortems: they carry over.
	reused := same(func(k linkKeys) uint64 { return k.taxonomies }) && len(diags) == 0 && len(prev.Index) == len(s.Index)
	if reused {
		s.Taxonomies, s.Totals = prev.Taxonomies, prev.Totals
	} else {
		s.Taxonomies = newTaxonomies()
		parallel.For(len(s.Taxonomies), func(i int) { s.Taxonomies[i].build(s) })
		s.Totals = totals(s)
	}
	if same(func(k linkKeys) uint64 { return k.related }) {
		s.Related = prev.Related
		s.Unchanged = reused
	} else {
		s.Related = related(s, prevRelated(prev), affected(s, prev))
	}
	return s, append(diags, refDiags...)
}

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
		if s.keys[i].related != prev.keys[i].related {
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
		was, is := prev.Postmortems[i], s.Postmortems[i]
		termsOnly := was.Title == is.Title && was.Date.Equal(is.Date) && was.Started.Equal(is.Started)
		for _, site := range []*Site{s, prev} {
			for _, tax := range site.Taxonomies {
				if _, ok := weights[tax.Key]; !ok {
					continue
				}
				for _, v := range tax.values(site.Postmortems[i]) {
					if termsOnly && slices.Contains(tax.values(was), v) && slices.Contains(tax.values(is), v) {
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

// keysOf hashes the fields that the related lists depend on, and those the
// taxonomies and the export depend on.
func keysOf(p *postmortem.Postmortem) linkKeys {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%d\x00%s\x00%s\x00%s\x00%s",
		p.Slug, p.Title, p.Date.Unix(), p.Started.Unix(), p.RootCauses, p.ContributingFactors, p.Services, p.Severity)
	k := linkKeys{related: h.Sum64()}
	fmt.Fprintf(h, "\x00%s\x00%d\x00%s\x00%d\x00%s\x00%d\x00%d", p.Tags, p.DurationMinutes(), p.Path, p.Date.Year(),
		p.Status, p.Detected.Unix(), p.Resolved.Unix())
	k.taxonomies = h.Sum64()
	return k
}

func (t *Taxonomy) build(s *Site) {
	byName := map[string]*Term{}
	for i, p := range s.Postmortems {
		for _, v := range t.values(p) {
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
		p := s.Postmortems[i]
		if m := p.DurationMinutes(); m > 0 {
			mins = append(mins, m)
			term.TotalMinutes += m
		}
		for _, c := range p.RootCauses {
			if key != "root_cause" || !sameBranch(c, term.Name) {
				co[c]++
			}
		}
	}
	term.Measured = len(mins)
	if len(mins) > 0 {
		slices.Sort(mins)
		term.MedianMinutes = mins[len(mins)/2]
		if len(mins)%2 == 0 {
			term.MedianMinutes = (mins[len(mins)/2-1] + mins[len(mins)/2]) / 2
		}
	}
	term.Last = s.Postmortems[term.Members[0]].Date
	term.First = s.Postmortems[term.Members[len(term.Members)-1]].Date
	for name, n := range co {
		term.CoCauses = append(term.CoCauses, Count{Name: name, Slug: postmortem.Slugify(name), N: n})
	}
	slices.SortFunc(term.CoCauses, func(a, b Count) int { return cmp.Or(cmp.Compare(b.N, a.N), strings.Compare(a.Name, b.Name)) })
}
