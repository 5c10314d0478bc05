package site

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/export"
	"github.com/postmortem/postmortem/generator/insights"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/render"
	"github.com/postmortem/postmortem/generator/sitefs"
	"github.com/postmortem/postmortem/themes"
)

// This file holds the files of the output other than the pages: the
// exports, the theme's assets, the static files and the bundles' files.

// keyed gives out the file at p that write writes from inputs whose key
// is key, unless the last successful build's file was made from the same
// inputs: then it is not made again, nor held between builds (index.json
// and insights.json of 100,000 postmortems are 0.1 GB each).
func (b *Builder) keyed(out *collector, p string, key uint64, write func(io.Writer) error) error {
	if m, ok := b.made[p]; ok && m.key == key {
		if same, err := out.unchanged(p, m.sum); same || err != nil {
			return err
		}
	}
	if err := out.write(p, write); err != nil {
		return err
	}
	b.made[p] = madeFile{key, out.sum(p)}
	return nil
}

// madeFile is the key of the inputs of a file keyed made, and the sum of
// its bytes.
type madeFile struct{ key, sum uint64 }

// exports makes the machine-readable files of site and gives them to out,
// each as soon as it is made; insightsOf waits for the insights.
func (b *Builder) exports(out *collector, site *link.Site, insightsOf func() *insights.Cache) error {
	if b.opts.Once {
		// Made in one pass and written as they are made: none is held
		// whole, nor kept for a next build.
		if err := out.write(link.ExportURL, func(w io.Writer) error { return b.export.WriteIndex(w, site) }); err != nil {
			return err
		}
		b.export = nil
	} else {
		key, write := b.export.Index(site, b.spill)
		if err := b.keyed(out, link.ExportURL, key, write); err != nil {
			return err
		}
	}
	if err := out.file(link.FeedURL, export.Feed(site, b.cfg.Title, b.cfg.BaseURL)); err != nil {
		return err
	}
	if in := insightsOf(); b.opts.Once {
		if err := out.write("insights.json", in.WriteJSON); err != nil {
			return err
		}
	} else if err := b.keyed(out, "insights.json", in.Key(), in.WriteJSON); err != nil {
		return err
	}
	tables := [...]string{"incidents.csv", "incidents.ndjson", "action-items.csv"}
	if b.opts.Once {
		var ws [3]io.Writer
		var files []io.WriteCloser
		var err error
		for k, p := range tables {
			f, cerr := out.create(p)
			if err = cerr; err != nil {
				break
			}
			files, ws[k] = append(files, f), f
		}
		if err == nil {
			err = b.tables.WriteTables(site.Postmortems, ws)
		}
		for _, f := range files {
			err = cmp.Or(err, f.Close())
		}
		if err != nil {
			return err
		}
		b.tables = nil
	} else {
		b.tables.Rows(site.Postmortems, b.spill)
		for k, p := range tables {
			key, write := b.tables.Table(k)
			if err := b.keyed(out, p, key, write); err != nil {
				return err
			}
		}
	}
	feeds := b.feeds.Feeds(site)
	if b.opts.Once {
		b.feeds = nil
	}
	for _, p := range slices.Sorted(maps.Keys(feeds)) {
		if err := out.file(p, feeds[p]); err != nil {
			return err
		}
	}
	return nil
}

// themed returns err with the file of an error of a template named from
// the site root, in the layer of the theme that has it.
func (b *Builder) themed(err error) error {
	var tmpl *render.TemplateError
	if errors.As(err, &tmpl) {
		t := *tmpl
		t.File = themes.Source(b.fsys, b.cfg.Theme, t.File)
		return &t
	}
	return err
}

// failed adds err, if any, to diags, as an error of the output file it
// could not write, of the template at fault, or else of at, and reports
// whether there was one.
func failed(diags *diag.List, err error, at string) bool {
	var written *writeError
	var tmpl *render.TemplateError
	switch {
	case errors.As(err, &written):
		diags.Add(written.path, 0, 0, "cannot be written: %v", written.err)
	case errors.As(err, &tmpl):
		msg := tmpl.Msg
		if tmpl.Page != "" {
			msg += " (rendering " + tmpl.Page + ")"
		}
		diags.Add(tmpl.File, tmpl.Line, tmpl.Col, "%s", msg)
	case err != nil:
		diags.Add(at, 0, 0, "%v", err)
	}
	return err != nil
}

// readFiles reads the theme's assets and the static files, unless they are
// read already, and returns what reading them found.
func (b *Builder) readFiles() (diag.List, error) {
	if b.assets == nil {
		// What the theme skipped of the site's own assets was reported as
		// the theme was loaded.
		b.readDiag.assets = nil
		assets := readTree(b.theme, "assets", "assets", &b.readDiag.assets, false)
		if _, ok := assets["assets/syntax.css"]; !ok {
			var css bytes.Buffer
			if err := markdown.SyntaxCSS(&css); err != nil {
				return nil, err
			}
			assets["assets/syntax.css"] = css.Bytes()
		}
		b.assets = assets
	}
	if b.static == nil {
		b.readDiag.static = nil
		b.static = readTree(b.fsys, "static", "", &b.readDiag.static, true)
	}
	return append(slices.Clone(b.readDiag.assets), b.readDiag.static...), nil
}

// addFiles gives out, after the rendered pages, the exports and the search
// index, everything else the site is made of: bundle assets, theme assets,
// static files, and the sitemap.
func (b *Builder) addFiles(out *collector, site *link.Site) error {
	if err := b.bundleFiles(site, out.file); err != nil {
		return err
	}
	for _, tree := range []map[string][]byte{b.assets, b.static} {
		for _, p := range slices.Sorted(maps.Keys(tree)) {
			if err := out.file(p, tree[p]); err != nil {
				return err
			}
		}
	}
	if b.cfg.BaseURL != "" {
		if err := out.file(link.SitemapURL, export.Sitemap(out.paths(), b.cfg.BaseURL)); err != nil {
			return err
		}
	}
	return nil
}

// bundleFiles calls f with the output path and bytes of each file of the
// page bundles of site, until f fails.
func (b *Builder) bundleFiles(site *link.Site, f func(p string, data []byte) error) error {
	for _, p := range site.Postmortems {
		if len(p.Assets) == 0 {
			continue // most: the lookup below took 20 ms a rebuild at 100,000
		}
		e := b.parsed[p.Path]
		for k, a := range p.Assets {
			if err := f(path.Join(link.BundleDir(p.Slug), a), e.assets[k]); err != nil {
				return err
			}
		}
	}
	return nil
}

// readTree reads every file under dir of fsys but hidden ones, by its path
// under to, and reports in diags what it cannot read. With static, for the
// files of static/, it reads hidden ones too (see sitefs.WalkStatic), and
// reports skipped files.
func readTree(fsys fs.FS, dir, to string, diags *diag.List, static bool) map[string][]byte {
	files := map[string][]byte{}
	walk := sitefs.Walk
	if static {
		walk = sitefs.WalkStatic
	}
	skips := static
	walk(fsys, dir, diags, func(p string) error {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			if !skips && errors.Is(err, sitefs.ErrSkipped) {
				return nil
			}
			return err
		}
		files[path.Join(to, strings.TrimPrefix(p, dir+"/"))] = data
		return nil
	})
	return files
}
