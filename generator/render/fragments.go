package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"sync"

	"github.com/postmortem/postmortem/generator/parallel"
)

// sharedCache holds what Page.Shared rendered during one build.
type sharedCache struct {
	mu sync.Mutex
	t  *template.Template
	m  map[[2]string]template.HTML
}

func (c *sharedCache) get(name string, p *Page) (template.HTML, error) {
	k := [2]string{name, p.Root}
	c.mu.Lock()
	defer c.mu.Unlock()
	if h, ok := c.m[k]; ok {
		return h, nil
	}
	var buf bytes.Buffer
	if err := c.t.ExecuteTemplate(&buf, name, p); err != nil {
		return "", err
	}
	c.m[k] = template.HTML(buf.String())
	return c.m[k], nil
}

// fragments are the partials rendered once per incident and build, for the
// pages one folder deep (the catalog, term pages, postmortem pages): a site
// shows each incident in many lists, and executing templates dominates the
// build.
var fragments = []string{"incident-row", "incident-link"}

// fragmentRoot is the Root of the pages fragments are rendered for ahead.
const fragmentRoot = "../"

type fragKey struct {
	hash             uint64
	slug, name, root string
}

// fragmentCache holds rendered fragments between builds; it is safe for
// concurrent use.
type fragmentCache struct {
	mu   sync.Mutex
	t    *template.Template
	m    map[fragKey]template.HTML
	used map[fragKey]bool
}

func (c *fragmentCache) render(in *Incident, name, root string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := c.t.ExecuteTemplate(&buf, name, map[string]any{"Incident": in, "Root": root}); err != nil {
		return "", fmt.Errorf("rendering %s: %w", name, err)
	}
	return template.HTML(buf.String()), nil
}

// get returns fragment name of in for a page at root, rendering it when the
// cache lacks it.
func (c *fragmentCache) get(in *Incident, name, root string) (template.HTML, error) {
	k := fragKey{in.listKey, in.PM.Slug, name, root}
	c.mu.Lock()
	h, ok := c.m[k]
	c.used[k] = true
	c.mu.Unlock()
	if ok {
		return h, nil
	}
	h, err := c.render(in, name, root)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.m[k] = h
	c.mu.Unlock()
	return h, nil
}

// prepare renders, on all cores, the fragments of every incident that the
// cache lacks, and forgets those of the previous build.
func (c *fragmentCache) prepare(views []*Incident) error {
	c.used = make(map[fragKey]bool, len(views)*len(fragments))
	type item struct {
		in   *Incident
		name string
	}
	var todo []item
	for _, in := range views {
		in.frag = c.get
		for _, name := range fragments {
			k := fragKey{in.listKey, in.PM.Slug, name, fragmentRoot}
			c.used[k] = true
			if _, ok := c.m[k]; !ok {
				todo = append(todo, item{in, name})
			}
		}
	}
	results := make([]template.HTML, len(todo))
	errs := make([]error, len(todo))
	parallel.For(len(todo), func(i int) {
		results[i], errs[i] = c.render(todo[i].in, todo[i].name, fragmentRoot)
	})
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for i, it := range todo {
		c.m[fragKey{it.in.listKey, it.in.PM.Slug, it.name, fragmentRoot}] = results[i]
	}
	return nil
}

// prune forgets the fragments the last build did not use.
func (c *fragmentCache) prune() {
	for k := range c.m {
		if !c.used[k] {
			delete(c.m, k)
		}
	}
}
