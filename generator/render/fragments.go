package render

import (
	"bytes"
	"context"
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

// sharedKey names a rendered template: link is the zero TermLink for
// Page.Shared, root "" for a term link.
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

// links joins links as the "term-link" template renders each, with class,
// and sep between them. Each is rendered once per build, link and class: a
// few hundred terms appear on thousands of pages, and a link in an
// attribute costs five escaper calls through html/template.
func (c *sharedCache) links(links []Link, class, sep string) (template.HTML, error) {
	var b strings.Builder
	for i, l := range links {
		t := TermLink{Name: l.Name, URL: l.URL, Class: class}
		h, err := c.get(sharedKey{name: "term-link", link: t}, &t)
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

// fragments are the partials rendered once per incident and build, for the
// pages one folder deep (the catalog, term pages, postmortem pages): a site
// shows each incident in many lists, and executing templates dominates the
// build.
var fragments = [...]string{rowFragment: "incident-row", linkFragment: "incident-link"}

// The fragments by their position in fragments.
const (
	rowFragment = iota
	linkFragment
)

// fragmentRoot is the Root of the pages fragments are rendered for ahead.
const fragmentRoot = "../"

// fragmentCache renders fragments. Each incident view keeps its own, and
// views are kept across builds while their postmortem is unchanged, so a
// rebuild renders the fragments of the changed incidents only.
type fragmentCache struct {
	sets   []*template.Template // a copy of the templates per core, as Renderer.sets
	shared *sharedCache         // of the build under way
}

// get returns fragment f of in, rendering it when the view lacks it. It is
// safe for concurrent use.
func (c *fragmentCache) get(in *Incident, f int) (template.HTML, error) {
	return c.fragment(c.sets[0], new(bytes.Buffer), in, f)
}

// fragment is get with the templates t, rendering into buf.
func (c *fragmentCache) fragment(t *template.Template, buf *bytes.Buffer, in *Incident, f int) (template.HTML, error) {
	in.frags.mu.Lock()
	h, ok := in.frags.html[f], in.frags.done[f]
	in.frags.mu.Unlock()
	if ok {
		return h, nil
	}
	buf.Reset()
	if err := t.ExecuteTemplate(buf, fragments[f], &Fragment{Incident: in, Root: in.root, shared: c.shared}); err != nil {
		return "", templateError(err, templateFile(fragments[f]+".html"), "", t)
	}
	h = template.HTML(buf.String())
	in.frags.mu.Lock()
	in.frags.html[f], in.frags.done[f] = h, true
	in.frags.mu.Unlock()
	return h, nil
}

// prepare renders, on all cores, the fragments of the views that lack
// them, for the build that shared is of. When ctx is done first, it stops
// and returns ctx's error.
func (c *fragmentCache) prepare(ctx context.Context, views []*Incident, shared *sharedCache) error {
	c.shared = shared
	var todo []*Incident
	for _, in := range views {
		if !in.frags.done[0] {
			todo = append(todo, in)
		}
	}
	errs := make([]error, len(todo))
	var worker atomic.Int32
	err := parallel.WorkersContext(ctx, len(todo), func() func(int) {
		t := c.sets[int(worker.Add(1)-1)%len(c.sets)]
		var buf bytes.Buffer
		return func(i int) {
			for f := range fragments {
				if _, err := c.fragment(t, &buf, todo[i], f); err != nil {
					errs[i] = err
					return
				}
			}
		}
	})
	if err != nil {
		return err
	}
	// Every incident meets an error of the template alike: one is enough.
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
