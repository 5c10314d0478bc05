package render

import (
	"strings"

	"github.com/postmortem/postmortem/generator/datakey"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/review"
)

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

// report returns the taxonomy report of s: the last one while the terms it
// is made of (review.Terms, all it reads) are the same, as it compares
// every pair of terms. Each postmortem's part of the key is kept by its
// hash: a rebuild hashes the terms of the changed postmortems only.
func (r *Renderer) report(s *link.Site) *review.Taxonomy {
	r.taxonomy.mu.Lock()
	defer r.taxonomy.mu.Unlock()
	pms := s.Postmortems
	key := datakey.Of(r.taxonomy.keys.Keys(len(pms), func(i int) uint64 { return postmortem.HashOf(pms[i]) },
		func(i int) any { return review.TermsOfOne(pms[i]) }))
	if r.taxonomy.rep == nil || r.taxonomy.key != key {
		r.taxonomy.rep, r.taxonomy.key = review.TaxonomyOf(review.TermsOf(pms), r.cfg), key
	}
	return r.taxonomy.rep
}

// taxonomyPage returns the page of the taxonomy report.
func (d *data) taxonomyPage() *Page {
	s := d.s
	pg := d.newPage("taxonomy", link.TaxonomyURL, d.r.cfg.Labels["taxonomy_report"])
	rep := <-d.report
	views := d.incidents(pg.Root)
	byPath := make(map[string]int, len(s.Postmortems))
	for i, pm := range s.Postmortems {
		byPath[pm.Path] = i
	}
	view := func(path string) *Incident { return views[byPath[path]] }
	roots := s.Taxonomy("root_cause")
	terms := func(uses []review.TermUse) []TermReport {
		out := make([]TermReport, len(uses))
		for n, u := range uses {
			out[n].Term = Link{Name: u.Term}
			if u.Target != "" {
				out[n].Target = Link{Name: u.Target, URL: pg.Root + roots.URL(u.Target)}
			} else {
				out[n].Term.URL = pg.Root + roots.URL(u.Term)
			}
			for _, path := range u.Paths {
				out[n].Incidents = append(out[n].Incidents, view(path))
			}
		}
		return out
	}
	report := &TaxonomyReport{Once: terms(rep.Once), OutsideVocabulary: terms(rep.OutsideVocabulary), Vocabulary: rep.Vocabulary, Aliases: terms(rep.Aliases)}
	for _, dup := range rep.NearDuplicates {
		// The fields are the taxonomies' keys in the plural.
		tax := s.Taxonomy(strings.TrimSuffix(dup.Field, "s"))
		report.NearDuplicates = append(report.NearDuplicates, NearDuplicate{Field: dup.Field, RareN: dup.RareN, CommonN: dup.CommonN,
			Rare: Link{Name: dup.Rare, URL: pg.Root + tax.URL(dup.Rare)}, Common: Link{Name: dup.Common, URL: pg.Root + tax.URL(dup.Common)}})
	}
	for _, path := range rep.NoRootCause {
		report.NoRootCause = append(report.NoRootCause, view(path))
	}
	pg.Report = report
	return pg
}
