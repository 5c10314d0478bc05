package site

import (
	"sync"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/search"
)

// searchIndexer builds the search index of a site from its parsed
// postmortems, keeping between builds each document and its analysis.
type searchIndexer struct {
	ix   *search.Indexer
	pms  []*postmortem.Postmortem // of the last build, by document id
	docs []search.Doc             // made from pms
}

func newSearchIndexer() *searchIndexer { return &searchIndexer{ix: search.NewIndexer()} }

// build indexes the postmortems of site. A postmortem that is the one of
// the last build at its index keeps its document: only those of changed
// postmortems are made again.
func (s *searchIndexer) build(site *link.Site, cfg config.Search, once bool) []search.File {
	pms := site.Postmortems
	if len(pms) != len(s.docs) {
		docs, seen := make([]search.Doc, len(pms)), make([]*postmortem.Postmortem, len(pms))
		copy(docs, s.docs)
		copy(seen, s.pms)
		s.docs, s.pms = docs, seen
	}
	for i, p := range pms {
		if s.pms[i] != p || s.docs[i].Hash != postmortem.HashOf(p) {
			s.pms[i], s.docs[i] = p, searchDoc(p)
		}
	}
	w := cfg.Weights
	return s.ix.Build(s.docs, search.Options{Synonyms: cfg.Synonyms, Weights: search.Weights{
		Title: w.Title, RootCauses: w.RootCauses, ContributingFactors: w.ContributingFactors,
		Services: w.Services, Tags: w.Tags, Summary: w.Summary, Body: w.Body}, Once: once})
}

func searchDoc(p *postmortem.Postmortem) search.Doc {
	var read sync.Once // Text is asked for once more, for the card, without a summary
	return search.Doc{
		Hash: postmortem.HashOf(p), Slug: p.Slug, URL: link.PostmortemURL(p.Slug), Title: p.Title, Date: p.Date,
		Severity: p.Severity, SeverityRank: p.SeverityRank, Status: p.Status,
		RootCauses: p.RootCauses, ContributingFactors: p.ContributingFactors, Services: p.Services, Tags: p.Tags,
		CauseTerms:      postmortem.WithAncestors(p.RootCauses),
		DurationMinutes: p.DurationMinutes(), Summary: p.Summary, Other: otherText(p),
		Text: func() string {
			read.Do(func() { postmortem.BodyRead(p) }) // one read, see postmortem.DropBody
			return postmortem.BodyText(p)
		},
	}
}

// otherText returns the texts of p's fields that its page shows and no
// other field of its search document holds.
func otherText(p *postmortem.Postmortem) []string {
	out := append([]string{p.Trigger, p.Detection}, p.Authors...)
	for _, a := range p.ActionItems {
		out = append(out, a.Title, a.Owner)
	}
	return out
}
