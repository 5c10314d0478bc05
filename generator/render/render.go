// Package render holds the page renderer: the theme's templates executed over
// a linked site, each page re-rendered only when what it shows has changed.
package render

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"html/template"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/insights"
	"github.com/postmortem/postmortem/generator/ledger"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/parallel"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/review"
)

// Page is what a template is executed with.
type Page struct {
	Site  *SiteInfo
	Root  string // relative prefix from this page to the site root: "", "../", ...
	Path  string // output path of this page
	Title string
	Kind  string // home, catalog, postmortem, term, terms, search, 404, taxonomy

	Incident *Incident
	// Body is the incident's body with its references to other incidents
	// made links: show it, not .Incident.PM.HTML, which has them unresolved.
	Body template.HTML
	// ReferencedBy are the incidents whose bodies refer to this one,
	// newest first.
	ReferencedBy []*Incident
	Related      []Related
	Prev         *Incident // the incident before this one in time
	Next         *Incident // the incident after this one in time
	Facts        []Fact
	Timeline     []TimelineEntry
	Incidents    []*Incident
	Term         *TermView
	Taxonomy     *link.Taxonomy
	Terms        []*link.Term
	TopCauses    []*link.Term
	Totals       link.Totals
	// Report is the taxonomy report, on the taxonomy page.
	Report *TaxonomyReport
	// Insights is set on the insights page.
	Insights *InsightsView
	// Ledger is set on the action-item ledger.
	Ledger *LedgerView
	// Actions are the action items of a postmortem, with their states.
	Actions *ActionsView

	shared *sharedCache
}

// Shared returns the named template executed for this page, once per build
// and Root: for the parts of a page that depend only on the site and the
// page's depth, such as the site header.
func (p *Page) Shared(name string) (template.HTML, error) {
	return p.shared.get(sharedKey{name: name, root: p.Root}, p)
}

// Links joins links to terms as the "term-link" template shows each, with
// class, and sep between them.
func (p *Page) Links(links []Link, class, sep string) (template.HTML, error) {
	return p.shared.links(links, class, p.Root, sep)
}

// SiteInfo is the site-wide part of every page.
type SiteInfo struct {
	Title, Description, BaseURL string
	// Language is the site's language tag, for the lang of its pages.
	Language string
	// Nav is the menu: the catalog, the taxonomies that have terms, search.
	Nav        []Link
	Taxonomies []*link.Taxonomy
	// CustomCSS is set when the site has assets/custom.css, which pages
	// link after the theme's styles.
	CustomCSS bool
}

// CustomCSS is the stylesheet of a site's own that every page links after
// the theme's styles when the site (or its theme) has it.
const CustomCSS = "assets/custom.css"

// Templates are the page templates every theme provides, under layouts/.
var Templates = []string{"home.html", "list.html", "postmortem.html", "term.html", "terms.html", "insights.html", "action-items.html", "search.html", "404.html", "taxonomy.html"}

// Renderer executes the theme's templates. Use one Renderer per theme and
// configuration; it remembers the pages it rendered.
type Renderer struct {
	cfg  *config.Config
	site *SiteInfo
	// sets holds one copy of the page templates per core: goroutines that
	// execute one copy contend on the lock of its functions, which cost a
	// tenth of the rendering CPU on two cores.
	sets  []map[string]*template.Template
	memo  map[string]memo
	frags *fragmentCache
	views map[*postmortem.Postmortem]*Incident // of the last build: a parse that did not change keeps its view
	// taxonomy is the last taxonomy report, and the key of what it was
	// made of (see report).
	taxonomy struct {
		rep *review.Taxonomy
		key uint64
	}
	// ledger is that of the last build, kept while the sources of the
	// postmortems with action items are unchanged.
	ledger ledgerMemo
	// terms are the figures of term pages of the last build, by term page.
	terms map[string]termMemo
}

type ledgerMemo struct {
	key     uint64
	ledger  *ledger.Ledger
	groups  map[string]*ledger.Group // by slug
	actions map[string]*ActionsView  // by slug, for the view they were made with
}

type termMemo struct {
	key uint64
	ti  *TermInsights
}

type memo struct {
	key  uint64
	data []byte
}

// New parses the templates of theme: each page template with layouts/base.html
// and the partials in layouts/partials/.
func New(theme fs.FS, cfg *config.Config) (*Renderer, error) {
	r := &Renderer{cfg: cfg, memo: map[string]memo{}}
	r.site = &SiteInfo{Title: cfg.Title, Description: cfg.Description, BaseURL: cfg.BaseURL, Language: cfg.Language}
	if _, err := fs.Stat(theme, CustomCSS); err == nil {
		r.site.CustomCSS = true
	}
	for range runtime.GOMAXPROCS(0) {
		pages, err := parsePages(theme, cfg.Labels)
		if err != nil {
			return nil, err
		}
		r.sets = append(r.sets, pages)
	}
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
	if _, err := t.Parse(string(src)); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// job is one page to render: its template, and a key that changes whenever
// anything the page shows changes.
type job struct {
	path, tmpl string
	key        uint64
	page       func() *Page
	// late adds to the key what is known only once the fragments are
	// rendered, such as the links of a page at the root; nil for none.
	late func(*keyer) error
}

// Render adds every page of s to out, by output path. A page whose key is
// the same as in the previous call is not executed again. When ctx is done
// first, it stops and returns ctx's error, out then holding only some pages.
func (r *Renderer) Render(ctx context.Context, s *link.Site, in *insights.Insights, out map[string][]byte) error {
	r.site.Taxonomies = s.Taxonomies
	words := r.cfg.Labels
	r.site.Nav = []Link{{words["incidents"], "incidents/index.html"}, {words["insights"], InsightsURL}, {words["action_items"], LedgerURL}}
	for _, t := range s.Taxonomies {
		if len(t.Terms) > 0 {
			r.site.Nav = append(r.site.Nav, Link{words["tax_"+t.Key], t.IndexURL()})
		}
	}
	r.site.Nav = append(r.site.Nav, Link{words["search"], "search/index.html"})
	// The menu is on every page, and lists only the taxonomies with terms.
	nav := newKey("nav")
	for _, l := range r.site.Nav {
		nav.str(l.Name).str(l.URL)
	}
	navSum := nav.sum()
	shared := &sharedCache{t: r.sets[0]["list.html"], m: map[sharedKey]template.HTML{}}
	jobs, views := r.jobs(s, in)
	if err := r.frags.prepare(ctx, views, shared); err != nil {
		return err
	}
	// The ledger, at the root, links every incident with action items.
	var listed []*Incident
	for _, v := range views {
		if len(v.PM.ActionItems) > 0 {
			listed = append(listed, v)
		}
	}
	if err := r.frags.warm(ctx, listed, "incident-link", ""); err != nil {
		return err
	}
	var todo []*job
	page := newKey("")
	for _, j := range jobs {
		page.reset("page").num(j.key).num(navSum)
		if j.late != nil {
			if err := j.late(page); err != nil {
				return err
			}
		}
		j.key = page.sum()
		if m, ok := r.memo[j.path]; ok && m.key == j.key {
			out[j.path] = m.data
			continue
		}
		todo = append(todo, j)
	}
	results := make([][]byte, len(todo))
	errs := make([]error, len(todo))
	var worker atomic.Int32
	err := parallel.WorkersContext(ctx, len(todo), func() func(int) {
		var buf bytes.Buffer
		pages := r.sets[int(worker.Add(1)-1)%len(r.sets)]
		return func(k int) {
			j := todo[k]
			p := j.page()
			p.Path, p.Site, p.shared = j.path, r.site, shared
			p.Root = strings.Repeat("../", strings.Count(j.path, "/"))
			if j.path == "404.html" {
				p.Root = "/"
				if r.cfg.BaseURL != "" {
					p.Root = r.cfg.BaseURL
				}
			}
			buf.Reset()
			if err := pages[j.tmpl].ExecuteTemplate(&buf, "base.html", p); err != nil {
				errs[k] = fmt.Errorf("rendering %s with layouts/%s: %w", j.path, j.tmpl, err)
				return
			}
			results[k] = bytes.Clone(buf.Bytes())
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
	for k, j := range todo {
		out[j.path] = results[k]
		r.memo[j.path] = memo{j.key, results[k]}
	}
	for p := range r.memo {
		if _, ok := out[p]; !ok {
			delete(r.memo, p)
		}
	}
	return nil
}

// keySeed seeds the page keys. Keys are compared only with keys of the
// same process, so any seed does; maphash is several times faster than an
// FNV hash through the hash.Hash64 interface, which copies every string.
var keySeed = maphash.MakeSeed()

// keyer hashes what a page shows.
type keyer struct{ h maphash.Hash }

func newKey(kind string) *keyer {
	k := &keyer{}
	k.h.SetSeed(keySeed)
	return k.str(kind)
}

// reset starts a new key, reusing k.
func (k *keyer) reset(kind string) *keyer {
	k.h.Reset()
	return k.str(kind)
}

// str adds a string, by its hash: writing it whole would copy it into the
// hash's buffer.
func (k *keyer) str(s string) *keyer { return k.num(maphash.String(keySeed, s)) }

// num adds a number.
func (k *keyer) num(v uint64) *keyer {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	k.h.Write(b[:])
	return k
}

// nums adds numbers.
func (k *keyer) nums(vs ...int) *keyer {
	for _, v := range vs {
		k.num(uint64(v))
	}
	return k
}

func (k *keyer) sum() uint64 { return k.h.Sum64() }

func (r *Renderer) jobs(s *link.Site, in *insights.Insights) ([]*job, []*Incident) {
	var jobs []*job
	n := len(s.Postmortems)
	views := make([]*Incident, n)
	kept := make(map[*postmortem.Postmortem]*Incident, n)
	parallel.For(n, func(i int) {
		if v, ok := r.views[s.Postmortems[i]]; ok {
			views[i] = v
		} else {
			views[i] = incident(s, i)
		}
	})
	for i, p := range s.Postmortems {
		kept[p] = views[i]
	}
	r.views = kept
	// Lists show only some fields of an incident: a body edit re-renders
	// its own page, not every list it is in.
	hashOf := func(i int) uint64 { return views[i].listKey }

	// The ledger is made again when what it reads changed; each page's
	// items when their incident's view did.
	if key := ledger.Key(s.Postmortems); r.ledger.ledger == nil || r.ledger.key != key {
		l := ledger.Build(s.Postmortems, r.cfg.Now, r.cfg.ActionItemDeadlines)
		groups := make(map[string]*ledger.Group, len(l.ByPostmortem))
		for i := range l.ByPostmortem {
			groups[l.ByPostmortem[i].Name] = &l.ByPostmortem[i]
		}
		r.ledger = ledgerMemo{key: key, ledger: l, groups: groups, actions: map[string]*ActionsView{}}
	}
	actions := make([]*ActionsView, n)
	keptActions := make(map[string]*ActionsView, len(r.ledger.groups))
	for i, p := range s.Postmortems {
		g := r.ledger.groups[p.Slug]
		if g == nil {
			continue
		}
		a := r.ledger.actions[p.Slug]
		if a == nil || a.Items[0].Incident != views[i] {
			a = actionsView(g, views[i], r.cfg.Labels)
		}
		actions[i], keptActions[p.Slug] = a, a
	}
	r.ledger.actions = keptActions
	keys := make([]uint64, n)
	parallel.Workers(n, func() func(int) {
		k := newKey("")
		return func(i int) {
			p := s.Postmortems[i]
			k.reset("postmortem").num(p.Hash).str(p.Slug)
			for _, rel := range s.Related[i] {
				k.num(hashOf(rel.To)).str(rel.Reason)
			}
			k.str("refs")
			for _, to := range s.Refs[i] {
				k.nums(to)
				if to != link.Unbuilt {
					k.num(hashOf(to))
				}
			}
			k.str("referenced-by")
			for _, from := range s.ReferencedBy[i] {
				k.num(hashOf(from))
			}
			if i > 0 {
				k.str("next").num(hashOf(i - 1))
			}
			if i+1 < n {
				k.str("prev").num(hashOf(i + 1))
			}
			if a := actions[i]; a != nil {
				for _, it := range a.Items {
					k.str(it.State).num(uint64(it.Deadline.Unix()))
				}
			}
			keys[i] = k.sum()
		}
	})
	for i, p := range s.Postmortems {
		jobs = append(jobs, &job{path: views[i].URL, tmpl: "postmortem.html", key: keys[i], page: func() *Page {
			pg := &Page{Kind: "postmortem", Title: p.Title, Incident: views[i], Body: body(s, i, views), Facts: facts(p, r.cfg.Labels), Timeline: drawTimeline(p.Timeline, p.Location, r.cfg.Labels), Actions: actions[i]}
			for _, from := range s.ReferencedBy[i] {
				pg.ReferencedBy = append(pg.ReferencedBy, views[from])
			}
			for _, rel := range s.Related[i] {
				pg.Related = append(pg.Related, Related{Incident: views[rel.To], Reason: rel.Reason})
			}
			if i > 0 {
				pg.Next = views[i-1]
			}
			if i+1 < n {
				pg.Prev = views[i+1]
			}
			return pg
		}})
	}

	all := newKey("catalog")
	for i := range n {
		all.num(hashOf(i))
	}
	jobs = append(jobs, &job{path: "incidents/index.html", tmpl: "list.html", key: all.sum(), page: func() *Page {
		return &Page{Kind: "catalog", Title: r.cfg.Labels["all_incidents"], Incidents: views}
	}})

	totals := s.Totals
	causes := s.Taxonomy("root_cause").ByCount()
	top := causes[:min(10, len(causes))]
	recent := views[:min(r.cfg.Recent, n)]
	home := newKey("home").nums(totals.Postmortems, totals.RootCauses, totals.Services, totals.Measured, totals.TotalMinutes, totals.MedianMinutes)
	for _, in := range recent {
		home.num(in.listKey)
	}
	for _, t := range top {
		home.str(t.Name).nums(len(t.Members), t.MedianMinutes)
	}
	jobs = append(jobs, &job{path: "index.html", tmpl: "home.html", key: home.sum(), page: func() *Page {
		return &Page{Kind: "home", Title: r.cfg.Title, Incidents: recent, TopCauses: top, Totals: totals}
	}})

	// The ledger shows its incidents as links: it changes with them, not
	// with every field of theirs.
	late := func(k *keyer) error {
		for i, a := range actions {
			if a != nil {
				h, err := views[i].Link("")
				if err != nil {
					return err
				}
				k.str(string(h))
			}
		}
		return nil
	}
	l := r.ledger.ledger
	jobs = append(jobs, &job{path: LedgerURL, tmpl: "action-items.html", key: r.ledger.key, late: late, page: func() *Page {
		return &Page{Kind: "action-items", Title: r.cfg.Labels["action_items"], Ledger: ledgerView(s, l, views, r.cfg.Now, r.cfg.Labels)}
	}})

	var quarters []string
	if len(in.Quarters) > 0 {
		quarters = insights.Span(in.Quarters[0].Quarter, in.Quarters[len(in.Quarters)-1].Quarter, false)
	}
	ik := newKey("insights").num(in.Key)
	for _, rec := range in.Recurrences {
		for _, slug := range []string{rec.Slug, rec.Previous} {
			if i, ok := s.Index[slug]; ok {
				ik.num(hashOf(i))
			}
		}
	}
	jobs = append(jobs, &job{path: InsightsURL, tmpl: "insights.html", key: ik.sum(), page: func() *Page {
		return &Page{Kind: "insights", Title: r.cfg.Labels["insights"], Insights: insightsView(s, *in, views, r.cfg)}
	}})

	terms := map[string]termMemo{}
	defer func() { r.terms = terms }()
	for _, tax := range s.Taxonomies {
		idx := newKey("terms").str(tax.Key)
		withInsights := slices.Contains(insightTaxonomies, tax.Key)
		for _, term := range tax.Terms {
			idx.str(term.Name).nums(len(term.Members), term.TotalMinutes, term.MedianMinutes, int(term.First.Unix()), int(term.Last.Unix()))
			tk := newKey("term").str(tax.Key).str(term.Name).nums(term.Direct)
			for _, m := range term.Members {
				tk.num(hashOf(m))
			}
			for _, c := range term.Children {
				tk.str(c.Name).nums(len(c.Members))
			}
			var ti *TermInsights
			if withInsights {
				ti = r.termInsights(s, tax, term, quarters, terms)
				tk.str(string(ti.Sparkline)).nums(ti.MedianMinutesToResolve)
				for _, q := range ti.Quarters {
					tk.nums(q.Incidents)
				}
			}
			jobs = append(jobs, &job{path: tax.URL(term.Name), tmpl: "term.html", key: tk.sum(), page: func() *Page {
				tv := &TermView{Term: term, Taxonomy: tax, URL: tax.URL(term.Name), Insights: ti}
				if slices.Contains(FeedTaxonomies, tax.Key) {
					tv.FeedURL = TermFeedURL(tax, term.Name)
				}
				for _, m := range term.Members {
					tv.Incidents = append(tv.Incidents, views[m])
				}
				for _, c := range term.CoCauses {
					tv.CoCauses = append(tv.CoCauses, Link{Name: c.Name + " (" + strconv.Itoa(c.N) + ")", URL: s.Taxonomy("root_cause").URL(c.Name)})
				}
				if term.Parent != nil {
					tv.Parent = &Link{Name: term.Parent.Name, URL: tax.URL(term.Parent.Name)}
				}
				for _, c := range term.Children {
					tv.Children = append(tv.Children, Link{Name: c.Name + " (" + strconv.Itoa(len(c.Members)) + ")", URL: tax.URL(c.Name)})
				}
				return &Page{Kind: "term", Title: r.cfg.Labels["tax_"+tax.Key+"_one"] + ": " + term.Name, Term: tv, Taxonomy: tax}
			}})
		}
		jobs = append(jobs, &job{path: tax.IndexURL(), tmpl: "terms.html", key: idx.sum(), page: func() *Page {
			terms := tax.ByCount()
			if tax.Hierarchical {
				terms = tax.Tree()
			}
			return &Page{Kind: "terms", Title: r.cfg.Labels["tax_"+tax.Key], Taxonomy: tax, Terms: terms}
		}})
	}
	jobs = append(jobs, r.taxonomyJob(s, views),
		&job{path: "search/index.html", tmpl: "search.html", key: newKey("search").sum(), page: func() *Page {
			return &Page{Kind: "search", Title: r.cfg.Labels["search"]}
		}},
		&job{path: "404.html", tmpl: "404.html", key: newKey("404").sum(), page: func() *Page {
			return &Page{Kind: "404", Title: r.cfg.Labels["page_not_found"]}
		}})
	return jobs, views
}

// wordFuncs are the template functions that write in the site's language:
// label, and the durations and dates that labels spell.
func wordFuncs(words config.Labels) template.FuncMap {
	return template.FuncMap{
		"label":   words.Label,
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
