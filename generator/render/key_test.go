package render

import (
	"reflect"
	"testing"

	"github.com/postmortem/postmortem/generator/datakey/datakeytest"
)

// TestKeyOfEveryField wants the key of a page's data to change with each
// exported field of it, down to the fields of what it points at, and so
// for the data that carries its own key (a Site, a Term, the ledger's
// views): a field the key missed would leave a page stale in the live
// preview.
func TestKeyOfEveryField(t *testing.T) {
	for _, root := range []reflect.Type{reflect.TypeFor[Page](), reflect.TypeFor[Site](), reflect.TypeFor[Term](),
		reflect.TypeFor[LedgerView](), reflect.TypeFor[ActionsView](), reflect.TypeFor[InsightsView]()} {
		if checked := datakeytest.Covers(t, keys, root); checked < 4 {
			t.Errorf("%v: checked only %d fields", root, checked)
		}
	}
}
