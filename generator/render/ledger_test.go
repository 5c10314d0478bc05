package render

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/postmortem/postmortem/generator/ledger"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// TestOwnerSlugs names the pages of owners written by anyone: each name a
// path segment of letters, digits and dashes, at most maxOwnerSlug bytes,
// no two owners on one page, whatever the names.
func TestOwnerSlugs(t *testing.T) {
	names := []string{"Ada", "ada!", "ada-2", "Ada?", "../../etc/passwd", "<script>alert(1)</script>", "Zoë", "zoë!",
		"!!!", "???", "No owner", strings.Repeat("é", 300), strings.Repeat("é", 300) + "x", "con", ""}
	var groups []ledger.Group
	for _, n := range names {
		groups = append(groups, ledger.Group{Name: n})
	}
	slugs := ownerSlugs(groups)
	want := map[string]string{"Ada": "ada", "ada!": "ada-2", "ada-2": "ada-2-2", "Ada?": "ada-3", "../../etc/passwd": "etc-passwd",
		"<script>alert(1)</script>": "script-alert-1-script", "Zoë": "zoë", "zoë!": "zoë-2", "!!!": "owner", "???": "owner-2",
		"No owner": "no-owner", "": "no-owner-2"}
	for name, slug := range want {
		if slugs[ledger.OwnerKey(name)] != slug {
			t.Errorf("the page of owner %q is %q, want %q", name, slugs[ledger.OwnerKey(name)], slug)
		}
	}
	seen := map[string]string{}
	for _, name := range names {
		slug := slugs[ledger.OwnerKey(name)]
		if other, ok := seen[slug]; ok {
			t.Errorf("owners %q and %q share the page %q", other, name, slug)
		}
		seen[slug] = name
		if len(slug) > maxOwnerSlug+4 || slug == "" || strings.Trim(slug, "-") != slug {
			t.Errorf("the page of owner %q is %q: empty, over %d bytes or edged with a dash", name, slug, maxOwnerSlug)
		}
		if strings.IndexFunc(slug, func(r rune) bool { return r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
			t.Errorf("the page of owner %q is %q, with more than letters, digits and dashes", name, slug)
		}
	}
}

// TestActionViewCopies wants each field an action item's view copies from
// the item, which a template finds first, to hold the item's value: a
// ledger row shows the same as {{.ActionItem.Title}} would.
func TestActionViewCopies(t *testing.T) {
	act := &postmortem.ActionItem{Title: "Add an alert", Owner: "Ada", Status: "open", Type: "prevent", URL: "https://issues.example/1",
		Due: time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC), Line: 12}
	v := reflect.ValueOf(actionView(ledger.Item{Action: act, State: "open"}, &IncidentLink{}, "", nil))
	item := reflect.ValueOf(act).Elem()
	copies := 0
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if f.Anonymous {
			continue
		}
		if from := item.FieldByName(f.Name); from.IsValid() {
			copies++
			if !reflect.DeepEqual(v.Field(i).Interface(), from.Interface()) {
				t.Errorf("ActionView.%s is %v, its item's %v", f.Name, v.Field(i), from)
			}
		}
	}
	if copies < 6 {
		t.Errorf("ActionView copies %d fields of its item, want 6", copies)
	}
}
