// Package serve holds the live preview: a server that builds a site into
// memory, serves it, rebuilds on every change under the site, and tells the
// browsers to reload once the new pages are ready.
package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/postmortem/postmortem/generator/build"
)

// Options are the settings of a preview server.
type Options struct {
	Bind   string // address to listen on; 127.0.0.1 when empty
	Port   int    // 0 picks a free port
	Drafts bool   // show drafts
	// Quiet is how long the watcher waits for more events before it rebuilds.
	Quiet time.Duration
	// Log receives the build messages and errors; nil discards them.
	Log func(format string, args ...any)
}

// Server is a live preview of one site.
type Server struct {
	site string
	opts Options
	hub  *hub

	mu     sync.RWMutex
	files  map[string][]byte // the last good build
	errs   []string          // the errors of the last build, if it failed
	number int               // counts the builds served

	rebuilds atomic.Int64
	addr     atomic.Value // string, once listening
}

// New returns a server of the site rooted at site.
func New(site string, opts Options) *Server {
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	if opts.Quiet == 0 {
		opts.Quiet = 20 * time.Millisecond
	}
	if opts.Log == nil {
		opts.Log = func(string, ...any) {}
	}
	return &Server{site: site, opts: opts, hub: newHub()}
}

// Rebuilds counts the builds after the first.
func (s *Server) Rebuilds() int64 { return s.rebuilds.Load() }

// Addr returns the address the server listens on, "" before it does.
func (s *Server) Addr() string {
	a, _ := s.addr.Load().(string)
	return a
}

// Run builds the site, serves it and rebuilds on change until ctx is done.
// ready, if not nil, is called with the site's URL once the server listens.
func (s *Server) Run(ctx context.Context, ready func(url string)) error {
	b := build.New(os.DirFS(s.site), build.Options{Drafts: s.opts.Drafts})
	s.apply(b.Build(nil), true)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	w, err := newWatcher(s.site, s.opts.Quiet)
	if err != nil {
		return fmt.Errorf("watching %s: %w", s.site, err)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(s.opts.Bind, strconv.Itoa(s.opts.Port)))
	if err != nil {
		w.fsw.Close()
		return err
	}
	s.addr.Store(ln.Addr().String())
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	wg.Add(3)
	go func() { defer wg.Done(); s.hub.run(stop) }()
	go func() { defer wg.Done(); w.run(stop) }()
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case changed := <-w.out:
				s.rebuilds.Add(1)
				start := time.Now()
				res := b.Build(changed)
				s.opts.Log("rebuilt after %d change(s) in %s", len(changed), time.Since(start).Round(time.Millisecond))
				s.apply(res, false)
			case err := <-w.errs:
				s.opts.Log("watch: %v", err)
			}
		}
	}()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if ready != nil {
		ready("http://" + ln.Addr().String() + "/")
	}
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	close(stop)
	shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// apply makes a build result the served state and tells the browsers.
func (s *Server) apply(res *build.Result, first bool) {
	var msgs []string
	for _, d := range res.Diagnostics.Errors() {
		msgs = append(msgs, d.Error())
	}
	for _, d := range res.Diagnostics {
		s.opts.Log("%s", d.Error())
	}
	s.mu.Lock()
	s.errs = msgs
	if res.Files != nil {
		s.files = res.Files
		s.number++
	}
	number := s.number
	s.mu.Unlock()
	if first {
		return
	}
	switch {
	case len(msgs) > 0:
		s.hub.send(event{"errors", errorsJSON(msgs, number)})
	case len(res.Changed) > 0 && allCSS(res.Changed):
		s.hub.send(event{"css", errorsJSON(nil, number)})
	case len(res.Changed) > 0:
		s.hub.send(event{"reload", errorsJSON(nil, number)})
	default:
		s.hub.send(event{"errors", errorsJSON(nil, number)}) // clears an overlay
	}
}

func allCSS(paths []string) bool {
	for _, p := range paths {
		if path.Ext(p) != ".css" {
			return false
		}
	}
	return true
}

func errorsJSON(msgs []string, build int) string {
	if msgs == nil {
		msgs = []string{}
	}
	data, _ := json.Marshal(struct {
		Errors []string `json:"errors"`
		Build  int      `json:"build"`
	}{msgs, build})
	return string(data)
}

// eventsPath is where the browsers listen for events.
const eventsPath = "/__postmortem/events"

// ServeHTTP serves the last good build from memory.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
	s.mu.RLock()
	files, msgs, number := s.files, s.errs, s.number
	s.mu.RUnlock()
	data, found := files[name]
	if !found {
		if _, dir := files[path.Join(name, "index.html")]; dir && name != "" {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
	}
	status := http.StatusOK
	if !found {
		name, data, status = "404.html", files["404.html"], http.StatusNotFound
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	if strings.HasPrefix(ctype, "text/html") {
		data = inject(data, errorsJSON(msgs, number))
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
	s.mu.RLock()
	hello := event{"hello", errorsJSON(s.errs, s.number)}
	s.mu.RUnlock()
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
