package output

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tree reads every file under dir by slash-separated path, but Marker.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == filepath.Join(dir, Marker) {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func files(m map[string]string) map[string][]byte {
	out := map[string][]byte{}
	for p, s := range m {
		out[p] = []byte(s)
	}
	return out
}

// leftovers lists what Write left beside out: temporary and old folders.
func leftovers(t *testing.T, out string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.Name() != filepath.Base(out) {
			names = append(names, e.Name())
		}
	}
	return names
}

func TestWriteReplacesTheOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	first := map[string]string{"index.html": "home", "incidents/a.html": "A", "incidents/b.html": "B", "gone.html": "x"}
	if err := Write(context.Background(), out, files(first)); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(filepath.Join(out, "incidents/a.html"))
	if err != nil {
		t.Fatal(err)
	}
	// A file edited by hand with its size kept is written again.
	if err := os.WriteFile(filepath.Join(out, "index.html"), []byte("HOME"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := map[string]string{"index.html": "home", "incidents/a.html": "A", "incidents/b.html": "B, edited", "new/c.html": "C"}
	if err := Write(context.Background(), out, files(second)); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, out); !maps.Equal(got, second) {
		t.Errorf("output after the second write = %v, want %v", got, second)
	}
	after, err := os.Stat(filepath.Join(out, "incidents/a.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Error("an unchanged file was written again instead of kept (linked from the previous output)")
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("left beside the output: %v", l)
	}
}

func TestFailedWriteLeavesThePreviousOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	old := map[string]string{"index.html": "old home", "incidents/a.html": "A"}
	if err := Write(context.Background(), out, files(old)); err != nil {
		t.Fatal(err)
	}
	// "x" cannot be a file and a folder at once.
	err := Write(context.Background(), out, files(map[string]string{"index.html": "new home", "x": "file", "x/y.html": "in a folder"}))
	if err == nil {
		t.Fatal("writing a path that is both a file and a folder succeeded")
	}
	if got := tree(t, out); !maps.Equal(got, old) {
		t.Errorf("output after a failed write = %v, want the previous %v", got, old)
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("left beside the output: %v", l)
	}
}

func TestWriteRefusesPathsOutsideTheOutput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	for _, p := range []string{"../evil.html", "/etc/evil", "a/../../evil"} {
		err := Write(context.Background(), out, files(map[string]string{"index.html": "x", p: "evil"}))
		if err == nil || !strings.Contains(err.Error(), "not inside the output folder") {
			t.Errorf("Write with %q: err = %v, want a refusal", p, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if names := slices.Collect(func(yield func(string) bool) {
		for _, e := range entries {
			if !yield(e.Name()) {
				return
			}
		}
	}); len(names) > 0 {
		t.Errorf("refused writes left %v", names)
	}
}

func TestWriteLinksOnlyFilesOfThePreviousOutput(t *testing.T) {
	dir := t.TempDir()
	out, outside := filepath.Join(dir, "public"), filepath.Join(dir, "elsewhere")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "a.html"), []byte("A"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "home", "kept.html": "K", "incidents/b.html": "B"})); err != nil {
		t.Fatal(err)
	}
	// A folder of the previous output that leads elsewhere, and a file whose
	// mode was changed by hand.
	if err := os.RemoveAll(filepath.Join(out, "incidents")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(out, "incidents")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := os.Chmod(filepath.Join(out, "kept.html"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "home", "kept.html": "K", "incidents/a.html": "A"})); err != nil {
		t.Fatal(err)
	}
	got, err := os.Stat(filepath.Join(out, "incidents/a.html"))
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(filepath.Join(outside, "a.html")); os.SameFile(got, st) {
		t.Error("the new output links a file outside the output folder, reached through a symbolic link")
	}
	if !got.Mode().IsRegular() {
		t.Errorf("incidents/a.html is %v, want a regular file", got.Mode())
	}
	if st, err := os.Stat(filepath.Join(out, "kept.html")); err != nil || st.Mode().Perm() == 0o600 {
		t.Errorf("kept.html: %v, %v; want it written again with the mode of a new file", st.Mode(), err)
	}
}
