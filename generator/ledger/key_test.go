package ledger

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/datakey"
	"github.com/postmortem/postmortem/generator/datakey/datakeytest"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// TestKeyReadsEveryField wants the key of a ledger to change with every
// field of what Build reads of a postmortem, every field of its action
// items among them: one missed would leave the ledger stale in the live
// preview.
func TestKeyReadsEveryField(t *testing.T) {
	if n := datakeytest.Covers(t, datakey.New(), reflect.TypeFor[source]()); n < 10 {
		t.Errorf("checked only %d fields", n)
	}
}

// TestKeys wants the key of a ledger to stay while what it shows does,
// whatever else of a postmortem changed, and to change with an action
// item.
func TestKeys(t *testing.T) {
	pm := func(hash uint64, title, owner string) *postmortem.Postmortem {
		p := &postmortem.Postmortem{Slug: "a", Title: title, Date: day("2024-04-01"), Location: time.UTC,
			ActionItems: []postmortem.ActionItem{{Title: "fix", Owner: owner, Status: "open"}}}
		postmortem.SetHash(p, hash)
		return p
	}
	none := &postmortem.Postmortem{Slug: "b", Title: "no items"}
	postmortem.SetHash(none, 9)
	var k Keys
	first := k.Of([]*postmortem.Postmortem{pm(1, "Disk full", "ana"), none})
	if got := k.Of([]*postmortem.Postmortem{pm(2, "Disk full on db-3", "ana"), none}); got != first {
		t.Error("a change of title, which the ledger does not show, changed its key")
	}
	if got := k.Of([]*postmortem.Postmortem{pm(3, "Disk full", "bo"), none}); got == first {
		t.Error("a change of an action item's owner left the key as it was")
	}
	if got := k.Of([]*postmortem.Postmortem{pm(1, "Disk full", "ana")}); got != first {
		t.Error("a postmortem without action items changed the key")
	}
}

// TestRank wants rank to give the order of States.
func TestRank(t *testing.T) {
	for i, s := range append(States, "other") {
		if want := slices.Index(States, s); rank(s) != want || (i < len(States)) != (want >= 0) {
			t.Errorf("rank(%q) = %d, want %d", s, rank(s), want)
		}
	}
}
