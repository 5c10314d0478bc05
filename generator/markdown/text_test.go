package markdown

import "testing"

// TestInlineText wants a timeline line as a reader sees it: marks of code,
// emphasis and links gone, raw HTML and entities as text.
func TestInlineText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Fixed file deployed.", "Fixed file deployed."},
		{"Release goes live. Its build copies `robots.txt` from staging.", "Release goes live. Its build copies robots.txt from staging."},
		{"**Rollback** of _payments_ started", "Rollback of payments started"},
		{"See [the runbook](https://example.com/rb) and [[other-incident]]", "See the runbook and [[other-incident]]"},
		{"Alert <b>fired</b> & paged", "Alert <b>fired</b> & paged"},
		{"snake_case_name stays", "snake_case_name stays"},
		{"~~wrong~~ right", "wrong right"},
		// Read as a paragraph, whatever it starts with.
		{"[ops]: http://x", "[ops]: http://x"},
		{"> 5% errors *again*", "> 5% errors again"},
		{"# of 5xx *doubled*", "# of 5xx doubled"},
		{"1. paged *on-call*", "1. paged on-call"},
		{"- paged *on-call*", "- paged on-call"},
		{"    indented *x*", "indented x"},
		{"\ttab *x*", "tab x"},
	} {
		if got := InlineText(c.in); got != c.want {
			t.Errorf("InlineText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
