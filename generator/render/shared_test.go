package render_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/postmortem/postmortem/generator/site"
)

// TestSharedHoldsOnlyShared wants a page's own field in a template run by
// .Shared to fail the build, not to show the first page's value on every
// page, and the site's fields to work there.
func TestSharedHoldsOnlyShared(t *testing.T) {
	pm := "---\ntitle: Disk full\ndate: 2024-01-02\n---\nBody.\n"
	for _, c := range []struct {
		header, fails string
	}{
		{`{{define "site-header"}}<p>{{.Title}}</p>{{end}}`, "can't evaluate field Title in type *render.Shared; a template run by .Shared (the site's header, footer and head) sees .Site and .Root only"},
		{`{{define "site-header"}}<p>{{.Site.Title}} {{.Root}}</p>{{end}}`, ""},
	} {
		fsys := fstest.MapFS{
			"content/a.md":                    {Data: []byte(pm)},
			"layouts/partials/zz-header.html": {Data: []byte(c.header)},
		}
		res := site.New(fsys, site.Options{}).Build(context.Background(), nil)
		err := res.Diagnostics.Err()
		switch {
		case c.fails == "" && err != nil:
			t.Errorf("%s: %v", c.header, err)
		case c.fails != "" && (err == nil || !strings.Contains(err.Error(), c.fails)):
			t.Errorf("%s: error %v, want one with %q", c.header, err, c.fails)
		case c.fails == "" && !strings.Contains(string(res.Files["incidents/a.html"]), "<p>Postmortems ../</p>"):
			t.Errorf("%s: the page lacks the site's title and root:\n%s", c.header, res.Files["incidents/a.html"])
		}
	}
}
