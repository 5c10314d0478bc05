// Package output holds the writing of a built site to disk: into a fresh
// folder beside the output, swapped in only once every file is written,
// and the rules of where an output may go.
package output

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Write writes files, keyed by slash-separated paths relative to out, as the
// new content of the folder out, as Begin, Put and Commit do; call Check
// first.
func Write(ctx context.Context, out string, files map[string][]byte) error {
	for p := range files {
		if err := checkPath(p); err != nil {
			return err
		}
	}
	s, err := Begin(ctx, out)
	if err != nil {
		return err
	}
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if err := s.Put(p, files[p]); err != nil {
			s.Abort()
			return err
		}
	}
	return s.Commit()
}

// Staging is a new output being written: files go into a temporary folder
// beside the output, which takes the output's place only at Commit. Put
// may be called from several goroutines at once.
type Staging struct {
	ctx  context.Context
	t    temps
	dir  string // the output, symbolic links resolved
	tmp  string // the staging folder
	prev string // the previous output, "" when there is none
	// theirs are the names at the top of prev that the build did not
	// write, which Commit carries over (see carried); writing one of them
	// is an error, unless with the same bytes (adopt).
	theirs map[string]bool
	// inPlace says that the output cannot be replaced whole (a mount
	// point, or in a folder the user may not write): tmp is inside it, and
	// Commit swaps in what it holds name by name (see commitInPlace).
	inPlace bool

	mu   sync.Mutex
	dirs map[string]string // the folders made, by path under tmp: the folder of prev to link from, or ""
	// busy is held for reading by each Put for as long as it writes, and
	// by Create and the Close of its file while they make or link it; for
	// writing by Commit and Abort as they end the staging: they wait for
	// those under way, and a later one finds ended set, so that no file or
	// folder is made in a staging folder being removed. The writes of a
	// file of Create are not waited for: close it before Commit.
	busy  sync.RWMutex
	ended bool
	// scratch lists the files of Scratch that could not be removed while
	// open: they are removed at the end.
	scratch []string
	// conflicts are the files the build wrote in the place of the user's
	// (see theirs), by slash-separated path: Commit refuses them.
	conflicts []string
}

// Begin starts a new content of the folder out, with Marker; call Check
// first. out must be missing, empty but for what a build keeps (see Check),
// or an earlier output. The files Put go to a temporary folder beside out;
// Commit carries into it what the previous output holds at its top and its
// build did not write (see keep), and puts it in the place of
// out in one step where the system has one (Linux), so that whenever the
// process is stopped, even killed, out holds the previous output or the
// new one. Leftovers of earlier builds that were killed are removed. Once
// ctx is done, Put and Commit return its error, out left as it was.
func Begin(ctx context.Context, out string) (*Staging, error) {
	dir, err := resolve(out)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", out, err)
	}
	if err := owned(dir); err != nil {
		return nil, fmt.Errorf("%s: %w", out, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	t := temps{parent, filepath.Base(dir)}
	if err := t.recover(dir); err != nil {
		return nil, err
	}
	// The previous output, resolved once: files are linked only from
	// folders that resolve to their place inside it.
	prev := ""
	if st, err := os.Lstat(dir); err == nil && st.IsDir() {
		prev = dir
	}
	t, tmp, inPlace, err := stagingFolder(dir, t, prev)
	if err != nil {
		return nil, err
	}
	theirs, err := carried(prev)
	if err != nil {
		os.Remove(tmp)
		return nil, err
	}
	delete(theirs, filepath.Base(tmp)) // in place, the staging folder is in prev
	// The marker first: a kill from here on leaves a folder the next build
	// knows as its own leftover.
	if err := os.WriteFile(filepath.Join(tmp, Marker), []byte(markerText), 0o644); err != nil {
		removeMarked(context.Background(), tmp)
		return nil, err
	}
	return &Staging{ctx: ctx, t: t, dir: dir, tmp: tmp, prev: prev, theirs: theirs, inPlace: inPlace,
		dirs: map[string]string{".": linkable(prev, ".")}}, nil
}

// stagingFolder removes what earlier builds left, and makes the folder a
// new output of the output dir is written into, named by t: beside dir,
// or, when dir cannot be replaced whole (inPlace), inside it, named by the
// temps it returns: dir is a mount point (a container's volume), or its
// parent is one the user may not write.
func stagingFolder(dir string, t temps, prev string) (_ temps, tmp string, inPlace bool, err error) {
	if prev == "" || !mountPoint(dir) {
		err := t.clean()
		if err == nil {
			tmp, err = os.MkdirTemp(t.parent, t.prefix("new"))
		}
		if err == nil || prev == "" || !parentRefuses(err) {
			return t, tmp, false, err
		}
	}
	t = temps{dir, inPlaceName}
	if err := t.clean(); err != nil {
		return t, "", true, err
	}
	tmp, err = os.MkdirTemp(dir, t.prefix("new"))
	return t, tmp, true, err
}

// Inside refuses a slash-separated output path that is not inside the
// output folder: absolute, climbing out with "..", or empty.
func Inside(p string) error {
	if !filepath.IsLocal(filepath.FromSlash(p)) {
		return fmt.Errorf("refusing to write %q: it is not inside the output folder", p)
	}
	return nil
}

// checkPath refuses a path that is not inside the output (Inside), or that
// is the marker's.
func checkPath(p string) error {
	if err := Inside(p); err != nil {
		return err
	}
	if p == Marker {
		return fmt.Errorf("refusing to write %q: it is the name of the output's marker", p)
	}
	return nil
}

// Put writes data as the file at the slash-separated path p of the new
// output; data is not kept after Put returns. A file with the same bytes in
// the previous output is linked instead of written: a rebuild then creates
// and frees few inodes, which some file systems make slow (ext4 without a
// journal passes over every inode freed in the last minutes each time it
// creates a file).
func (s *Staging) Put(p string, data []byte) error {
	if err := checkPath(p); err != nil {
		return err
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	s.busy.RLock()
	defer s.busy.RUnlock()
	if s.adopt(p, data) {
		return nil
	}
	dst, from, err := s.place(p)
	if errors.Is(err, errTheirs) {
		return nil // told at Commit, with every other
	}
	if err != nil {
		return err
	}
	if from != "" {
		old := filepath.Join(from, filepath.Base(dst))
		if sameFile(old, data) && os.Link(old, dst) == nil {
			return nil
		}
	}
	return os.WriteFile(dst, data, 0o644)
}

// adopt settles a file at p that the previous output holds and its build
// did not write, when this build writes it with the same bytes: at the
// top (a CNAME put in the output by hand, then added to static/), it is
// taken as the build's; in a folder of the user's, which Commit carries
// over whole (.well-known), it is left to that folder, and adopt reports
// that the build need not write it.
func (s *Staging) adopt(p string, data []byte) (left bool) {
	top, _, nested := strings.Cut(p, "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.theirs[top] || !sameBytes(filepath.Join(s.prev, filepath.FromSlash(p)), data) {
		return false
	}
	if !nested {
		delete(s.theirs, p)
		return false
	}
	return linkable(s.prev, filepath.Dir(filepath.FromSlash(p))) != ""
}

// Create returns the writer of the file at the slash-separated path p of
// the new output, for a file written a part at a time; it writes until
// the staging's context is done. Close it before Commit. As Put does, it
// links the file of the previous output instead when the bytes written
// are its bytes.
func (s *Staging) Create(p string) (io.WriteCloser, error) {
	if err := checkPath(p); err != nil {
		return nil, err
	}
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	s.busy.RLock()
	defer s.busy.RUnlock()
	dst, from, err := s.place(p)
	if errors.Is(err, errTheirs) {
		return discard{}, nil // told at Commit, with every other
	}
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	sf := &stagedFile{f: f, s: s}
	if from != "" {
		old := filepath.Join(from, filepath.Base(dst))
		if st, ok := linkableFile(old); ok {
			if sf.old, err = os.Open(old); err == nil {
				sf.oldPath, sf.oldSize = old, st.Size()
			}
		}
	}
	return sf, nil
}

// stagedFile is a file of Create, compared as it is written with the file
// of the previous output at its path, if any.
type stagedFile struct {
	f       *os.File // not embedded: its WriteString would pass Write by
	s       *Staging
	old     *os.File // nil once it differs
	oldPath string
	oldSize int64
	written int64
}

func (f *stagedFile) Write(b []byte) (int, error) {
	if err := f.s.ctx.Err(); err != nil {
		return 0, err
	}
	if f.old != nil && !readsAs(f.old, b) {
		f.old.Close()
		f.old = nil
	}
	n, err := f.f.Write(b)
	f.written += int64(n)
	return n, err
}

// Close closes the file, and puts the previous one in its place when it
// has the same bytes.
func (f *stagedFile) Close() error {
	err := f.f.Close()
	if f.old == nil {
		return err
	}
	f.old.Close()
	if err != nil || f.written != f.oldSize {
		return err
	}
	f.s.busy.RLock()
	defer f.s.busy.RUnlock()
	if f.s.ended {
		return nil
	}
	if err := os.Remove(f.f.Name()); err != nil || os.Link(f.oldPath, f.f.Name()) == nil {
		return err
	}
	// Not linked after all: the same bytes, copied.
	return copyFile(f.oldPath, f.f.Name(), 0o644)
}

// place makes the folder of the file at p in the staging folder, unless
// made, and returns the file's path there and the folder of the previous
// output its bytes may be linked from ("" when none). The caller holds
// busy for reading.
func (s *Staging) place(p string) (dst, from string, err error) {
	if s.ended {
		return "", "", fmt.Errorf("%s: writing into an output already committed or aborted", s.dir)
	}
	top, _, _ := strings.Cut(p, "/")
	s.mu.Lock()
	theirs := s.theirs[top]
	s.mu.Unlock()
	if theirs {
		s.mu.Lock()
		s.conflicts = append(s.conflicts, p)
		s.mu.Unlock()
		return "", "", errTheirs
	}
	d := filepath.Dir(filepath.FromSlash(p))
	s.mu.Lock()
	from, made := s.dirs[d]
	s.mu.Unlock()
	if !made {
		if err := os.MkdirAll(filepath.Join(s.tmp, d), 0o755); err != nil {
			return "", "", err
		}
		from = linkable(s.prev, d)
		s.mu.Lock()
		s.dirs[d] = from
		s.mu.Unlock()
	}
	return filepath.Join(s.tmp, filepath.FromSlash(p)), from, nil
}

// Scratch returns a new empty file for the build's own use, not part of
// the output, which it may read back: it is in the staging folder (see
// NewScratch), and removed when the staging ends where it could not be
// at once. Close it before Commit.
func (s *Staging) Scratch() (*os.File, error) {
	s.busy.RLock()
	defer s.busy.RUnlock()
	if s.ended {
		return nil, fmt.Errorf("%s: a scratch file for an output already committed or aborted", s.dir)
	}
	f, left, err := NewScratch(s.tmp)
	if left != "" {
		s.mu.Lock()
		s.scratch = append(s.scratch, left)
		s.mu.Unlock()
	}
	return f, err
}

// NewScratch makes a new empty file in the folder dir for a build's own
// use, under a name no output file takes, and removes that name at once
// where the system lets an open file go: its bytes then last until it is
// closed, and a killed process leaves nothing. Where the name stays, it
// returns it as left, for the caller to remove.
func NewScratch(dir string) (f *os.File, left string, err error) {
	f, err = os.CreateTemp(dir, ".scratch-*")
	if err != nil {
		return nil, "", err
	}
	if os.Remove(f.Name()) != nil {
		left = f.Name()
	}
	return f, left, nil
}

// Commit puts the new output in the place of the previous one, as Begin
// says, and removes the previous one; call it once every Put has returned.
// When ctx is done before the swap, it removes the new output, leaves out
// as it was and returns ctx's error; after, it returns nil, the new output
// in place, and leaves the rest of the previous one for the next build to
// remove.
func (s *Staging) Commit() error {
	if s.end() {
		return errors.New("committing an output already committed or aborted")
	}
	err := s.conflict()
	switch {
	case err != nil:
	case s.inPlace:
		err = s.commitInPlace()
	default:
		err = keep(s.prev, s.tmp, s.theirs)
		if err == nil && s.prev != "" {
			err = sameOwner(s.tmp, s.prev)
		} else if err == nil {
			err = os.Chmod(s.tmp, 0o755)
		}
		if err == nil {
			err = s.ctx.Err()
		}
		if err == nil {
			err = s.t.swap(s.ctx, s.tmp, s.dir, s.prev != "")
		}
	}
	if err != nil && !errors.Is(err, errLeft) {
		removeMarked(context.Background(), s.tmp)
	}
	return err
}

// errTheirs says that a file the build writes is in the place of one of
// the user's, which the build may not replace (see Staging.conflict).
var errTheirs = errors.New("the output holds this, which no build wrote")

// conflict returns an error naming each file the build wrote in the place
// of one of the user's at the top of the output, or in a folder of the
// user's there, with other bytes; nil when none.
func (s *Staging) conflict() error {
	byTop := map[string][]string{} // the files written, by the user's entry at the top
	for _, p := range s.conflicts {
		top, _, _ := strings.Cut(p, "/")
		byTop[top] = append(byTop[top], p)
	}
	var errs []error
	for _, top := range slices.Sorted(maps.Keys(byTop)) {
		files := slices.Sorted(slices.Values(byTop[top]))
		if files[0] == top {
			errs = append(errs, fmt.Errorf("%s: %w, and this build writes it (from static/, the theme or the postmortems), not as it is there: remove it from the output, and the build's takes its place", filepath.Join(s.prev, top), errTheirs))
			continue
		}
		what := files[0]
		if len(files) > 1 {
			what = fmt.Sprintf("%d files (%s, ...)", len(files), files[0])
		}
		errs = append(errs, fmt.Errorf("%s: %w; this build writes %s into it (from static/, the theme or the postmortems), not as it is there: move the folder out of the output (put what else it holds in static/), and the build's takes its place", filepath.Join(s.prev, top), errTheirs, what))
	}
	return errors.Join(errs...)
}

// discard is the file of Create that the build may not write.
type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) Close() error                { return nil }

// Abort removes the new output, leaving the previous one as it was. It
// does nothing after Commit.
func (s *Staging) Abort() {
	if !s.end() {
		removeMarked(context.Background(), s.tmp)
	}
}

// end ends the staging once every Put under way has returned, and reports
// whether it had ended before.
func (s *Staging) end() (ended bool) {
	s.busy.Lock()
	defer s.busy.Unlock()
	ended, s.ended = s.ended, true
	for _, p := range s.scratch {
		os.Remove(p)
	}
	s.scratch = nil
	return ended
}

// linkable returns the folder dir of the previous output prev (a path
// without symbolic links), when files may be linked from it: it is there,
// and no symbolic link leads it out of prev. It returns "" otherwise.
func linkable(prev, dir string) string {
	if prev == "" {
		return ""
	}
	old := filepath.Join(prev, dir)
	if r, err := filepath.EvalSymlinks(old); err != nil || r != old {
		return ""
	}
	return old
}

// sameFile reports whether the regular file at path holds data and has
// mode 0644, as Put makes files.
func sameFile(path string, data []byte) bool {
	_, ok := linkableFile(path)
	return ok && sameBytes(path, data)
}

// sameBytes reports whether the regular file at path holds data.
func sameBytes(path string, data []byte) bool {
	st, err := os.Lstat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() != int64(len(data)) {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	return readsAs(f, data)
}

// linkableFile returns the file information of path when it is a regular
// file of mode 0644, as Put and Create make files, whose bytes a link may
// keep.
func linkableFile(path string) (os.FileInfo, bool) {
	st, err := os.Lstat(path)
	return st, err == nil && st.Mode().IsRegular() && st.Mode().Perm() == 0o644
}

// readsAs reports whether the next bytes of r are data.
func readsAs(r io.Reader, data []byte) bool {
	buf := chunks.Get().(*[]byte)
	defer chunks.Put(buf)
	for len(data) > 0 {
		n, err := io.ReadFull(r, (*buf)[:min(len(*buf), len(data))])
		if err != nil || !bytes.Equal((*buf)[:n], data[:n]) {
			return false
		}
		data = data[n:]
	}
	return true
}

// chunks are the buffers readsAs reads into.
var chunks = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}
