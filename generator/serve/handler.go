package serve

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// contentTypes are the types of the files a site is made of, fixed here so
// that they do not depend on the mime tables of the machine.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".xml":   "application/xml; charset=utf-8",
	".txt":   "text/plain; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".avif":  "image/avif",
	".ico":   "image/x-icon",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".pdf":   "application/pdf",
	".wasm":  "application/wasm",
}

// contentType returns the type of a file by its extension.
func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	// Not sniffed: a file of a page bundle without an extension that holds
	// markup would run as a page of the preview, drafts beside it.
	return "application/octet-stream"
}

// crossSite reports whether r comes from a page of another origin, which
// may not read the preview (its drafts, its search index as scripts): the
// browser says so in Sec-Fetch-Site, "same-site" included, as another port
// of localhost is the same site. Following a link to the preview, a
// navigation, may come from anywhere.
//
// Over plain HTTP to an address that is not loopback (a preview bound to
// every address), browsers send no Sec-Fetch-Site: there a Referer or
// Origin of another host says so, unless the request asks for a page.
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return r.Header.Get("Sec-Fetch-Mode") != "navigate" || r.Header.Get("Sec-Fetch-Dest") != "document"
	case "":
		from := cmp.Or(r.Header.Get("Origin"), r.Header.Get("Referer"))
		if from == "" {
			return false
		}
		u, err := url.Parse(from)
		return (err != nil || !strings.EqualFold(u.Host, r.Host)) && !strings.Contains(r.Header.Get("Accept"), "text/html")
	}
	return false
}

// noBuild is the page served while no build has succeeded yet, executed
// with the errors: it lists them, so that it reads without a script too,
// and the injected client shows them over it.
var noBuild = template.Must(template.New("no-build").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head>
<body><p>The site has not built yet: fix the errors below and save.</p>
{{range .}}<pre style="white-space:pre-wrap">{{.}}</pre>
{{end}}</body></html>
`))

// noBuildPage returns the page that says that no build has succeeded yet,
// listing msgs.
func noBuildPage(msgs []string) []byte {
	var b bytes.Buffer
	_ = noBuild.Execute(&b, msgs) // of strings, into memory: it cannot fail
	return b.Bytes()
}

// building is the page served while the first build is under way, for a
// page it cannot give before it is done; it asks again every few seconds.
const building = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>Building</title></head>
<body><p>The site is being built: this page is shown once it is ready.</p></body></html>
`

// earlyFile returns the file at name of the first build under way, before
// it is done: as the build wrote it, if it did, or else as site.Early
// gives it; false when there is no such build, or the file cannot be
// given yet.
func (s *Server) earlyFile(name string) ([]byte, bool) {
	s.earlyMu.RLock()
	defer s.earlyMu.RUnlock()
	if s.early == nil {
		return nil, false
	}
	if data, ok := s.out.written(name); ok {
		return data, true // the search index and the exports too, once made
	}
	data, ok, err := s.early.File(name)
	if err != nil {
		// The build reports it too, with the file and line.
		return nil, false
	}
	return data, ok
}

// eventsPath is where the browsers listen for events.
const eventsPath = "/__postmortem/events"

// ServeHTTP serves the last good build from its folder, to requests addressed
// to the server by a name it answers (see hosts); others get 403.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hosts.allow(r.Host) {
		http.Error(w, "forbidden: the preview answers only requests addressed to "+s.Addr()+" or localhost", http.StatusForbidden)
		return
	}
	if crossSite(r) {
		http.Error(w, "forbidden: a page of another site may not read the preview", http.StatusForbidden)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.URL.Path == eventsPath {
		s.serveEvents(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := fileName(r.URL.Path)
	if !ok {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	msgs, notes, number := s.state()
	data, found, built := s.out.read(name)
	status := http.StatusOK
	if !built {
		data, found = s.earlyFile(name)
	}
	switch {
	case found:
	case !built && len(msgs) == 0:
		name, data, status = "index.html", []byte(building), http.StatusServiceUnavailable
	case !built:
		name, data, status = "index.html", noBuildPage(msgs), http.StatusServiceUnavailable
	case name != "" && s.out.isFile(path.Join(name, "index.html")):
		// To the folder by its cleaned name: the path as asked, "//incidents",
		// would be the address of another host.
		http.Redirect(w, r, "/"+name+"/", http.StatusMovedPermanently)
		return
	default:
		name, status = "404.html", http.StatusNotFound
		data, _, _ = s.out.read(name)
		if s.out.gone() {
			// Its folder was removed under it: built anew now, not at
			// the next save.
			s.kickRebuild()
		}
	}
	ctype := contentType(name)
	if strings.HasPrefix(ctype, "text/html") {
		data = inject(data, s.stateJSON(msgs, notes, number))
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

// fileName maps a URL path onto an output path: folders to their
// index.html. Paths that climb out of the site are refused.
func fileName(urlPath string) (string, bool) {
	for _, seg := range strings.Split(urlPath, "/") {
		if seg == ".." {
			return "", false
		}
	}
	name := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if name == "" || strings.HasSuffix(urlPath, "/") {
		name = path.Join(name, "index.html")
	}
	return name, true
}

// serveEvents streams server-sent events to one browser: first the current
// state, then every build's outcome.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	events, ok := s.hub.subscribe()
	if !ok {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	defer s.hub.unsubscribe(events)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	// A stream ends only when the browser leaves or is dropped: its
	// connection goes with it, rather than idling until a timeout.
	w.Header().Set("Connection", "close")
	hello := event{"hello", s.stateJSON(s.state())}
	fmt.Fprint(w, "retry: 1000\n") // reconnect soon after a restart
	writeEvent(w, hello)
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case e, ok := <-events:
			if !ok {
				return
			}
			writeEvent(w, e)
			flusher.Flush()
		}
	}
}

func writeEvent(w http.ResponseWriter, e event) {
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, e.data)
}
