// Package sitefs holds the files of a site as the build may read them:
// regular files inside the site root, each within a size limit. Symbolic
// links are followed only when they resolve inside the site and not into a
// .git folder of it, except that the site's top-level folders (content,
// static, ...) may be links to anywhere but a .git folder; named pipes,
// devices and sockets are never opened.
package sitefs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/postmortem/postmortem/generator/diag"
)

// TopLevel lists the folders of the site root that may be symbolic links to
// anywhere, such as a content folder kept in another repository.
var TopLevel = []string{"content", "static", "layouts", "themes", "assets"}

// DefaultMaxFileSize is the size limit of a file when the config sets none.
const DefaultMaxFileSize = 64 << 20

// maxHops bounds the symbolic links followed to resolve one path, as the
// kernel does, so that a loop of links ends.
const maxHops = 40

// ErrSkipped is the error, under errors.Is, of a file the build does not
// read: a link out of the site, a named pipe, a device, a socket. Such a
// file is reported as a warning and left out of the output.
var ErrSkipped = errors.New("skipped")

// Error is a file the build does not read, and why.
type Error struct {
	Path string // as asked for, relative to the site root
	Msg  string
	Skip bool // the file is left out with a warning; otherwise the build fails
	out  bool // skipped as a link that leads outside the site
}

func (e *Error) Error() string { return e.Path + ": " + e.Msg }

// Is reports whether a skipped file's error is ErrSkipped.
func (e *Error) Is(target error) bool { return e.Skip && target == ErrSkipped }

func skipped(name, format string, args ...any) error {
	return &Error{Path: name, Msg: "skipped: " + fmt.Sprintf(format, args...), Skip: true}
}

// Report adds err, met reading the file or folder at name, to l: a warning
// when the file was skipped, an error otherwise, at name without a line.
func Report(l *diag.List, name string, err error) {
	var e *Error
	var pe *fs.PathError
	switch {
	case errors.As(err, &e) && e.Skip:
		l.Warn(name, 0, 0, "%s", e.Msg)
	case errors.As(err, &e):
		l.Add(name, 0, 0, "%s", e.Msg)
	case !utf8.ValidString(name) && errors.Is(err, fs.ErrInvalid):
		l.Add(strings.ToValidUTF8(name, "\uFFFD"), 0, 0, "the name is not valid UTF-8, which the site's paths and links must be: rename it")
	case errors.As(err, &pe):
		verb, ok := verbs[pe.Op]
		if !ok {
			verb = "read"
		}
		l.Add(name, 0, 0, "cannot %s: %v", verb, pe.Err)
	default:
		l.Add(name, 0, 0, "%v", err)
	}
}

// verbs says what failed, by the Op of a PathError.
var verbs = map[string]string{
	"open": "open", "read": "read", "stat": "read", "lstat": "read",
	"readlink": "read the link", "readdir": "list the folder",
}

// FS is the site root as the build may read it. It is safe for concurrent
// use. It remembers where the site's folders lead until Forget.
type FS struct {
	fsys fs.FS
	root []string // the components of the site's absolute path; nil when unknown
	max  int64
	dirs atomic.Pointer[sync.Map] // folder path -> folder
}

// folder is where a folder path leads: a path with no link in it but a
// top-level folder.
type folder struct {
	done      []string // its components; shared: clone before appending
	linkedTop bool     // done[0] is a top-level folder that is a link
	via       string   // the target of the last link followed to it, if any
}

// Forget drops what f learnt of the site's folders: a build calls it first,
// as a folder may since have become a link.
func (f *FS) Forget() { f.dirs.Store(new(sync.Map)) }

// New returns the site whose files are fsys. root is the site's absolute
// path on disk, symbolic links resolved: an absolute link target under it is
// inside the site; when root is "", every absolute target is outside. Files
// over max bytes are errors; max <= 0 means DefaultMaxFileSize.
func New(fsys fs.FS, root string, max int64) *FS {
	if max <= 0 {
		max = DefaultMaxFileSize
	}
	f := &FS{fsys: fsys, max: max}
	if root != "" && filepath.IsAbs(root) {
		f.root = components(filepath.ToSlash(filepath.Clean(root)))
	}
	f.Forget()
	return f
}

func components(p string) []string {
	var out []string
	for c := range strings.SplitSeq(p, "/") {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

// resolve follows the symbolic links of name path-wise, as the kernel
// would, and returns the path inside the site it leads to (with no link in
// it but top-level folders) and what is there. A link out of the site, a
// loop and, at the end of name, a link to a folder are skipped.
func (f *FS) resolve(op, name string) (string, fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return "", nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		info, err := fs.Stat(f.fsys, ".")
		return ".", info, err
	}
	dir, base := path.Split(name)
	start, err := f.folder(op, name, strings.TrimSuffix(dir, "/"))
	if err != nil {
		return "", nil, err
	}
	end, info, lastLink, err := f.follow(name, start, []string{base})
	if err != nil {
		return "", nil, err
	}
	if err := intoGit(name, end); err != nil {
		return "", nil, err
	}
	if lastLink && info.IsDir() {
		return "", nil, skipped(name, "symbolic link to a folder; only the top-level folders (%s) may be links to folders", strings.Join(TopLevel, ", "))
	}
	if t := info.Mode().Type(); t != 0 && t != fs.ModeDir {
		return "", nil, skipped(name, "%s, not a regular file", kind(t))
	}
	return end.path(), info, nil
}

// folder returns where the folder dir leads, from memory or by following
// its links; name is the path asked for, for errors.
func (f *FS) folder(op, name, dir string) (folder, error) {
	if dir == "" {
		return folder{}, nil
	}
	dirs := f.dirs.Load()
	if v, ok := dirs.Load(dir); ok {
		return v.(folder), nil
	}
	parent := path.Dir(dir)
	if parent == "." {
		parent = ""
	}
	start, err := f.folder(op, name, parent)
	if err != nil {
		return folder{}, err
	}
	end, info, _, err := f.follow(name, start, []string{path.Base(dir)})
	if err != nil {
		return folder{}, err
	}
	if err := intoGit(name, end); err != nil {
		return folder{}, err
	}
	if !info.IsDir() {
		return folder{}, &fs.PathError{Op: op, Path: name, Err: errors.New("not a folder: " + dir)}
	}
	dirs.Store(dir, end)
	return end, nil
}

// follow walks the components todo from the folder start, following
// links, and returns where it ends, what is there, and whether the last
// component of todo was a link.
func (f *FS) follow(name string, start folder, todo []string) (folder, fs.FileInfo, bool, error) {
	done, linkedTop, via := slices.Clone(start.done), start.linkedTop, start.via
	var info fs.FileInfo // of done; nil after a ".."
	hops, lastLink := 0, false
	out := "symbolic link leads outside the site"
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 || (len(done) == 1 && linkedTop) {
				return folder{}, nil, false, leaves(name, out)
			}
			done, info = done[:len(done)-1], nil
			if len(done) == 0 {
				linkedTop = false
			}
			continue
		}
		p := path.Join(append(done, c)...)
		fi, err := fs.Lstat(f.fsys, p)
		if err != nil {
			return folder{}, nil, false, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			done, info = append(done, c), fi
			continue
		}
		if len(done) == 0 && slices.Contains(TopLevel, c) {
			if fi, err = fs.Stat(f.fsys, p); err != nil {
				return folder{}, nil, false, err
			}
			if err := f.topIntoGit(name, c); err != nil {
				return folder{}, nil, false, err
			}
			done, info, linkedTop = append(done, c), fi, true
			continue
		}
		if hops++; hops > maxHops {
			return folder{}, nil, false, skipped(name, "too many levels of symbolic links")
		}
		target, err := fs.ReadLink(f.fsys, p)
		if err != nil {
			return folder{}, nil, false, err
		}
		lastLink, via = len(todo) == 0, target
		out = outside(target) // the link whose target a ".." climbs out by is the last read
		slashed := filepath.ToSlash(target)
		if filepath.IsAbs(target) {
			rel, ok := f.under(slashed)
			if !ok {
				return folder{}, nil, false, leaves(name, outside(target))
			}
			done, linkedTop = nil, false
			slashed = rel
		}
		todo = append(strings.Split(slashed, "/"), todo...)
	}
	end := folder{done: done, linkedTop: linkedTop, via: via}
	if info == nil {
		var err error
		if info, err = fs.Stat(f.fsys, end.path()); err != nil {
			return folder{}, nil, false, err
		}
	}
	return end, info, lastLink, nil
}

// path is the folder's path in the site, "." for the root.
func (fd folder) path() string {
	if len(fd.done) == 0 {
		return "."
	}
	return strings.Join(fd.done, "/")
}

// under returns the site path of the absolute slash-separated target, and
// whether it is inside the site root.
func (f *FS) under(target string) (string, bool) {
	if f.root == nil {
		return "", false
	}
	parts := components(target)
	if len(parts) < len(f.root) || !slices.Equal(parts[:len(f.root)], f.root) {
		return "", false
	}
	// The rest may climb out again with "..": resolve checks it.
	return strings.Join(parts[len(f.root):], "/"), true
}

func kind(t fs.FileMode) string {
	switch {
	case t&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case t&fs.ModeSocket != 0:
		return "a socket"
	case t&fs.ModeDevice != 0, t&fs.ModeCharDevice != 0:
		return "a device"
	}
	return "a special file"
}

// Stat describes the file or folder at name, after the links it may follow.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	_, info, err := f.resolve("stat", name)
	if err != nil {
		return nil, err
	}
	return named{info, path.Base(name)}, nil
}

// named is a FileInfo under the name it was asked for, not its target's.
type named struct {
	fs.FileInfo
	name string
}

func (n named) Name() string { return n.name }

// Open opens the file or folder at name. Reading a file past the size limit
// fails.
func (f *FS) Open(name string) (fs.File, error) {
	resolved, info, err := f.resolve("open", name)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		if err := f.fits(name, info.Size()); err != nil {
			return nil, err
		}
	}
	file, err := f.fsys.Open(resolved)
	if err != nil || info.IsDir() {
		return file, err
	}
	return &limited{File: file, fs: f, name: name, left: f.max}, nil
}

func (f *FS) fits(name string, n int64) error {
	if n > f.max {
		return &Error{Path: name, Msg: fmt.Sprintf("is %s, over the limit of %s (max_file_size in postmortem.yaml)", size(n), size(f.max))}
	}
	return nil
}

// limited is a file that fails to read past the size limit, should it grow
// after it was opened.
type limited struct {
	fs.File
	fs   *FS
	name string
	left int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, l.over()
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.File.Read(p)
	if l.left -= int64(n); l.left < 0 {
		return n - 1, l.over()
	}
	return n, err
}

func (l *limited) over() error {
	return &Error{Path: l.name, Msg: fmt.Sprintf("is over the limit of %s (max_file_size in postmortem.yaml)", size(l.fs.max))}
}

// ReadFile reads the file at name whole, within the size limit.
func (f *FS) ReadFile(name string) ([]byte, error) {
	file, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a folder")}
	}
	var buf bytes.Buffer
	buf.Grow(int(min(st.Size(), f.max)) + bytes.MinRead)
	if _, err := buf.ReadFrom(file); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ReadDir lists the folder at name, sorted by name. Its entries are as they
// are on disk: links and special files among them are checked when opened.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	resolved, info, err := f.resolve("readdir", name)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a folder")}
	}
	return fs.ReadDir(f.fsys, resolved)
}

// size writes n bytes in the largest unit that divides it, else with one
// decimal, else in bytes.
func size(n int64) string {
	for _, u := range []struct {
		name string
		n    int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}} {
		if n >= u.n && n%u.n == 0 {
			return fmt.Sprintf("%d %s", n/u.n, u.name)
		}
		if n >= u.n {
			if s := fmt.Sprintf("%.1f", float64(n)/float64(u.n)); !strings.HasSuffix(s, ".0") {
				return s + " " + u.name
			}
			break
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// Walk calls fn with the path of every file below dir in fsys, in lexical
// order, but files whose names start with a dot (folders such as
// .well-known are walked), and reports in l the
// folders it cannot read. A missing dir holds no files; a dir that is not a
// folder is an error. fn's error is reported too, and the walk goes on.
func Walk(fsys fs.FS, dir string, l *diag.List, fn func(name string) error) {
	walk(fsys, dir, l, func(name string, isDir bool) bool { return !isDir && strings.HasPrefix(name, ".") }, fn)
}

// WalkStatic is Walk for the files a site publishes as they are, those of
// static/: files whose names start with a dot are walked too (.nojekyll,
// .htaccess), but for a .git folder or file and macOS's .DS_Store, which
// are never published.
func WalkStatic(fsys fs.FS, dir string, l *diag.List, fn func(name string) error) {
	walk(fsys, dir, l, func(name string, _ bool) bool { return name == ".git" || name == ".DS_Store" }, fn)
}

// walk is Walk with the files and folders that skip selects, by name, left out.
func walk(fsys fs.FS, dir string, l *diag.List, skip func(name string, isDir bool) bool, fn func(name string) error) {
	st, err := fs.Stat(fsys, dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return
	case err != nil:
		Report(l, dir, err)
		return
	case !st.IsDir():
		l.Add(dir, 0, 0, "is a file, want a folder")
		return
	}
	_ = fs.WalkDir(fsys, dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) { // else it went while we walked: the next build sees it
				Report(l, p, err)
			}
			return nil
		}
		if p != dir && skip(e.Name(), e.IsDir()) {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !e.IsDir() {
			if err := fn(p); err != nil {
				Report(l, p, err)
			}
		}
		return nil
	})
}

// Root returns the absolute path of the site folder dir with its symbolic
// links resolved, for New and site.Options.Root.
func Root(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// Dir returns the site folder dir on disk, read within the default size
// limit; for the commands that read only its config.
func Dir(dir string) *FS {
	root, _ := Root(dir) // "" when it cannot be resolved: absolute links are then outside the site
	return New(os.DirFS(dir), root, 0)
}
