package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/postmortem/postmortem/generator/parallel"
)

// sharedCache holds what Page.Shared and the Links methods rendered during
// one build.
type sharedCache struct {
	mu sync.Mutex
	t  *template.Template
	m  map[sharedKey]template.HTML
}

// sharedKey names a rendered template: link is the zero TermLink for Shared.
type sharedKey struct {
	name, root string
	link       TermLink
}

// get returns template name executed with data, rendering it the first time.
func (c *sharedCache) get(k sharedKey, data any) (template.HTML, error) {
	c.mu.Lock()
	h, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return h, nil
	}
	var buf bytes.Buffer
	if err := c.t.ExecuteTemplate(&buf, k.name, data); err != nil {
		return "", err
	}
	h = template.HTML(buf.String())
	c.mu.Lock()
	c.m[k] = h
	c.mu.Unlock()
	return h, nil
}

// TermLink is what the "term-link" template shows: a link to a term, with
// its class and the Root of the page it is on.
type TermLink struct {
	Name, URL, Class, Root string
}

// links joins links as the "term-link" template renders each for a page at
// root, with class, and sep between them. Each is rendered once per build,
// class and root: a few hundred terms appear on thousands of pages, and a
// link in an attribute costs five escaper calls through html/template.
func (c *sharedCache) links(links []Link, class, root, sep string) (template.HTML, error) {
	var b strings.Builder
	for i, l := range links {
		t := TermLink{Name: l.Name, URL: l.URL, Class: class, Root: root}
		h, err := c.get(sharedKey{name: "term-link", root: root, link: t}, t)
		if err != nil {
			return "", err
		}
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(string(h))
	}
	return template.HTML(b.String()), nil
}

// Fragment is what the "incident-row" and "incident-link" templates are
// executed with.
type Fragment struct {
	Incident *Incident
	Root     string
	shared   *sharedCache
}

// Links joins links to terms as the "term-link" template shows each, with
// class, and sep between them.
func (f *Fragment) Links(links []Link, class, sep string) (template.HTML, error) {
	return f.shared.links(links, class, f.Root, sep)
}

// fragments are the partials rendered once per incident and build, for the
// pages one folder deep (the catalog, term pages, postmortem pages): a site
// shows each incident in many lists, and executing templates dominates the
// build.
var fragments = []string{"incident-row", "incident-link"}

// fragmentRoot is the Root of the pages fragments are rendered for ahead.
const fragmentRoot = "../"

// fragmentCache renders fragments. Each incident view keeps its own, and
// views are kept across builds while their postmortem is unchanged, so a
// rebuild renders the fragments of the changed incidents only.
type fragmentCache struct {
	sets   []*template.Template // a copy of the templates per core, as Renderer.sets
	shared *sharedCache         // of the build under way
}

// render executes fragment name of in for a page at root, into buf.
func (c *fragmentCache) render(t *template.Template, buf *bytes.Buffer, in *Incident, name, root string) (template.HTML, error) {
	buf.Reset()
	if err := t.ExecuteTemplate(buf, name, &Fragment{Incident: in, Root: root, shared: c.shared}); err != nil {
		return "", fmt.Errorf("rendering %s: %w", name, err)
	}
	return template.HTML(buf.String()), nil
}

// get returns fragment name of in for a page at root, rendering it when the
// view lacks it. It is safe for concurrent use.
func (c *fragmentCache) get(in *Incident, name, root string) (template.HTML, error) {
	return c.fragment(c.sets[0], new(bytes.Buffer), in, name, root)
}

// fragment is get with the templates t, rendering into buf.
func (c *fragmentCache) fragment(t *template.Template, buf *bytes.Buffer, in *Incident, name, root string) (template.HTML, error) {
	k := [2]string{name, root}
	in.mu.Lock()
	h, ok := in.frags[k]
	in.mu.Unlock()
	if ok {
		return h, nil
	}
	h, err := c.render(t, buf, in, name, root)
	if err != nil {
		return "", err
	}
	in.mu.Lock()
	if in.frags == nil {
		in.frags = map[[2]string]template.HTML{}
	}
	in.frags[k] = h
	in.mu.Unlock()
	return h, nil
}

// prepare renders, on all cores, the fragments at fragmentRoot of every
// incident whose view lacks them, for the build that shared is of. When
// ctx is done first, it stops and returns ctx's error.
func (c *fragmentCache) prepare(ctx context.Context, views []*Incident, shared *sharedCache) error {
	c.shared = shared
	var todo []*Incident
	first, get := [2]string{fragments[0], fragmentRoot}, c.get
	for _, in := range views {
		in.frag = get
		if _, ok := in.frags[first]; !ok {
			todo = append(todo, in)
		}
	}
	errs := make([]error, len(todo))
	var worker atomic.Int32
	err := parallel.WorkersContext(ctx, len(todo), func() func(int) {
		t := c.sets[int(worker.Add(1)-1)%len(c.sets)]
		var buf bytes.Buffer
		return func(i int) {
			for _, name := range fragments {
				if _, err := c.fragment(t, &buf, todo[i], name, fragmentRoot); err != nil {
					errs[i] = err
					return
				}
			}
		}
	})
	if err != nil {
		return err
	}
	return errors.Join(errs...)
}

// warm renders, on all cores, fragment name at root of every incident in
// views whose view lacks it: for a page that lists thousands of incidents
// at another depth than fragmentRoot, such as the action-item ledger.
func (c *fragmentCache) warm(ctx context.Context, views []*Incident, name, root string) error {
	errs := make([]error, len(views))
	var worker atomic.Int32
	err := parallel.WorkersContext(ctx, len(views), func() func(int) {
		t := c.sets[int(worker.Add(1)-1)%len(c.sets)]
		var buf bytes.Buffer
		return func(i int) { _, errs[i] = c.fragment(t, &buf, views[i], name, root) }
	})
	if err != nil {
		return err
	}
	return errors.Join(errs...)
}
