package site

import (
	"sync"

	"github.com/postmortem/postmortem/generator/insights"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/render"
)

// Early gives the pages of a site whose build of everything is under way,
// rendered when asked for, before the build has written them: from the
// moment the site is linked, a fraction of the build's time, the preview
// serves what a reader opens first. It also gives the files the build
// copies (the theme's assets, static files, the files of page bundles);
// only the search index and the exports wait for the build. It is safe
// for concurrent use.
type Early struct {
	postmortems int
	once        sync.Once
	make        func() (*render.Pages, error)
	pages       *render.Pages
	err         error
	copied      []map[string][]byte // by output path
}

// earlyOf returns the Early of site, with in its insights, once readFiles
// has read the files the build copies: its pages are made by a renderer
// of their own, at the first call of Prepare or File.
func (b *Builder) earlyOf(site *link.Site, in func() *insights.Insights) *Early {
	theme, cfg := b.theme, b.cfg // as they are now: a next build may load others
	bundles := map[string][]byte{}
	b.bundleFiles(site, func(p string, data []byte) error {
		bundles[p] = data
		return nil
	})
	e := &Early{postmortems: len(site.Postmortems), copied: []map[string][]byte{bundles, b.assets, b.static}}
	e.make = func() (*render.Pages, error) {
		r, err := render.New(theme, &cfg)
		if err != nil {
			return nil, err
		}
		r.Once = true // it keys nothing for a next render
		return r.Pages(site, in), nil
	}
	return e
}

// Postmortems counts the postmortems of the site.
func (e *Early) Postmortems() int { return e.postmortems }

// Prepare makes the data of every page, unless it is made: File does so
// first, which at 100,000 postmortems takes a few CPU-seconds.
func (e *Early) Prepare() error {
	e.once.Do(func() { e.pages, e.err = e.make() })
	return e.err
}

// File returns the output file at the slash-separated path name, when it
// is a page of the site or a file the build copies; false for any other.
func (e *Early) File(name string) ([]byte, bool, error) {
	for _, files := range e.copied {
		if data, ok := files[name]; ok {
			return data, true, nil
		}
	}
	if err := e.Prepare(); err != nil {
		return nil, false, err
	}
	return e.pages.Render(name)
}
