package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"sync"
	"sync/atomic"

	"github.com/postmortem/postmortem/generator/parallel"
)

// sharedCache holds what Page.Shared and Page.Chips rendered during one
// build.
type sharedCache struct {
	mu sync.Mutex
	t  *template.Template
	m  map[sharedKey]template.HTML
}

// sharedKey names a rendered template: Chip is the zero Chip for Shared.
type sharedKey struct {
	name, root string
	chip       Chip
}

// get returns template name executed with data, rendering it the first time.
func (c *sharedCache) get(k sharedKey, data any) (template.HTML, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h, ok := c.m[k]; ok {
		return h, nil
	}
	var buf bytes.Buffer
	if err := c.t.ExecuteTemplate(&buf, k.name, data); err != nil {
		return "", err
	}
	c.m[k] = template.HTML(buf.String())
	return c.m[k], nil
}

// Chip is what the "chip" template shows: a link to a term, with its class
// and the page's Root.
type Chip struct {
	Name, URL, Class, Root string
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
	sets []*template.Template // a copy of the templates per core, as Renderer.sets
}

// render executes fragment name of in for a page at root, into buf.
func render(t *template.Template, buf *bytes.Buffer, in *Incident, name, root string) (template.HTML, error) {
	buf.Reset()
	if err := t.ExecuteTemplate(buf, name, map[string]any{"Incident": in, "Root": root}); err != nil {
		return "", fmt.Errorf("rendering %s: %w", name, err)
	}
	return template.HTML(buf.String()), nil
}

// get returns fragment name of in for a page at root, rendering it when the
// view lacks it. It is safe for concurrent use.
func (c *fragmentCache) get(in *Incident, name, root string) (template.HTML, error) {
	return fragment(c.sets[0], new(bytes.Buffer), in, name, root)
}

// fragment is get with the templates t, rendering into buf.
func fragment(t *template.Template, buf *bytes.Buffer, in *Incident, name, root string) (template.HTML, error) {
	k := [2]string{name, root}
	in.mu.Lock()
	h, ok := in.frags[k]
	in.mu.Unlock()
	if ok {
		return h, nil
	}
	h, err := render(t, buf, in, name, root)
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
// incident whose view lacks them.
func (c *fragmentCache) prepare(views []*Incident) error {
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
	parallel.Workers(len(todo), func() func(int) {
		t := c.sets[int(worker.Add(1)-1)%len(c.sets)]
		var buf bytes.Buffer
		return func(i int) {
			for _, name := range fragments {
				if _, err := fragment(t, &buf, todo[i], name, fragmentRoot); err != nil {
					errs[i] = err
					return
				}
			}
		}
	})
	return errors.Join(errs...)
}
