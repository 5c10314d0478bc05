package build

import "github.com/postmortem/postmortem/generator/link"

// searchIndexer builds the search index of a site.
// TODO: wire generator/search once it lands.
type searchIndexer struct{}

type searchFile struct {
	Path string
	Data []byte
}

func newSearchIndexer() searchIndexer { return searchIndexer{} }

func (searchIndexer) build(*link.Site) []searchFile { return nil }
