package insights

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/datakey"
	"github.com/postmortem/postmortem/generator/datakey/datakeytest"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// TestKeyReadsEveryField wants the cache key to change with every field of
// an incident, the whole of what compute reads, and with every other input:
// a field added to incident would otherwise leave the insights stale in the
// live preview.
func TestKeyReadsEveryField(t *testing.T) {
	for _, root := range []reflect.Type{reflect.TypeFor[incident](), reflect.TypeFor[inputs]()} {
		if n := datakeytest.Covers(t, datakey.New(), root); n < 3 {
			t.Errorf("%v: checked only %d fields", root, n)
		}
	}
}

// TestCacheComputesAgain wants the cached insights while the postmortems
// are the same, and new ones when one changed what the figures read, or
// the window did.
func TestCacheComputesAgain(t *testing.T) {
	pms := fixture()
	for i, p := range pms {
		postmortem.SetHash(p, uint64(i+1))
	}
	sev := []string{"SEV1", "SEV2"}
	var c Cache
	first := c.Compute(pms, sev, 90*24*time.Hour)
	if again := c.Compute(pms, sev, 90*24*time.Hour); again != first {
		t.Error("the same postmortems computed again")
	}
	changed := *pms[0]
	changed.Severity = "SEV2"
	postmortem.SetHash(&changed, 100)
	key := c.Key()
	next := c.Compute(append([]*postmortem.Postmortem{&changed}, pms[1:]...), sev, 90*24*time.Hour)
	var data bytes.Buffer
	c.WriteJSON(&data)
	if c.Key() == key {
		t.Error("the key stayed the same")
	}
	if next == first || next.Quarters[0].Severities[0].Incidents != 1 {
		t.Errorf("a change of severity left the figures as they were: %+v", next.Quarters[0])
	}
	if last := c.Compute(pms, sev, time.Hour); last == next || len(last.Recurrences) != 0 {
		t.Errorf("a change of window left the recurrences as they were: %v", last.Recurrences)
	}
	if data.String() != string(next.JSON()) {
		t.Error("the cache's insights.json is not that of the insights")
	}
}
