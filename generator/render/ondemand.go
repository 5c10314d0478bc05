package render

import (
	"bytes"
	"html/template"
	"slices"
	"sync"

	"github.com/postmortem/postmortem/generator/insights"
	"github.com/postmortem/postmortem/generator/link"
)

// Pages renders the pages of one site when asked for them, one at a time,
// rather than all at once as Render does: the preview serves the pages of
// a large site so while its first build is under way. It is safe for
// concurrent use; the pages it renders are those Render makes of the same
// site, byte for byte.
type Pages struct {
	mu     sync.Mutex // one page at a time: filling a page's data is not safe for concurrent use
	sets   map[string]*template.Template
	shared *sharedCache
	pages  map[string]page // by output path
	buf    bytes.Buffer
}

// Pages makes the data of every page of s, with the insights in gives (as
// Render does), and returns them ready to render. The renderer must be a
// new one that renders once (Once), and render nothing else: the pages
// share its state.
func (r *Renderer) Pages(s *link.Site, in func() *insights.Insights) *Pages {
	d, shared := r.begin(s, in)
	r.frags.shared = shared // each incident's fragments are rendered when a page first shows them
	all := d.pages()
	p := &Pages{sets: r.sets[0], shared: shared, pages: make(map[string]page, len(all))}
	for _, pg := range all {
		p.pages[pg.Path] = pg
	}
	return p
}

// Render returns the page at the output path name; false when the site has
// no page there.
func (p *Pages) Render(name string) ([]byte, bool, error) {
	pg, ok := p.pages[name]
	if !ok {
		return nil, false, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := pg.execute(p.sets, &p.buf, p.shared); err != nil {
		return nil, true, err
	}
	return slices.Clone(p.buf.Bytes()), true, nil
}
