package render

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/ledger"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/parallel"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// ledgerPage is one page of the ledger: its kind, path and title, its view
// and its place in its list.
type ledgerPage struct {
	kind, path, title string
	view              *LedgerView
	pager             *Pager
}

// ledgerPageMemo is the ledger's pages of the last build, and the links
// they were made with.
type ledgerPageMemo struct {
	key   uint64 // of the ledger (ledger.Key)
	links []IncidentLink
	pages []ledgerPage
}

// ledgerPagesOf returns the pages of ledger l, views being the incidents
// at the site root: made again only when the ledger or a link to one of
// its incidents changed, as they are all its pages show.
func (r *Renderer) ledgerPagesOf(s *link.Site, l ledgerMemo, views []*Incident) []ledgerPage {
	links := make([]IncidentLink, 0, len(l.ledger.ByPostmortem))
	for _, g := range l.ledger.ByPostmortem {
		links = append(links, linkOf(views[s.Index[g.Name]]))
	}
	if m := r.ledgerPage; m.pages != nil && m.key == l.key && slices.Equal(m.links, links) {
		return m.pages
	}
	pages := ledgerPages(l, links, r.cfg, r.rootOf)
	parallel.For(len(pages), func(i int) { pages[i].view.key = keyOf(*pages[i].view) })
	r.ledgerPage = ledgerPageMemo{l.key, links, pages}
	return pages
}

// ledgerPages lays out the pages of ledger l, links being those of its
// postmortems (l.ledger.ByPostmortem) at the site root, and rootOf giving
// the Root of a page by its path: the front page and the rest of the list
// of owners, each owner's items, and the items by postmortem, each list in
// pages of cfg.PageSize entries.
func ledgerPages(l ledgerMemo, links []IncidentLink, cfg *config.Config, rootOf func(string) string) []ledgerPage {
	lg, size, words := l.ledger, cfg.PageSize, cfg.Labels
	// The links of each root, made once: a page's items share them.
	linksAt := map[string][]*IncidentLink{}
	linkAt := func(i int, root string) *IncidentLink {
		at, ok := linksAt[root]
		if !ok {
			at = make([]*IncidentLink, len(links))
			linksAt[root] = at
		}
		if at[i] == nil {
			at[i] = links[i].at(root)
		}
		return at[i]
	}
	ownerURLs := map[[2]string]string{} // by root and owner
	ownerURL := func(owner, root string) string {
		k := [2]string{root, owner}
		u, ok := ownerURLs[k]
		if !ok {
			u = root + LedgerOwnerURL(l.owners[owner])
			ownerURLs[k] = u
		}
		return u
	}
	view := func(path string) (string, *LedgerView) {
		root := rootOf(path)
		return root, &LedgerView{Tally: lg.Tally, Now: cfg.Now, Front: root + LedgerURL, AllPostmortems: root + LedgerPostmortemsURL, OwnerCount: len(lg.ByOwner)}
	}
	// The list by postmortem: each postmortem's items start at start[i].
	start := make([]int, len(lg.ByPostmortem))
	pos := make(map[string]int, len(lg.ByPostmortem)) // by slug
	total := 0
	for i, g := range lg.ByPostmortem {
		start[i], pos[g.Name] = total, i
		total += len(g.Items)
	}
	byPostmortem := func(i int, root string) PostmortemItems {
		g := &lg.ByPostmortem[i]
		return PostmortemItems{Incident: linkAt(i, root), Tally: g.Tally, Anchor: ledgerAnchor(g.Name),
			URL: root + PageURL(LedgerPostmortemsURL, start[i]/size+1) + "#" + ledgerAnchor(g.Name)}
	}
	var out []ledgerPage

	// The front page and the rest of the list of owners.
	owners := lg.ByOwner
	for k := 1; k <= pageCount(len(owners), size); k++ {
		path := PageURL(LedgerURL, k)
		root, v := view(path)
		lo, hi := pageBounds(len(owners), size, k)
		for _, g := range owners[lo:hi] {
			v.Owners = append(v.Owners, OwnerItems{Owner: g.Name, URL: ownerURL(g.Name, root), Tally: g.Tally})
		}
		if k == 1 {
			for _, i := range mostOverdue(lg.ByPostmortem) {
				v.Postmortems = append(v.Postmortems, byPostmortem(i, root))
			}
		}
		out = append(out, ledgerPage{ledgerKind, path, words["action_items"], v, newPager(LedgerURL, root, len(owners), size, k)})
	}

	// Each owner's items, most urgent first: the items of a state follow
	// one another, so each state's first page is a link.
	for _, g := range owners {
		slug := l.owners[g.Name]
		first, n := LedgerOwnerURL(slug), len(g.Items)
		title := words["no_owner"]
		if g.Name != "" {
			title = g.Name
		}
		for k := 1; k <= pageCount(n, size); k++ {
			path := PageURL(first, k)
			root, v := view(path)
			o := &OwnerItems{Owner: g.Name, URL: ownerURL(g.Name, root), Tally: g.Tally}
			for i, it := range g.Items {
				if i == 0 || it.State != g.Items[i-1].State {
					o.States = append(o.States, StateLink{State: it.State, Word: words["action_"+it.State], URL: root + PageURL(first, i/size+1)})
				}
				o.States[len(o.States)-1].Count++
			}
			lo, hi := pageBounds(n, size, k)
			o.Items = make([]ActionView, 0, hi-lo)
			for _, it := range g.Items[lo:hi] {
				o.Items = append(o.Items, actionView(it, linkAt(pos[it.Postmortem.Slug], root), o.URL, words))
			}
			v.Owner = o
			out = append(out, ledgerPage{ledgerOwnerKind, path, words["action_items"] + ": " + title, v, newPager(first, root, n, size, k)})
		}
	}

	// Every item by postmortem, newest first, in pages of size items.
	for k := 1; k <= pageCount(total, size); k++ {
		path := PageURL(LedgerPostmortemsURL, k)
		root, v := view(path)
		lo, hi := pageBounds(total, size, k)
		i, found := slices.BinarySearch(start, lo)
		if !found {
			i-- // lo is inside the items of the postmortem before
		}
		for at := lo; at < hi; i++ {
			g := &lg.ByPostmortem[i]
			a, b := at-start[i], min(hi-start[i], len(g.Items))
			p := byPostmortem(i, root)
			p.Items = make([]ActionView, 0, b-a)
			for _, it := range g.Items[a:b] {
				p.Items = append(p.Items, actionView(it, p.Incident, ownerURL(it.Action.Owner, root), words))
			}
			v.ByPostmortem = append(v.ByPostmortem, p)
			at = start[i] + b
		}
		out = append(out, ledgerPage{ledgerPostmortemsKind, path, words["action_items"] + ": " + words["by_postmortem"], v, newPager(LedgerPostmortemsURL, root, total, size, k)})
	}
	return out
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
		out[g.Name] = slug
	}
	return out
}
