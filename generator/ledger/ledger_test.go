package ledger

import (
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/postmortem"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestBuild builds the ledger of three postmortems on 2024-06-01, with a
// SEV1 deadline of 28 days; every state is worked out by hand below.
func TestBuild(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	deadlines := map[string]config.Days{"SEV1": 28}
	a := &postmortem.Postmortem{Slug: "a", Severity: "SEV1", Date: day("2024-04-01"), Location: time.UTC,
		Resolved: time.Date(2024, 5, 3, 10, 0, 0, 0, time.UTC),
		ActionItems: []postmortem.ActionItem{
			{Title: "due passed", Owner: "ana", Status: "open", Due: day("2024-05-31")}, // overdue: due before 1 June
			{Title: "due today", Owner: "bo", Status: "open", Due: day("2024-06-01")},   // open: due is today
			{Title: "no due", Owner: "ana", Status: "open"},                             // resolved 3 May + 28 = 31 May: overdue
			{Title: "done late", Owner: "ana", Status: "done", Due: day("2024-01-01")},  // done
			{Title: "given up", Owner: "", Status: "wontfix", Due: day("2024-01-01")},   // won't do
		}}
	// SEV2 has no deadline: an item without due is never overdue.
	b := &postmortem.Postmortem{Slug: "b", Severity: "SEV2", Date: day("2023-01-01"), Location: time.UTC,
		ActionItems: []postmortem.ActionItem{{Title: "someday", Owner: "Bo", Status: "open"}}}
	// SEV1 without resolved: 28 days from its date, 5 May -> 2 June, not yet.
	// Its zone matters: at 23:30 UTC on 1 June it is already 2 June in Berlin,
	// still not past 2 June.
	c := &postmortem.Postmortem{Slug: "c", Severity: "SEV1", Date: time.Date(2024, 5, 5, 0, 0, 0, 0, berlin), Location: berlin,
		ActionItems: []postmortem.ActionItem{{Title: "soon", Owner: "ana", Status: "open"}}}
	now := time.Date(2024, 6, 1, 23, 30, 0, 0, time.UTC)
	l := Build([]*postmortem.Postmortem{a, b, c}, now, deadlines)

	want := map[string]string{"due passed": Overdue, "due today": Open, "no due": Overdue, "done late": Done, "given up": WontFix, "someday": Open, "soon": Open}
	n := 0
	for _, g := range l.ByPostmortem {
		for _, it := range g.Items {
			n++
			if it.State != want[it.Action.Title] {
				t.Errorf("%s: %s, want %s", it.Action.Title, it.State, want[it.Action.Title])
			}
		}
	}
	if n != len(want) {
		t.Errorf("%d items, want %d", n, len(want))
	}
	if l.Tally != (Tally{Total: 7, Open: 3, Overdue: 2, Done: 1, WontFix: 1}) {
		t.Errorf("tally %+v", l.Tally)
	}
	// a: 1 done of 4 to do (the won't do left out): 25 %.
	if g := l.ByPostmortem[0]; g.Name != "a" || g.Tally.Percent() != 25 {
		t.Errorf("a: %+v, %d %%", g.Tally, g.Tally.Percent())
	}
	// Owners by name without regard to case, then the one without a name;
	// "bo" and "Bo" one owner, named as in byte order first, as each
	// spelling has one item; ana's items overdue first, by deadline (31
	// May "no due" and "due passed" by title), then open, then done.
	var owners []string
	for _, g := range l.ByOwner {
		owners = append(owners, g.Name)
	}
	if len(owners) != 3 || owners[0] != "ana" || owners[1] != "Bo" || owners[2] != "" || len(l.ByOwner[1].Items) != 2 {
		t.Errorf("owners %q", owners)
	}
	var order []string
	for _, it := range l.ByOwner[0].Items {
		order = append(order, it.Action.Title)
	}
	if want := []string{"due passed", "no due", "soon", "done late"}; len(order) != 4 || order[0] != want[0] || order[1] != want[1] || order[2] != want[2] || order[3] != want[3] {
		t.Errorf("ana's items %q, want %q", order, want)
	}
	// Without a day, nothing is overdue.
	if IsOverdue(a, &a.ActionItems[0], time.Time{}, deadlines) {
		t.Error("overdue with no day")
	}
}

// TestPercent: the share done, to the nearest percent, 100 only when all
// are done and 0 only when none is; items given up are not counted.
func TestPercent(t *testing.T) {
	for _, tc := range []struct {
		done, total, wontfix, want int
	}{
		{2, 3, 0, 67}, {1, 3, 0, 33}, {0, 5, 0, 0}, {5, 5, 0, 100}, {0, 0, 0, 100}, {0, 1, 1, 100},
		{199, 200, 0, 99}, {1, 200, 0, 1}, {1, 2, 0, 50}, {0, 2, 1, 0},
	} {
		if got := (Tally{Done: tc.done, Total: tc.total, WontFix: tc.wontfix}).Percent(); got != tc.want {
			t.Errorf("%d done of %d, %d won't do: %d %%, want %d", tc.done, tc.total, tc.wontfix, got, tc.want)
		}
	}
}
