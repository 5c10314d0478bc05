package serve

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watched are the folders and files of a site a change of which rebuilds.
var watched = []string{"content", "layouts", "themes", "static", "assets", "postmortem.yaml"}

// isWatched reports whether a site-relative path is part of the site.
func isWatched(rel string) bool {
	for _, w := range watched {
		if rel == w || strings.HasPrefix(rel, w+"/") {
			return true
		}
	}
	return false
}

// ignored reports whether a file name is an editor's scratch file.
func ignored(name string) bool {
	base := filepath.Base(name)
	return strings.HasPrefix(base, ".#") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") ||
		strings.HasSuffix(base, ".swx") || strings.HasSuffix(base, ".tmp") || base == "4913"
}

// watcher turns file system events under a site into batches of changed
// site-relative paths. One goroutine owns the debounce timer: events that
// come within quiet of each other make one batch.
type watcher struct {
	root  string
	fsw   *fsnotify.Watcher
	quiet time.Duration
	out   chan []string
	errs  chan error
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
	for _, name := range watched {
		w.addTree(filepath.Join(root, name))
	}
	return w, nil
}

// addTree watches dir and every folder below it, and returns the
// site-relative paths of the files found, for folders that appeared with
// files already in them.
func (w *watcher) addTree(dir string) []string {
	var files []string
	_ = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil
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

func (w *watcher) rel(p string) string {
	r, err := filepath.Rel(w.root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// run batches events until stop is closed, then closes the watcher.
func (w *watcher) run(stop <-chan struct{}) {
	defer w.fsw.Close()
	pending := map[string]bool{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var out chan []string // nil until a batch is ready
	var batch []string
	for {
		select {
		case <-stop:
			timer.Stop()
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			rel := w.rel(ev.Name)
			if !isWatched(rel) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					for _, f := range w.addTree(ev.Name) {
						pending[f] = true
					}
				}
			}
			if ignored(ev.Name) && !ev.Has(fsnotify.Rename) && !ev.Has(fsnotify.Remove) {
				continue
			}
			pending[rel] = true
			timer.Reset(w.quiet)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			select {
			case w.errs <- err:
			default:
			}
		case <-timer.C:
			for p := range pending {
				batch = append(batch, p)
			}
			clear(pending)
			slices.Sort(batch)
			batch = slices.Compact(batch)
			out = w.out
		case out <- batch:
			batch, out = nil, nil
		}
	}
}
