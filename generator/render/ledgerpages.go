package render

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/ledger"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/parallel"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// ledgerPage is one page of the ledger: its kind, path and title, what
// makes its view, the key of that view (see ledgerPagesOf), and its place
// in its list.
type ledgerPage struct {
	kind, path, title string
	newView           func() *LedgerView
	key               uint64
	pager             *Pager
}

// ledgerPageMemo is the ledger's pages of the last build, and the links
// they were made with.
type ledgerPageMemo struct {
	key   uint64 // of the ledger (ledger.Keys)
	links []IncidentLink
	pages []ledgerPage
}

// ledgerPagesOf returns the pages of ledger l, views being the incidents
// at the site root: made again only when the ledger or a link to one of
// its incidents changed, as they are all its pages show. A renderer that
// renders again makes the view of each page then, for its key, and
// returns them in made, for this render only: it keeps only the keys, and
// a page rendered later makes its view anew (at 100,000 postmortems, the
// views of every page held 0.17 GB).
func (r *Renderer) ledgerPagesOf(s *link.Site, l ledgerMemo, views []*Incident) (pages []ledgerPage, made []*LedgerView) {
	links := make([]IncidentLink, 0, len(l.ledger.ByPostmortem))
	for _, g := range l.ledger.ByPostmortem {
		links = append(links, linkOf(views[s.Index[g.Name]]))
	}
	if m := r.ledgerPage; m.pages != nil && m.key == l.key && slices.Equal(m.links, links) {
		return m.pages, nil
	}
	pages = ledgerPages(l, links, r.cfg, r.rootOf)
	if r.Once {
		return pages, nil
	}
	made = make([]*LedgerView, len(pages))
	parallel.For(len(pages), func(i int) {
		made[i] = pages[i].newView()
		made[i].key = r.pageKey(*made[i])
		pages[i].key = made[i].key
	})
	r.ledgerPage = ledgerPageMemo{l.key, links, pages}
	return pages, made
}

// ledgerPages lays out the pages of ledger l, links being those of its
// postmortems (l.ledger.ByPostmortem) at the site root, and rootOf giving
// the Root of a page by its path: the front page and the rest of the list
// of owners, each owner's items, and the items by postmortem, each list in
// pages of cfg.LedgerPageSize entries. Each page's newView makes its view, and
// may be called from several goroutines at once.
func ledgerPages(l ledgerMemo, links []IncidentLink, cfg *config.Config, rootOf func(string) string) []ledgerPage {
	y := &ledgerLayout{ledgerMemo: l, links: links, cfg: cfg, rootOf: rootOf, size: cfg.LedgerPageSize,
		start: make([]int, len(l.ledger.ByPostmortem)), pos: make(map[string]int, len(l.ledger.ByPostmortem)),
		linksAt: map[string][]*IncidentLink{}, ownerURLs: map[[2]string]string{}}
	for i, g := range l.ledger.ByPostmortem {
		y.start[i], y.pos[g.Name] = y.total, i
		y.total += len(g.Items)
	}
	y.ownerList()
	for _, g := range l.ledger.ByOwner {
		y.owner(g)
	}
	y.byPostmortem()
	return y.out
}

// ledgerLayout holds what the pages of one ledger are laid out with.
type ledgerLayout struct {
	ledgerMemo
	links  []IncidentLink // of l.ledger.ByPostmortem, at the site root
	cfg    *config.Config
	rootOf func(string) string
	size   int
	// start is the place in the list by postmortem of the first item of
	// each postmortem, total the length of the list, pos the place of each
	// postmortem in ByPostmortem, by slug.
	start []int
	total int
	pos   map[string]int
	// linksAt and ownerURLs are the links to incidents and owners by
	// root, made once: a page's items share them. mu guards them, as the
	// views are made on several goroutines.
	mu        sync.Mutex
	linksAt   map[string][]*IncidentLink
	ownerURLs map[[2]string]string
	out       []ledgerPage
}

// linkAt returns the link of the postmortem ByPostmortem[i] at root.
func (y *ledgerLayout) linkAt(i int, root string) *IncidentLink {
	y.mu.Lock()
	defer y.mu.Unlock()
	at, ok := y.linksAt[root]
	if !ok {
		at = make([]*IncidentLink, len(y.links))
		y.linksAt[root] = at
	}
	if at[i] == nil {
		at[i] = y.links[i].at(root)
	}
	return at[i]
}

// ownerURL returns the first page of the items of owner, at root.
func (y *ledgerLayout) ownerURL(owner, root string) string {
	y.mu.Lock()
	defer y.mu.Unlock()
	k := [2]string{root, owner}
	u, ok := y.ownerURLs[k]
	if !ok {
		u = root + LedgerOwnerURL(y.owners[ledger.OwnerKey(owner)])
		y.ownerURLs[k] = u
	}
	return u
}

// add adds the page at path, page n of the list whose first page is first,
// of total entries, whose view fill fills in, given the page's root.
func (y *ledgerLayout) add(kind, path, title, first string, n, total int, fill func(v *LedgerView, root string)) {
	root := y.rootOf(path)
	view := func() *LedgerView {
		v := &LedgerView{Tally: y.ledger.Tally, Now: y.cfg.Now, Front: root + LedgerURL, AllPostmortems: root + LedgerPostmortemsURL, OwnerCount: len(y.ledger.ByOwner)}
		fill(v, root)
		for _, o := range v.Owners {
			v.Shown.AddAll(o.Tally)
		}
		if v.Owner != nil {
			for _, it := range v.Owner.Items {
				v.Shown.Add(it.State)
			}
		}
		for _, p := range v.ByPostmortem {
			for _, it := range p.Items {
				v.Shown.Add(it.State)
			}
		}
		return v
	}
	y.out = append(y.out, ledgerPage{kind: kind, path: path, title: title, newView: view, pager: newPager(first, root, total, y.size, n)})
}

// postmortemItems returns ByPostmortem[i], without its items, at root.
func (y *ledgerLayout) postmortemItems(i int, root string) PostmortemItems {
	g := &y.ledger.ByPostmortem[i]
	return PostmortemItems{Incident: y.linkAt(i, root), Tally: g.Tally, Anchor: ledgerAnchor(g.Name),
		URL: root + PageURL(LedgerPostmortemsURL, y.start[i]/y.size+1) + "#" + ledgerAnchor(g.Name)}
}

// ownerList adds the front page and the rest of the list of owners.
func (y *ledgerLayout) ownerList() {
	owners := y.ledger.ByOwner
	for k := 1; k <= pageCount(len(owners), y.size); k++ {
		lo, hi := pageBounds(len(owners), y.size, k)
		y.add(ledgerKind, PageURL(LedgerURL, k), y.cfg.Labels["action_items"], LedgerURL, k, len(owners), func(v *LedgerView, root string) {
			for _, g := range owners[lo:hi] {
				v.Owners = append(v.Owners, OwnerItems{Owner: g.Name, URL: y.ownerURL(g.Name, root), Tally: g.Tally})
			}
			if k == 1 {
				for _, i := range mostOverdue(y.ledger.ByPostmortem) {
					v.Postmortems = append(v.Postmortems, y.postmortemItems(i, root))
				}
			}
		})
	}
}

// owner adds the pages of the items of owner g, most urgent first: the
// items of a state follow one another, so each state's first page is a
// link.
func (y *ledgerLayout) owner(g ledger.Group) {
	words := y.cfg.Labels
	first, n := LedgerOwnerURL(y.owners[ledger.OwnerKey(g.Name)]), len(g.Items)
	title := ownerName(g.Name, words)
	var states []StateLink // URL relative to the site root
	for i, it := range g.Items {
		if i == 0 || it.State != g.Items[i-1].State {
			states = append(states, StateLink{State: it.State, Word: words["action_"+it.State], URL: PageURL(first, i/y.size+1)})
		}
		states[len(states)-1].Count++
	}
	for k := 1; k <= pageCount(n, y.size); k++ {
		lo, hi := pageBounds(n, y.size, k)
		y.add(ledgerOwnerKind, PageURL(first, k), words["action_items"]+": "+title, first, k, n, func(v *LedgerView, root string) {
			o := &OwnerItems{Owner: g.Name, URL: y.ownerURL(g.Name, root), Tally: g.Tally, States: slices.Clone(states)}
			for s := range o.States {
				o.States[s].URL = root + o.States[s].URL
			}
			o.Items = make([]ActionView, 0, hi-lo)
			for _, it := range g.Items[lo:hi] {
				o.Items = append(o.Items, actionView(it, y.linkAt(y.pos[it.Slug], root), o.URL, words))
			}
			v.Owner = o
		})
	}
}

// byPostmortem adds the pages of every item by postmortem, newest first,
// size items a page.
func (y *ledgerLayout) byPostmortem() {
	words := y.cfg.Labels
	for k := 1; k <= pageCount(y.total, y.size); k++ {
		lo, hi := pageBounds(y.total, y.size, k)
		y.add(ledgerPostmortemsKind, PageURL(LedgerPostmortemsURL, k), words["action_items"]+": "+words["by_postmortem"], LedgerPostmortemsURL, k, y.total, func(v *LedgerView, root string) {
			i, found := slices.BinarySearch(y.start, lo)
			if !found {
				i-- // lo is inside the items of the postmortem before
			}
			for at := lo; at < hi; i++ {
				g := &y.ledger.ByPostmortem[i]
				a, b := at-y.start[i], min(hi-y.start[i], len(g.Items))
				p := y.postmortemItems(i, root)
				p.Items = make([]ActionView, 0, b-a)
				for _, it := range g.Items[a:b] {
					p.Items = append(p.Items, actionView(it, p.Incident, y.ownerURL(it.Action.Owner, root), words))
				}
				v.ByPostmortem = append(v.ByPostmortem, p)
				at = y.start[i] + b
			}
		})
	}
}

// mostOverdue returns the positions in groups of the postmortems with
// items still to do, most overdue items first, then in the order of
// groups; at most MaxLedgerPostmortems.
func mostOverdue(groups []ledger.Group) []int {
	var todo []int
	for i, g := range groups {
		if g.Tally.Open+g.Tally.Overdue > 0 {
			todo = append(todo, i)
		}
	}
	slices.SortStableFunc(todo, func(a, b int) int { return cmp.Compare(groups[b].Tally.Overdue, groups[a].Tally.Overdue) })
	return todo[:min(len(todo), MaxLedgerPostmortems)]
}

// ledgerAnchor is the id of the items of the postmortem slug on the pages
// of the ledger by postmortem.
func ledgerAnchor(slug string) string { return "pm-" + slug }

// ownerSlugs names the page of each owner of groups (ledger.ByOwner), by
// the owner's name: the name as Slugify makes it, cut to maxOwnerSlug
// bytes, "owner" when nothing is left of it and "no-owner" for the items
// without an owner; a name an owner before it in groups took gets -2, -3,
// ... after it. An owner is text anyone writes: nothing else of it
// reaches a path.
func ownerSlugs(groups []ledger.Group) map[string]string {
	out := make(map[string]string, len(groups))
	taken := make(map[string]bool, len(groups))
	next := map[string]int{}
	for _, g := range groups {
		base := postmortem.Slugify(g.Name)
		for len(base) > maxOwnerSlug {
			_, n := utf8.DecodeLastRuneInString(base)
			base = base[:len(base)-n]
		}
		base = strings.TrimRight(base, "-")
		switch {
		case g.Name == "":
			base = "no-owner"
		case base == "":
			base = "owner"
		}
		slug := base
		for n := max(2, next[base]); taken[slug]; n++ {
			slug = base + "-" + strconv.Itoa(n)
			next[base] = n + 1
		}
		taken[slug] = true
		out[ledger.OwnerKey(g.Name)] = slug
	}
	return out
}
