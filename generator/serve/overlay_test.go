package serve

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/postmortem/postmortem/generator/browser"
)

// TestOverlaySaysWhatIsShown opens, in Chromium, a page of a site whose
// first build failed, then one whose later build failed: the overlay of
// errors must say that nothing has built yet in the first case, and that
// the last good build is shown in the second, and so must the log.
func TestOverlaySaysWhatIsShown(t *testing.T) {
	ctx := browser.Chromium(t)
	var mu sync.Mutex
	var logs []string
	logged := func() string {
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(logs, "\n")
	}
	broken := "---\ntitle: Alpha\ndate: nope\n---\nText.\n"
	h := startWith(t, map[string]string{"content/a.md": broken}, Options{Log: func(format string, args ...any) {
		mu.Lock()
		logs = append(logs, fmt.Sprintf(format, args...))
		mu.Unlock()
	}})
	heading := func() string {
		t.Helper()
		var text string
		if err := chromedp.Run(ctx,
			chromedp.Navigate(h.base+"incidents/a.html"),
			chromedp.WaitVisible(`#postmortem-errors strong`),
			chromedp.Text(`#postmortem-errors strong`, &text),
		); err != nil {
			t.Fatal(err)
		}
		return text
	}
	if got := heading(); !strings.Contains(got, "no good build to show yet") {
		t.Errorf("overlay before any good build: %q", got)
	}
	if all := logged(); !strings.Contains(all, "nothing to serve until") || strings.Contains(all, "last good build") {
		t.Errorf("the log before any good build:\n%s", all)
	}

	// Away from the page, which would reload itself at the events below
	// and abort the next navigation.
	if err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha", "dns", "Text."))
	h.next("reload")
	write(t, filepath.Join(h.site, "content/a.md"), broken)
	h.next("errors")
	if got := heading(); !strings.Contains(got, "the last good build is shown") {
		t.Errorf("overlay after a good build: %q", got)
	}
	// The line that reports the failed rebuild, the last before its errors.
	lines := strings.Split(logged(), "\n")
	last := ""
	for _, l := range lines {
		if strings.Contains(l, " after ") && strings.Contains(l, " change") {
			last = l
		}
		if strings.Contains(l, "serving the last good build until") {
			break
		}
	}
	if !strings.HasPrefix(last, "the build failed after") {
		t.Errorf("the log of a failed rebuild says %q:\n%s", last, strings.Join(lines, "\n"))
	}
}

// TestNotesOverlay opens, in Chromium, a page of a site whose postmortem
// has what postmortem check would report: the notes show in a box of their
// own, not the alarm of a failed build, which a button hides until the
// next build; a build that fails shows its errors instead.
func TestNotesOverlay(t *testing.T) {
	ctx := browser.Chromium(t)
	h := start(t, map[string]string{"content/a.md": unordered("Alpha")})
	page := h.base + "incidents/a.html"
	var heading, notes, role, bg string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(page),
		chromedp.WaitVisible(`#postmortem-notes strong`),
		chromedp.Text(`#postmortem-notes strong`, &heading),
		chromedp.Text(`#postmortem-notes pre`, &notes),
		chromedp.AttributeValue(`#postmortem-notes`, "role", &role, nil),
		chromedp.Evaluate(`getComputedStyle(document.getElementById("postmortem-notes")).backgroundColor`, &bg),
	); err != nil {
		t.Fatal(err)
	}
	if heading != "postmortem check will report:" || !strings.HasPrefix(notes, "content/a.md:9: warning: timeline: 09:00") || role != "status" || bg != "rgb(255, 248, 225)" {
		t.Errorf("the notes' box: heading %q, notes %q, role %q, background %s", heading, notes, role, bg)
	}
	shown := func() bool {
		t.Helper()
		var there bool
		if err := chromedp.Run(ctx, chromedp.Evaluate(`!!document.getElementById("postmortem-notes")`, &there)); err != nil {
			t.Fatal(err)
		}
		return there
	}
	if err := chromedp.Run(ctx, chromedp.Click(`#postmortem-notes button`)); err != nil {
		t.Fatal(err)
	}
	if shown() {
		t.Error("the notes still show once hidden")
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	if shown() {
		t.Error("the notes hidden show again when the page is opened again, with no build since")
	}

	// Away from the page, which would reload itself at the events below
	// and abort the next navigation.
	if err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(h.site, "content/a.md"), unordered("Alpha again"))
	h.nextState()
	if err := chromedp.Run(ctx, chromedp.Navigate(page), chromedp.WaitVisible(`#postmortem-notes pre`)); err != nil {
		t.Fatalf("the notes after the next build: %v", err)
	}
	if err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(h.site, "content/a.md"), "---\ntitle: Alpha\ndate: nope\n---\n")
	h.nextState()
	if err := chromedp.Run(ctx, chromedp.Navigate(page), chromedp.WaitVisible(`#postmortem-errors strong`)); err != nil {
		t.Fatalf("the errors of a failed build: %v", err)
	}
	if shown() {
		t.Error("the notes show beside the errors of a failed build")
	}
}

// TestReloadsOnlyChangedPages: an edit of one postmortem's body reloads
// the tabs of its page, not those of another postmortem, which stay as
// they are, scrolled and typed in; an edit of that one reloads it.
func TestReloadsOnlyChangedPages(t *testing.T) {
	ctx := browser.Chromium(t)
	h := start(t, map[string]string{
		"content/a.md": pm("Alpha", "dns", "First text."),
		"content/b.md": pm("Beta", "capacity", "Other."),
	})
	if err := chromedp.Run(ctx, chromedp.Navigate(h.base+"incidents/b.html"), chromedp.Evaluate(`window.kept = true`, nil)); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha", "dns", "Second text."))
	s := h.nextState()
	if !slices.Contains(s.Changed, "incidents/a.html") || slices.Contains(s.Changed, "incidents/b.html") {
		t.Fatalf("the reload of a body edit names %q", s.Changed)
	}
	var kept bool
	if err := chromedp.Run(ctx,
		chromedp.WaitReady(`#postmortem-live[data-build="`+s.Build+`"]`),
		chromedp.Evaluate(`window.kept === true`, &kept),
	); err != nil {
		t.Fatal(err)
	}
	if !kept {
		t.Error("the page of another postmortem was reloaded")
	}
	write(t, filepath.Join(h.site, "content/b.md"), pm("Beta", "capacity", "Other, edited."))
	h.nextState()
	// The page navigates while it is asked: asked again until it is done.
	deadline := time.Now().Add(10 * time.Second)
	for reloaded := false; !reloaded; time.Sleep(20 * time.Millisecond) {
		err := chromedp.Run(ctx, chromedp.Evaluate(`window.kept !== true && document.body.textContent.includes("Other, edited.")`, &reloaded))
		if time.Now().After(deadline) {
			t.Fatalf("the page edited was not reloaded in 10 s (%v)", err)
		}
	}
}
