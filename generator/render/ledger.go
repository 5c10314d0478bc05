package render

import (
	"slices"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/ledger"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// LedgerURL is the action-item ledger, relative to the site root.
const LedgerURL = "action-items.html"

// LedgerView is what the action-item ledger shows.
type LedgerView struct {
	// Tally counts every action item by state.
	Tally ledger.Tally
	// Owners are the most urgent items by owner, owners by name and the
	// items without one last; each owner's items overdue first, then by
	// deadline.
	Owners []OwnerItems
	// Postmortems are the postmortems with items still to do, most
	// overdue items first, then newest; at most MaxLedgerPostmortems.
	Postmortems []PostmortemItems
	// Now is the day the states are computed against (--now); zero when
	// none was given.
	Now time.Time
	// Shown counts the items the page lists: the most urgent, at most
	// MaxLedgerItems of Tally.Total.
	Shown int

	key uint64 // of the fields above, set by ledgerPageOf
}

// dataKey is the key of the view's fields: the ledger has tens of
// thousands of items, hashed once when it is made, not on every build.
func (v *LedgerView) dataKey() uint64 { return v.key }

// OwnerItems are the action items of one owner.
type OwnerItems struct {
	Owner string // "" for the items without an owner
	Tally ledger.Tally
	Items []ActionView
}

// PostmortemItems are the action items of one postmortem and their tally.
type PostmortemItems struct {
	Incident IncidentLink
	Tally    ledger.Tally
}

// ActionView is one action item with its state in the ledger.
type ActionView struct {
	*postmortem.ActionItem
	Incident IncidentLink
	// State is overdue, open, done or wontfix.
	State string
	// Deadline is the day after which the item is overdue: its due date,
	// or the deadline of its severity; zero when it has neither.
	Deadline time.Time
	// StateWord and TypeWord are the state and type in the site's
	// language (labels action_STATE and action_TYPE); DeadlineDay is the
	// deadline as 2024-06-01, "" when none. A ledger has thousands of rows:
	// words looked up once here cost less than a template call per row.
	StateWord, TypeWord, DeadlineDay string
}

// ActionsView is the action items of a postmortem's page.
type ActionsView struct {
	Tally ledger.Tally
	Items []ActionView

	key uint64 // of the fields above
}

// dataKey is the key of the view's fields, hashed once when it is made.
func (v *ActionsView) dataKey() uint64 { return v.key }

// actionsMemo is the view of a postmortem's action items, with the ledger
// and the link it was made from.
type actionsMemo struct {
	ledger uint64
	link   IncidentLink
	view   *ActionsView
}

// actionView is it as a page shows it.
// IncidentLink is what the ledger shows of an incident: a link with its
// date and severity. Values, not the incident's view, so that the ledger
// page is made again when they change, not whenever a postmortem with
// action items is edited.
type IncidentLink struct {
	URL, Title, Date, Severity string
}

// linkOf is in as an IncidentLink.
func linkOf(in *Incident) IncidentLink {
	return IncidentLink{URL: in.URL, Title: in.PM.Title, Date: in.PM.Date.Format(time.DateOnly), Severity: in.PM.Severity}
}

func actionView(it ledger.Item, in IncidentLink, words config.Labels) ActionView {
	a := ActionView{ActionItem: it.Action, Incident: in, State: it.State, Deadline: it.Deadline, StateWord: words["action_"+it.State]}
	if it.Action.Type != "" {
		a.TypeWord = words["action_"+it.Action.Type]
	}
	if !it.Deadline.IsZero() {
		a.DeadlineDay = it.Deadline.Format(time.DateOnly)
	}
	return a
}

// ledgerView lays l out for the ledger page of s.
func ledgerView(s *link.Site, l *ledger.Ledger, views []*Incident, now time.Time, words config.Labels) *LedgerView {
	v := &LedgerView{Tally: l.Tally, Now: now}
	// The most urgent items of all, shown by owner in the owners' order:
	// a page stays small however many a site has (action-items.csv has
	// them all).
	var all []ledger.Item
	for _, g := range l.ByOwner {
		all = append(all, g.Items...)
	}
	slices.SortStableFunc(all, ledger.ByUrgency)
	shown := map[*postmortem.ActionItem]bool{}
	for _, it := range all[:min(len(all), MaxLedgerItems)] {
		shown[it.Action] = true
	}
	v.Shown = min(len(all), MaxLedgerItems)
	for _, g := range l.ByOwner {
		o := OwnerItems{Owner: g.Name, Tally: g.Tally}
		for _, it := range g.Items {
			if shown[it.Action] {
				o.Items = append(o.Items, actionView(it, linkOf(views[s.Index[it.Postmortem.Slug]]), words))
			}
		}
		if len(o.Items) > 0 {
			v.Owners = append(v.Owners, o)
		}
	}
	// The postmortems with items still to do, most overdue first.
	for _, g := range l.ByPostmortem {
		if g.Tally.Open+g.Tally.Overdue > 0 {
			v.Postmortems = append(v.Postmortems, PostmortemItems{Incident: linkOf(views[s.Index[g.Name]]), Tally: g.Tally})
		}
	}
	slices.SortStableFunc(v.Postmortems, func(a, b PostmortemItems) int { return b.Tally.Overdue - a.Tally.Overdue })
	v.Postmortems = v.Postmortems[:min(len(v.Postmortems), MaxLedgerPostmortems)]
	return v
}

// MaxLedgerItems and MaxLedgerPostmortems are how many items, and
// postmortems with items to do, the ledger page lists.
const (
	MaxLedgerItems       = 300
	MaxLedgerPostmortems = 100
)

// actionsView lays out the action items of one postmortem, g, for its page.
func actionsView(g *ledger.Group, in IncidentLink, words config.Labels) *ActionsView {
	a := &ActionsView{Tally: g.Tally, Items: make([]ActionView, len(g.Items))}
	for k, it := range g.Items {
		a.Items[k] = actionView(it, in, words)
	}
	return a
}

// ledgerMemo is the ledger of the last build, kept while what it reads is
// unchanged (ledger.Key).
type ledgerMemo struct {
	key    uint64
	ledger *ledger.Ledger
	groups map[string]*ledger.Group // by slug
}

// ledgerOf returns the ledger of s, made again only when what it reads
// changed.
func (r *Renderer) ledgerOf(s *link.Site) ledgerMemo {
	r.ledgerMu.Lock()
	defer r.ledgerMu.Unlock()
	if key := ledger.Key(s.Postmortems); r.ledger.ledger == nil || r.ledger.key != key {
		l := ledger.Build(s.Postmortems, r.cfg.Now, r.cfg.ActionItemDeadlines)
		groups := make(map[string]*ledger.Group, len(l.ByPostmortem))
		for i := range l.ByPostmortem {
			groups[l.ByPostmortem[i].Name] = &l.ByPostmortem[i]
		}
		r.ledger = ledgerMemo{key: key, ledger: l, groups: groups}
	}
	return r.ledger
}

// ledgerPageMemo is the ledger page's view of the last build, and the
// links it was made with.
type ledgerPageMemo struct {
	key   uint64 // of the ledger (ledger.Key)
	links []IncidentLink
	view  *LedgerView
}

// ledgerPageOf returns the view of l for the ledger page, made again only
// when the ledger or a link to one of its incidents changed.
func (r *Renderer) ledgerPageOf(s *link.Site, l ledgerMemo, views []*Incident) *LedgerView {
	links := make([]IncidentLink, 0, len(l.ledger.ByPostmortem))
	for _, g := range l.ledger.ByPostmortem {
		links = append(links, linkOf(views[s.Index[g.Name]]))
	}
	if m := r.ledgerPage; m.view != nil && m.key == l.key && slices.Equal(m.links, links) {
		return m.view
	}
	v := ledgerView(s, l.ledger, views, r.cfg.Now, r.cfg.Labels)
	v.key = keyOf(*v)
	r.ledgerPage = ledgerPageMemo{l.key, links, v}
	return v
}
