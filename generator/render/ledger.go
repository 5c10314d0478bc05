package render

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/ledger"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// The pages of the action-item ledger, relative to the site root. The
// front page is the first page of the list of owners; each owner's items,
// and the items of every postmortem, are lists of their own, split into
// pages as PageURL says. An owner's page is named for the owner by
// ownerSlugs.
const (
	LedgerURL             = "action-items.html"
	LedgerPostmortemsURL  = "action-items/postmortems.html"
	ledgerOwnersDir       = "action-items/owners/"
	MaxLedgerPostmortems  = 100 // postmortems with the most overdue items on the front page
	maxOwnerSlug          = 100 // bytes of an owner's page name, before its number
	ledgerKind            = "action-items"
	ledgerOwnerKind       = "action-items-owner"
	ledgerPostmortemsKind = "action-items-postmortems"
)

// LedgerOwnerURL is the first page of the items of the owner whose page
// name is slug (see ownerSlugs), relative to the site root.
func LedgerOwnerURL(slug string) string { return ledgerOwnersDir + slug + ".html" }

// LedgerView is what a page of the action-item ledger shows. Tally, Now
// and the URLs are set on every page of it; the other fields on the kind
// of page their comments name.
type LedgerView struct {
	// Tally counts every action item of the site by state.
	Tally ledger.Tally
	// Shown counts by state the items of this page, which its filter
	// shows or hides: those of the owners listed, of the owner's page, or
	// of the page by postmortem.
	Shown ledger.Tally
	// Now is the day the states are computed against (--now); zero when
	// none was given.
	Now time.Time
	// Front and AllPostmortems are the URLs of the front page and of the
	// first page of the items by postmortem.
	Front, AllPostmortems string
	// Owners are the owners of this page of the list of owners (the front
	// page and the pages after it), by name, the items without an owner
	// last; each without Items.
	Owners []OwnerItems
	// OwnerCount is how many owners the ledger has, the items without an
	// owner counted as one.
	OwnerCount int
	// Postmortems are, on the front page only, the postmortems with items
	// still to do, most overdue items first, then newest; at most
	// MaxLedgerPostmortems. Each without Items.
	Postmortems []PostmortemItems
	// Owner is, on an owner's pages, the owner with the items of this page.
	Owner *OwnerItems
	// ByPostmortem are, on the pages by postmortem, the items of this page
	// by postmortem, newest first: a postmortem whose items run on from the
	// page before, or onto the next, is on both, with the same Tally.
	ByPostmortem []PostmortemItems

	key uint64 // of the fields above, set by ledgerPagesOf
}

// dataKey is the key of the view's fields: the ledger has tens of
// thousands of items, hashed once when it is made, not on every build.
func (v *LedgerView) dataKey() uint64 { return v.key }

// OwnerItems are the action items of one owner.
type OwnerItems struct {
	Owner string // "" for the items without an owner
	URL   string // the first page of the owner's items
	Tally ledger.Tally
	// Items are, on the owner's pages, the items of this page: overdue
	// first, then open, done and won't do, each by deadline.
	Items []ActionView
	// States are, on the owner's pages, the states the owner has items
	// of, in that order, each with the page its items start on.
	States []StateLink
}

// ownerName is how the ledger names the owner of an action item: the
// owner as written, or the label no_owner for the items without one.
func ownerName(owner string, words config.Labels) string {
	if owner == "" {
		return words["no_owner"]
	}
	return owner
}

// StateLink is where the items of one state start in an owner's list.
type StateLink struct {
	State, Word string // as an ActionView's State and StateWord
	Count       int
	URL         string // the page of the first of them
}

// PostmortemItems are the action items of one postmortem and their tally.
type PostmortemItems struct {
	Incident *IncidentLink
	Tally    ledger.Tally
	// URL is the page of the ledger by postmortem that its items start on,
	// and their place there, the element whose id is Anchor.
	URL, Anchor string
	// Items are, on the pages by postmortem, those of this page.
	Items []ActionView
}

// ActionView is one action item with its state in the ledger.
type ActionView struct {
	// ActionItem is the item: a template may show any of its fields.
	*postmortem.ActionItem
	// Title, Owner, Status, Type, URL and Due are the item's, copied as
	// fields of the view's own, which come first: templates look the
	// fields of an embedded struct up by a slow path, and a ledger has
	// thousands of rows.
	Title, Owner, Status, Type, URL string
	Due                             time.Time
	// Incident is shared by the items of one postmortem on a page.
	Incident *IncidentLink
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
	// OwnerURL is the first page of the items of its owner in the ledger.
	OwnerURL string
}

// MarshalJSON writes the view's own fields, as encoding/json would but for
// the item's line, which it would take from the item, and the item's
// MarshalJSON, which the view would take for its own: what a template
// writes of it into a script.
func (v ActionView) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	val := reflect.ValueOf(v)
	for i := range val.NumField() {
		if f := val.Type().Field(i); f.IsExported() && !f.Anonymous {
			value, err := json.Marshal(val.Field(i).Interface())
			if err != nil {
				return nil, err
			}
			if len(b) > 1 {
				b = append(b, ',')
			}
			b = append(strconv.AppendQuote(b, f.Name), ':')
			b = append(b, value...)
		}
	}
	return append(b, '}'), nil
}

// ActionsView is the action items of a postmortem's page.
type ActionsView struct {
	Tally ledger.Tally
	Items []ActionView
	// Now is the day the states are computed against, as LedgerView's.
	Now time.Time

	key uint64 // of the fields above
}

// dataKey is the key of the view's fields, hashed once when it is made.
func (v *ActionsView) dataKey() uint64 { return v.key }

// String writes the tally and the items, as printing the view whole would
// without its key, which pages of one build may have or lack.
func (v *ActionsView) String() string { return fmt.Sprint(v.Tally, v.Items) }

// actionsMemo is the key of the view of a postmortem's action items, with
// the ledger and the link it was made from.
type actionsMemo struct {
	ledger uint64
	link   IncidentLink
	key    uint64
}

// IncidentLink is what the ledger shows of an incident: a link with its
// date and severity. Values, not the incident's view, so that the ledger
// pages are made again when they change, not whenever a postmortem with
// action items is edited.
type IncidentLink struct {
	URL, Title, Date, Severity string
}

// linkOf is in as an IncidentLink.
func linkOf(in *Incident) IncidentLink {
	return IncidentLink{URL: in.URL, Title: in.PM.Title, Date: in.PM.Date.Format(time.DateOnly), Severity: in.PM.Severity}
}

// at returns l, made at the site root, for a page at root.
func (l IncidentLink) at(root string) *IncidentLink {
	l.URL = root + l.URL
	return &l
}

// actionView is it as a page shows it, with the link to its incident and
// the first page of its owner's items.
func actionView(it ledger.Item, in *IncidentLink, ownerURL string, words config.Labels) ActionView {
	act := it.Action
	a := ActionView{ActionItem: act, Title: act.Title, Owner: act.Owner, Status: act.Status, Type: act.Type, URL: act.URL, Due: act.Due, Incident: in, State: it.State, Deadline: it.Deadline, StateWord: words["action_"+it.State],
		OwnerURL: ownerURL}
	if act.Type != "" {
		a.TypeWord = words["action_"+act.Type]
	}
	if !it.Deadline.IsZero() {
		a.DeadlineDay = it.Deadline.Format(time.DateOnly)
	}
	return a
}

// view lays out the action items of one postmortem, g, for its page at
// root, with the page names of their owners.
func (l ledgerMemo) view(g *ledger.Group, in IncidentLink, root string, words config.Labels) *ActionsView {
	a := &ActionsView{Tally: g.Tally, Items: make([]ActionView, len(g.Items)), Now: l.now}
	for k, it := range g.Items {
		a.Items[k] = actionView(it, &in, root+LedgerOwnerURL(l.owners[ledger.OwnerKey(it.Action.Owner)]), words)
	}
	return a
}

// ledgerMemo is the ledger of the last build, kept while what it reads is
// unchanged (ledger.Keys).
type ledgerMemo struct {
	key    uint64
	ledger *ledger.Ledger
	groups map[string]*ledger.Group // by slug
	owners map[string]string        // the page name of each owner, by ledger.OwnerKey
	now    time.Time                // the day its states are computed against
}

// fillActions sets the view of the action items of the postmortem of pg,
// a postmortem's page, when it has any.
func (l ledgerMemo) fillActions(pg *Page, words config.Labels) {
	if g := l.groups[pg.Incident.PM.Slug]; g != nil {
		pg.Actions = l.view(g, linkOf(pg.Incident), pg.Root, words)
	}
}

// ledgerOf returns the ledger of s, made again only when what it reads
// changed.
func (r *Renderer) ledgerOf(s *link.Site) ledgerMemo {
	r.ledgerMu.Lock()
	defer r.ledgerMu.Unlock()
	if key := r.ledgerKeys.Of(s.Postmortems); r.ledger.ledger == nil || r.ledger.key != key {
		l := ledger.Build(s.Postmortems, r.cfg.Now, r.cfg.ActionItemDeadlines)
		groups := make(map[string]*ledger.Group, len(l.ByPostmortem))
		for i := range l.ByPostmortem {
			groups[l.ByPostmortem[i].Name] = &l.ByPostmortem[i]
		}
		r.ledger = ledgerMemo{key: key, ledger: l, groups: groups, owners: ownerSlugs(l.ByOwner), now: r.cfg.Now}
	}
	return r.ledger
}
