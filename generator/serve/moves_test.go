package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestFolderMovedInAndOut(t *testing.T) {
	h := start(t, map[string]string{"content/a.md": pm("Alpha", "dns", "x")})
	// A folder written elsewhere, then moved into the site: its files were
	// there before the watch was.
	outside := t.TempDir()
	write(t, filepath.Join(outside, "batch/deep/b.md"), pm("Beta", "expired-certificate", "y"))
	write(t, filepath.Join(outside, "batch/c.md"), pm("Gamma", "dns", "z"))
	if err := os.Rename(filepath.Join(outside, "batch"), filepath.Join(h.site, "content/batch")); err != nil {
		t.Skipf("cannot move into the site: %v", err)
	}
	h.next("reload")
	for _, p := range []string{"incidents/b.html", "incidents/c.html", "root-causes/expired-certificate.html"} {
		if code, _ := h.get(p); code != 200 {
			t.Errorf("%s after the folder moved in: %d", p, code)
		}
	}
	// A file added to it later: the moved folder is watched.
	write(t, filepath.Join(h.site, "content/batch/deep/d.md"), pm("Delta", "dns", "w"))
	h.next("reload")
	if code, _ := h.get("incidents/d.html"); code != 200 {
		t.Errorf("page of a file added to the moved folder: %d", code)
	}
	// Renamed within the site: nothing is lost.
	if err := os.Rename(filepath.Join(h.site, "content/batch"), filepath.Join(h.site, "content/2024")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(h.site, "content/2024/deep/e.md"), pm("Epsilon", "dns", "v"))
	h.next("reload")
	for _, p := range []string{"incidents/b.html", "incidents/e.html"} {
		if code, _ := h.get(p); code != 200 {
			t.Errorf("%s after the folder was renamed: %d", p, code)
		}
	}
	// Moved out of the site: its pages and its root cause go.
	if err := os.Rename(filepath.Join(h.site, "content/2024"), filepath.Join(outside, "gone")); err != nil {
		t.Fatal(err)
	}
	h.next("reload")
	for _, p := range []string{"incidents/b.html", "incidents/e.html", "root-causes/expired-certificate.html"} {
		if code, _ := h.get(p); code != 404 {
			t.Errorf("%s after the folder moved out: %d", p, code)
		}
	}
	if code, _ := h.get("incidents/a.html"); code != 200 {
		t.Errorf("the postmortem that stayed: %d", code)
	}
}

// TestFirstBuildFails serves a site whose first build fails: every page
// is the one that says it has not built yet, with the error; the log says
// that the build failed, not that it built no postmortem; and fixing the
// error serves the site.
func TestFirstBuildFails(t *testing.T) {
	var mu sync.Mutex
	var logs []string
	h := startWith(t, map[string]string{"content/a.md": "---\ntitle: Alpha\ndate: nope\n---\nText.\n"}, Options{Log: func(format string, args ...any) {
		mu.Lock()
		logs = append(logs, fmt.Sprintf(format, args...))
		mu.Unlock()
	}})
	for _, p := range []string{"", "incidents/a.html"} {
		code, page := h.get(p)
		if code != 503 || !strings.Contains(page, "content/a.md:3:7: date") {
			t.Errorf("/%s before any good build: %d\n%s", p, code, page)
		}
	}
	mu.Lock()
	all := strings.Join(logs, "\n")
	mu.Unlock()
	if strings.Contains(all, "built 0") || !strings.Contains(all, "the first build failed") {
		t.Errorf("the log of a first build that failed:\n%s", all)
	}
	write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha", "dns", "Text."))
	h.next("reload")
	if code, page := h.get("incidents/a.html"); code != 200 || strings.Contains(page, "date: cannot") {
		t.Errorf("fixed page: %d\n%s", code, page)
	}
}

// TestFirstBuildFailsWithoutScript: the page served before any good build
// lists the errors in its own HTML, escaped, so that it reads with
// JavaScript off, without the live-reload client's overlay.
func TestFirstBuildFailsWithoutScript(t *testing.T) {
	h := start(t, map[string]string{"content/a.md": "---\ntitle: Alpha\ndate: <b>nope</b>\n---\nText.\n"})
	code, page := h.get("incidents/a.html")
	page = liveScript.ReplaceAllString(page, "")
	if code != 503 || !strings.Contains(page, "content/a.md:3:7: date: cannot read &#34;&lt;b&gt;nope&lt;/b&gt;&#34;") || strings.Contains(page, "<b>") {
		t.Errorf("the page before any good build, without its script: %d\n%s", code, page)
	}
}
