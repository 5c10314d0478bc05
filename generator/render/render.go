package render

import (
	"bytes"
	"context"
	"fmt"
	"hash/maphash"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/datakey"
	"github.com/postmortem/postmortem/generator/insights"
	"github.com/postmortem/postmortem/generator/ledger"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/parallel"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/review"
)

// Templates are the page templates every theme provides, under layouts/.
var Templates = []string{"home.html", "list.html", "postmortem.html", "term.html", "terms.html", "insights.html", "action-items.html", "search.html", "404.html", "taxonomy.html"}

// Renderer executes the theme's templates. Use one Renderer per theme and
// configuration; it remembers the pages it rendered.
type Renderer struct {
	// Once says that the renderer renders once, as postmortem build does:
	// no next render compares its pages with this one's, so it keys none
	// and keeps no memo of them (see Keep).
	Once bool

	cfg *config.Config
	// sets holds one copy of the page templates per core: goroutines that
	// execute one copy contend on the lock of its functions, which cost a
	// tenth of the rendering CPU on two cores.
	sets []map[string]*template.Template
	// memo holds the pages of the last render kept (see Keep), next those
	// of the last render.
	memo, next map[string]memo
	frags      *fragmentCache
	kept       kept // of the last build
	// taxonomy is the last taxonomy report, and the key of the postmortems
	// it was made of (see report).
	taxonomy struct {
		mu   sync.Mutex // a canceled build's report may still be under way
		rep  *review.Taxonomy
		key  uint64
		keys datakey.Memo // the key of each postmortem's terms, by its hash
	}
	// customCSS is set when the site (or its theme) has assets/custom.css.
	customCSS bool
	// ledger is the action-item ledger of the last build (see ledgerOf),
	// ledgerKeys what keys it, ledgerPage the view of its page.
	ledger     ledgerMemo
	ledgerKeys ledger.Keys
	ledgerPage ledgerPageMemo
	actions    map[string]actionsMemo // by slug
	ledgerMu   sync.Mutex
	// insights is the insights page's view of the last build, terms the
	// figures of its term pages by page (nextTerms those of this build).
	insights         insightsMemo
	terms, nextTerms map[string]termMemo
	// pms are the pages of the postmortems of the last render, set
	// anew by the next (see postmortemPages).
	pms []Page
	// again holds the pages the last Again rendered, for Keep.
	again map[string]memo
	// bodiesShown is set once a template of the renderer has shown a
	// postmortem's body through .PM.HTML or .PM.Text, or its hash (see
	// BodiesShown).
	bodiesShown bool
	placesShown bool // see PlacesShown
}

// memo is a page of a render: the key of its data and the sum of its bytes.
type memo struct{ key, sum uint64 }

// sumSeed seeds Sum: the same for the whole process, so that sums taken by
// different renderers and builds compare.
var sumSeed = maphash.MakeSeed()

// Sum returns a hash of data, for telling whether an output file changed
// since an earlier build of the same process: the sums of different
// processes do not compare.
func Sum(data []byte) uint64 { return maphash.Bytes(sumSeed, data) }

// NewSum returns a hash whose Sum64, of the bytes written to it, is their
// Sum.
func NewSum() *maphash.Hash {
	var h maphash.Hash
	h.SetSeed(sumSeed)
	return &h
}

// Emit receives a page of a render: its output path, its bytes and their
// Sum. data is nil when the page is the one the last kept render made (see
// Keep), and is valid only until Emit returns. Emit is called from several
// goroutines at once; an error stops the render.
type Emit func(path string, data []byte, sum uint64) error

// New parses the templates of theme: each page template with layouts/base.html
// and the partials in layouts/partials/.
func New(theme fs.FS, cfg *config.Config) (*Renderer, error) {
	r := &Renderer{cfg: cfg}
	if _, err := fs.Stat(theme, CustomCSS); err == nil {
		r.customCSS = true
	}
	for range runtime.GOMAXPROCS(0) {
		pages, err := parsePages(theme, cfg.Labels)
		if err != nil {
			return nil, err
		}
		r.sets = append(r.sets, pages)
	}
	r.placesShown = namesPlaces(r.sets[0])
	r.frags = &fragmentCache{}
	for _, pages := range r.sets {
		r.frags.sets = append(r.frags.sets, pages["list.html"])
	}
	return r, nil
}

// parsePages parses every page template of theme, with the label function
// of labels.
func parsePages(theme fs.FS, labels config.Labels) (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	base := template.New("base.html").Funcs(funcs).Funcs(wordFuncs(labels))
	if err := parseFile(theme, base, "layouts/base.html"); err != nil {
		return nil, err
	}
	partials, _ := fs.Glob(theme, "layouts/partials/*.html")
	for _, p := range partials {
		if err := parseFile(theme, base.New(path.Base(p)), p); err != nil {
			return nil, err
		}
	}
	for _, name := range Templates {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if err := parseFile(theme, t.New(name), "layouts/"+name); err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

func parseFile(theme fs.FS, t *template.Template, name string) error {
	src, err := fs.ReadFile(theme, name)
	if err != nil {
		return fmt.Errorf("theme: %w", err)
	}
	if at := srcdocRE.FindIndex(src); at != nil {
		line := 1 + bytes.Count(src[:at[0]], []byte("\n"))
		return &TemplateError{File: name, Line: line, Msg: "an action in an iframe's srcdoc: its text is a page of its own, which html/template escapes as an attribute, not as HTML, so that a postmortem's text there could run scripts; show it in the page instead"}
	}
	if _, err := t.Parse(string(src)); err != nil {
		return templateError(err, name, "", t)
	}
	return nil
}

// srcdocRE is an action in the value of a srcdoc attribute.
var srcdocRE = regexp.MustCompile(`(?i)\ssrcdoc\s*=\s*(?:"[^"]*\{\{|'[^']*\{\{|\{\{)`)

// CustomCSS is the stylesheet of a site's own that every page links after
// the theme's styles when the site (or its theme) has it.
const CustomCSS = "assets/custom.css"

// Render gives every page of s to emit. A page whose data hashes to the
// key it had in the last kept render (see Keep) is not executed again; it
// is given without its bytes, as is a page executed again into the bytes
// it had then. in gives the insights of s (nil: none); Render calls it
// once the fragments of the pages are made, so that they may be computed
// beside them. When ctx is done first, it stops and returns ctx's error,
// emit then having had only some pages.
func (r *Renderer) Render(ctx context.Context, s *link.Site, in func() *insights.Insights, emit Emit) error {
	r.next, r.again = nil, nil
	d, shared := r.begin(s, in)
	defer func() { r.terms = r.nextTerms }()
	if err := r.frags.prepare(ctx, d.incidents(fragmentRoot), shared); err != nil {
		return err
	}
	pages := d.pages()
	made := make([]memo, len(pages))
	parallel.For(len(pages), func(i int) { made[i].key = r.pageKey(pages[i].Page) })
	var todo []int
	for i, pg := range pages {
		if m, ok := r.memo[pg.Path]; ok && m.key == made[i].key {
			made[i].sum = m.sum
			if err := emit(pg.Path, nil, m.sum); err != nil {
				return err
			}
			continue
		}
		todo = append(todo, i)
	}
	if err := r.run(ctx, pages, todo, made, shared, emit); err != nil {
		return err
	}
	r.noteShown(s.Postmortems)
	if r.Once {
		return nil // no next render compares with this one
	}
	r.next = make(map[string]memo, len(pages))
	for i, pg := range pages {
		r.next[pg.Path] = made[i]
	}
	return nil
}

// run executes the pages of todo, indices in pages, on all cores: it notes
// the sum of each in made, and gives emit its bytes when they differ from
// those of the last kept render. Once one fails, the others stop.
func (r *Renderer) run(ctx context.Context, pages []page, todo []int, made []memo, shared *sharedCache, emit Emit) error {
	errs := make([]error, len(todo))
	var worker atomic.Int32
	var failed atomic.Bool
	err := parallel.WorkersContext(ctx, len(todo), func() func(int) {
		var buf bytes.Buffer
		sets := r.sets[int(worker.Add(1)-1)%len(r.sets)]
		return func(k int) {
			if failed.Load() {
				return
			}
			i := todo[k]
			pg := pages[i]
			if err := pg.execute(sets, &buf, shared); err != nil {
				errs[k] = err
				failed.Store(true)
				return
			}
			if pg.Kind == "postmortem" {
				postmortem.BodyRead(pg.Incident.PM) // see postmortem.DropBody
			}
			if r.Once {
				*pg.Page = Page{Path: pg.Path} // nothing reads it again: let it go
			}
			data := buf.Bytes()
			made[i].sum = Sum(data)
			if m, ok := r.memo[pg.Path]; ok && m.sum == made[i].sum {
				data = nil
			}
			if err := emit(pg.Path, data, made[i].sum); err != nil {
				errs[k] = err
				failed.Store(true)
			}
		}
	})
	if err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// begin starts a render of s, with the insights in gives: the data of
// its pages, and the cache of the partials they share.
func (r *Renderer) begin(s *link.Site, in func() *insights.Insights) (*data, *sharedCache) {
	shared := r.newShared()
	d := r.data(s)
	d.insights = in
	r.nextTerms = map[string]termMemo{}
	return d, shared
}

// newShared returns the cache of the partials the pages of one render
// share.
func (r *Renderer) newShared() *sharedCache {
	return &sharedCache{t: r.sets[0]["list.html"], m: map[sharedKey]template.HTML{}}
}

// noteShown notes whether a template showed the body of one of pms (see
// BodiesShown).
func (r *Renderer) noteShown(pms []*postmortem.Postmortem) {
	if r.Once || r.bodiesShown {
		return
	}
	r.bodiesShown = slices.ContainsFunc(pms, postmortem.BodyShown)
}

// execute renders pg into buf with the page templates of sets, its
// partials shared through shared.
func (pg page) execute(sets map[string]*template.Template, buf *bytes.Buffer, shared *sharedCache) error {
	pg.shared = shared
	if pg.fill != nil {
		pg.fill(pg.Page)
	}
	buf.Reset()
	if err := sets[pg.tmpl].ExecuteTemplate(buf, "base.html", pg.Page); err != nil {
		return templateError(err, "layouts/"+pg.tmpl, pg.Path, sets[pg.tmpl])
	}
	return nil
}

// Keep makes the last render, which must have succeeded, the one the next
// compares its pages with: call it once the pages it gave are in the
// output, and not after a build that failed, whose pages never were.
func (r *Renderer) Keep() {
	if r.next != nil {
		r.memo, r.next = r.next, nil
	}
	for p, m := range r.again {
		r.memo[p] = m
	}
	r.again = nil
}

// rows returns the "incident-row" of each incident, joined: one call for a
// whole table, as a list may hold every incident of the site.
func rows(list []*Incident) (template.HTML, error) {
	parts := make([]template.HTML, len(list))
	n := 0
	for k, in := range list {
		h, err := in.Row()
		if err != nil {
			return "", err
		}
		parts[k], n = h, n+len(h)
	}
	var b strings.Builder
	b.Grow(n)
	for _, h := range parts {
		b.WriteString(string(h))
	}
	return template.HTML(b.String()), nil
}

// wordFuncs are the template functions that write in the site's language:
// label, and the durations and dates that labels spell.
func wordFuncs(words config.Labels) template.FuncMap {
	return template.FuncMap{
		"label":   words.Label,
		"owner":   func(name string) string { return ownerName(name, words) },
		"minutes": func(m int) string { return words.Duration(time.Duration(m) * time.Minute) },
		"duration": func(d time.Duration) string {
			if d <= 0 {
				return ""
			}
			return words.Duration(d)
		},
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return words.Date(t)
		},
		"datetime": func(t time.Time, loc *time.Location) string {
			if t.IsZero() {
				return ""
			}
			return words.DateTime(t.In(loc))
		},
	}
}

var funcs = template.FuncMap{
	"isodate": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	},
	"clock": func(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04") },
	"iso":   func(t time.Time) string { return t.Format(time.RFC3339) },
	"has":   func(list []string, s string) bool { return slices.Contains(list, s) },
	"lower": strings.ToLower,
	"rows":  rows,
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: want key and value pairs")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
}
