package site

import (
	"net/url"
	"path"
	"strings"

	"github.com/postmortem/postmortem/generator/markdown"
)

// publicAssets keeps, in a public build, only the files of e's page bundle
// that its public text links to: the page's body outside internal blocks,
// and the same of each Markdown file of the bundle so kept, which is
// published with its internal blocks blank (markdown.Renderer.Visible, the
// rule the page's body is read by). A file that only an internal block
// links to, or that nothing links to, is left out with a warning: it may
// hold what the internal blocks keep back.
func (b *Builder) publicAssets(e *entry) {
	if !b.cfg.Public || len(e.pm.Assets) == 0 {
		return
	}
	index := make(map[string]int, len(e.pm.Assets))
	for k, a := range e.pm.Assets {
		index[a] = k
	}
	linked := map[string]bool{}
	var todo []string
	// link notes the file the destination dest leads to, written in the
	// bundle's file from (its folder relative to the bundle's).
	link := func(from, dest string) {
		dest, _, _ = strings.Cut(dest, "#")
		dest, _, _ = strings.Cut(dest, "?")
		if u, err := url.PathUnescape(dest); err == nil {
			dest = u
		}
		if dest == "" || strings.HasPrefix(dest, "/") {
			return
		}
		a := path.Join(from, dest)
		if _, ok := index[a]; ok && !linked[a] {
			linked[a] = true
			todo = append(todo, a)
		}
	}
	for _, l := range e.pm.Links {
		link(".", l.Written)
	}
	for _, r := range e.pm.Refs {
		if a, ok := strings.CutPrefix(r.Path, e.src.Dir+"/"); ok && r.Path != "" {
			link(".", a)
		}
	}
	for len(todo) > 0 {
		a := todo[0]
		todo = todo[1:]
		if !markdown.IsFile(a) {
			continue
		}
		k := index[a]
		e.assets[k] = b.md.Visible(e.assets[k])
		res, err := b.md.Render(e.assets[k], "")
		if err != nil {
			continue
		}
		for _, l := range res.Links {
			link(path.Dir(a), l.Written)
		}
		for _, r := range res.Refs {
			if r.Path != "" {
				link(path.Dir(a), r.Path)
			}
		}
	}
	kept, data := e.pm.Assets[:0], e.assets[:0]
	for k, a := range e.pm.Assets {
		if linked[a] {
			kept, data = append(kept, a), append(data, e.assets[k])
			continue
		}
		e.diags.Warn(path.Join(e.src.Dir, a), 0, 0, "not published in the public build: no text of the bundle links to it outside internal blocks; link it from the public text to publish it")
	}
	e.pm.Assets, e.assets = kept, data
}
