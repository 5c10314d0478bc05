package serve

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPreviewOnDisk: the preview's pages are files in a folder of the
// system's temporary folder, an edit changes only its own files there,
// a failed build changes none, and the folder is gone once the preview
// stops, as is what an earlier preview left of its own.
func TestPreviewOnDisk(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	left := filepath.Join(tmp, folderPrefix+"earlier"+stoppedSuffix)
	write(t, filepath.Join(left, "live/index.html"), "left by a preview stopped before its folder was removed")
	h := start(t, map[string]string{
		"content/a.md": pm("Alpha", "dns", "First text."),
		"content/b.md": pm("Beta", "capacity", "Other."),
	})
	dirs, _ := filepath.Glob(filepath.Join(tmp, folderPrefix+"*[0-9]"))
	if len(dirs) != 1 {
		t.Fatalf("preview folders in TMPDIR: %v", dirs)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(left); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("what an earlier preview left is still there after 5 s")
		}
	}
	live := filepath.Join(dirs[0], "live")
	stat := func(p string) os.FileInfo {
		t.Helper()
		st, err := os.Stat(filepath.Join(live, p))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	b := stat("incidents/b.html")

	write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha", "dns", "Second text."))
	h.next("reload")
	data, err := os.ReadFile(filepath.Join(live, "incidents/a.html"))
	if err != nil || !strings.Contains(string(data), "Second text.") {
		t.Errorf("the edited page on disk: %v\n%s", err, data)
	}
	if !os.SameFile(b, stat("incidents/b.html")) {
		t.Error("a page the edit did not change was written again")
	}

	write(t, filepath.Join(h.site, "content/a.md"), "---\ntitle: Alpha\ndate: nope\n---\nThird text.\n")
	h.next("errors")
	if data, _ := os.ReadFile(filepath.Join(live, "incidents/a.html")); !strings.Contains(string(data), "Second text.") {
		t.Error("a failed build changed the last good build on disk")
	}
	if _, err := os.Stat(filepath.Join(dirs[0], "next")); !os.IsNotExist(err) {
		t.Errorf("the files of a failed build were left: %v", err)
	}

	if err := os.Remove(filepath.Join(h.site, "content/b.md")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha", "dns", "Fixed."))
	h.next("reload")
	if _, err := os.Stat(filepath.Join(live, "incidents/b.html")); !os.IsNotExist(err) {
		t.Errorf("the page of a removed postmortem is still on disk: %v", err)
	}

	h.stop()
	if left, _ := filepath.Glob(filepath.Join(tmp, folderPrefix+"*")); len(left) > 0 {
		t.Errorf("the preview's folder outlived it: %v", left)
	}
}

// TestPreviewFolderBecomesFile: a file of static/ that takes the place of
// a folder, in one save or in two, is served, and a folder whose files
// are all gone is gone from the preview's folder too, as from a full
// build.
func TestPreviewFolderBecomesFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	h := start(t, map[string]string{
		"content/a.md":           pm("Alpha", "dns", "Text."),
		"static/guide/page.txt":  "a page of the guide",
		"static/manual/page.txt": "a page of the manual",
	})
	dirs, _ := filepath.Glob(filepath.Join(tmp, folderPrefix+"*[0-9]"))
	if len(dirs) != 1 {
		t.Fatalf("preview folders in TMPDIR: %v", dirs)
	}
	live := filepath.Join(dirs[0], "live")

	// In one save: the folder's file removed and a file of its name made.
	if err := os.RemoveAll(filepath.Join(h.site, "static/guide")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(h.site, "static/guide"), "the guide, one file")
	h.next("reload")
	if code, body := h.get("guide"); code != 200 || body != "the guide, one file" {
		t.Errorf("a file in the place of a folder: %d %q", code, body)
	}

	// In two saves: the folder emptied, then a file of its name made.
	if err := os.RemoveAll(filepath.Join(h.site, "static/manual")); err != nil {
		t.Fatal(err)
	}
	h.next("reload")
	if _, err := os.Stat(filepath.Join(live, "manual")); !os.IsNotExist(err) {
		t.Errorf("the folder of a removed file is still in the preview's folder: %v", err)
	}
	write(t, filepath.Join(h.site, "static/manual"), "the manual, one file")
	h.next("reload")
	if code, body := h.get("manual"); code != 200 || body != "the manual, one file" {
		t.Errorf("a file in the place of a folder emptied before: %d %q", code, body)
	}
}

// TestLargeFileNotHeld wants a rebuild's changed file of over
// stageFileBudget bytes written to next/ at once, not held in memory, and
// served like the others once the build is committed.
func TestLargeFileNotHeld(t *testing.T) {
	f := tempFolder(t)
	if err := f.Put("index.json", []byte("first")); err != nil {
		t.Fatal(err)
	}
	if err := f.commit(nil); err != nil {
		t.Fatal(err)
	}
	large := bytes.Repeat([]byte("x"), stageFileBudget+1)
	for p, data := range map[string][]byte{"index.json": large, "a.html": []byte("small")} {
		if err := f.Put(p, data); err != nil {
			t.Fatal(err)
		}
	}
	if f.staged["index.json"] != nil || f.held != len("small") {
		t.Errorf("held in memory: %d bytes, index.json %d", f.held, len(f.staged["index.json"]))
	}
	if err := f.commit([]string{"a.html", "index.json"}); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string][]byte{"index.json": large, "a.html": []byte("small")} {
		if got, found, _ := f.read(p); !found || !bytes.Equal(got, want) {
			t.Errorf("%s served as %d bytes (found %v), want %d", p, len(got), found, len(want))
		}
	}
}

// TestCreatedFiles: files written a part at a time go to the build under
// way: served once it is committed if they changed, dropped if not, given
// early by the first build once closed.
func TestCreatedFiles(t *testing.T) {
	f := tempFolder(t)
	create := func(p, data string) {
		t.Helper()
		w, err := f.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		for part := range strings.SplitSeq(data, " ") {
			io.WriteString(w, part+" ")
		}
		if _, ok := f.written(p); ok && !f.built {
			t.Errorf("%s is given before it is closed", p)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	create("index.json", "the first index")
	if data, ok := f.written("index.json"); !ok || string(data) != "the first index " {
		t.Errorf("the first build's index once closed: %q, %v", data, ok)
	}
	create("insights.json", "the first insights")
	if err := f.commit([]string{"index.json", "insights.json"}); err != nil {
		t.Fatal(err)
	}
	// The next build changes the index and makes the insights again, the same.
	create("index.json", "the second index")
	create("insights.json", "the second insights, not in changed")
	if err := f.commit([]string{"index.json"}); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{"index.json": "the second index ", "insights.json": "the first insights "} {
		if got, found, _ := f.read(p); !found || string(got) != want {
			t.Errorf("%s served as %q (found %v), want %q", p, got, found, want)
		}
	}
	if _, err := f.top.Stat("next"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("next/ is left after the commit: %v", err)
	}
}

// TestWrittenBeforeCommit: the files the first build has written are
// given before it is served, and not once a build is.
func TestWrittenBeforeCommit(t *testing.T) {
	f := tempFolder(t)
	if err := f.Put("search/meta.js", []byte("meta")); err != nil {
		t.Fatal(err)
	}
	if data, ok := f.written("search/meta.js"); !ok || string(data) != "meta" {
		t.Errorf("a file the first build wrote: %q, %v", data, ok)
	}
	if _, ok := f.written("index.json"); ok {
		t.Error("a file the first build has not written is given")
	}
	if err := f.commit([]string{"search/meta.js"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.written("search/meta.js"); ok {
		t.Error("written gives files once a build is served, which read gives")
	}
	if data, found, built := f.read("search/meta.js"); !found || !built || string(data) != "meta" {
		t.Errorf("the served build's file: %q, %v, %v", data, found, built)
	}
}

// tempFolder returns a preview's folder made in a temporary folder of the
// test, closed when the test ends.
func tempFolder(t *testing.T) *folder {
	t.Helper()
	t.Setenv("TMPDIR", t.TempDir())
	f, err := newFolder()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.close)
	return f
}
