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
// serves what a reader opens first. It also gives the theme's assets,
// which the pages link. Every other file (the search index, the exports,
// static files, the files of bundles) only the build makes. It is safe for
// concurrent use.
type Early struct {
	postmortems int
	once        sync.Once
	make        func() (*render.Pages, error)
	pages       *render.Pages
	err         error
	assets      map[string][]byte
}

// earlyOf returns the Early of site, with in its insights: its pages are
// made by a renderer of their own, on the first call of File.
func (b *Builder) earlyOf(site *link.Site, in func() *insights.Insights) *Early {
	theme, cfg := b.theme, b.cfg // as they are now: a next build may load others
	e := &Early{postmortems: len(site.Postmortems), assets: b.assets}
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
// is a page of the site or an asset of its theme; false for any other.
func (e *Early) File(name string) ([]byte, bool, error) {
	if data, ok := e.assets[name]; ok {
		return data, true, nil
	}
	if err := e.Prepare(); err != nil {
		return nil, false, err
	}
	return e.pages.Render(name)
}
