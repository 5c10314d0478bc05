package output

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// asMountPoint makes every output folder read as a mount point for the
// length of the test, as a container's volume is.
func asMountPoint(t *testing.T) {
	t.Cleanup(func() { mountPoint = isMountPoint })
	mountPoint = func(string) bool { return true }
}

// TestWriteInPlace: an output that cannot be replaced whole (a mount
// point) gets the new output name by name: the build's new files in, its
// old ones out, the user's kept, nothing left beside it or in it.
func TestWriteInPlace(t *testing.T) {
	asMountPoint(t)
	base := t.TempDir()
	out := filepath.Join(base, "public")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "CNAME"), []byte("incidents.example.com"), 0o644); err != nil {
		t.Fatal(err)
	}
	first := map[string]string{"index.html": "home", "incidents/a.html": "A", "gone/x.html": "x", "gone.html": "g"}
	if err := Write(context.Background(), out, files(first)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "mine.txt"), []byte("the user's"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := map[string]string{"index.html": "home 2", "incidents/b.html": "B", "feed.xml": "f"}
	if err := Write(context.Background(), out, files(second)); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"CNAME": "incidents.example.com", "mine.txt": "the user's"}
	maps.Copy(want, second)
	if got := tree(t, out); !maps.Equal(got, want) {
		t.Errorf("after two builds in place: %v, want %v", got, want)
	}
	if names := leftovers(t, out); len(names) != 0 {
		t.Errorf("left beside the output: %v", names)
	}
	marker, err := os.ReadFile(filepath.Join(out, Marker))
	if err != nil {
		t.Fatal(err)
	}
	list, _ := wrote(out)
	if got := slices.Sorted(maps.Keys(list)); !slices.Equal(got, []string{"feed.xml", "incidents", "index.html"}) {
		t.Errorf("the marker lists %v as written:\n%s", got, marker)
	}
	// A build that fails leaves the previous output as it was, and no
	// staging folder inside it.
	s, err := Begin(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put("index.html", []byte("broken")); err != nil {
		t.Fatal(err)
	}
	s.Abort()
	if got := tree(t, out); !maps.Equal(got, want) {
		t.Errorf("after an aborted build: %v, want %v", got, want)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".postmortem.") {
			t.Errorf("a staging folder is left in the output: %s", e.Name())
		}
	}
}

// TestWriteInPlaceWithoutExchange: where the system cannot swap two
// folders in one step, a folder of the new output takes the old one's
// place in two renames, and a file replaces a folder of the same name.
func TestWriteInPlaceWithoutExchange(t *testing.T) {
	asMountPoint(t)
	t.Cleanup(func() { swapFolders = exchange })
	swapFolders = func(a, b string) error { return errNoExchange }
	out := filepath.Join(t.TempDir(), "public")
	if err := Write(context.Background(), out, files(map[string]string{"a/x.html": "x", "b/y.html": "y", "c.html": "c"})); err != nil {
		t.Fatal(err)
	}
	next := map[string]string{"a/z.html": "z", "b": "a file now", "c.html": "c 2"}
	if err := Write(context.Background(), out, files(next)); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, out); !maps.Equal(got, next) {
		t.Errorf("got %v, want %v", got, next)
	}
}

// TestWriteKeepsTheFolderMode: the output folder keeps its mode, setgid
// included, and group from build to build, so that a web server reading
// it through its group still can.
func TestWriteKeepsTheFolderMode(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "a"})); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(out, 0o750|os.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "b"})); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode()&(os.ModePerm|os.ModeSetgid) != 0o750|os.ModeSetgid {
		t.Errorf("the output's mode after a build: %v, want 0750 and setgid", st.Mode())
	}
}

// TestWriteRefusesAHome: a folder of dotfiles other than a deployment's
// (a home folder: .bashrc, .ssh) is no output, and is refused; one of a
// deployment's (.git, CNAME) is taken.
func TestWriteRefusesAHome(t *testing.T) {
	home := t.TempDir()
	write(t, filepath.Join(home, ".bashrc"), "alias ll='ls -l'")
	write(t, filepath.Join(home, ".ssh/authorized_keys"), "ssh-ed25519 AAAA")
	if err := Write(context.Background(), home, files(map[string]string{"index.html": "x"})); err == nil || !strings.Contains(err.Error(), "not an output of postmortem") {
		t.Errorf("a build into a home folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(home, "index.html")); err == nil {
		t.Error("the build wrote into the home folder")
	}
	pages := t.TempDir()
	write(t, filepath.Join(pages, ".git/HEAD"), "ref: refs/heads/gh-pages")
	write(t, filepath.Join(pages, "CNAME"), "incidents.example.com")
	if err := Write(context.Background(), pages, files(map[string]string{"index.html": "x"})); err != nil {
		t.Errorf("a build into a checkout of gh-pages: %v", err)
	}
}

// TestWriteAsRootKeepsOwners: a build run as root over someone's output
// leaves the folder, and the folders it carries over, theirs.
func TestWriteAsRootKeepsOwners(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root may give a folder to another user")
	}
	out := filepath.Join(t.TempDir(), "public")
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "one"})); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(out, ".well-known/security.txt"), "contact")
	for _, p := range []string{out, filepath.Join(out, ".well-known")} {
		if err := os.Chown(p, 1234, 1234); err != nil {
			t.Fatal(err)
		}
	}
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "two"})); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{out, filepath.Join(out, ".well-known")} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if uid, gid, _ := ownerOf(st); uid != 1234 || gid != 1234 {
			t.Errorf("%s is owned by %d:%d after the build, want 1234:1234", p, uid, gid)
		}
	}
}

// TestFirstBuildKeepsTheUsersFile: a first build into a folder of a
// deployment's does not replace a file of the user's (a CNAME) by its own
// of other bytes: it fails, the folder as it was; with the same bytes the
// file becomes the build's.
func TestFirstBuildKeepsTheUsersFile(t *testing.T) {
	out := t.TempDir()
	write(t, filepath.Join(out, "CNAME"), "mine.example.com\n")
	err := Write(context.Background(), out, files(map[string]string{"index.html": "x", "CNAME": "theirs.example.com\n"}))
	if err == nil || !strings.Contains(err.Error(), "CNAME: the output holds this, which no build wrote") {
		t.Errorf("a first build writing another CNAME: %v", err)
	}
	if got := tree(t, out); !maps.Equal(got, map[string]string{"CNAME": "mine.example.com\n"}) {
		t.Errorf("after the refused build: %v", got)
	}
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "x", "CNAME": "mine.example.com\n"})); err != nil {
		t.Errorf("a first build writing the same CNAME: %v", err)
	}
	if w, _ := wrote(out); !w["CNAME"] {
		t.Errorf("the CNAME is not the build's: %v", w)
	}
}

// TestWriteInPlacePutsBackOnFailure: when an entry cannot be swapped in (a
// folder another user owns cannot be moved), those swapped before it are
// put back: the previous output stays whole and listed as the build's,
// with and without an exchange in one step.
func TestWriteInPlacePutsBackOnFailure(t *testing.T) {
	asMountPoint(t)
	t.Cleanup(func() { swapFolders = exchange })
	for _, atOnce := range []bool{true, false} {
		out := filepath.Join(t.TempDir(), "public")
		swapFolders = exchange
		first := map[string]string{"a/x.html": "x", "b/y.html": "y", "c.html": "c", "d/gone.html": "d"}
		if err := Write(context.Background(), out, files(first)); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(out, "mine.txt"), "the user's")
		swapFolders = func(a, b string) error {
			if filepath.Base(b) == "c.html" {
				return os.ErrPermission
			}
			if atOnce {
				return exchange(a, b)
			}
			return errNoExchange
		}
		second := map[string]string{"a/z.html": "z", "b/w.html": "w", "c.html": "c 2", "e.html": "e"}
		err := Write(context.Background(), out, files(second))
		if err == nil || !strings.Contains(err.Error(), "swapping "+filepath.Join(out, "c.html")+" in") {
			t.Errorf("exchange %v: a build that cannot swap c.html in: %v", atOnce, err)
		}
		want := map[string]string{"mine.txt": "the user's"}
		maps.Copy(want, first)
		if got := tree(t, out); !maps.Equal(got, want) {
			t.Errorf("exchange %v: after the failed swap: %v, want %v", atOnce, got, want)
		}
		if w, _ := wrote(out); !maps.Equal(w, map[string]bool{"a": true, "b": true, "c.html": true, "d": true}) {
			t.Errorf("exchange %v: the marker lists %v", atOnce, w)
		}
		if names := leftovers(t, out); len(names) != 0 {
			t.Errorf("exchange %v: left beside the output: %v", atOnce, names)
		}
		// Once the entry can be moved, the next build goes through.
		swapFolders = exchange
		if err := Write(context.Background(), out, files(second)); err != nil {
			t.Fatal(err)
		}
		want = map[string]string{"mine.txt": "the user's"}
		maps.Copy(want, second)
		if got := tree(t, out); !maps.Equal(got, want) {
			t.Errorf("exchange %v: after the next build: %v, want %v", atOnce, got, want)
		}
	}
}
