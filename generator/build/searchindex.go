package build

import (
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/render"
	"github.com/postmortem/postmortem/generator/search"
)

// searchIndexer builds the search index of a site from its parsed
// postmortems, keeping each document's analysis between builds.
type searchIndexer struct{ ix *search.Indexer }

func newSearchIndexer() searchIndexer { return searchIndexer{search.NewIndexer()} }

func (s searchIndexer) build(site *link.Site) []search.File {
	docs := make([]search.Doc, len(site.Postmortems))
	for i, p := range site.Postmortems {
		docs[i] = search.Doc{
			Hash: p.Hash, Slug: p.Slug, URL: render.PostmortemURL(p.Slug), Title: p.Title, Date: p.Date,
			Severity: p.Severity, SeverityRank: p.SeverityRank, Status: p.Status,
			RootCauses: p.RootCauses, ContributingFactors: p.ContributingFactors, Services: p.Services,
			DurationMinutes: p.DurationMinutes(), Summary: p.Summary, Text: p.Text,
		}
	}
	return s.ix.Build(docs)
}
