// Package site holds the pipeline that turns a site folder into its pages:
// load, validate, link, render. It keeps what it parsed and rendered, so that
// a rebuild after a few files changed does only the work they need.
package site

import (
	"cmp"
	"context"
	"io/fs"
	"slices"
	"sync"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/export"
	"github.com/postmortem/postmortem/generator/insights"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/render"
	"github.com/postmortem/postmortem/generator/scratch"
	"github.com/postmortem/postmortem/generator/sitefs"
)

// Options are the settings of a build that come from the command line.
type Options struct {
	Drafts  bool   // build drafts too
	BaseURL string // overrides base_url of the config when not empty
	// Root is the site's absolute path, symbolic links resolved (see
	// sitefs.Root): a link whose absolute target is under it is inside the
	// site. When empty, every absolute link target is outside the site.
	Root string
	// Preview builds for the preview server, which serves the site at the
	// root of its host: the base URL is ignored, so that no link (such as
	// those of 404.html) leads out of the preview to the published site.
	Preview bool
	// Now is the day open action items are overdue against (see
	// ledger.IsOverdue); the zero time makes none overdue.
	Now time.Time
	// Public builds the public profile (--profile public): drafts,
	// postmortems in review or with visibility: internal, and internal
	// blocks are left out of every output file.
	Public bool
	// Once says that the builder builds once, as postmortem build does: it
	// drops what only a next build would use (the search index's analyses,
	// the exports' rows, what linking made its site of) as soon as this one
	// is done with it, to need less memory. A next build, if any, builds everything.
	Once bool
	// Early, when set, is called during a build of everything, once the
	// site is linked and before its pages are rendered, with what renders
	// them before the build writes them (see Early). The build waits for
	// it to return. The preview sets it.
	Early func(*Early)
}

// Result is the outcome of a build.
type Result struct {
	// Files is the whole output by slash-separated path, as Build makes it;
	// nil when the build failed, and after BuildTo, which gives the files
	// to its sink.
	Files map[string][]byte
	// Changed lists the output paths added, changed or removed since the
	// previous successful build, sorted.
	Changed []string
	// Diagnostics holds every error and warning found, sorted.
	Diagnostics diag.List
	// Skipped lists the Markdown files and the folders under content/ that
	// are not read as postmortems (README.md, _name, ignore:), sorted.
	Skipped []postmortem.Skipped
	// Postmortems and RootCauses count what the site shows; Drafts the
	// drafts left out of it (without Options.Drafts), and Withheld the
	// postmortems the public profile leaves out (Options.Public).
	Postmortems, RootCauses, Drafts, Withheld int
	// Site is the linked site; nil when the build failed.
	Site *link.Site
	// Parsed holds, when a build of everything failed (for errors in the
	// postmortems, in their links to each other, in the theme's templates
	// or the site's settings), the postmortems of the site whose front
	// matter was read (postmortem.Decoded), errors in their fields or not,
	// in the order of their paths. Failed counts those with an error, and
	// those that a folder that could not be read may hold; Unread those
	// of them Parsed lacks. Check reviews Parsed all the same.
	Parsed         []*postmortem.Postmortem
	Failed, Unread int
	pages          int // the HTML pages of the output
}

// Pages counts the HTML pages of the output.
func (r *Result) Pages() int { return r.pages }

// Builder builds one site again and again. It is not safe for concurrent use.
type Builder struct {
	disk fs.FS      // the site root as given
	fsys *sitefs.FS // disk as the build may read it
	opts Options

	ready    bool // config, theme and renderer are loaded
	cfg      config.Config
	cfgDiags diag.List
	md       *markdown.Renderer
	renderer *render.Renderer
	theme    fs.FS
	search   *searchIndexer
	export   *export.Exporter
	insights *insights.Cache // of the pages and insights.json
	tables   *export.Tabler
	feeds    *export.TermFeeder
	spill    *scratch.File        // where parse holds the bodies, and the exports their rows; nil for memory
	made     map[string]madeFile  // see keyed
	assets   map[string][]byte    // theme assets by output path, read once per theme
	static   map[string][]byte    // static files by output path; nil when to be read again
	readDiag readDiags            // what reading the theme's assets and static/ found
	parsed   map[string]*entry    // by source path
	sources  []postmortem.Source  // of the last build, sorted
	walked   diag.List            // what the last walk of content/ found
	skipped  []postmortem.Skipped // what the last walk of content/ left out
	site     *link.Site
	sums     map[string]uint64 // the output of the last successful build: render.Sum of each file by path
	files    map[string][]byte // the output of the last successful Build
	pending  sync.WaitGroup    // stages a canceled build left running
	// clean says that the last build succeeded: site, sums and what
	// follow are of it.
	clean     bool
	linkDiags diag.List                // what linking the last successful build found
	drafts    []*postmortem.Postmortem // what it left out of the site
	pages     int                      // the HTML pages of its output
	indexed   []string                 // the paths of its search index
}

// readDiags hold what reading files other than postmortems found.
type readDiags struct{ assets, static diag.List }

// New returns a builder of the site whose root is fsys.
func New(fsys fs.FS, opts Options) *Builder {
	return &Builder{disk: fsys, opts: opts}
}

// Config returns the configuration the last build used.
func (b *Builder) Config() config.Config { return b.cfg }

// FS returns the site's files as the last build read them: regular files
// inside the site, within the size limit (see sitefs). Read through it,
// never around it; nil before the first build.
func (b *Builder) FS() fs.FS {
	if b.fsys == nil {
		return nil
	}
	return b.fsys
}

// Built reports whether the output of the last successful build has a file
// at p, a slash-separated output path: what a link of the site may lead to
// (see review.Input.Output).
func (b *Builder) Built(p string) bool {
	_, ok := b.sums[p]
	return ok
}

// Build builds the site, as BuildTo does, into memory: the result's Files
// holds the whole output. The builder then keeps the output, for the next
// Build to start from: use either Build or BuildTo with one builder.
func (b *Builder) Build(ctx context.Context, changed []string) *Result {
	next := &memory{files: map[string][]byte{}}
	res := b.BuildTo(ctx, changed, next)
	if res.Site == nil {
		return res
	}
	files := make(map[string][]byte, len(b.sums))
	for p := range b.sums {
		if data, ok := next.files[p]; ok {
			files[p] = data
		} else {
			files[p] = b.files[p]
		}
	}
	b.files, res.Files = files, files
	return res
}

// BuildTo builds the site, and gives sink every output file that differs
// from the last successful build's as soon as it is ready: every file at
// the first build (a Creator may also be given a file that turns out the
// same, see Creator). sink is expected to hold the last successful output,
// and the result's Changed lists the files added, changed or removed
// since; when the build fails, sink may have had some files, and the next
// build gives it everything that differs from the last successful output
// again. changed lists the site paths changed since the previous call
// (files or folders, created, written or removed); nil means anything may
// have changed. A change outside content/ and static/ (the config, a
// template) rebuilds everything. The result is the same as a fresh
// builder's would be.
//
// BuildTo checks ctx between its stages and while it parses and renders:
// once ctx is done it returns soon, failed, with the diagnostics found so
// far, and the next call builds everything; a build done by then stands.
func (b *Builder) BuildTo(ctx context.Context, changed []string, sink Sink) *Result {
	res := b.build(ctx, changed, sink)
	if b.opts.Once {
		b.ready = false // what it dropped, the next build makes again
	}
	if res.Site == nil && ctx.Err() != nil {
		// What was cached may be half done: start over next time.
		b.ready = false
		res.Changed = nil
	}
	return res
}

// background runs f, a stage that ctx does not stop, in a goroutine: a
// canceled build returns without waiting for it, and the next build waits
// for it first, as it may use the builder's state.
func (b *Builder) background(f func()) {
	b.pending.Add(1)
	go func() {
		defer b.pending.Done()
		f()
	}()
}

func (b *Builder) build(ctx context.Context, changed []string, sink Sink) *Result {
	b.pending.Wait()
	clean := b.clean
	b.clean = false
	if b.fsys != nil {
		b.fsys.Forget() // a folder may have become a link since
	}
	var reparse func(postmortem.Source) bool
	full := !b.ready || changed == nil || slices.ContainsFunc(changed, needsFull)
	if full {
		b.reset()
		reparse = func(postmortem.Source) bool { return true }
	} else {
		reparse = func(src postmortem.Source) bool { return Touches(changed, src) }
	}
	res := &Result{Diagnostics: slices.Clone(b.cfgDiags)}
	b.fsys.WarnOutside(&res.Diagnostics)
	if ctx.Err() != nil {
		return res
	}
	if changed == nil || slices.ContainsFunc(changed, func(p string) bool { return Under(p, "static") }) {
		b.static = nil
	}
	sources := b.sources
	// bodies are the postmortems whose bodies alone changed, when no other
	// did: then only their pages and the search index are made again. The
	// linked site, the insights, the exports and the files copied are as
	// they were, as none of them reads a body.
	var bodies []*postmortem.Postmortem
	if edited, ok := b.onlyEdited(changed); ok {
		old, todo := make([]*entry, len(edited)), make([]*entry, len(edited))
		for k, p := range edited {
			old[k], todo[k] = b.parsed[p], &entry{src: b.parsed[p].src}
			b.parsed[p] = todo[k]
		}
		b.parse(ctx, todo)
		if clean {
			bodies = b.bodiesAlone(old, todo)
		}
		if bodies != nil {
			// Their postmortems hold the new bodies now: should this
			// build fail, they are not what the output shows, and the
			// next build builds everything.
			defer func() { b.ready = b.ready && b.clean }()
		}
	} else {
		sources, b.skipped, b.walked = postmortem.Discover(b.fsys, postmortem.ContentDir, b.cfg.Ignore)
		b.sources = sources
		if b.spill == nil && len(sources) >= largeSite {
			if closeSpill := b.spillTo(sink); closeSpill != nil {
				defer closeSpill()
			}
		}
		b.load(ctx, sources, reparse)
	}
	if ctx.Err() != nil {
		return res
	}
	b.publicBundles(sources)
	res.Diagnostics = append(res.Diagnostics, b.walked...)
	res.Skipped = b.skipped
	var pms, drafts []*postmortem.Postmortem
	if bodies != nil {
		drafts = b.drafts
	}
	for _, src := range sources {
		e := b.parsed[src.Path]
		res.Diagnostics = append(append(res.Diagnostics, e.diags...), e.withheld...)
		if bodies != nil {
			continue
		}
		switch {
		case e.pm == nil:
		case b.shown(e.pm):
			pms = append(pms, e.pm)
		default:
			drafts = append(drafts, e.pm)
		}
	}
	if res.Diagnostics.Err() != nil {
		res.Diagnostics = res.Diagnostics.Sort()
		if bodies == nil {
			res.Failed = len(b.walked.Errors())
			res.Unread = res.Failed
			for _, src := range sources {
				if e := b.parsed[src.Path]; e.diags.Err() != nil {
					res.Failed++
					if e.pm == nil || !postmortem.Decoded(e.pm) {
						res.Unread++
					}
				}
			}
			res.Parsed = slices.DeleteFunc(pms, func(p *postmortem.Postmortem) bool { return !postmortem.Decoded(p) })
		}
		return res
	}
	site, linkDiags := b.site, b.linkDiags
	if bodies == nil {
		type linked struct {
			site  *link.Site
			diags diag.List
		}
		done := make(chan linked, 1)
		b.background(func() {
			unnamed := ""
			if b.cfg.Public {
				unnamed = b.cfg.Labels["unpublished_incident"]
			}
			site, diags := link.Build(pms, drafts, b.site, unnamed)
			if b.opts.Once {
				site.Final()
			}
			done <- linked{site, diags}
		})
		select {
		case <-ctx.Done():
			return res
		case l := <-done:
			site, linkDiags = l.site, l.diags
		}
	}
	res.Diagnostics = append(res.Diagnostics, linkDiags...).Sort()
	// failedAfterParsing is the result of a build of everything that
	// fails once every postmortem parsed: check reviews them all the same.
	failedAfterParsing := func() *Result {
		if bodies == nil {
			res.Parsed = pms
		}
		return res
	}
	if res.Diagnostics.Err() != nil || b.renderer == nil {
		return failedAfterParsing()
	}
	out := &collector{ctx: ctx, sink: sink, prev: b.sums}
	if bodies != nil {
		out.keepAll(b.pages, b.indexed)
	} else {
		out.sums = make(map[string]uint64, len(b.sums))
	}
	// The insights are made beside the rest: the pages wait for them only
	// once their fragments are made (at 100,000, 0.7 s alone on the main
	// goroutine before), and their JSON is made with the exports.
	cache, computed := b.insights, make(chan struct{})
	var in *insights.Insights
	if bodies == nil {
		b.background(func() {
			in = cache.Compute(site.Postmortems, b.cfg.Severities, b.cfg.RecurrenceDays.Duration())
			close(computed)
		})
	}
	insightsOf := func() *insights.Insights {
		<-computed
		return in
	}
	if b.opts.Once {
		b.insights = nil
	}
	if full && b.opts.Early != nil {
		// Before the search index starts, which would take the cores
		// of whatever Early makes. The files the build copies are read
		// now rather than after the pages; the build's errors in them
		// are reported as they would be then.
		if _, err := b.readFiles(); err == nil {
			b.opts.Early(b.earlyOf(site, insightsOf))
		}
	}
	// The search index and the exports read the linked site only: they are
	// made on all cores, each given to the sink as soon as it is made, not
	// held, and waited for even when the pages fail, as they own their
	// state. They are made beside the pages; but a build of everything, of
	// a large site, makes the index before the pages (see largeSite), and,
	// when it runs once, drops its analyses before the pages hold theirs.
	indexed := make(chan error, 1)
	b.background(func() {
		files := b.search.build(site, b.cfg.Search, b.opts.Once)
		if b.opts.Once {
			b.search = nil
		}
		indexed <- out.searchFiles(files)
	})
	exported := make(chan error, 1)
	waits := 1
	if bodies == nil {
		waits++
		b.background(func() {
			exported <- b.exports(out, site, func() *insights.Cache {
				insightsOf()
				return cache
			})
		})
	}
	var errIndex, errExport error
	if full && len(site.Postmortems) >= largeSite {
		select {
		case <-ctx.Done():
			return res
		case errIndex = <-indexed:
			waits--
		}
	}
	var err error
	if bodies != nil {
		err = b.renderer.Again(ctx, site, bodies, out.page)
	} else {
		err = b.renderer.Render(ctx, site, insightsOf, out.page)
	}
	for range waits {
		select {
		case <-ctx.Done():
			return res
		case errIndex = <-indexed:
		case errExport = <-exported:
		}
	}
	if ctx.Err() != nil {
		return res
	}
	if failed(&res.Diagnostics, b.themed(err), "layouts") || failed(&res.Diagnostics, cmp.Or(errExport, errIndex), "content") {
		return failedAfterParsing()
	}
	read, err := b.readFiles()
	res.Diagnostics = append(res.Diagnostics, read...).Sort()
	if err == nil && bodies == nil {
		err = b.addFiles(out, site)
	}
	if failed(&res.Diagnostics, err, "content") || res.Diagnostics.Err() != nil {
		return failedAfterParsing()
	}
	if ctx.Err() != nil {
		return res
	}
	// Done: from here on, the result stands even should ctx be done.
	b.renderer.Keep()
	b.site = site
	res.Site = site
	res.Postmortems, res.RootCauses = len(site.Postmortems), len(site.Taxonomy("root_cause").Terms)
	for _, p := range drafts {
		if p.Draft && !b.cfg.Public {
			res.Drafts++
		} else {
			res.Withheld++
		}
	}
	res.Changed, res.pages = out.done()
	b.sums, b.pages, b.indexed = out.sums, res.pages, out.indexed
	b.linkDiags, b.drafts, b.clean = linkDiags, drafts, true
	return res
}
