package render

import (
	"strings"
	"testing"
	"unicode"

	"github.com/postmortem/postmortem/generator/ledger"
)

// TestOwnerSlugs names the pages of owners written by anyone: each name a
// path segment of letters, digits and dashes, at most maxOwnerSlug bytes,
// no two owners on one page, whatever the names.
func TestOwnerSlugs(t *testing.T) {
	names := []string{"Ada", "ada", "ada-2", "ADA", "../../etc/passwd", "<script>alert(1)</script>", "Zoë", "zoë",
		"!!!", "???", "No owner", strings.Repeat("é", 300), strings.Repeat("é", 300) + "x", "con", ""}
	var groups []ledger.Group
	for _, n := range names {
		groups = append(groups, ledger.Group{Name: n})
	}
	slugs := ownerSlugs(groups)
	want := map[string]string{"Ada": "ada", "ada": "ada-2", "ada-2": "ada-2-2", "ADA": "ada-3", "../../etc/passwd": "etc-passwd",
		"<script>alert(1)</script>": "script-alert-1-script", "Zoë": "zoë", "zoë": "zoë-2", "!!!": "owner", "???": "owner-2",
		"No owner": "no-owner", "": "no-owner-2"}
	for name, slug := range want {
		if slugs[name] != slug {
			t.Errorf("the page of owner %q is %q, want %q", name, slugs[name], slug)
		}
	}
	seen := map[string]string{}
	for _, name := range names {
		slug := slugs[name]
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
