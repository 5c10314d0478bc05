package sitefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/postmortem/postmortem/generator/diag"
)

// disk writes files (path: content, or "-> target" for a symbolic link)
// under dir.
func disk(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if target, ok := strings.CutPrefix(data, "-> "); ok {
			err = os.Symlink(filepath.FromSlash(target), p)
		} else {
			err = os.WriteFile(p, []byte(data), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// report is what Report says of err, or "ok: DATA" when there is none.
func report(name string, data []byte, err error) string {
	if err == nil {
		return "ok: " + string(data)
	}
	var l diag.List
	Report(&l, name, err)
	return l.Error()
}

func TestLinks(t *testing.T) {
	outside := t.TempDir()
	root := filepath.Join(t.TempDir(), "site")
	disk(t, outside, map[string]string{
		"secret.txt":         "secret",
		"layouts/base.html":  "base",
		"layouts/climb.html": "-> ../secret.txt",
		"layouts/sub/x.html": "x",
	})
	disk(t, root, map[string]string{
		"content/a.md":           "a",
		"content/2024/b.md":      "b",
		"content/same.md":        "-> a.md",
		"content/up.md":          "-> ../static/s.txt",
		"content/chain.md":       "-> same.md",
		"content/2024/deep.md":   "-> ../../static/../content/a.md",
		"content/out.md":         "-> ../../secret.txt",
		"content/via-out.md":     "-> out.md",
		"content/abs-in.md":      "-> " + filepath.ToSlash(filepath.Join(root, "content", "a.md")),
		"content/abs-climb.md":   "-> " + filepath.ToSlash(filepath.Join(root, "content")) + "/../../x/secret.txt",
		"content/abs-out.md":     "-> " + filepath.ToSlash(filepath.Join(outside, "secret.txt")),
		"content/folder":         "-> 2024",
		"content/via/b.md":       "-> ../folder/b.md",
		"content/loop.md":        "-> loop.md",
		"content/dangling.md":    "-> nothing.md",
		"static/s.txt":           "s",
		"postmortem.yaml":        "-> content/a.md",
		"layouts":                "-> " + filepath.ToSlash(filepath.Join(outside, "layouts")),
		"themes/mine/base.html":  "-> ../../layouts/base.html",
		"themes/mine/other.html": "-> ../../../secret.txt",
	})
	real, err := Root(root)
	if err != nil {
		t.Fatal(err)
	}
	f := New(os.DirFS(root), real, 0)
	for name, want := range map[string]string{
		"content/a.md":         "ok: a",
		"content/same.md":      "ok: a",
		"content/chain.md":     "ok: a",
		"content/up.md":        "ok: s",
		"content/2024/deep.md": "ok: a",
		"content/abs-in.md":    "ok: a",
		"content/via/b.md":     "ok: b",
		"postmortem.yaml":      "ok: a",
		// The top-level folders may be links to anywhere; below them,
		// links stay inside.
		"layouts/base.html":      "ok: base",
		"layouts/sub/x.html":     "ok: x",
		"themes/mine/base.html":  "ok: base",
		"content/out.md":         `content/out.md: warning: skipped: symbolic link to "../../secret.txt", outside the site`,
		"content/via-out.md":     `content/via-out.md: warning: skipped: symbolic link to "../../secret.txt", outside the site`,
		"content/abs-climb.md":   `content/abs-climb.md: warning: skipped: symbolic link to "` + filepath.Join(root, "content") + `/../../x/secret.txt", outside the site`,
		"content/abs-out.md":     `content/abs-out.md: warning: skipped: symbolic link to "` + filepath.Join(outside, "secret.txt") + `", outside the site`,
		"layouts/climb.html":     `layouts/climb.html: warning: skipped: symbolic link to "../secret.txt", outside the site`,
		"themes/mine/other.html": `themes/mine/other.html: warning: skipped: symbolic link to "../../../secret.txt", outside the site`,
		"content/folder":         `content/folder: warning: skipped: symbolic link to a folder; only the top-level folders (content, static, layouts, themes, assets) may be links to folders`,
		"content/loop.md":        `content/loop.md: warning: skipped: too many levels of symbolic links`,
		"content/dangling.md":    `content/dangling.md: cannot read: no such file or directory`,
	} {
		data, err := f.ReadFile(name)
		if got := report(name, data, err); got != want {
			t.Errorf("ReadFile(%s):\n got %s\nwant %s", name, got, want)
		}
	}
	// Without the root, absolute targets are outside.
	if _, err := New(os.DirFS(root), "", 0).ReadFile("content/abs-in.md"); !errors.Is(err, ErrSkipped) {
		t.Errorf("absolute link without a root: %v, want it skipped", err)
	}
}

func TestSpecialFilesAreNotOpened(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero on this system")
	}
	f := New(os.DirFS("/"), "/", 0)
	data, err := f.ReadFile("dev/zero")
	if got, want := report("dev/zero", data, err), "dev/zero: warning: skipped: a device, not a regular file"; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if _, err := f.Open("dev/zero"); !errors.Is(err, ErrSkipped) {
		t.Errorf("Open(dev/zero): %v, want it skipped", err)
	}
}

func TestSizeLimit(t *testing.T) {
	fsys := fstest.MapFS{
		"ten":    {Data: []byte("0123456789")},
		"eleven": {Data: []byte("0123456789a")},
		"big":    {Data: make([]byte, 3<<20+1)},
	}
	f := New(fsys, "", 10)
	if data, err := f.ReadFile("ten"); err != nil || string(data) != "0123456789" {
		t.Errorf("a file at the limit: %q, %v", data, err)
	}
	data, err := f.ReadFile("eleven")
	if got, want := report("eleven", data, err), "eleven: is 11 bytes, over the limit of 10 bytes (max_file_size in postmortem.yaml)"; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	data, err = New(fsys, "", 3<<20).ReadFile("big")
	if got, want := report("big", data, err), "big: is 3145729 bytes, over the limit of 3 MB (max_file_size in postmortem.yaml)"; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	// A file that says it is small, as /proc files do, is cut off too.
	data, err = New(smallStat{fsys}, "", 10).ReadFile("eleven")
	if got, want := report("eleven", data, err), "eleven: is over the limit of 10 bytes (max_file_size in postmortem.yaml)"; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// smallStat is a file system whose files say they are empty.
type smallStat struct{ fstest.MapFS }

func (s smallStat) Open(name string) (fs.File, error) {
	f, err := s.MapFS.Open(name)
	if err != nil {
		return nil, err
	}
	return emptyStat{f}, nil
}

func (s smallStat) Stat(name string) (fs.FileInfo, error) {
	info, err := s.MapFS.Stat(name)
	return emptyInfo{info}, err
}

func (s smallStat) Lstat(name string) (fs.FileInfo, error) { return s.Stat(name) }

type emptyStat struct{ fs.File }

func (e emptyStat) Stat() (fs.FileInfo, error) {
	info, err := e.File.Stat()
	return emptyInfo{info}, err
}

type emptyInfo struct{ fs.FileInfo }

func (emptyInfo) Size() int64 { return 0 }

// failing is a file system whose folder bad cannot be listed.
type failing struct{ fstest.MapFS }

func (f failing) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == "bad" {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.ReadDir(name)
}

func TestWalk(t *testing.T) {
	fsys := failing{fstest.MapFS{
		"tree/a":             {Data: []byte("a")},
		"tree/.hidden":       {Data: []byte("h")},
		"tree/.well-known/x": {Data: []byte("x")},
		"tree/pipe":          {Mode: fs.ModeNamedPipe},
		"tree/out":           {Data: []byte("/etc/passwd"), Mode: fs.ModeSymlink},
		"bad/a":              {Data: []byte("a")},
		"file":               {Data: []byte("f")},
	}}
	f := New(fsys, "", 0)
	var got []string
	var l diag.List
	for _, dir := range []string{"tree", "bad", "file", "missing"} {
		Walk(f, dir, &l, func(p string) error {
			_, err := f.ReadFile(p)
			if err == nil {
				got = append(got, p)
			}
			return err
		})
	}
	if want := "tree/.well-known/x tree/a"; strings.Join(got, " ") != want {
		t.Errorf("read %q, want %q", got, want)
	}
	want := "bad: cannot list the folder: permission denied\n" +
		"file: is a file, want a folder\n" +
		"tree/out: warning: skipped: symbolic link to \"/etc/passwd\", outside the site\n" +
		"tree/pipe: warning: skipped: a named pipe, not a regular file"
	if got := l.Sort().Error(); got != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
}

// TestForget replaces a folder with a link out of the site between two
// reads: once told to forget, as a build does first, the link is seen.
func TestForget(t *testing.T) {
	outside, root := t.TempDir(), t.TempDir()
	disk(t, outside, map[string]string{"d/x.md": "SECRET"})
	disk(t, root, map[string]string{"content/d/x.md": "x"})
	f := New(os.DirFS(root), root, 0)
	if data, err := f.ReadFile("content/d/x.md"); err != nil || string(data) != "x" {
		t.Fatalf("first read: %q, %v", data, err)
	}
	if err := os.RemoveAll(filepath.Join(root, "content/d")); err != nil {
		t.Fatal(err)
	}
	disk(t, root, map[string]string{"content/d": "-> " + filepath.Join(outside, "d")})
	f.Forget()
	if data, err := f.ReadFile("content/d/x.md"); !errors.Is(err, ErrSkipped) {
		t.Errorf("read through a folder that became a link out of the site: %q, %v", data, err)
	}
}

// TestNameNotUTF8: a file whose name is not UTF-8, which the site's paths
// cannot hold, is reported as such, not as an argument the system refused.
func TestNameNotUTF8(t *testing.T) {
	dir := t.TempDir()
	disk(t, dir, map[string]string{"caf\xe9.md": "# Café\n"})
	name := "caf\xe9.md"
	_, err := fs.ReadFile(os.DirFS(dir), name)
	got := report(name, nil, err)
	if !strings.Contains(got, "caf\uFFFD.md") || !strings.Contains(got, "not valid UTF-8") || strings.Contains(got, "invalid argument") {
		t.Errorf("Report says %q", got)
	}
}

// TestLinksIntoGit: a symbolic link that leads into a .git folder of the
// site (its config holds the token CI checked out with) is skipped with a
// warning that names it, as a link out of the site is, whether it is a
// file, a folder on the way or a top-level folder.
func TestLinksIntoGit(t *testing.T) {
	root := filepath.Join(t.TempDir(), "site")
	disk(t, root, map[string]string{
		".git/config":                "token",
		"content/a.md":               "a",
		"content/b/notes.txt":        "-> ../../.git/config",
		"content/b/abs.txt":          "-> " + filepath.ToSlash(filepath.Join(root, ".git", "config")),
		"content/b/up":               "-> ../../.git",
		"content/sub/.git/config":    "nested token",
		"content/b/nested.txt":       "-> ../sub/.git/config",
		"content/b/fine.txt":         "-> ../a.md",
		"static/robots.txt":          "-> ../.git/config",
		"static/climb.txt":           "-> ../.git/../content/a.md",
		"assets":                     "-> .git",
		"themes":                     "-> content/b/up",
		"layouts":                    "-> content",
		"content/b/.GIT-not/x.txt":   "x",
		"content/b/not-git-link.txt": "-> .GIT-not/x.txt",
	})
	real, err := Root(root)
	if err != nil {
		t.Fatal(err)
	}
	f := New(os.DirFS(root), real, 0)
	for name, want := range map[string]string{
		"content/b/notes.txt":        `content/b/notes.txt: warning: skipped: symbolic link to "../../.git/config", into the site's .git folder`,
		"content/b/abs.txt":          `content/b/abs.txt: warning: skipped: symbolic link to "` + filepath.Join(root, ".git", "config") + `", into the site's .git folder`,
		"content/b/up/config":        `content/b/up/config: warning: skipped: symbolic link to "../../.git", into the site's .git folder`,
		"content/b/nested.txt":       `content/b/nested.txt: warning: skipped: symbolic link to "../sub/.git/config", into the site's .git folder`,
		"static/robots.txt":          `static/robots.txt: warning: skipped: symbolic link to "../.git/config", into the site's .git folder`,
		"assets/config":              `assets/config: warning: skipped: assets is a symbolic link to ".git", into the site's .git folder`,
		"themes/config":              `themes/config: warning: skipped: themes is a symbolic link to "content/b/up", into the site's .git folder`,
		"content/b/fine.txt":         "ok: a",
		"static/climb.txt":           "ok: a",
		"layouts/a.md":               "ok: a",
		"content/b/not-git-link.txt": "ok: x",
	} {
		data, err := f.ReadFile(name)
		if got := report(name, data, err); got != want {
			t.Errorf("ReadFile(%s):\n got %s\nwant %s", name, got, want)
		}
	}
}

// TestWarnOutside: a top-level folder that is a symbolic link out of the
// site is warned of at the link, as its files are published from there;
// one that leads inside the site, or a folder, is not.
func TestWarnOutside(t *testing.T) {
	outside := t.TempDir()
	root := filepath.Join(t.TempDir(), "site")
	disk(t, outside, map[string]string{"shared/s.txt": "s"})
	disk(t, root, map[string]string{
		"content/a.md": "a",
		"static":       "-> " + filepath.ToSlash(filepath.Join(outside, "shared")),
		"assets":       "-> ../../" + filepath.Base(outside) + "/shared",
		"layouts":      "-> content",
		"themes":       "-> static",
	})
	real, err := Root(root)
	if err != nil {
		t.Fatal(err)
	}
	var l diag.List
	New(os.DirFS(root), real, 0).WarnOutside(&l)
	want := `assets: warning: symbolic link to "../../` + filepath.Base(outside) + `/shared", outside the site: its files are read and published from there` + "\n" +
		`static: warning: symbolic link to "` + filepath.Join(outside, "shared") + `", outside the site: its files are read and published from there` + "\n" +
		`themes: warning: symbolic link to "static", outside the site: its files are read and published from there`
	if got := l.Sort().Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
