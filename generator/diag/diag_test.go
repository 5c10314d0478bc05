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

// TestControlCharactersEscaped: a path or a message with characters a
// terminal acts on (a colour code, a line feed, a right-to-left override)
// prints them as escapes, so that no line of the output can be forged or
// hidden; a message's own line feeds and tabs stay.
func TestControlCharactersEscaped(t *testing.T) {
	d := Diagnostic{Path: "content/a\x1b[31mred\nfake.md:1: error: x\u202ez.md", Line: 2, Severity: Error, Msg: "title: \x07bell\tand\u202eflip"}
	want := `content/a\x1b[31mred\x0afake.md:1: error: x\u202ez.md:2: error: title: \x07bell` + "\t" + `and\u202eflip`
	if got := d.Text(); got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
	if plain := (Diagnostic{Path: "content/ü.md", Msg: "fine\nas is"}).Error(); plain != "content/ü.md: fine\nas is" {
		t.Errorf("Error() = %q", plain)
	}
}

// TestPathIn: a path of the site is given from the folder the site is
// named from; one outside the site (the preview's folder) whole.
func TestPathIn(t *testing.T) {
	for _, tc := range []struct{ dir, p, want string }{
		{"kb", "content/a.md", "kb/content/a.md"},
		{"kb", "content/2024/", "kb/content/2024/"},
		{".", "content/a.md", "content/a.md"},
		{"kb", "", ""},
		{"kb", "/tmp/postmortem-preview-1", "/tmp/postmortem-preview-1"},
	} {
		if got := PathIn(tc.dir, tc.p); got != tc.want {
			t.Errorf("PathIn(%q, %q) = %q, want %q", tc.dir, tc.p, got, tc.want)
		}
	}
}
