package site

import (
	"path"
	"slices"
	"strings"

	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// publicBundles keeps, in a public build, only the files of each page
// bundle that public text links to (see publicAssets): that of the bundle,
// or of another postmortem of the site.
func (b *Builder) publicBundles(sources []postmortem.Source) {
	if !b.cfg.Public {
		return
	}
	// The files of bundles that the postmortems of the public site link
	// to, by their paths in the site.
	linked := map[string]bool{}
	for _, src := range sources {
		e := b.parsed[src.Path]
		if e.pm == nil || !b.shown(e.pm) {
			continue
		}
		for _, l := range e.pm.Links {
			if dest := localPath(l.Written); dest != "" {
				linked[path.Join(path.Dir(e.pm.Path), dest)] = true
			}
		}
		for _, r := range e.pm.Refs {
			if r.Path != "" {
				linked[r.Path] = true
			}
		}
	}
	for _, src := range sources {
		if e := b.parsed[src.Path]; e.pm != nil && src.Dir != "" {
			b.publicAssets(e, linked)
		}
	}
}

// localPath is the file a link's destination leads to (see
// markdown.FilePath); "" for one from the site's root.
func localPath(dest string) string {
	if dest = markdown.FilePath(dest); strings.HasPrefix(dest, "/") {
		return ""
	}
	return dest
}

// publicAssets keeps only the files of e's page bundle that public text
// links to: the page's body outside internal blocks, another postmortem's
// (linked, by path in the site), and the same of each Markdown file of the
// bundle so kept, which is published with its internal blocks blank
// (markdown.Renderer.Visible, the rule the page's body is read by). A file
// that only an internal block links to, or that nothing links to, is left
// out with a warning: it may hold what the internal blocks keep back. It
// chooses from every file of the bundle, whatever an earlier build kept.
func (b *Builder) publicAssets(e *entry, linkedFrom map[string]bool) {
	if e.bundle == nil {
		e.bundle, e.bundleData = e.pm.Assets, e.assets
	}
	e.pm.Assets, e.assets, e.withheld = slices.Clone(e.bundle), slices.Clone(e.bundleData), nil
	if len(e.pm.Assets) == 0 {
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
		if dest = localPath(dest); dest == "" {
			return
		}
		a := path.Join(from, dest)
		if _, ok := index[a]; ok && !linked[a] {
			linked[a] = true
			todo = append(todo, a)
		}
	}
	for _, a := range e.pm.Assets {
		if linkedFrom[path.Join(e.src.Dir, a)] {
			link(".", a)
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
		e.withheld.Warn(path.Join(e.src.Dir, a), 0, 0, "not published in the public build: no public text links to it (outside internal blocks, of a public postmortem); link it from there to publish it")
	}
	e.pm.Assets, e.assets = kept, data
}
