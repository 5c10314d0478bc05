package diag

import "testing"

// TestIn wants the paths of a site's diagnostics given from the folder the
// command ran in, a folder's slash kept, and nothing changed for ".".
func TestIn(t *testing.T) {
	l := List{{Path: "content/a.md", Line: 3}, {Path: "content/_partials/"}, {Path: ""}}
	for _, tc := range []struct {
		dir  string
		want [3]string
	}{
		{".", [3]string{"content/a.md", "content/_partials/", ""}},
		{"kb", [3]string{"kb/content/a.md", "kb/content/_partials/", ""}},
		{"./docs/kb/", [3]string{"docs/kb/content/a.md", "docs/kb/content/_partials/", ""}},
	} {
		got := l.In(tc.dir)
		for i, w := range tc.want {
			if got[i].Path != w {
				t.Errorf("In(%q): %q, want %q", tc.dir, got[i].Path, w)
			}
		}
	}
	if l[0].Path != "content/a.md" {
		t.Error("In changed the list it was given")
	}
	if got := Count(1, "error") + ", " + Count(2, "warning"); got != "1 error, 2 warnings" {
		t.Errorf("Count: %q", got)
	}
}
