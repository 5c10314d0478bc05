package serve

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"
)

// liveScript matches the live-reload client injected in a page, whose
// state names the build served.
var liveScript = regexp.MustCompile(`(?s)<script id="postmortem-live">.*?</script>\n`)

// TestEarlyPages serves a site whose first build is held, once linked,
// until the test has read from it: its pages and the theme's assets are
// served, the files only a build makes are answered with the page that
// says it is building, and each page is the one the build then writes.
// A browser that opened a page meanwhile is told to reload once the
// build is served.
func TestEarlyPages(t *testing.T) {
	site := t.TempDir()
	write(t, filepath.Join(site, "content/a.md"), pm("Alpha", "dns", "First text."))
	write(t, filepath.Join(site, "content/b.md"), pm("Beta", "capacity", "Other."))
	srv := New(site, Options{Port: 0, Quiet: 30 * time.Millisecond})
	srv.earlyFrom = 2
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}
	pages := []string{"", "incidents/a.html", "root-causes/dns.html", "insights.html"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready, proceed := make(chan string, 1), make(chan struct{})
	release := sync.OnceFunc(func() { close(proceed) })
	defer release() // also when the test stops early
	done := make(chan error, 1)
	go func() {
		done <- srv.Run(ctx, func(base string) {
			ready <- base
			<-proceed // the build waits for this call to return
		})
	}()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatalf("Run: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("no early pages within 30 s")
	}
	h := &harness{t: t, site: site, srv: srv, base: base}
	events, closeEvents := h.listen()
	defer closeEvents()
	h.events = events
	h.next("hello")
	early := map[string]string{}
	for _, p := range pages {
		code, page := get(base + p)
		if code != http.StatusOK {
			t.Errorf("%s: %d before the build is done, want 200", p, code)
		}
		early[p] = page
	}
	if code, css := get(base + "assets/style.css"); code != http.StatusOK || len(css) < 100 {
		t.Errorf("assets/style.css: %d, %d bytes before the build is done", code, len(css))
	}
	if code, page := get(base + "index.json"); code != http.StatusServiceUnavailable || !regexp.MustCompile(`being built`).MatchString(page) {
		t.Errorf("index.json before the build is done: %d, want 503 and the page that says so:\n%s", code, page)
	}
	release()
	h.next("reload")
	for _, p := range pages {
		code, page := get(base + p)
		if code != http.StatusOK {
			t.Errorf("%s: %d once built", p, code)
		}
		if liveScript.ReplaceAllString(page, "") != liveScript.ReplaceAllString(early[p], "") {
			t.Errorf("%s: the page served before the build was done differs from the built one", p)
		}
	}
	if code, _ := get(base + "index.json"); code != http.StatusOK {
		t.Errorf("index.json once built: %d", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

// TestBuildingPage asks a server that has neither a build nor the pages of
// one under way for a page: it answers 503 with a page that says the site
// is being built and asks again by itself, as a browser opened at once
// sees it.
func TestBuildingPage(t *testing.T) {
	srv := New(t.TempDir(), Options{})
	srv.out = tempFolder(t)
	srv.hosts = allowedHosts("127.0.0.1", 80)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1/incidents/a.html", nil))
	page := rec.Body.String()
	if rec.Code != http.StatusServiceUnavailable || !regexp.MustCompile(`http-equiv="refresh"`).MatchString(page) || !regexp.MustCompile(`being built`).MatchString(page) {
		t.Errorf("%d\n%s", rec.Code, page)
	}
}
