package review

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// links reports the links and images of p's body that lead to no file of
// the built site: a relative path whose target the build did not write.
func (c *checker) links(p *postmortem.Postmortem) {
	if c.in.Output == nil {
		return
	}
	page := link.PostmortemURL(p.Slug)
	for _, l := range p.Links {
		dest := markdown.FilePath(l.Dest)
		what := "link"
		if l.Image {
			what = "image"
		}
		target := path.Join(path.Dir(page), dest)
		if strings.HasSuffix(dest, "/") || dest == "." || dest == ".." {
			target = path.Join(target, "index.html")
		}
		if target == ".." || strings.HasPrefix(target, "../") {
			c.reportAt("missing-file", p.Path, l.Line, l.Col, "%s %q leads out of the site", what, l.Written)
			continue
		}
		if c.in.Output(target) || c.in.Unbuilt && made(target) && !missingAll(p, target) {
			continue
		}
		hint := ""
		if p.Dir == "" {
			// The file may be beside the postmortem, which only a bundle publishes.
			if st, err := fs.Stat(c.in.FS, path.Join(path.Dir(p.Path), dest)); err == nil && st.Mode().IsRegular() {
				hint = ": files beside a postmortem are published only from a page bundle (a folder with index.md and its files)"
			}
		}
		if hint == "" {
			// Graph.png for graph.png: the same file to a Mac, not to a host.
			at := []string{path.Join("static", target)}
			if rest, ok := strings.CutPrefix(target, strings.TrimSuffix(page, ".html")+"/"); ok && p.Dir != "" {
				at = append(at, path.Join(p.Dir, rest)) // a file of its bundle
			}
			for _, at := range at {
				if other := otherCase(c.in.FS, at); other != "" {
					hint = fmt.Sprintf(": there is a %s, in another case (names are case-sensitive where the site is served)", other)
					break
				}
			}
		}
		c.reportAt("missing-file", p.Path, l.Line, l.Col, "%s %q: the site has no %s%s", what, l.Written, target, hint)
	}
}

// otherCase returns the name of a file beside name in fsys whose name
// differs from name's in case alone, or "".
func otherCase(fsys fs.FS, name string) string {
	entries, err := fs.ReadDir(fsys, path.Dir(name))
	if err != nil {
		return ""
	}
	base := path.Base(name)
	for _, e := range entries {
		if e.Name() != base && strings.EqualFold(e.Name(), base) && !e.IsDir() {
			return e.Name()
		}
	}
	return ""
}

// made reports whether target is where the build writes what it makes from
// the postmortems or the theme, rather than copies from static/: a file at
// the root (the home page, the exports, each taxonomy's page) or under a
// folder of pages or of the theme's assets. A postmortem that failed to
// parse may make any of them: a link to one is not known to be broken
// until the site is built.
func made(target string) bool {
	dir, _, nested := strings.Cut(target, "/")
	return !nested || slices.Contains(madeDirs(), dir)
}

// missingAll reports whether target, a file under a folder the build
// makes (see made), is missing whatever the build makes, as a check that
// stopped before the build can tell: a file beside the postmortems' pages
// that is not a page (the build writes none there), or a file of the page
// bundle of p, the postmortem that links to it, that the bundle lacks.
func missingAll(p *postmortem.Postmortem, target string) bool {
	pages := path.Dir(link.PostmortemURL("x"))
	if name, ok := strings.CutPrefix(target, pages+"/"); ok && !strings.Contains(name, "/") {
		return path.Ext(name) != ".html"
	}
	if asset, ok := strings.CutPrefix(target, link.BundleDir(p.Slug)+"/"); ok && p.Dir != "" {
		return !slices.Contains(p.Assets, asset)
	}
	return false
}

// madeDirs lists the folders of the output the build writes pages and
// assets to.
var madeDirs = sync.OnceValue(func() []string {
	dirs := []string{
		path.Dir(link.PostmortemURL("x")), // and the bundles' files
		path.Dir(link.SearchURL),
		"action-items", // the ledger's pages (render.LedgerURL), which this package cannot import
		"assets",       // the theme's
	}
	empty, _ := link.Build(nil, nil, nil, "")
	for _, t := range empty.Taxonomies {
		dirs = append(dirs, t.Dir)
	}
	return dirs
})
