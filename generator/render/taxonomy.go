package render

import (
	"strings"

	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/review"
)

// TaxonomyURL is the page of the taxonomy report, relative to the site root.
const TaxonomyURL = "taxonomy.html"

// TaxonomyReport is what the taxonomy page shows (see review.Taxonomy),
// its terms and incidents as links.
type TaxonomyReport struct {
	// Once are the root causes one incident has; OutsideVocabulary those
	// not in the vocabulary, when the site has one (Vocabulary).
	Once, OutsideVocabulary []TermReport
	Vocabulary              bool
	// Aliases are the aliases incidents are written with: Term is the
	// alias, without a URL, and Target the term it is folded onto.
	Aliases        []TermReport
	NearDuplicates []NearDuplicate
	NoRootCause    []*Incident
}

// TermReport is a term of the taxonomy report and its incidents.
type TermReport struct {
	Term      Link
	Target    Link // the term an alias is folded onto; zero for others
	Incidents []*Incident
}

// NearDuplicate is a pair of terms that look like one: Rare, which fewer
// incidents have, is to be merged into Common.
type NearDuplicate struct {
	Field          string // root_causes, contributing_factors, services or tags
	Rare, Common   Link
	RareN, CommonN int
}

// report returns the taxonomy report of s: the last one when what it is
// made of is as before, as it compares every pair of terms.
func (r *Renderer) report(s *link.Site, views []*Incident) *review.Taxonomy {
	k := newKey("taxonomy-report")
	for _, v := range views {
		k.num(v.reportKey)
	}
	if key := k.sum(); r.taxonomy.rep == nil || r.taxonomy.key != key {
		r.taxonomy.rep, r.taxonomy.key = review.TaxonomyOf(s.Postmortems, r.cfg), key
	}
	return r.taxonomy.rep
}

// taxonomyJob is the taxonomy page of s, keyed by what it shows.
func (r *Renderer) taxonomyJob(s *link.Site, views []*Incident) *job {
	rep := r.report(s, views)
	k := newKey("taxonomy")
	view := func(pm *postmortem.Postmortem) *Incident {
		i := s.Index[pm.Slug]
		k.num(views[i].listKey)
		return views[i]
	}
	roots := s.Taxonomy("root_cause")
	terms := func(uses []review.TermUse) []TermReport {
		out := make([]TermReport, len(uses))
		for n, u := range uses {
			k.str(u.Term).str(u.Target)
			out[n].Term = Link{Name: u.Term}
			if u.Target != "" {
				out[n].Target = Link{Name: u.Target, URL: roots.URL(u.Target)}
			} else {
				out[n].Term.URL = roots.URL(u.Term)
			}
			for _, pm := range u.Postmortems {
				out[n].Incidents = append(out[n].Incidents, view(pm))
			}
		}
		return out
	}
	page := &TaxonomyReport{Once: terms(rep.Once), OutsideVocabulary: terms(rep.OutsideVocabulary), Vocabulary: rep.Vocabulary, Aliases: terms(rep.Aliases)}
	k.str("near")
	for _, d := range rep.NearDuplicates {
		// The fields are the taxonomies' keys in the plural.
		tax := s.Taxonomy(strings.TrimSuffix(d.Field, "s"))
		k.str(d.Field).str(d.Rare).str(d.Common).nums(d.RareN, d.CommonN)
		page.NearDuplicates = append(page.NearDuplicates, NearDuplicate{Field: d.Field, RareN: d.RareN, CommonN: d.CommonN,
			Rare: Link{Name: d.Rare, URL: tax.URL(d.Rare)}, Common: Link{Name: d.Common, URL: tax.URL(d.Common)}})
	}
	k.str("none")
	for _, pm := range rep.NoRootCause {
		page.NoRootCause = append(page.NoRootCause, view(pm))
	}
	k.nums(len(page.Once), len(page.OutsideVocabulary), len(page.Aliases), len(page.NoRootCause))
	if page.Vocabulary {
		k.str("vocabulary")
	}
	return &job{path: TaxonomyURL, tmpl: "taxonomy.html", key: k.sum(), page: func() *Page {
		return &Page{Kind: "taxonomy", Title: r.cfg.Labels["taxonomy_report"], Report: page}
	}}
}

// reportKey hashes what the taxonomy report reads of p.
func reportKey(p *postmortem.Postmortem) uint64 {
	k := newKey("report").str(p.Path).str(p.Slug)
	for _, terms := range [][]string{p.RootCauses, p.ContributingFactors, p.Services, p.Tags, p.Aliased} {
		k.nums(len(terms))
		for _, t := range terms {
			k.str(t)
		}
	}
	return k.sum()
}
