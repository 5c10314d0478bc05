package serve

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/markdown"
)

// watched are the folders and files of a site a change of which rebuilds.
var watched = append([]string{"content", "layouts", "themes", "static", "assets", config.LabelsDir}, config.Files...)

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
// locks (.#x) and autosaves (#x#), backups (x~), vim swap files and its
// write test (4913), the temporary files of atomic saves (JetBrains'
// x___jb_tmp___ and x___jb_old___ too), and those of sed -i (sedAbC123).
func ignored(name string) bool {
	base := filepath.Base(name)
	return strings.HasPrefix(base, ".#") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") ||
		strings.HasSuffix(base, ".swx") || strings.HasSuffix(base, ".tmp") || base == "4913" || sedTemp(base) ||
		strings.HasSuffix(base, "___jb_tmp___") || strings.HasSuffix(base, "___jb_old___") || // JetBrains' safe write
		len(base) > 2 && strings.HasPrefix(base, "#") && strings.HasSuffix(base, "#") // Emacs's autosave
}

// sedTemp reports whether base is the name of the file sed -i writes
// before it renames it over the one it edits: "sed" and six letters or
// digits.
func sedTemp(base string) bool {
	if len(base) != 9 || !strings.HasPrefix(base, "sed") {
		return false
	}
	for _, c := range base[3:] {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// maxWait bounds how long a stream of events that never pauses can put
// off a rebuild.
const maxWait = time.Second

// watcher turns file system events under a site into batches of changed
// site-relative paths. One goroutine, run, owns the pending set, the
// debounce timer and the set of watched folders: events that come within
// quiet of each other make one batch. A batch the builder has not taken
// yet keeps growing.
//
// A folder that appears is watched at once, with the folders below it. A
// folder that moves keeps its watch under the kernel (inotify watches the
// folder, not its path), so the library's record of it names the old path
// until the library drops it, from its own goroutine, when the move's last
// event comes; a watch asked for under the new path in between gets that
// same watch back, and loses it too. So a move or removal of a watched
// folder does not patch the set: it marks it stale, and before the next
// batch goes out the watcher walks the site again (rewalk), drops the
// watches whose path is gone or names another folder now, and watches
// every folder the walk finds unwatched. The library reports every watch
// it drops itself with an event, so a rewalk always follows the last drop.
type watcher struct {
	root  string
	fsw   *fsnotify.Watcher
	quiet time.Duration
	// dirs are the folders watched, each with what it was when the watch
	// was added, to tell it from another folder moved to its path.
	dirs map[string]os.FileInfo
	// stale is set when a watched folder moved or went away.
	stale bool
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
	w := &watcher{root: root, fsw: fsw, quiet: quiet, dirs: map[string]os.FileInfo{},
		out: make(chan []string), errs: make(chan error, 1)}
	if err := fsw.Add(root); err != nil {
		fsw.Close()
		return nil, err
	}
	w.rewalk(map[string]bool{})
	return w, nil
}

// stat returns what is at p. A top-level folder of the site (content,
// static, ...) may be a symbolic link, as the build allows, and is
// followed; links below them are not.
func (w *watcher) stat(p string) (os.FileInfo, error) {
	if filepath.Dir(p) == w.root {
		return os.Stat(p)
	}
	return os.Lstat(p)
}

// addTree watches dir and every folder below it that is not watched yet,
// and returns the site-relative paths of the files in those folders: they
// may have been created before the folder was watched. Folders whose
// names start with a dot are left out.
func (w *watcher) addTree(dir string) []string {
	var files []string
	added := map[string]bool{}
	from := dir
	if filepath.Dir(dir) == w.root {
		from += string(filepath.Separator) // a walk follows a link given so
	}
	_ = filepath.WalkDir(from, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil // gone already: its removal has its own event
		}
		p = filepath.Clean(p)
		if !e.IsDir() {
			if added[filepath.Dir(p)] {
				files = append(files, w.rel(p))
			}
			return nil
		}
		if strings.HasPrefix(e.Name(), ".") && p != dir {
			return filepath.SkipDir
		}
		info, err := w.stat(p)
		if err != nil {
			return nil
		}
		if was := w.dirs[p]; was != nil && os.SameFile(was, info) {
			return nil
		}
		if err := w.fsw.Add(p); err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				w.report(fmt.Errorf("cannot watch %s: %w", w.rel(p), err))
			}
			return nil
		}
		w.dirs[p] = info
		added[p] = true
		return nil
	})
	return files
}

// rewalk makes the watched set match the site's folders: it drops every
// watch whose path is no longer that folder, then watches every folder of
// the site that is not watched, recording the files found in those
// folders in pending.
func (w *watcher) rewalk(pending map[string]bool) {
	listed := map[string]bool{}
	for _, p := range w.fsw.WatchList() {
		listed[p] = true
	}
	for p := range listed {
		if _, ok := w.dirs[p]; !ok && p != w.root {
			w.dirs[p] = nil // watched, but not by us: checked below
		}
	}
	for _, p := range slices.Sorted(maps.Keys(w.dirs)) {
		was := w.dirs[p]
		info, err := w.stat(p)
		if listed[p] && was != nil && err == nil && info.IsDir() && os.SameFile(was, info) {
			continue
		}
		// Gone, moved, replaced by another folder, or dropped by the
		// library: its watch, if any, now watches something else.
		if listed[p] {
			_ = w.fsw.Remove(p)
		}
		delete(w.dirs, p)
	}
	for _, name := range watched {
		for _, f := range w.addTree(filepath.Join(w.root, name)) {
			pending[f] = true
		}
	}
	w.stale = false
}

// report passes an error on to the builder's log, unless one waits there
// already.
func (w *watcher) report(err error) {
	select {
	case w.errs <- err:
	default:
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
		if _, ok := w.dirs[ev.Name]; ok {
			w.stale = true
			trigger = true
		}
	}
	if ev.Has(fsnotify.Create) {
		if st, err := w.stat(ev.Name); err == nil && st.IsDir() {
			for _, f := range w.addTree(ev.Name) {
				pending[f] = true
				trigger = trigger || !ignored(f)
			}
		}
	}
	return trigger
}

// halfSaved reports whether a Markdown file among the pending paths is
// empty, as a file is between an editor's truncating it and writing it.
func (w *watcher) halfSaved(pending map[string]bool) bool {
	for p := range pending {
		if !markdown.IsFile(p) {
			continue
		}
		if st, err := os.Lstat(filepath.Join(w.root, filepath.FromSlash(p))); err == nil && st.Mode().IsRegular() && st.Size() == 0 {
			return true
		}
	}
	return false
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
				lost, w.stale = true, true
				wakeup()
			}
			w.report(err)
		case <-timer.C:
			if w.halfSaved(pending) && time.Since(first) < maxWait {
				// An editor that empties a file before it writes it (>,
				// backupcopy): the write comes next.
				timer.Reset(w.quiet)
				continue
			}
			first = time.Time{}
			if w.stale {
				w.rewalk(pending)
			}
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
