package serve

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func pm(title, cause, body string) string {
	return fmt.Sprintf("---\ntitle: %s\ndate: 2024-01-02\nroot_causes: [%s]\n---\n%s\n", title, cause, body)
}

type harness struct {
	t      *testing.T
	site   string
	srv    *Server
	base   string
	events <-chan event
	stop   func()
}

func start(t *testing.T, files map[string]string) *harness {
	t.Helper()
	return startWith(t, files, Options{})
}

// startWith runs a server of a new site made of files, with opts, and
// listens to its events until the test ends.
func startWith(t *testing.T, files map[string]string, opts Options) *harness {
	t.Helper()
	return startSet(t, files, opts, nil)
}

// startSet is startWith, with set, if not nil, called on the server before
// it runs.
func startSet(t *testing.T, files map[string]string, opts Options, set func(*Server)) *harness {
	t.Helper()
	site := t.TempDir()
	for name, data := range files {
		write(t, filepath.Join(site, name), data)
	}
	opts.Port, opts.Drafts = 0, true
	if opts.Quiet == 0 {
		opts.Quiet = 30 * time.Millisecond
	}
	srv := New(site, opts)
	if set != nil {
		set(srv)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, func(u string) { ready <- u }) }()
	h := &harness{t: t, site: site, srv: srv}
	select {
	case h.base = <-ready:
	case err := <-done:
		t.Fatalf("server did not start: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start in 30 s")
	}
	events, closeEvents := h.listen()
	h.events = events
	h.next("hello")
	var once sync.Once
	h.stop = func() {
		once.Do(func() {
			cancel()
			closeEvents()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(h.stop)
	return h
}

// listen opens an event stream of the server: the channel gets its
// events, and is closed when the server ends the stream.
func (h *harness) listen() (<-chan event, func()) {
	h.t.Helper()
	resp, err := http.Get(h.base + strings.TrimPrefix(eventsPath, "/"))
	if err != nil {
		h.t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		h.t.Fatalf("events: %s", resp.Status)
	}
	events := make(chan event, 100)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(resp.Body)
		var e event
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				e.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				e.data = strings.TrimPrefix(line, "data: ")
			case line == "":
				events <- e
				e = event{}
			}
		}
	}()
	return events, func() { resp.Body.Close() }
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// next waits for the next event named name, skipping others.
func (h *harness) next(name string) event {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case e, ok := <-h.events:
			if !ok {
				h.t.Fatalf("the event stream ended before a %q event", name)
			}
			if e.name == name {
				return e
			}
		case <-deadline:
			h.t.Fatalf("no %q event within 10 s", name)
		}
	}
}

func (h *harness) get(path string) (int, string) {
	h.t.Helper()
	resp, err := http.Get(h.base + path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func TestLiveReload(t *testing.T) {
	h := start(t, map[string]string{
		"content/a.md": pm("Alpha", "dns", "First text."),
		"content/b.md": pm("Beta", "capacity", "Other."),
	})
	code, page := h.get("incidents/a.html")
	if code != 200 || !strings.Contains(page, "First text.") || !strings.Contains(page, `id="postmortem-live"`) {
		t.Fatalf("first page: %d\n%s", code, page)
	}

	// A body edit: the new text is served once the reload event arrives.
	write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha", "dns", "Second text."))
	h.next("reload")
	if _, page := h.get("incidents/a.html"); !strings.Contains(page, "Second text.") {
		t.Error("edited text not served after the reload event")
	}

	// A broken front matter: the error is sent and shown, the last good page stays.
	write(t, filepath.Join(h.site, "content/a.md"), "---\ntitle: Alpha\ndate: nope\nroot_causes: [dns]\n---\nThird text.\n")
	e := h.next("errors")
	if !strings.Contains(e.data, `content/a.md:3:7: date: cannot read \"nope\"`) {
		t.Errorf("errors event lacks file:line:col: %s", e.data)
	}
	_, page = h.get("incidents/b.html")
	if !strings.Contains(page, `content/a.md:3:7: date`) {
		t.Error("a page opened while the error stands does not carry it")
	}
	if _, page := h.get("incidents/a.html"); !strings.Contains(page, "Second text.") {
		t.Error("the last good build is not served while the error stands")
	}

	// Fixing it, by an atomic save, reloads and clears the error.
	tmp := filepath.Join(h.site, "content/.a.md.tmp")
	write(t, tmp, pm("Alpha", "dns", "Fixed text."))
	if err := os.Rename(tmp, filepath.Join(h.site, "content/a.md")); err != nil {
		t.Fatal(err)
	}
	h.next("reload")
	_, page = h.get("incidents/a.html")
	if !strings.Contains(page, "Fixed text.") || strings.Contains(page, "cannot read") {
		t.Error("fixed page not served, or the error still shows")
	}
}

func TestFoldersAndDeletes(t *testing.T) {
	h := start(t, map[string]string{
		"content/a.md": pm("Alpha", "dns", "x"),
		"content/b.md": pm("Beta", "disk-full", "y"),
	})
	// A new folder with a postmortem already in it.
	dir := filepath.Join(h.site, "content/2024/new")
	write(t, filepath.Join(dir, "c.md"), pm("Gamma", "dns", "z"))
	h.next("reload")
	if code, _ := h.get("incidents/c.html"); code != 200 {
		t.Errorf("page of a postmortem in a new folder: %d", code)
	}
	// A later file in that folder is seen too: the folder is watched.
	write(t, filepath.Join(dir, "d.md"), pm("Delta", "dns", "w"))
	h.next("reload")
	if code, _ := h.get("incidents/d.html"); code != 200 {
		t.Errorf("page of a postmortem added to the new folder: %d", code)
	}
	// Deleting one removes its page and its root cause page, and updates the export.
	if err := os.Remove(filepath.Join(h.site, "content/b.md")); err != nil {
		t.Fatal(err)
	}
	h.next("reload")
	if code, page := h.get("incidents/b.html"); code != 404 || !strings.Contains(page, "Page not found") {
		t.Errorf("deleted page: %d", code)
	}
	if code, _ := h.get("root-causes/disk-full.html"); code != 404 {
		t.Errorf("root cause page of a deleted postmortem: %d", code)
	}
	if _, idx := h.get("index.json"); strings.Contains(idx, `"b"`) || !strings.Contains(idx, `"d"`) {
		t.Errorf("index.json not updated:\n%s", idx)
	}
	// Removing the whole folder.
	if err := os.RemoveAll(filepath.Join(h.site, "content/2024")); err != nil {
		t.Fatal(err)
	}
	h.next("reload")
	if code, _ := h.get("incidents/c.html"); code != 404 {
		t.Errorf("page of a removed folder: %d", code)
	}
}

func TestBurstIsOneRebuild(t *testing.T) {
	files := map[string]string{}
	for i := range 5 {
		files[fmt.Sprintf("content/p%d.md", i)] = pm(fmt.Sprintf("P%d", i), "dns", "x")
	}
	// Quiet long enough that the pauses of a busy machine between two
	// writes do not end the burst.
	h := startWith(t, files, Options{Quiet: 200 * time.Millisecond})
	began := time.Now()
	for i := range 500 {
		write(t, filepath.Join(h.site, fmt.Sprintf("content/burst/q%03d.md", i)), pm(fmt.Sprintf("Q%d", i), "capacity", "y"))
	}
	took := time.Since(began)
	h.next("reload")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if code, _ := h.get("incidents/q499.html"); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the last file of the burst never showed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A stream of events that never pauses is cut into batches of maxWait;
	// when writing is fast, as it is without the race detector, that is
	// one or two rebuilds.
	if n, most := h.srv.Rebuilds(), 3+int64(took/maxWait); n > most {
		t.Errorf("a burst of 500 files written in %s made %d rebuilds, want %d at most", took.Round(time.Millisecond), n, most)
	}
}

func TestCSSChangeSwapsStyles(t *testing.T) {
	h := start(t, map[string]string{"content/a.md": pm("Alpha", "dns", "x")})
	write(t, filepath.Join(h.site, "assets/style.css"), "body { color: red }\n")
	h.next("css")
	if _, css := h.get("assets/style.css"); css != "body { color: red }\n" {
		t.Errorf("new stylesheet not served: %q", css)
	}
}

func TestServing(t *testing.T) {
	h := start(t, map[string]string{"content/a.md": pm("Alpha", "dns", "x"), "static/robots.txt": "User-agent: *\n"})
	for _, tc := range []struct {
		path, ctype string
		code        int
	}{
		{"", "text/html; charset=utf-8", 200},
		{"incidents/", "text/html; charset=utf-8", 200},
		{"assets/style.css", "text/css; charset=utf-8", 200},
		{"index.json", "application/json", 200},
		{"feed.xml", "application/xml; charset=utf-8", 200},
		{"robots.txt", "text/plain; charset=utf-8", 200},
		{"nope.html", "text/html; charset=utf-8", 404},
	} {
		resp, err := http.Get(h.base + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code || resp.Header.Get("Content-Type") != tc.ctype {
			t.Errorf("/%s: %d %q, want %d %q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), tc.code, tc.ctype)
		}
	}
	// A path that climbs out of the site is refused, whatever the client does to it.
	conn, err := http.NewRequest("GET", h.base+"x", nil)
	if err != nil {
		t.Fatal(err)
	}
	conn.URL.Path = "/../../etc/passwd"
	conn.URL.RawPath = "/../../etc/passwd"
	resp, err := http.DefaultTransport.RoundTrip(conn)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("/../../etc/passwd: %d, want 400", resp.StatusCode)
	}
	// A folder asked for without its slash is redirected to it on this
	// host, however many slashes the path starts with.
	for _, asked := range []string{"/incidents", "//incidents", "///incidents"} {
		req, err := http.NewRequest("GET", h.base+"x", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Path, req.URL.RawPath = asked, asked
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if to := resp.Header.Get("Location"); resp.StatusCode != http.StatusMovedPermanently || to != "/incidents/" {
			t.Errorf("%s: %d to %q, want 301 to /incidents/", asked, resp.StatusCode, to)
		}
	}
	if !strings.HasPrefix(h.srv.Addr(), "127.0.0.1:") {
		t.Errorf("listens on %s, want 127.0.0.1", h.srv.Addr())
	}
}

// openFiles counts the file descriptors of the process, -1 where /proc is missing.
func openFiles() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	fdsBefore := openFiles()
	h := start(t, map[string]string{"content/a.md": pm("Alpha", "dns", "x")})
	for i := range 100 {
		write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha", "dns", fmt.Sprint("edit ", i)))
		h.next("reload")
	}
	h.stop()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+2 {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
	http.DefaultClient.CloseIdleConnections()
	// The last goroutines, within the two let through above, may still
	// be closing their files: wait for them as for the goroutines.
	for fds := openFiles(); fdsBefore >= 0 && fds > fdsBefore+2; fds = openFiles() {
		if time.Now().After(deadline) {
			t.Fatalf("%d open files before 100 rebuilds, %d after", fdsBefore, fds)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWarningsLoggedOnce: a warning is logged at the build that first
// finds it; the rebuilds that find it again count it on one line, until a
// build without it, after which it is logged again.
func TestWarningsLoggedOnce(t *testing.T) {
	var mu sync.Mutex
	var logs []string
	take := func() string {
		mu.Lock()
		defer mu.Unlock()
		all := strings.Join(logs, "\n")
		logs = nil
		return all
	}
	warned := "---\nTitle: Alpha\ndate: 2024-01-02\nroot_causes: [dns]\n---\nText.\n"
	h := startWith(t, map[string]string{"content/a.md": warned, "content/b.md": pm("Beta", "dns", "One.")}, Options{Log: func(format string, args ...any) {
		mu.Lock()
		logs = append(logs, fmt.Sprintf(format, args...))
		mu.Unlock()
	}})
	const warning = "content/a.md:2:1: warning: Title: read as title"
	if got := take(); strings.Count(got, warning) != 1 {
		t.Errorf("the first build's log:\n%s\nwant the warning once", got)
	}
	for _, body := range []string{"Two.", "Three."} {
		write(t, filepath.Join(h.site, "content/b.md"), pm("Beta", "dns", body))
		h.next("reload")
		if got := take(); strings.Contains(got, warning) || !strings.Contains(got, "and 1 warning logged before") {
			t.Errorf("a rebuild's log:\n%s\nwant the warning counted, not logged", got)
		}
	}
	// A build that fails before it finds a warning (of a static file: the
	// build copies them last) does not make the next good one log it
	// again.
	outside := filepath.Join(t.TempDir(), "secret.txt")
	write(t, outside, "not the site's")
	if err := os.MkdirAll(filepath.Join(h.site, "static"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(h.site, "static/leak.txt")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(h.site, "content/b.md"), pm("Beta", "dns", "Three and a half."))
	h.next("reload")
	if got := take(); !strings.Contains(got, "static/leak.txt") {
		t.Fatalf("no warning of the link out of the site:\n%s", got)
	}
	write(t, filepath.Join(h.site, "content/b.md"), "---\ntitle: Beta\ndate: 2024-13-45\n---\n")
	h.next("errors")
	write(t, filepath.Join(h.site, "content/b.md"), pm("Beta", "dns", "Four."))
	h.next("reload")
	if got := take(); strings.Contains(got, warning) || strings.Contains(got, "static/leak.txt") {
		t.Errorf("the log of a good build after a failed one:\n%s\nwant the warnings counted, not logged", got)
	}
	write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha", "dns", "Text, mended."))
	h.next("reload")
	write(t, filepath.Join(h.site, "content/a.md"), warned)
	h.next("reload")
	if got := take(); strings.Count(got, warning) != 1 {
		t.Errorf("the log once the warning is gone and back:\n%s\nwant it once", got)
	}
}

// TestFolderRemovedWhileServing: the preview's folder removed under it (by
// hand, or by a cleaner of the temporary folder) is made again, and the
// site built anew into it at the next save or request, not left serving
// 404s.
func TestFolderRemovedWhileServing(t *testing.T) {
	h := start(t, map[string]string{
		"content/a.md": pm("Alpha", "dns", "x"),
		"content/b.md": pm("Beta", "dns", "y"),
	})
	if err := os.RemoveAll(h.srv.out.dir); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha again", "dns", "x"))
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, page := h.get("incidents/a.html")
		if code == 200 && strings.Contains(page, "Alpha again") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the folder was removed and a save: %d\n%.300s", code, page)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code, _ := h.get("incidents/b.html"); code != 200 {
		t.Errorf("a page the save did not change: %d", code)
	}
	// Removed again, with no save after: a request that finds it gone
	// has it built anew.
	if err := os.RemoveAll(h.srv.out.dir); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(10 * time.Second)
	for {
		if code, _ := h.get("incidents/b.html"); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the folder removed with no save after: still not served after 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestHalfSavedFileWaitedFor: a postmortem emptied by an editor that then
// writes it anew (a save with >) is not built in between: no error of an
// empty file reaches the browser, and the page shows the new text.
func TestHalfSavedFileWaitedFor(t *testing.T) {
	h := start(t, map[string]string{"content/a.md": pm("Alpha", "dns", "x")})
	p := filepath.Join(h.site, "content/a.md")
	write(t, p, "")
	time.Sleep(150 * time.Millisecond) // longer than the quiet of the test's watcher
	write(t, p, pm("Alpha saved", "dns", "x"))
	deadline := time.After(10 * time.Second)
	for reloaded := false; !reloaded; {
		select {
		case e := <-h.events:
			if e.name == "errors" {
				t.Fatalf("an error while the file was half saved: %+v", e)
			}
			reloaded = e.name == "reload"
		case <-deadline:
			t.Fatal("no reload within 10 s")
		}
	}
	if _, page := h.get("incidents/a.html"); !strings.Contains(page, "Alpha saved") {
		t.Errorf("the page after the save:\n%.300s", page)
	}
}
