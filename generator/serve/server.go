// Package serve holds the live preview: a server that builds a site into a
// temporary folder, serves it, rebuilds on every change under the site, and
// tells the browsers to reload once the new pages are ready.
package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/site"
	"github.com/postmortem/postmortem/generator/sitefs"
)

// Options are the settings of a preview server.
type Options struct {
	Bind   string // address to listen on; 127.0.0.1 when empty
	Port   int    // 0 picks a free port
	Drafts bool   // show drafts
	// Now is the day open action items are overdue against.
	Now time.Time
	// Quiet is how long the watcher waits for more events before it rebuilds.
	Quiet time.Duration
	// MaxClients caps the browsers kept informed of builds: past it, the
	// one connected first is dropped. 100 when 0.
	MaxClients int
	// Log receives the build messages and errors; nil discards them.
	Log func(format string, args ...any)
}

// Server is a live preview of one site.
type Server struct {
	site  string
	opts  Options
	hub   *hub
	hosts hosts // set before the server serves

	out *folder // the last good build, and the files of the one under way
	// unwritten is set when a build could not be written to out: the
	// next starts over with a new builder.
	unwritten atomic.Bool
	// lost is set when the preview's folder was removed while a build ran
	// (see folder.renewIfLost): rebuild builds anew at once.
	lost atomic.Bool
	// kick asks rebuild for a build of everything, as when a request finds
	// the folder gone (see kickRebuild).
	kick chan struct{}

	mu    sync.RWMutex
	errs  []string // the errors of the last build, if it failed
	notes notes    // what the review rules found, kept between builds
	// noteList is every note of notes, as the browsers are shown them.
	noteList diag.List
	number   int // counts the builds served
	// instance tells this process's builds from an earlier one's.
	instance string

	// early gives the pages of the first build while it is under way, of a
	// site of at least earlyFrom postmortems (see site.Early); nil before
	// the site is linked and once the build is served. earlyMu is held for
	// reading while a request renders a page of it, so that no later build
	// starts before that page is done.
	earlyMu   sync.RWMutex
	early     *site.Early
	earlyFrom int
	// reviewAll is the most postmortems reviewed all after a build of
	// everything: reviewAllUpTo, but in tests.
	reviewAll int

	rebuilds atomic.Int64
	addr     atomic.Value // string, once listening

	// warned holds the warnings the last build logged, which the next
	// does not log again, and noted the notes (see notes); apply, one
	// build at a time, owns them.
	warned, noted map[string]bool
	// toldTooMany is set once the log said that the site is too large
	// for the preview to review every postmortem (see reviewAllUpTo).
	toldTooMany bool
}

// earlyFrom is the size of a site whose pages the preview serves before
// its first build is done: the first build of 10,000 postmortems takes a
// few seconds, that of 100,000 about a minute, most of it rendering and
// writing pages that no one has asked for yet.
const earlyFrom = 10000

// New returns a server of the site rooted at site.
func New(site string, opts Options) *Server {
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	if opts.Quiet == 0 {
		opts.Quiet = 50 * time.Millisecond
	}
	if opts.MaxClients <= 0 {
		opts.MaxClients = 100
	}
	if opts.Log == nil {
		opts.Log = func(string, ...any) {}
	}
	instance := strconv.FormatInt(time.Now().UnixNano(), 36)
	return &Server{site: site, opts: opts, hub: newHub(opts.MaxClients), instance: instance, earlyFrom: earlyFrom, reviewAll: reviewAllUpTo, kick: make(chan struct{}, 1)}
}

// Rebuilds counts the builds after the first.
func (s *Server) Rebuilds() int64 { return s.rebuilds.Load() }

// Addr returns the address the server listens on, "" before it does.
func (s *Server) Addr() string {
	a, _ := s.addr.Load().(string)
	return a
}

// ListenError reports that the server could not listen on its address,
// as when the port is taken.
type ListenError struct {
	Addr string
	Err  error
}

// Error says which address could not be listened on, and why.
func (e *ListenError) Error() string { return fmt.Sprintf("cannot listen on %s: %v", e.Addr, e.Err) }

// Unwrap returns the error of the system.
func (e *ListenError) Unwrap() error { return e.Err }

// Run builds the site, serves it and rebuilds on change until ctx is done.
// ready, if not nil, is called once with the site's URL, once the first
// build is served or, for a site of earlyFrom postmortems or more, as
// soon as its pages can be rendered when asked for (see site.Early). It
// listens and serves before it builds, so that a port in use is reported
// at once, as a *ListenError; until there is something to serve, it
// answers that the site is being built. Once ctx is done, Run returns at
// once, also in the middle of a build: that build's result is dropped.
func (s *Server) Run(ctx context.Context, ready func(url string)) error {
	// Watch first, so that a save during the first build is not missed.
	w, err := newWatcher(s.site, s.opts.Quiet)
	if err != nil {
		return fmt.Errorf("watching %s: %w", s.site, err)
	}
	addr := net.JoinHostPort(s.opts.Bind, strconv.Itoa(s.opts.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		w.fsw.Close()
		return &ListenError{Addr: addr, Err: err}
	}
	s.addr.Store(ln.Addr().String())
	s.hosts = allowedHosts(s.opts.Bind, ln.Addr().(*net.TCPAddr).Port)

	out, err := newFolder()
	if err != nil {
		ln.Close()
		w.fsw.Close()
		return fmt.Errorf("making the preview's folder: %w", err)
	}
	s.out = out
	defer out.close()

	// The event streams never go idle; other connections that do are closed
	// after a while, so that they do not pile up.
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); s.hub.run(runCtx.Done()) }()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String() + "/"
	if addr := ln.Addr().(*net.TCPAddr); addr.IP.IsUnspecified() {
		// [::]:8080 is no address a browser opens: this machine's is.
		url = "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(addr.Port)) + "/"
		what := "the site"
		if s.opts.Drafts {
			what = "the site, drafts included (--drafts=false leaves them out)"
		}
		s.opts.Log("listening on every address of this machine (--bind %s): others on its networks can read %s", s.opts.Bind, what)
	}
	// A first build that ctx stopped may still be linking: readyMu keeps
	// it from calling ready once Run has returned.
	var readyMu sync.Mutex
	returned := false
	defer func() {
		readyMu.Lock()
		returned = true
		readyMu.Unlock()
	}()
	readyOnce := sync.OnceFunc(func() {
		readyMu.Lock()
		defer readyMu.Unlock()
		if ready != nil && !returned {
			ready(url)
		}
	})

	b := s.builder(func(e *site.Early) {
		if e.Postmortems() < s.earlyFrom || s.out.hasBuild() || runCtx.Err() != nil {
			return
		}
		// Made now, on cores the build waits with, rather than at the
		// first request, beside the search index: at 100,000
		// postmortems the home page was served 10 s after the URL.
		if err := e.Prepare(); err != nil {
			return // the build reports it
		}
		s.earlyMu.Lock()
		s.early = e
		s.earlyMu.Unlock()
		s.opts.Log("linked %d postmortems: serving each page when it is asked for until the build is done", e.Postmortems())
		readyOnce()
	})
	s.opts.Log("building %s", s.site)
	start := time.Now()
	res, rev, ok := s.build(ctx, b, nil)
	if ok {
		if took := elapsed(time.Since(start)); res.Site != nil {
			s.opts.Log("built %s in %s", diag.Count(res.Postmortems, "postmortem"), took)
		} else {
			s.opts.Log("the first build failed, after %s", took)
		}
		s.apply(res, rev)
		wg.Add(2)
		go func() { defer wg.Done(); w.run(runCtx.Done()) }()
		go func() { defer wg.Done(); s.rebuild(runCtx, b, w) }()
		readyOnce()
		select {
		case <-ctx.Done():
		case err = <-served:
		}
	} else {
		w.fsw.Close()
	}
	// Stopping the hub ends the event streams, so Shutdown need not wait
	// for them.
	stop()
	shutdown, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// builder returns a new builder of the site, which gives early what
// renders the pages of a build of everything before it is done.
func (s *Server) builder(early func(*site.Early)) *site.Builder {
	root, _ := sitefs.Root(s.site) // "" when it cannot be resolved: absolute links are then outside the site
	return site.New(os.DirFS(s.site), site.Options{Drafts: s.opts.Drafts, Root: root, Preview: true, Now: s.opts.Now, Early: early})
}

// build builds the changed paths, or everything when changed is nil, into
// the preview's folder, reviews the postmortems it changed when it
// succeeded (see review; nil otherwise), and reports false when ctx was
// done first. It does
// not wait for a build that ctx ends, however often the build looks at
// ctx: that build stops alone, soon, its result dropped, and b must not be
// used again.
func (s *Server) build(ctx context.Context, b *site.Builder, changed []string) (*site.Result, *reviewed, bool) {
	type outcome struct {
		res *site.Result
		rev *reviewed
	}
	done := make(chan outcome, 1)
	go func() {
		var rev *reviewed
		res := b.BuildTo(ctx, changed, s.out)
		if s.out.renewIfLost() {
			// Its folder was removed under it: built anew at once.
			s.unwritten.Store(true)
			s.lost.Store(true)
			res = &site.Result{}
			res.Diagnostics.Add(s.out.dir, 0, 0, "the preview's folder was removed while it ran: it is made again and built anew")
		} else if res.Site == nil {
			s.out.abort()
		} else if err := s.out.commit(res.Changed); err != nil {
			// What is on disk is no build: the next starts over.
			s.out.reset()
			s.unwritten.Store(true)
			res = &site.Result{}
			res.Diagnostics.Add(s.out.dir, 0, 0, "the preview cannot be written (%v): it is built anew at the next change", err)
		} else if ctx.Err() == nil {
			rev = s.review(b, res.Site, changed)
		}
		// What is served now comes from the folder, or is the errors.
		s.earlyMu.Lock() // once the pages being rendered early are
		s.early = nil
		s.earlyMu.Unlock()
		s.settle(res, rev)
		done <- outcome{res, rev}
	}()
	select {
	case o := <-done:
		// A build that saw ctx done returns early, with no site.
		return o.res, o.rev, ctx.Err() == nil
	case <-ctx.Done():
		return nil, nil, false
	}
}

// rebuild owns the builder: it builds every batch of changes the watcher
// sends until ctx is done.
func (s *Server) rebuild(ctx context.Context, b *site.Builder, w *watcher) {
	for {
		select {
		case <-ctx.Done():
			return
		case changed := <-w.out:
			b = s.rebuildAll(ctx, b, changed)
		case <-s.kick:
			b = s.rebuildAll(ctx, b, nil)
		case err := <-w.errs:
			s.opts.Log("watch: %v", err)
		}
	}
}

// kickRebuild asks rebuild for a build of everything, unless one is asked
// for already.
func (s *Server) kickRebuild() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// rebuildAll builds the changed paths (everything when nil) with b, and
// again, anew, as long as the preview's folder is lost under it; it
// returns the builder of the next build.
func (s *Server) rebuildAll(ctx context.Context, b *site.Builder, changed []string) *site.Builder {
	for {
		s.rebuilds.Add(1)
		start := time.Now()
		if s.unwritten.Swap(false) {
			// The last build could not be written: build it all anew.
			b, changed = s.builder(nil), nil
		}
		res, rev, ok := s.build(ctx, b, changed)
		if !ok {
			return b
		}
		verb := "rebuilt"
		if res.Site == nil {
			verb = "the build failed"
		}
		s.opts.Log("%s after %s, in %s", verb, changes(changed), elapsed(time.Since(start)))
		s.apply(res, rev)
		if !s.lost.Swap(false) {
			return b
		}
	}
}
