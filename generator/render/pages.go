package render

import (
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/postmortem/postmortem/generator/export"
	"github.com/postmortem/postmortem/generator/insights"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/parallel"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/review"
	"github.com/postmortem/postmortem/generator/search"
)

// page is one page of the output and the template it is executed with.
// fill, when not nil, completes its data: a renderer that renders once
// leaves the largest parts of the pages' data (the action items' views) to
// be made as each page is rendered, and lets them go after it, rather than
// hold them for the whole site.
type page struct {
	*Page
	tmpl string
	fill func(*Page)
}

// data holds what the pages of one build are made from, made once per
// root: the URLs in it are relative to the pages at that root.
type data struct {
	r      *Renderer
	s      *link.Site
	kept   kept                   // of the last build
	next   kept                   // of this one, for the next
	views  map[string][]*Incident // by root
	sites  map[string]*Site
	terms  map[[2]string][]*Term // by taxonomy key and root, in the order of the taxonomy's terms
	byTerm map[*link.Term]int    // position of each term in its taxonomy
	report chan *review.Taxonomy // the taxonomy report, made beside the rest
	ledger chan ledgerMemo       // the action-item ledger, made beside the fragments
	// insights are the figures of the site, for the insights page and the
	// term pages.
	insights func() *insights.Insights
}

// termInsights returns the figures of term over quarters, the site's
// span, computed again only when what they read of its postmortems (keys,
// see insights.Keys; their hash without them) or the span changed.
func (d *data) termInsights(tax *link.Taxonomy, term *link.Term, quarters []string, keys []uint64) *TermInsights {
	if d.r.Once {
		return computeTermInsights(d.s, term, quarters, d.r.cfg.Labels) // no next build to key them for
	}
	var h maphash.Hash
	h.SetSeed(keySeed)
	h.WriteString(strings.Join(quarters[:min(len(quarters), 1)], "") + "\x00" + strconv.Itoa(len(quarters)))
	var b [8]byte
	for _, m := range term.Members {
		k := postmortem.HashOf(d.s.Postmortems[m])
		if keys != nil {
			k = keys[m]
		}
		binary.LittleEndian.PutUint64(b[:], k)
		h.Write(b[:])
	}
	url, key := tax.URL(term.Name), h.Sum64()
	m, ok := d.r.terms[url]
	if !ok || m.key != key {
		m = termMemo{key, computeTermInsights(d.s, term, quarters, d.r.cfg.Labels)}
	}
	d.r.nextTerms[url] = m
	return m.ti
}

// kept is what a build made that the next one can reuse.
type kept struct {
	views map[string]map[*postmortem.Postmortem]*Incident // by root: a postmortem that did not change keeps its views
	terms map[termKey]*Term                               // a term whose incidents kept their views keeps its own
	// order holds the positions of the terms of each taxonomy, most
	// incidents first: link keeps a taxonomy while it is the same.
	order map[orderKey][]int
}

// orderKey names an order of the terms of a taxonomy: by count, or as a
// tree.
type orderKey struct {
	tax  *link.Taxonomy
	tree bool
}

// data starts the data of a build of s.
func (r *Renderer) data(s *link.Site) *data {
	d := &data{r: r, s: s, kept: r.kept, views: map[string][]*Incident{}, sites: map[string]*Site{},
		terms: map[[2]string][]*Term{}, byTerm: map[*link.Term]int{},
		next: kept{views: map[string]map[*postmortem.Postmortem]*Incident{}, terms: map[termKey]*Term{}, order: map[orderKey][]int{}}}
	r.kept = d.next
	// The report compares every pair of terms: made beside the pages. The
	// ledger sorts every action item: made beside the fragments, on all
	// cores, rather than after them.
	d.report = make(chan *review.Taxonomy, 1)
	go func() { d.report <- r.report(s) }()
	d.ledger = make(chan ledgerMemo, 1)
	go func() { d.ledger <- r.ledgerOf(s) }()
	for _, tax := range s.Taxonomies {
		for k, t := range tax.Terms {
			d.byTerm[t] = k
		}
	}
	return d
}

// rootOf returns Page.Root of the page at path.
func (r *Renderer) rootOf(path string) string {
	if path == link.NotFoundURL {
		// Served at any depth, so its links are absolute.
		if r.cfg.BaseURL != "" {
			return r.cfg.BaseURL
		}
		return "/"
	}
	return strings.Repeat("../", strings.Count(path, "/"))
}

// incidents returns the views of every postmortem at root, newest first.
func (d *data) incidents(root string) []*Incident {
	if v, ok := d.views[root]; ok {
		return v
	}
	v, next := incidents(d.s, root, d.r.cfg.Labels, d.kept.views[root])
	d.next.views[root] = next
	for _, in := range v {
		in.frag = d.r.frags.get
	}
	d.views[root] = v
	return v
}

// site returns the site-wide data at root.
func (d *data) site(root string) *Site {
	if s, ok := d.sites[root]; ok {
		return s
	}
	s := newSite(d.r.cfg, d.r.customCSS, d.s, root)
	d.sites[root] = s
	return s
}

// termsOf returns the views of the terms of tax at root.
func (d *data) termsOf(tax *link.Taxonomy, root string) []*Term {
	k := [2]string{tax.Key, root}
	if t, ok := d.terms[k]; ok {
		return t
	}
	t := terms(d.s, tax, root, d.incidents(root), d.kept.terms, d.next.terms)
	d.terms[k] = t
	return t
}

// byCount returns the views at root of the terms of tax, most incidents
// first, as Taxonomy.ByCount orders them; with tree, those of a
// hierarchical taxonomy as Taxonomy.Tree does, each followed by the terms
// below it.
func (d *data) byCount(tax *link.Taxonomy, root string, tree bool) []*Term {
	views := d.termsOf(tax, root)
	k := orderKey{tax, tree && tax.Hierarchical}
	order, ok := d.kept.order[k]
	if !ok {
		sorted := tax.ByCount()
		switch {
		case k.tree:
			sorted = tax.Tree()
		case tax.Key == "severity":
			// Scales keep their order: the worst first, as configured.
			levels := d.r.cfg.Severities
			sorted = slices.Clone(tax.Terms)
			slices.SortStableFunc(sorted, func(a, b *link.Term) int {
				return cmp.Compare(slices.Index(levels, a.Name), slices.Index(levels, b.Name))
			})
		case tax.Key == "year":
			sorted = slices.Clone(tax.Terms)
			slices.SortFunc(sorted, func(a, b *link.Term) int { return cmp.Compare(b.Name, a.Name) }) // the newest first
		}
		for _, t := range sorted {
			order = append(order, d.byTerm[t])
		}
	}
	d.next.order[k] = order
	out := make([]*Term, len(order))
	for k, i := range order {
		out[k] = views[i]
	}
	return out
}

// newPage returns the page at path of kind with its site-wide fields set.
func (d *data) newPage(kind, path, title string) *Page {
	return d.setPage(new(Page), kind, path, title)
}

// setPage sets pg to the page at path of kind with its site-wide fields, and returns it.
func (d *data) setPage(pg *Page, kind, path, title string) *Page {
	root := d.r.rootOf(path)
	*pg = Page{Kind: kind, Title: title, Path: path, Root: root, Site: d.site(root)}
	return pg
}

// postmortemPages returns n pages to set for the postmortems: those of
// the last render again when the renderer renders again, as each rebuild
// of the preview does. Made anew, they were 37 MB of fresh memory at each
// rebuild of 100,000 postmortems, whose setting took 5 % of the rebuild's
// CPU (bench/README.md).
func (r *Renderer) postmortemPages(n int) []Page {
	if r.Once || cap(r.pms) < n {
		pms := make([]Page, n)
		if !r.Once {
			r.pms = pms
		}
		return pms
	}
	r.pms = r.pms[:n] // so that Again finds no page of an earlier render
	return r.pms
}

// pages returns every page of the site, with its data.
func (d *data) pages() []page {
	s, words := d.s, d.r.cfg.Labels
	out := make([]page, 0, len(s.Postmortems)+len(s.Taxonomies)*64)
	// One allocation for the postmortem pages and one for their related
	// lists, made on all cores: a rebuild makes them all, to compare their
	// keys.
	pms := d.r.postmortemPages(len(s.Postmortems))
	paths := make([]string, len(s.Postmortems))
	offsets := make([]int, len(s.Postmortems)+1)
	for i, p := range s.Postmortems {
		paths[i] = link.PostmortemURL(p.Slug)
		offsets[i+1] = offsets[i] + len(s.Related[i])
		root := d.r.rootOf(paths[i])
		d.incidents(root) // made here, once, not by the workers below
		d.site(root)
	}
	related := make([]Related, offsets[len(s.Postmortems)])
	reasons := map[*link.Reason]string{} // a few thousand, each worded once
	for _, rels := range s.Related {
		for _, r := range rels {
			if _, ok := reasons[r.Reason]; !ok {
				reasons[r.Reason] = reasonText(r.Reason, words)
			}
		}
	}
	parallel.For(len(s.Postmortems), func(i int) {
		pg := d.setPage(&pms[i], "postmortem", paths[i], s.Postmortems[i].Title)
		views := d.views[pg.Root]
		pg.Incident = views[i]
		if rel := related[offsets[i]:offsets[i+1]:offsets[i+1]]; len(rel) > 0 {
			for k, r := range s.Related[i] {
				rel[k] = Related{Incident: views[r.To], Reason: reasons[r.Reason]}
			}
			pg.Related = rel
		}
		if i > 0 {
			pg.Next = views[i-1]
		}
		if i+1 < len(views) {
			pg.Prev = views[i+1]
		}
		if refs := s.Refs[i]; len(refs) > 0 {
			pg.References = make([]*Incident, len(refs))
			for k, to := range refs {
				if to != link.Unbuilt {
					pg.References[k] = views[to]
				}
			}
		}
		for _, from := range s.ReferencedBy[i] {
			pg.ReferencedBy = append(pg.ReferencedBy, views[from])
		}
	})
	// The action items of each postmortem, and the ledger of them all.
	l := <-d.ledger
	kept := make(map[string]actionsMemo, len(l.groups))
	fills := make([]func(*Page), len(pms))
	for i, p := range s.Postmortems {
		g := l.groups[p.Slug]
		if g == nil {
			continue
		}
		// A renderer that renders again keeps the key of the view, not
		// the view, while what it is made from is unchanged (at 100,000
		// postmortems, the views took 0.08 GB): a page rendered then
		// makes it anew, as one that renders once does.
		link := linkOf(pms[i].Incident)
		fill := func(pg *Page) { l.fillActions(pg, words) }
		switch m, ok := d.r.actions[p.Slug]; {
		case d.r.Once:
			fills[i] = fill
		case ok && m.ledger == l.key && m.link == link:
			kept[p.Slug], pms[i].Actions, fills[i] = m, &ActionsView{key: m.key}, fill
		default:
			v := l.view(g, link, pms[i].Root, words)
			v.key = d.r.pageKey(*v)
			kept[p.Slug], pms[i].Actions = actionsMemo{l.key, link, v.key}, v
		}
	}
	d.r.actions = kept
	for i := range pms {
		out = append(out, page{&pms[i], "postmortem.html", fills[i]})
	}
	ledgerPages, made := d.r.ledgerPagesOf(s, l, d.incidents(""))
	for k, lp := range ledgerPages {
		pg := d.newPage(lp.kind, lp.path, lp.title)
		pg.Pager = lp.pager
		if made != nil {
			pg.Ledger = made[k]
			out = append(out, page{Page: pg, tmpl: "action-items.html"})
			continue
		}
		if !d.r.Once {
			pg.Ledger = &LedgerView{key: lp.key} // as for the action items above
		}
		out = append(out, page{pg, "action-items.html", func(pg *Page) { pg.Ledger = lp.newView() }})
	}
	in := &insights.Insights{}
	if d.insights != nil {
		in = d.insights() // computed beside the fragments
	}
	insightsPage := d.newPage("insights", InsightsURL, words["insights"])
	insightsPage.Insights = d.r.insightsOf(s, in, d.incidents(insightsPage.Root))
	out = append(out, page{Page: insightsPage, tmpl: "insights.html"})
	var quarters []string
	if len(in.Quarters) > 0 {
		quarters = insights.Span(in.Quarters[0].Quarter, in.Quarters[len(in.Quarters)-1].Quarter, false)
	}

	size := d.r.cfg.PageSize
	n := len(s.Postmortems)
	for k := 1; k <= pageCount(n, size); k++ {
		lo, hi := pageBounds(n, size, k)
		pg := d.newPage("catalog", PageURL(link.CatalogURL, k), words["all_incidents"])
		pg.Incidents = d.incidents(pg.Root)[lo:hi]
		pg.Pager = newPager(link.CatalogURL, pg.Root, n, size, k)
		out = append(out, page{Page: pg, tmpl: "list.html"})
	}

	home := d.newPage("home", link.HomeURL, d.r.cfg.Title)
	home.Incidents = d.incidents(home.Root)[:min(d.r.cfg.Recent, len(s.Postmortems))]
	causes := d.byCount(s.Taxonomy("root_cause"), home.Root, false)
	home.TopCauses = causes[:min(10, len(causes))]
	home.Totals = s.Totals
	out = append(out, page{Page: home, tmpl: "home.html"})

	for _, tax := range s.Taxonomies {
		for t, term := range tax.Terms {
			// A term's list in pages: each has the term's figures, and
			// shows its own incidents.
			first, total := tax.URL(term.Name), len(term.Members)
			var ti *TermInsights
			withInsights := slices.Contains(insightTaxonomies, tax.Key)
			if withInsights {
				ti = d.termInsights(tax, term, quarters, insights.Keys(in))
			}
			for k := 1; k <= pageCount(total, size); k++ {
				lo, hi := pageBounds(total, size, k)
				pg := d.newPage("term", PageURL(first, k), words["tax_"+tax.Key+"_one"]+": "+term.Name)
				pg.Term = d.termsOf(tax, pg.Root)[t]
				pg.Incidents = pg.Term.Incidents[lo:hi]
				pg.Pager = newPager(first, pg.Root, total, size, k)
				pg.Taxonomy = taxonomy(tax, pg.Root, words)
				if search.Filters(tax.Key) {
					pg.TermSearch = pg.Root + link.SearchURL + "?" + url.Values{tax.Key: {term.Name}}.Encode()
				}
				if withInsights {
					pg.TermInsights = ti
					pg.TermFeed = pg.Root + export.TermFeedURL(tax, term.Name)
				}
				out = append(out, page{Page: pg, tmpl: "term.html"})
			}
		}
		pg := d.newPage("terms", tax.IndexURL(), words["tax_"+tax.Key])
		pg.Taxonomy = taxonomy(tax, pg.Root, words)
		pg.Taxonomy.Without = tax.Without
		pg.Terms = d.byCount(tax, pg.Root, true)
		out = append(out, page{Page: pg, tmpl: "terms.html"})
	}
	out = append(out,
		page{Page: d.taxonomyPage(), tmpl: "taxonomy.html"},
		page{Page: d.newPage("search", link.SearchURL, words["search"]), tmpl: "search.html"},
		page{Page: d.newPage("404", link.NotFoundURL, words["page_not_found"]), tmpl: "404.html"})
	return out
}
