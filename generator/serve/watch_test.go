package serve

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

func TestNote(t *testing.T) {
	site := t.TempDir()
	write(t, filepath.Join(site, "content/a.md"), pm("Alpha", "dns", "x"))
	w, err := newWatcher(site, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.fsw.Close()
	// A folder that appeared with files in it, as after a move or a checkout.
	write(t, filepath.Join(site, "content/new/deep/b.md"), pm("Beta", "dns", "y"))
	write(t, filepath.Join(site, "content/new/b.md~"), "backup")
	// A folder that holds only scratch files.
	write(t, filepath.Join(site, "content/scratch/.#c.md"), "lock")
	for _, tc := range []struct {
		name    string
		ev      fsnotify.Event
		trigger bool
		pending []string
	}{
		{"write", fsnotify.Event{Name: "content/a.md", Op: fsnotify.Write}, true, []string{"content/a.md"}},
		{"remove", fsnotify.Event{Name: "content/a.md", Op: fsnotify.Remove}, true, []string{"content/a.md"}},
		{"config", fsnotify.Event{Name: "postmortem.yaml", Op: fsnotify.Create}, true, []string{"postmortem.yaml"}},
		{"layout", fsnotify.Event{Name: "layouts/page.html", Op: fsnotify.Write}, true, []string{"layouts/page.html"}},
		{"labels", fsnotify.Event{Name: "labels/de.yaml", Op: fsnotify.Write}, true, []string{"labels/de.yaml"}},
		{"outside the site", fsnotify.Event{Name: "public/index.html", Op: fsnotify.Write}, false, nil},
		{"editor backup", fsnotify.Event{Name: "content/a.md~", Op: fsnotify.Create}, false, []string{"content/a.md~"}},
		{"emacs lock", fsnotify.Event{Name: "content/.#a.md", Op: fsnotify.Create}, false, []string{"content/.#a.md"}},
		{"vim write test", fsnotify.Event{Name: "content/4913", Op: fsnotify.Remove}, false, []string{"content/4913"}},
		{"vim swap", fsnotify.Event{Name: "content/.a.md.swp", Op: fsnotify.Write}, false, []string{"content/.a.md.swp"}},
		{"atomic save", fsnotify.Event{Name: "content/.a.md.tmp", Op: fsnotify.Rename}, false, []string{"content/.a.md.tmp"}},
		{"sed -i", fsnotify.Event{Name: "content/sedc2AtH4", Op: fsnotify.Create}, false, []string{"content/sedc2AtH4"}},
		{"JetBrains' safe write", fsnotify.Event{Name: "content/a.md___jb_old___", Op: fsnotify.Create}, false, []string{"content/a.md___jb_old___"}},
		{"emacs autosave", fsnotify.Event{Name: "content/#a.md#", Op: fsnotify.Write}, false, []string{"content/#a.md#"}},
		{"new folder", fsnotify.Event{Name: "content/new", Op: fsnotify.Create}, true,
			[]string{"content/new", "content/new/b.md~", "content/new/deep/b.md"}},
		{"new folder of scratch files", fsnotify.Event{Name: "content/scratch", Op: fsnotify.Create}, true,
			[]string{"content/scratch", "content/scratch/.#c.md"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pending := map[string]bool{}
			tc.ev.Name = filepath.Join(site, tc.ev.Name)
			if got := w.note(tc.ev, pending); got != tc.trigger {
				t.Errorf("trigger = %v, want %v", got, tc.trigger)
			}
			var got []string
			for p := range pending {
				got = append(got, p)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.pending) {
				t.Errorf("pending = %q, want %q", got, tc.pending)
			}
		})
	}
	// The new folders are watched now.
	watching := w.fsw.WatchList()
	for _, dir := range []string{"content/new", "content/new/deep", "content/scratch"} {
		if !slices.Contains(watching, filepath.Join(site, dir)) {
			t.Errorf("%s is not watched: %s", dir, strings.Join(watching, " "))
		}
	}
	if _, err := os.Stat(filepath.Join(site, "public")); err == nil {
		t.Error("watching made public/")
	}
}

func TestForgetMovedFolder(t *testing.T) {
	site := t.TempDir()
	write(t, filepath.Join(site, "content/2024/deep/a.md"), pm("Alpha", "dns", "x"))
	w, err := newWatcher(site, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.fsw.Close()
	if err := os.Rename(filepath.Join(site, "content/2024"), filepath.Join(t.TempDir(), "gone")); err != nil {
		t.Skip(err)
	}
	pending := map[string]bool{}
	if !w.note(fsnotify.Event{Name: filepath.Join(site, "content/2024"), Op: fsnotify.Rename}, pending) {
		t.Error("moving a folder away does not rebuild")
	}
	w.rewalk(pending) // before the batch goes out
	for _, p := range w.fsw.WatchList() {
		if strings.HasPrefix(p, filepath.Join(site, "content/2024")) {
			t.Errorf("still watching %s after it moved away", p)
		}
	}
}

// TestMoveIntoNewFolder moves a watched folder into a folder made a moment
// before, and makes a new folder where it was, a hundred times: each time,
// a file written afterwards in the moved folder, in a folder below it, or
// in the new folder must be seen.
func TestMoveIntoNewFolder(t *testing.T) {
	site := t.TempDir()
	const rounds = 100
	for i := range rounds {
		write(t, filepath.Join(site, fmt.Sprintf("content/b%d/deep/old.md", i)), pm("Old", "dns", "x"))
	}
	w := runWatcher(t, site, 5*time.Millisecond)
	// await takes batches until every path in want has come.
	await := func(round int, want ...string) {
		t.Helper()
		deadline := time.After(5 * time.Second)
		missing := map[string]bool{}
		for _, p := range want {
			missing[p] = true
		}
		for len(missing) > 0 {
			select {
			case batch := <-w.out:
				for _, p := range batch {
					delete(missing, p)
				}
			case <-deadline:
				t.Fatalf("round %d: no event for %q within 5 s; watching:\n%s",
					round, slices.Sorted(maps.Keys(missing)), strings.Join(slices.Sorted(slices.Values(w.fsw.WatchList())), "\n"))
			}
		}
	}
	for i := range rounds {
		a := filepath.Join(site, fmt.Sprintf("content/a%d", i))
		if err := os.Mkdir(a, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(site, fmt.Sprintf("content/b%d", i)), filepath.Join(a, "b")); err != nil {
			t.Fatal(err)
		}
		// And another folder made at once where the moved one was.
		again := fmt.Sprintf("content/b%d", i)
		if err := os.Mkdir(filepath.Join(site, again), 0o755); err != nil {
			t.Fatal(err)
		}
		moved := fmt.Sprintf("content/a%d/b", i)
		await(i, moved+"/deep/old.md", again)
		write(t, filepath.Join(site, moved, "new.md"), pm("New", "dns", "y"))
		write(t, filepath.Join(site, moved, "deep/new.md"), pm("New", "dns", "z"))
		write(t, filepath.Join(site, again, "new.md"), pm("New", "dns", "w"))
		await(i, moved+"/new.md", moved+"/deep/new.md", again+"/new.md")
	}
}

// TestLinkedContentFolder watches a content folder that is a symbolic link
// to a folder kept elsewhere, as the build allows for the top-level folders.
func TestLinkedContentFolder(t *testing.T) {
	site, elsewhere := t.TempDir(), t.TempDir()
	write(t, filepath.Join(elsewhere, "2024/a.md"), pm("Alpha", "dns", "x"))
	if err := os.Symlink(elsewhere, filepath.Join(site, "content")); err != nil {
		t.Fatal(err)
	}
	w := runWatcher(t, site, time.Millisecond)
	write(t, filepath.Join(elsewhere, "2024/a.md"), pm("Alpha", "dns", "edited"))
	write(t, filepath.Join(elsewhere, "2024/new/b.md"), pm("Beta", "dns", "y"))
	want := map[string]bool{"content/2024/a.md": true, "content/2024/new/b.md": true}
	deadline := time.After(5 * time.Second)
	for len(want) > 0 {
		select {
		case batch := <-w.out:
			for _, p := range batch {
				delete(want, p)
			}
		case <-deadline:
			t.Fatalf("no event for %q within 5 s", slices.Sorted(maps.Keys(want)))
		}
	}
}

// TestWatchFailureReported checks that a folder that cannot be watched (as
// past the system's limit of watches) is said, not passed over.
func TestWatchFailureReported(t *testing.T) {
	site := t.TempDir()
	write(t, filepath.Join(site, "content/a.md"), pm("Alpha", "dns", "x"))
	w, err := newWatcher(site, 0)
	if err != nil {
		t.Fatal(err)
	}
	w.fsw.Close() // every watch fails from now on
	write(t, filepath.Join(site, "content/2024/b.md"), pm("Beta", "dns", "y"))
	w.note(fsnotify.Event{Name: filepath.Join(site, "content/2024"), Op: fsnotify.Create}, map[string]bool{})
	select {
	case err := <-w.errs:
		if !strings.Contains(err.Error(), "cannot watch content/2024") {
			t.Errorf("error does not name the folder: %v", err)
		}
	default:
		t.Error("a folder that could not be watched was passed over")
	}
}

// runWatcher starts a watcher of site that sends its batches after quiet,
// running until t ends.
func runWatcher(t *testing.T, site string, quiet time.Duration) *watcher {
	t.Helper()
	w, err := newWatcher(site, quiet)
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { w.run(stop); close(done) }()
	t.Cleanup(func() { close(stop); <-done })
	return w
}

func TestChangesLogged(t *testing.T) {
	for _, tc := range []struct {
		changed []string
		want    string
	}{
		{nil, "changes the watcher lost track of"},
		{[]string{"content/a.md"}, "a change to content/a.md"},
		{[]string{"content/a.md", "content/b.md"}, "changes to content/a.md and content/b.md"},
		{[]string{"content/a.md", "content/b.md", "static/x.png"}, "changes to content/a.md, content/b.md and 1 more path"},
		{[]string{"a", "b", "c", "d"}, "changes to a, b and 2 more paths"},
		{[]string{"content/a.md", "content/a.md.tmp", "content/sedc2AtH4"}, "a change to content/a.md"},
	} {
		if got := changes(tc.changed); got != tc.want {
			t.Errorf("changes(%q) = %q, want %q", tc.changed, got, tc.want)
		}
	}
	for d, want := range map[time.Duration]string{0: "under 1ms", 400 * time.Microsecond: "under 1ms", 1500 * time.Microsecond: "2ms", 2345 * time.Millisecond: "2.345s"} {
		if got := elapsed(d); got != want {
			t.Errorf("elapsed(%v) = %q, want %q", d, got, want)
		}
	}
}
