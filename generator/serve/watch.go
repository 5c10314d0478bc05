package serve

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watched are the folders and files of a site a change of which rebuilds.
var watched = []string{"content", "layouts", "themes", "static", "assets", "labels", "postmortem.yaml"}

// isWatched reports whether a site-relative path is part of the site.
func isWatched(rel string) bool {
	for _, w := range watched {
		if rel == w || strings.HasPrefix(rel, w+"/") {
			return true
		}
	}
	return false
}

// ignored reports whether a file name is an editor's scratch file: emacs
// locks (.#x), backups (x~), vim swap files and its write test (4913),
// and the temporary files of atomic saves.
func ignored(name string) bool {
	base := filepath.Base(name)
	return strings.HasPrefix(base, ".#") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") ||
		strings.HasSuffix(base, ".swx") || strings.HasSuffix(base, ".tmp") || base == "4913"
}

// maxWait bounds how long a stream of events that never pauses can put
// off a rebuild.
const maxWait = time.Second

// watcher turns file system events under a site into batches of changed
// site-relative paths. One goroutine, run, owns the pending set and the
// debounce timer: events that come within quiet of each other make one
// batch. A batch the builder has not taken yet keeps growing.
type watcher struct {
	root  string
	fsw   *fsnotify.Watcher
	quiet time.Duration
	// out delivers the batches, sorted; a nil batch means that events were
	// lost and anything may have changed.
	out  chan []string
	errs chan error
}

func newWatcher(root string, quiet time.Duration) (*watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{root: root, fsw: fsw, quiet: quiet, out: make(chan []string), errs: make(chan error, 1)}
	if err := fsw.Add(root); err != nil {
		fsw.Close()
		return nil, err
	}
	w.addAll()
	return w, nil
}

// addAll watches every folder of the site that is part of it.
func (w *watcher) addAll() {
	for _, name := range watched {
		w.addTree(filepath.Join(w.root, name))
	}
}

// addTree watches dir and every folder below it, and returns the
// site-relative paths of the files found, for folders that appeared with
// files already in them.
func (w *watcher) addTree(dir string) []string {
	var files []string
	_ = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil // gone already: its removal has its own event
		}
		if e.IsDir() {
			if strings.HasPrefix(e.Name(), ".") && p != dir {
				return filepath.SkipDir
			}
			_ = w.fsw.Add(p)
			return nil
		}
		files = append(files, w.rel(p))
		return nil
	})
	return files
}

// forget stops watching a folder that was removed or moved away, and the
// folders below it. A folder moved within the site is watched again under
// its new name, by its create event.
func (w *watcher) forget(dir string) {
	prefix := dir + string(filepath.Separator)
	for _, p := range w.fsw.WatchList() {
		if p == dir || strings.HasPrefix(p, prefix) {
			_ = w.fsw.Remove(p)
		}
	}
}

func (w *watcher) rel(p string) string {
	r, err := filepath.Rel(w.root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// note records the paths an event changed in pending and reports whether
// the event should start or extend the wait for a rebuild. Scratch files
// of editors ride along with the next batch but never start one.
func (w *watcher) note(ev fsnotify.Event, pending map[string]bool) bool {
	rel := w.rel(ev.Name)
	if !isWatched(rel) {
		return false
	}
	pending[rel] = true
	trigger := !ignored(rel)
	if ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
		w.forget(ev.Name)
	}
	if ev.Has(fsnotify.Create) {
		if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
			// Files may have been created in it before it was watched.
			for _, f := range w.addTree(ev.Name) {
				pending[f] = true
				trigger = trigger || !ignored(f)
			}
		}
	}
	return trigger
}

// run batches events until stop is closed, then closes the watcher.
func (w *watcher) run(stop <-chan struct{}) {
	defer w.fsw.Close()
	pending := map[string]bool{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var (
		first  time.Time     // of the first trigger of the next batch; zero if none
		lost   bool          // events were lost: the next batch is everything
		all    bool          // the batch waiting for the builder is everything
		batch  []string      // waiting for the builder
		out    chan []string // w.out when a batch waits, else nil
		wakeup = func() {
			now := time.Now()
			if first.IsZero() {
				first = now
			}
			timer.Reset(min(w.quiet, max(0, maxWait-now.Sub(first))))
		}
	)
	for {
		select {
		case <-stop:
			timer.Stop()
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if w.note(ev, pending) {
				wakeup()
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// The kernel dropped events: watch what appeared meanwhile
				// and rebuild everything.
				lost = true
				w.addAll()
				wakeup()
			}
			select {
			case w.errs <- err:
			default:
			}
		case <-timer.C:
			first = time.Time{}
			all = all || lost
			if !all {
				for p := range pending {
					batch = append(batch, p)
				}
				slices.Sort(batch)
				batch = slices.Compact(batch)
			} else {
				batch = nil
			}
			clear(pending)
			lost = false
			out = w.out
		case out <- batch:
			batch, out, all = nil, nil, false
		}
	}
}
