package output

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"syscall"
)

// inPlaceName names the staging folders of a build that writes in place
// (see Staging.inPlace), inside the output: ".postmortem.new-RANDOM".
const inPlaceName = "postmortem"

// mountPoint reports whether the folder dir is where a file system is
// mounted (a container's volume, a bind mount), which cannot be renamed;
// mount_linux.go and mount_other.go say how it is told.
var mountPoint = isMountPoint

// parentRefuses reports whether err, from making a folder beside the
// output, says that its parent may not be written, as when a user owns
// /var/www/incidents and not /var/www.
func parentRefuses(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

// commitInPlace puts the new output, staged in the folder tmp inside the
// output dir, in the place of the previous one, name by name at the top of
// dir: each swapped in one step (where the system has one), so that a
// folder or file at the top is whole, old or new, whenever the process is
// stopped, but the top may hold both for the moment of the swap. It first
// lists in the Marker of dir both builds' names, so that a build killed
// half way leaves none of them taken for the user's; it lists the new
// build's alone at the end. Should an entry fail to move, it puts back
// those moved before it and the previous Marker. What the previous output
// holds and its build did not write (theirs) stays where it is.
func (s *Staging) commitInPlace() error {
	names, err := topNames(s.tmp)
	if err != nil {
		return err
	}
	ours := map[string]bool{}
	for _, n := range names {
		ours[n] = true
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	var prevNames, gone []string // the previous build's names, and those this one does not write
	for _, e := range entries {
		n := e.Name()
		if n == Marker || n == filepath.Base(s.tmp) || s.theirs[n] {
			continue
		}
		prevNames = append(prevNames, n)
		if !ours[n] {
			gone = append(gone, n)
		}
	}
	both := slices.Sorted(maps.Keys(ours))
	both = append(both, gone...)
	slices.Sort(both)
	if err := writeMarker(s.dir, s.tmp, both); err != nil {
		return err
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	// undo holds, last first, how to put back each entry swapped so far,
	// should a later one fail (a folder another user owns cannot be
	// moved): the previous output is then left whole, as it was.
	var undo []func() error
	fail := func(err error) error {
		var back []error
		for _, u := range slices.Backward(undo) {
			back = append(back, u())
		}
		if b := errors.Join(back...); b != nil {
			return fmt.Errorf("%w; putting the previous output back: %w; %w: %s", err, b, errLeft, s.tmp)
		}
		if b := writeMarker(s.dir, s.tmp, prevNames); b != nil {
			return fmt.Errorf("%w; listing the previous output: %w", err, b)
		}
		return err
	}
	for _, n := range names {
		u, err := swapIn(filepath.Join(s.tmp, n), filepath.Join(s.dir, n))
		if err != nil {
			return fail(fmt.Errorf("swapping %s in: %w", filepath.Join(s.dir, n), err))
		}
		undo = append(undo, u)
	}
	// What the previous build wrote and this one does not goes with the
	// staging folder, which now holds the previous entries.
	for _, n := range gone {
		from, to := filepath.Join(s.dir, n), filepath.Join(s.tmp, n)
		if err := os.Rename(from, to); err != nil {
			return fail(fmt.Errorf("removing %s: %w", from, err))
		}
		undo = append(undo, func() error { return os.Rename(to, from) })
	}
	if err := writeMarker(s.dir, s.tmp, names); err != nil {
		return fail(err)
	}
	return removeOld(s.ctx, s.tmp)
}

// errLeft, in the error of a build in place that could not put the
// previous output back whole, says that the staging folder, which then
// holds some of its entries, is left as it is.
var errLeft = errors.New("the rest of the previous output is in")

// topNames lists the names at the top of the folder dir but its Marker.
func topNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Name() != Marker {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// writeMarker writes the Marker of the output dir, listing names as those
// the build wrote, in one step: a new file, made in the staging folder
// stage (so that a kill leaves it where the next build removes it), renamed
// over the old.
func writeMarker(dir, stage string, names []string) error {
	tmp := filepath.Join(stage, Marker+".next")
	if err := os.WriteFile(tmp, []byte(markerText+wroteList(names)), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, Marker))
}

// swapIn puts the file or folder at from in the place of to; what was at
// to is then at from, or beside it (from+".old"), or gone. It returns how
// to undo the swap. An entry takes the place of another in one exchange
// where the system has it; else a file takes the place of a file in one
// rename, the old one kept by a second link to it where the file system
// allows, and a folder takes its place in two renames.
func swapIn(from, to string) (undo func() error, err error) {
	st, err := os.Lstat(to)
	if errors.Is(err, fs.ErrNotExist) {
		return func() error { return os.Rename(to, from) }, os.Rename(from, to)
	}
	if err != nil {
		return nil, err
	}
	switch err := swapFolders(from, to); {
	case err == nil:
		return func() error { return swapFolders(from, to) }, nil
	case !errors.Is(err, errNoExchange):
		return nil, err
	}
	aside := from + ".old"
	if nst, err := os.Lstat(from); err == nil && !nst.IsDir() && !st.IsDir() {
		if os.Link(to, aside) != nil {
			return func() error { return errors.New("the previous " + to + " is gone") }, os.Rename(from, to)
		}
		return func() error { return os.Rename(aside, to) }, os.Rename(from, to)
	}
	if err := os.Rename(to, aside); err != nil {
		return nil, err
	}
	undo = func() error {
		if err := os.Rename(to, from); err != nil {
			return err
		}
		return os.Rename(aside, to)
	}
	if err := os.Rename(from, to); err != nil {
		return nil, errors.Join(err, os.Rename(aside, to))
	}
	return undo, nil
}

// sameOwner gives the folder tmp the mode, owner and group of the folder
// prev, which it replaces, so that a web server that reads the output
// through its group keeps doing so, and a build run as root leaves the
// folder its owner's; an owner or group the user may not give is left.
func sameOwner(tmp, prev string) error {
	st, err := os.Stat(prev)
	if err != nil {
		return err
	}
	chownLike(tmp, st) // before the mode: a change of owner may clear setgid
	return os.Chmod(tmp, modeOf(st))
}

// modeOf is the mode of the file st describes that a copy of it takes:
// its permissions, setgid (a shared group's folder), setuid and sticky.
func modeOf(st os.FileInfo) os.FileMode {
	return st.Mode() & (os.ModePerm | os.ModeSetgid | os.ModeSetuid | os.ModeSticky)
}

// chownLike gives the file at p the owner and group of the file st
// describes, as far as the user may: both as root, else the group alone.
func chownLike(p string, st os.FileInfo) {
	if uid, gid, ok := ownerOf(st); ok && os.Lchown(p, uid, gid) != nil {
		_ = os.Lchown(p, -1, gid)
	}
}
