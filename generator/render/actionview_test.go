package render

import (
	"encoding/json"
	"html/template"
	"reflect"
	"strings"
	"testing"

	"github.com/postmortem/postmortem/generator/postmortem"
)

// TestActionViewAsJSON: an ActionView written into a script has every
// field of its own, and not the item's line, nor the item alone (whose
// MarshalJSON it embeds).
func TestActionViewAsJSON(t *testing.T) {
	v := ActionView{ActionItem: &postmortem.ActionItem{Title: "Fix DNS", Line: 4242}, Title: "Fix DNS", State: "overdue", OwnerURL: "owners/ann.html"}
	var b strings.Builder
	if err := template.Must(template.New("x").Parse(`<script>var a = {{.}};</script>`)).Execute(&b, v); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "overdue") || !strings.Contains(b.String(), "owners") || strings.Contains(b.String(), "4242") {
		t.Errorf("an action view in a script is %s", b.String())
	}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	if err := json.Unmarshal(data, &keys); err != nil {
		t.Fatal(err)
	}
	typ := reflect.TypeFor[ActionView]()
	for i := range typ.NumField() {
		if f := typ.Field(i); f.IsExported() && !f.Anonymous {
			if _, ok := keys[f.Name]; !ok {
				t.Errorf("ActionView's JSON lacks its field %s", f.Name)
			}
		}
	}
}
