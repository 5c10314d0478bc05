// Package ledger holds the action-item ledger: every action item of every
// postmortem with its state against the build day, and the one rule of
// when an open item is overdue.
package ledger

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/datakey"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// The states of an action item in the ledger.
const (
	Open    = "open"
	Overdue = "overdue" // open, and past its due date or its severity's deadline
	Done    = "done"
	WontFix = "wontfix"
)

// States lists the states in the order the ledger shows them.
var States = []string{Overdue, Open, Done, WontFix}

// source is what the ledger reads of a postmortem: Build, Deadline and
// State read nothing else of it, and Keys hashes all of it (datakey).
type source struct {
	Slug, Severity string
	Date, Resolved time.Time
	Location       *time.Location
	ActionItems    []postmortem.ActionItem
}

func sourceOf(p *postmortem.Postmortem) source {
	return source{Slug: p.Slug, Severity: p.Severity, Date: p.Date, Resolved: p.Resolved, Location: p.Location, ActionItems: p.ActionItems}
}

// Deadline returns the day after which open item a of p is overdue: its
// due date, else the deadline of p's severity (action_item_deadlines:)
// counted from p's resolution, else from its date. ok is false when a has
// neither a due date nor a deadline.
func Deadline(p *postmortem.Postmortem, a *postmortem.ActionItem, deadlines map[string]config.Days) (day time.Time, ok bool) {
	s := sourceOf(p)
	return s.deadline(a, deadlines)
}

func (p *source) deadline(a *postmortem.ActionItem, deadlines map[string]config.Days) (day time.Time, ok bool) {
	if !a.Due.IsZero() {
		return a.Due.In(p.Location), true
	}
	days, ok := deadlines[p.Severity]
	if !ok {
		return time.Time{}, false
	}
	from := p.Date
	if !p.Resolved.IsZero() {
		from = p.Resolved
	}
	from = from.In(p.Location)
	return time.Date(from.Year(), from.Month(), from.Day()+int(days), 0, 0, 0, 0, p.Location), true
}

// IsOverdue reports whether action item a of p is open and past its
// deadline (see Deadline) on the day of now, in p's time zone. A zero now
// makes nothing overdue.
func IsOverdue(p *postmortem.Postmortem, a *postmortem.ActionItem, now time.Time, deadlines map[string]config.Days) bool {
	s := sourceOf(p)
	return s.isOverdue(a, now, deadlines)
}

func (p *source) isOverdue(a *postmortem.ActionItem, now time.Time, deadlines map[string]config.Days) bool {
	if a.Status != Open || now.IsZero() {
		return false
	}
	day, ok := p.deadline(a, deadlines)
	return ok && dayBefore(day, now.In(p.Location))
}

// dayBefore reports whether the day of a (its date where it is) comes
// before that of b.
func dayBefore(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return cmp.Or(cmp.Compare(ay, by), cmp.Compare(am, bm), cmp.Compare(ad, bd)) < 0
}

// State is the state of a in the ledger: Overdue, Open, Done or WontFix.
func State(p *postmortem.Postmortem, a *postmortem.ActionItem, now time.Time, deadlines map[string]config.Days) string {
	s := sourceOf(p)
	return s.state(a, now, deadlines)
}

func (p *source) state(a *postmortem.ActionItem, now time.Time, deadlines map[string]config.Days) string {
	if p.isOverdue(a, now, deadlines) {
		return Overdue
	}
	return a.Status
}

// Item is one action item of the ledger.
type Item struct {
	Slug   string // of its postmortem
	Action *postmortem.ActionItem
	State  string
	// Deadline is when it is or becomes overdue; zero when never.
	Deadline time.Time
}

// Tally counts the action items of a group by state.
type Tally struct {
	Total, Open, Overdue, Done, WontFix int
}

// Add counts one item of state.
func (t *Tally) Add(state string) {
	t.Total++
	switch state {
	case Open:
		t.Open++
	case Overdue:
		t.Overdue++
	case Done:
		t.Done++
	case WontFix:
		t.WontFix++
	}
}

// AddAll counts the items o counts.
func (t *Tally) AddAll(o Tally) {
	t.Total, t.Open, t.Overdue, t.Done, t.WontFix = t.Total+o.Total, t.Open+o.Open, t.Overdue+o.Overdue, t.Done+o.Done, t.WontFix+o.WontFix
}

// ToDo counts the items not given up: the open, overdue and done ones.
func (t Tally) ToDo() int { return t.Total - t.WontFix }

// Percent is the share of the items to be done that are done, to the
// nearest whole percent, but 100 only when all are and 0 only when none
// is: items given up (won't do) are not counted; 100 when none is left
// to do.
func (t Tally) Percent() int {
	n := t.ToDo()
	if n == 0 {
		return 100
	}
	p := (200*t.Done + n) / (2 * n) // to the nearest: 2 of 3 is 67 %
	switch {
	case p == 100 && t.Done < n:
		return 99 // 100 only when all are done
	case p == 0 && t.Done > 0:
		return 1 // and 0 only when none is
	}
	return p
}

// Group is the action items of one owner or one postmortem.
type Group struct {
	Name  string // the owner ("" for none), or the postmortem's slug
	Items []Item
	Tally Tally
}

// Ledger is every action item of a site.
type Ledger struct {
	Tally Tally
	// ByOwner groups the items by owner, owners by name, those without
	// one last; each owner's items overdue first, then by deadline.
	ByOwner []Group
	// ByPostmortem groups them by postmortem, in the order given.
	ByPostmortem []Group
}

// Build makes the ledger of pms, in their order, on the day of now.
func Build(pms []*postmortem.Postmortem, now time.Time, deadlines map[string]config.Days) *Ledger {
	l := &Ledger{}
	type owner struct {
		Group
		spellings map[string]int // the items of each spelling of the owner's name
	}
	owners := map[string]*owner{}
	for _, pm := range pms {
		// What the ledger shows of pm is read from p alone, all Keys hashes.
		p := sourceOf(pm)
		if len(p.ActionItems) == 0 {
			continue
		}
		g := Group{Name: p.Slug}
		for i := range p.ActionItems {
			a := &p.ActionItems[i]
			it := Item{Slug: p.Slug, Action: a, State: p.state(a, now, deadlines)}
			if day, ok := p.deadline(a, deadlines); ok {
				it.Deadline = day
			}
			g.Items = append(g.Items, it)
			g.Tally.Add(it.State)
			l.Tally.Add(it.State)
			key := OwnerKey(a.Owner)
			o := owners[key]
			if o == nil {
				o = &owner{spellings: map[string]int{}}
				owners[key] = o
			}
			o.spellings[a.Owner]++
			o.Items = append(o.Items, it)
			o.Tally.Add(it.State)
		}
		l.ByPostmortem = append(l.ByPostmortem, g)
	}
	for _, o := range owners {
		// The owner's name as most of the items spell it; of two as
		// many, the first in byte order ("Maria" before "maria").
		for _, s := range slices.Sorted(maps.Keys(o.spellings)) {
			if o.spellings[s] > o.spellings[o.Name] || o.Name == "" {
				o.Name = s
			}
		}
		l.ByOwner = append(l.ByOwner, o.Group)
	}
	slices.SortFunc(l.ByOwner, func(a, b Group) int {
		if (a.Name == "") != (b.Name == "") {
			if a.Name == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(strings.Compare(OwnerKey(a.Name), OwnerKey(b.Name)), strings.Compare(a.Name, b.Name))
	})
	for _, o := range l.ByOwner {
		slices.SortStableFunc(o.Items, byUrgency)
	}
	return l
}

// OwnerKey is what the owner of an action item is known by: names that
// differ only in case ("Maria", "maria") are one owner, with one page.
func OwnerKey(name string) string { return strings.ToLower(name) }

// Keys gives the keys of ledgers: a ledger made from postmortems of the
// same key is the same, whatever else of them changed. It keeps the key of
// each postmortem's part by the postmortem's Hash, which stands for all it
// is made from but the configuration: make new Keys when that changes. Its
// zero value is ready; it is not safe for concurrent use.
type Keys struct{ memo datakey.Memo }

// Of is the key of the ledger of pms: the hash of all Build reads of each
// postmortem with action items (its slug, severity, date, resolution and
// time zone, and every field of its action items), in their order.
func (k *Keys) Of(pms []*postmortem.Postmortem) uint64 {
	var listed []*postmortem.Postmortem
	for _, p := range pms {
		if len(p.ActionItems) > 0 {
			listed = append(listed, p)
		}
	}
	return datakey.Of(k.memo.Keys(len(listed), func(i int) uint64 { return postmortem.HashOf(listed[i]) }, func(i int) any {
		s := sourceOf(listed[i])
		return &s
	}))
}

// rank is the position of state in States, -1 for another: a comparison
// of items costs less without a search of States.
func rank(state string) int {
	switch state {
	case Overdue:
		return 0
	case Open:
		return 1
	case Done:
		return 2
	case WontFix:
		return 3
	}
	return -1
}

// ByUrgency orders items overdue first, then open, done and won't do, then
// by deadline (none last), postmortem and title.
func ByUrgency(a, b Item) int { return byUrgency(a, b) }

// byUrgency orders items by state (overdue first), then deadline (none
// last), then postmortem slug and title.
func byUrgency(a, b Item) int {
	if c := cmp.Compare(rank(a.State), rank(b.State)); c != 0 {
		return c
	}
	if a.Deadline.IsZero() != b.Deadline.IsZero() {
		if a.Deadline.IsZero() {
			return 1
		}
		return -1
	}
	return cmp.Or(a.Deadline.Compare(b.Deadline), strings.Compare(a.Slug, b.Slug), strings.Compare(a.Action.Title, b.Action.Title))
}
