package serve

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestAllowedHosts(t *testing.T) {
	machine, err := os.Hostname()
	if err != nil || machine == "" {
		t.Fatalf("no host name: %v", err)
	}
	for _, tc := range []struct {
		bind string
		host string
		ok   bool
	}{
		{"127.0.0.1", "127.0.0.1:1313", true},
		{"127.0.0.1", "localhost:1313", true},
		{"127.0.0.1", "LocalHost:1313", true},
		{"127.0.0.1", "[::1]:1313", true},
		{"127.0.0.1", "localhost:1314", false}, // another port
		{"127.0.0.1", "localhost", false},      // port 80
		{"127.0.0.1", "rebind.example:1313", false},
		{"127.0.0.1", "rebind.example", false},
		{"127.0.0.1", "127.0.0.1.nip.io:1313", false},
		{"127.0.0.1", "192.168.1.5:1313", false},
		{"127.0.0.1", machine + ":1313", false},
		{"127.0.0.1", "", false},
		{"127.0.0.1", ":1313", false},
		{"127.0.0.2", "127.0.0.2:1313", true},
		{"::1", "[::1]:1313", true},
		{"[::1]", "[::1]:1313", true},
		{"localhost", "localhost:1313", true},
		{"localhost", "rebind.example:1313", false},
		// Shared on purpose: any IP address, the machine's names, any port.
		{"0.0.0.0", "192.168.1.5:1313", true},
		{"0.0.0.0", "[fe80::1]:8080", true},
		{"0.0.0.0", "localhost:8080", true},
		{"0.0.0.0", machine + ":1313", true},
		{"0.0.0.0", strings.ToUpper(machine) + ":1313", true},
		{"0.0.0.0", "rebind.example:1313", false},
		{"::", "10.0.0.1:1313", true},
		{"::", "rebind.example:1313", false},
		{"192.168.1.5", "192.168.1.5:1313", true},
		{"192.168.1.5", "rebind.example:1313", false},
	} {
		if got := allowedHosts(tc.bind, 1313).allow(tc.host); got != tc.ok {
			t.Errorf("bound to %s, Host %q: answered %v, want %v", tc.bind, tc.host, got, tc.ok)
		}
	}
}

func TestRebindingGets403(t *testing.T) {
	h := start(t, map[string]string{"content/a.md": pm("Alpha", "dns", "x")})
	port := h.srv.Addr()[strings.LastIndex(h.srv.Addr(), ":"):]
	for _, tc := range []struct {
		host, path string
		code       int
	}{
		{"rebind.example" + port, "", 403},
		{"rebind.example" + port, "incidents/a.html", 403},
		{"rebind.example" + port, "index.json", 403},
		{"rebind.example" + port, strings.TrimPrefix(eventsPath, "/"), 403},
		{"localhost" + port, "incidents/a.html", 200},
		{"127.0.0.1" + port, "index.json", 200},
	} {
		req, err := http.NewRequest("GET", h.base+tc.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = tc.host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code {
			t.Errorf("Host %s, /%s: %d, want %d", tc.host, tc.path, resp.StatusCode, tc.code)
		}
	}
}

// TestOtherSitesGet403: a page of another origin, another port of
// localhost included, may not load the preview's files (its search index
// is scripts, which a page may load across origins); following a link to
// it, or the preview's own pages, may. A file without an extension is
// not taken for a page.
func TestOtherSitesGet403(t *testing.T) {
	h := start(t, map[string]string{
		"content/a.md":       pm("Alpha", "dns", "x"),
		"content/b/index.md": pm("Beta", "dns", "x"),
		"content/b/notes":    "<html><body><p>Notes.</p></body></html>",
	})
	for _, tc := range []struct {
		site, mode, dest, path string
		code                   int
	}{
		{"cross-site", "no-cors", "script", "search/meta.js", 403},
		{"same-site", "no-cors", "script", "search/meta.js", 403},
		{"same-site", "cors", "empty", "index.json", 403},
		{"cross-site", "navigate", "iframe", "incidents/a.html", 403},
		{"cross-site", "navigate", "document", "incidents/a.html", 200},
		{"same-origin", "no-cors", "script", "search/meta.js", 200},
		{"none", "navigate", "document", "", 200},
		{"", "", "", "search/meta.js", 200}, // a browser that does not say
	} {
		req, err := http.NewRequest("GET", h.base+tc.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range map[string]string{"Sec-Fetch-Site": tc.site, "Sec-Fetch-Mode": tc.mode, "Sec-Fetch-Dest": tc.dest} {
			if v != "" {
				req.Header.Set(k, v)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code {
			t.Errorf("%s %s %s, /%s: %d, want %d", tc.site, tc.mode, tc.dest, tc.path, resp.StatusCode, tc.code)
		}
	}
	// Over plain HTTP to an address that is not loopback, browsers send no
	// Sec-Fetch-Site: a Referer or Origin of another host says it, unless
	// a page is asked for.
	for _, tc := range []struct {
		header, value, accept string
		code                  int
	}{
		{"Referer", "http://192.0.2.9:8000/evil.html", "*/*", 403},
		{"Origin", "http://evil.example", "*/*", 403},
		{"Referer", "http://192.0.2.9:8000/chat.html", "text/html,application/xhtml+xml", 200},
		{"Referer", h.base + "search/index.html", "*/*", 200},
	} {
		req, err := http.NewRequest("GET", h.base+"search/meta.js", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set(tc.header, tc.value)
		req.Header.Set("Accept", tc.accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code {
			t.Errorf("%s %s, Accept %s: %d, want %d", tc.header, tc.value, tc.accept, resp.StatusCode, tc.code)
		}
	}
	resp, err := http.Get(h.base + "incidents/b/notes")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "application/octet-stream" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("a bundle file without an extension: %d, %s, nosniff %q", resp.StatusCode, ct, resp.Header.Get("X-Content-Type-Options"))
	}
}

// TestBindEverywhere: bound to every address, the preview gives an address
// a browser opens, and says that others on the network can read it.
func TestBindEverywhere(t *testing.T) {
	var mu sync.Mutex
	var logs []string
	h := startWith(t, map[string]string{"content/a.md": pm("Alpha", "dns", "Text.")}, Options{Bind: "0.0.0.0", Log: func(format string, args ...any) {
		mu.Lock()
		logs = append(logs, fmt.Sprintf(format, args...))
		mu.Unlock()
	}})
	if !strings.HasPrefix(h.base, "http://127.0.0.1:") {
		t.Errorf("address %q, want one on 127.0.0.1", h.base)
	}
	if code, _ := h.get("incidents/a.html"); code != http.StatusOK {
		t.Errorf("a page from that address: %d", code)
	}
	mu.Lock()
	defer mu.Unlock()
	if all := strings.Join(logs, "\n"); !strings.Contains(all, "listening on every address of this machine (--bind 0.0.0.0): others on its networks can read the site, drafts included") {
		t.Errorf("the log does not say who can read the site:\n%s", all)
	}
}
