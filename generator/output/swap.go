package output

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// temps names the temporary folders of the output named name in the
// folder parent: ".NAME.new-RANDOM" while a build writes, and, where the
// swap takes two renames, ".NAME.old-RANDOM" for the previous output
// between them.
type temps struct{ parent, name string }

func (t temps) prefix(kind string) string { return "." + t.name + "." + kind + "-" }

// leftovers lists the folders of parent named as temporary folders of
// kind that hold Marker, oldest first: those earlier builds left.
func (t temps) leftovers(kind string) ([]string, error) {
	entries, err := os.ReadDir(t.parent)
	if err != nil {
		return nil, err
	}
	type found struct {
		path string
		mod  int64
	}
	var all []found
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), t.prefix(kind)) {
			continue
		}
		p := filepath.Join(t.parent, e.Name())
		m, err := os.Lstat(filepath.Join(p, Marker))
		if err != nil || !m.Mode().IsRegular() {
			continue
		}
		st, err := os.Lstat(p)
		if err != nil {
			continue
		}
		all = append(all, found{p, st.ModTime().UnixNano()})
	}
	slices.SortFunc(all, func(a, b found) int {
		return cmp.Or(cmp.Compare(a.mod, b.mod), strings.Compare(a.path, b.path))
	})
	paths := make([]string, len(all))
	for i, f := range all {
		paths[i] = f.path
	}
	return paths, nil
}

// recover puts back the previous output when a build that swaps with two
// renames was stopped between them: dir is missing and an old folder of
// it is there.
func (t temps) recover(dir string) error {
	if _, err := os.Lstat(dir); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	old, err := t.leftovers("old")
	if err != nil || len(old) == 0 {
		return err
	}
	if err := os.Rename(old[len(old)-1], dir); err != nil {
		return fmt.Errorf("putting back the previous output: %w", err)
	}
	return nil
}

// clean removes the temporary folders that earlier builds left: those
// that hold Marker, and empty ones, which a build stopped before it wrote
// the marker leaves, and whose removal loses nothing.
func (t temps) clean() error {
	for _, kind := range []string{"new", "old"} {
		paths, err := t.leftovers(kind)
		if err != nil {
			return err
		}
		for _, p := range paths {
			if err := removeMarked(context.Background(), p); err != nil {
				return fmt.Errorf("removing a folder an earlier build left: %w", err)
			}
		}
	}
	entries, err := os.ReadDir(t.parent)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() && (strings.HasPrefix(e.Name(), t.prefix("new")) || strings.HasPrefix(e.Name(), t.prefix("old"))) {
			_ = os.Remove(filepath.Join(t.parent, e.Name())) // fails unless empty
		}
	}
	return nil
}

// swap puts the complete new output tmp in the place of dir, which exists
// when replace is true, and removes the previous output, unless ctx is
// done first.
func (t temps) swap(ctx context.Context, tmp, dir string, replace bool) error {
	if !replace {
		if err := os.Rename(tmp, dir); err != nil {
			return fmt.Errorf("moving the new output in place: %w", err)
		}
		return nil
	}
	// Marked, the previous output is a leftover the next build removes
	// should this one be killed before it does.
	if err := mark(dir); err != nil {
		return err
	}
	switch err := swapFolders(tmp, dir); {
	case err == nil:
		// tmp now holds the previous output.
		return removeOld(ctx, tmp)
	case !errors.Is(err, errNoExchange):
		return fmt.Errorf("swapping the new output in: %w", err)
	}
	old := filepath.Join(t.parent, t.prefix("old")+strings.TrimPrefix(filepath.Base(tmp), t.prefix("new")))
	if err := os.Rename(dir, old); err != nil {
		return fmt.Errorf("moving the previous output aside: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if back := os.Rename(old, dir); back != nil {
			return fmt.Errorf("moving the new output in place: %w; the previous output is in %s", err, old)
		}
		return fmt.Errorf("moving the new output in place: %w", err)
	}
	return removeOld(ctx, old)
}

// removeOld removes old, the previous output, as removeMarked does: when
// ctx is done first, it stops and leaves the rest for the next build to
// remove, and returns nil, as the new output is in place.
func removeOld(ctx context.Context, old string) error {
	if err := removeMarked(ctx, old); err != nil && ctx.Err() == nil {
		return fmt.Errorf("removing the previous output: %w", err)
	}
	return nil
}

// removeMarked removes the folder dir, which holds Marker, the marker
// last: should the process be stopped half way, what is left is still
// marked, and the next build removes it.
func removeMarked(ctx context.Context, dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() != Marker {
			if err := removeTree(ctx, filepath.Join(dir, e.Name()), e.IsDir()); err != nil {
				return err
			}
		}
	}
	// The marker and the folder: too quick to stop.
	return removeTree(context.Background(), dir, true)
}

// removeTree removes the file or folder at p, checking ctx before each
// file. A folder without write permission, as some in a kept .git may be,
// is made writable first.
func removeTree(ctx context.Context, p string, dir bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if dir {
		if st, err := os.Lstat(p); err == nil && st.Mode().Perm()&0o700 != 0o700 {
			if err := os.Chmod(p, st.Mode().Perm()|0o700); err != nil {
				return err
			}
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := removeTree(ctx, filepath.Join(p, e.Name()), e.IsDir()); err != nil {
				return err
			}
		}
	}
	return os.Remove(p)
}

// mark writes Marker into the folder dir if it lacks it.
func mark(dir string) error {
	p := filepath.Join(dir, Marker)
	if _, err := os.Lstat(p); err == nil {
		return nil
	}
	return os.WriteFile(p, []byte(markerText), 0o644)
}

// carried returns the names at the top of the previous output prev that a
// build carries into the next: those its build did not write (see wrote);
// or, with no list (a first build into a folder of a deployment's), what
// a build keeps (see kept). Writing one of them is an error rather than a
// loss, unless with the same bytes (Staging.adopt).
func carried(prev string) (theirs map[string]bool, err error) {
	if prev == "" {
		return nil, nil
	}
	entries, err := os.ReadDir(prev)
	if err != nil {
		return nil, err
	}
	built, err := wrote(prev)
	if err != nil {
		return nil, err
	}
	theirs = map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if name != Marker && (built != nil && !built[name] || built == nil && kept(name)) {
			theirs[name] = true
		}
	}
	return theirs, nil
}

// keep lists in the Marker of the new output tmp the names the build wrote
// at its top; then it carries into tmp the entries of the previous output
// prev named by theirs (see carried) that tmp lacks: folders are made anew
// and files linked, so that the previous output keeps them too until it
// is gone.
func keep(prev, tmp string, theirs map[string]bool) error {
	names, err := topNames(tmp)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, Marker), []byte(markerText+wroteList(names)), 0o644); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(theirs)) {
		if _, err := os.Lstat(filepath.Join(tmp, name)); !errors.Is(err, fs.ErrNotExist) {
			continue // the build's own (only where there is no list: see place)
		}
		if err := carry(filepath.Join(prev, name), filepath.Join(tmp, name)); err != nil {
			return fmt.Errorf("keeping %s: %w", name, err)
		}
	}
	return nil
}

// carry makes at to what is at from: a folder anew, with its mode, and
// what it holds carried; a file linked, or copied when it cannot be; a
// symbolic link with the same target.
func carry(from, to string) error {
	st, err := os.Lstat(from)
	if err != nil {
		return err
	}
	switch mode := st.Mode(); {
	case mode.IsDir():
		// Writable until filled, with its own mode after.
		if err := os.Mkdir(to, 0o700); err != nil {
			return err
		}
		entries, err := os.ReadDir(from)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := carry(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
				return err
			}
		}
		chownLike(to, st) // a user's .ssh stays theirs when root builds
		return os.Chmod(to, modeOf(st))
	case mode.IsRegular():
		if os.Link(from, to) == nil {
			return nil
		}
		return copyFile(from, to, mode.Perm())
	case mode&fs.ModeSymlink != 0:
		target, err := os.Readlink(from)
		if err != nil {
			return err
		}
		if err := os.Symlink(target, to); err != nil {
			return err
		}
		chownLike(to, st)
		return nil
	}
	return fmt.Errorf("%s is neither a file, a folder nor a symbolic link, and cannot be carried over", from)
}

func copyFile(from, to string, perm fs.FileMode) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// swapFolders is exchange, but in tests of the swap without it.
var swapFolders = exchange

// errNoExchange says that the system cannot swap two folders in one step.
var errNoExchange = errors.New("no atomic exchange of folders here")
