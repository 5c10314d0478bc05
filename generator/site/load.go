package site

import (
	"context"
	"html/template"
	"io/fs"
	"os"
	"path"
	"runtime"
	"slices"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/parallel"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/scratch"
	"github.com/postmortem/postmortem/generator/sitefs"
)

// entry is what the builder keeps of one postmortem's source.
type entry struct {
	src    postmortem.Source
	pm     *postmortem.Postmortem
	diags  diag.List
	assets [][]byte // the bundle's files, as pm.Assets lists them
	// bundle and bundleData are every file of the bundle, of which a
	// public build publishes some (see publicAssets), telling of those it
	// withheld; nil until then.
	bundle     []string
	bundleData [][]byte
	withheld   diag.List
}

// shown reports whether the site shows p: a draft only with drafts, and in
// a public build only a public postmortem.
func (b *Builder) shown(p *postmortem.Postmortem) bool {
	return (!p.Draft || b.cfg.Drafts) && (!b.cfg.Public || p.Public())
}

// largeSite is the size of a site from which a build holds less in
// memory. Given a Scratcher, it holds the bodies in a scratch file
// (postmortem.SpillBody; see spillTo), and a builder that builds again
// the rows of its exports too (export.Exporter.Index, Tabler.Rows). A build of everything also makes
// its search index before its pages, not beside them: at 100,000
// postmortems that lowered the peak of postmortem build by 0.7 GB (with
// the collector's headroom of the postmortem command), for the same time,
// and the first build of the preview's by 0.06 GB; at 10,000 it made the
// build 0.4 s slower, in 3.6 s (bench/README.md). A rebuild after an edit
// makes both side by side. A variable, for the tests.
var largeSite = 50_000

// spillTo starts holding the bodies parsed from now on in a scratch file of
// sink, when it is a Scratcher, and returns what closes it at the end of a
// build that runs once; nil when it holds nothing, or when the builder
// builds again. Such a builder keeps the file for its next builds, each
// adding the bodies it parses and the exports' rows it encodes, until a
// build that parses everything starts another: the file is closed once
// nothing held refers to it. Without a
// scratch file the bodies are held in memory: at 100,000 postmortems,
// 0.3 GB that the preview kept.
func (b *Builder) spillTo(sink Sink) (close func()) {
	sc, ok := sink.(Scratcher)
	if !ok {
		return nil
	}
	f, err := sc.Scratch()
	if err != nil {
		return nil // held in memory
	}
	b.spill = scratch.New(f)
	if b.opts.Once {
		return func() {
			f.Close()
			b.spill = nil
		}
	}
	runtime.AddCleanup(b.spill, func(f *os.File) { f.Close() }, f)
	return nil
}

// load parses, on all cores, the sources that reparse selects or that were
// not parsed before, and forgets the ones that are gone.
func (b *Builder) load(ctx context.Context, sources []postmortem.Source, reparse func(postmortem.Source) bool) {
	var todo []*entry
	live := make(map[string]bool, len(sources))
	for _, src := range sources {
		live[src.Path] = true
		if e, ok := b.parsed[src.Path]; ok && !reparse(src) && slices.Equal(e.src.Assets, src.Assets) {
			continue
		}
		e := &entry{src: src}
		b.parsed[src.Path] = e
		todo = append(todo, e)
	}
	for p := range b.parsed {
		if !live[p] {
			delete(b.parsed, p)
		}
	}
	b.parse(ctx, todo)
}

// parse parses the entries on all cores, with their bundle files, until
// ctx is done. Their bodies go to the builder's spill, if any.
func (b *Builder) parse(ctx context.Context, todo []*entry) {
	// What a body dropped is rendered again with (see postmortem.DropBody):
	// as this build reads them, whatever a next build changes.
	var cfg *config.Config
	fsys, md, spill := b.fsys, b.md, b.spill
	if b.opts.Once || spill != nil {
		cfg = new(config.Config)
		*cfg = b.cfg
	}
	_ = parallel.ForContext(ctx, len(todo), func(k int) {
		e := todo[k]
		e.pm, e.diags = postmortem.Load(b.fsys, e.src, &b.cfg, b.md)
		if e.pm == nil {
			return
		}
		var again func() template.HTML
		if cfg != nil { // then DropBody or SpillBody has it
			src := e.src
			again = func() template.HTML {
				p, _ := postmortem.Load(fsys, src, cfg, md)
				if p == nil {
					return ""
				}
				return postmortem.BodyHTML(p)
			}
		}
		if b.opts.Once {
			// Its page and its search document read the body; then it
			// goes, and a theme that shows it elsewhere has it made anew
			// (from the file as it is then).
			postmortem.DropBody(e.pm, 2, again)
		}
		if spill != nil {
			postmortem.SpillBody(e.pm, spill, again)
		}
		var kept []string
		for _, a := range e.src.Assets {
			p := path.Join(e.src.Dir, a)
			data, err := fs.ReadFile(b.fsys, p)
			if err != nil {
				sitefs.Report(&e.diags, p, err)
				continue
			}
			if why := postmortem.Scripted(a, data); why != "" && !b.cfg.UnsafeHTML {
				e.diags.Warn(p, 0, 0, "not published: %s; remove the script, or allow raw HTML with unsafe_html: true in %s", why, config.File)
				continue
			}
			kept = append(kept, a)
			e.assets = append(e.assets, data)
		}
		e.pm.Assets = kept
	})
}
