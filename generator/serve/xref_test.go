package serve

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestReferencesLive refers from one postmortem to another while the
// preview runs: the link and the other's "Referenced by" follow each save,
// and a reference to nothing shows in the overlay at its line.
func TestReferencesLive(t *testing.T) {
	h := start(t, map[string]string{
		"content/a.md": pm("Alpha", "dns", "First text."),
		"content/b.md": pm("Beta", "capacity", "Other."),
	})
	if _, page := h.get("incidents/b.html"); strings.Contains(page, "Referenced by") {
		t.Fatal("b is referenced by nothing yet")
	}
	write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha", "dns", "As in [[b]]."))
	h.next("reload")
	if _, page := h.get("incidents/a.html"); !strings.Contains(page, `As in <a class="xref" href="b.html">Beta</a>.`) {
		t.Error("the reference is not a link to b with its title")
	}
	_, page := h.get("incidents/b.html")
	if i := strings.Index(page, "Referenced by"); i < 0 || !strings.Contains(page[i:], `href="../incidents/a.html"`) {
		t.Error("b's page does not list a under Referenced by")
	}

	write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha", "dns", "As in [[bb]]."))
	e := h.next("errors")
	if !strings.Contains(e.data, `content/a.md:6:7: [[bb]]: no postmortem has the slug \"bb\"`) {
		t.Errorf("errors event lacks the reference to nothing at its line: %s", e.data)
	}

	write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha", "dns", "No reference now."))
	h.next("reload")
	if _, page := h.get("incidents/b.html"); strings.Contains(page, "Referenced by") {
		t.Error("b still lists a under Referenced by")
	}
}
