package sitefs

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/postmortem/postmortem/generator/diag"
)

// outside says that a symbolic link to target leads out of the site.
func outside(target string) string {
	return fmt.Sprintf("symbolic link to %q, outside the site", target)
}

// leaves is the error of the file name reached by a link out of the site,
// said by msg.
func leaves(name, msg string) error {
	return &Error{Path: name, Msg: "skipped: " + msg, Skip: true, out: true}
}

// intoGit returns the error of the file or folder name when a symbolic link
// led it to end inside a .git folder of the site, whose files (config, with
// the token CI checked out with) are never published; nil otherwise.
func intoGit(name string, end folder) error {
	if end.via == "" || !hasGit(end.done) {
		return nil
	}
	return skipped(name, "symbolic link to %q, into the site's .git folder", end.via)
}

// hasGit reports whether the path components parts pass through a .git
// folder.
func hasGit(parts []string) bool {
	for _, c := range parts {
		if strings.EqualFold(c, ".git") {
			return true
		}
	}
	return false
}

// topIntoGit returns the error of the file or folder name, under the
// top-level folder top, a symbolic link, when top leads into a .git folder
// of the site; nil otherwise.
func (f *FS) topIntoGit(name, top string) error {
	target, end, in := f.topLink(top, len(TopLevel))
	if in && hasGit(end) {
		return skipped(name, "%s is a symbolic link to %q, into the site's .git folder", top, target)
	}
	return nil
}

// topLink returns the target of the top-level folder top, a symbolic link,
// the path in the site it leads to and whether it is inside the site. A
// link it cannot follow counts as inside: opening its files reports it.
// hops bounds the top-level links that lead on to one another.
func (f *FS) topLink(top string, hops int) (string, []string, bool) {
	target, err := fs.ReadLink(f.fsys, top)
	if err != nil || hops < 0 {
		return target, nil, true
	}
	slashed := filepath.ToSlash(target)
	if filepath.IsAbs(target) {
		rel, ok := f.under(slashed)
		if !ok {
			return target, nil, false
		}
		slashed = rel
	}
	end, _, _, err := f.follow(top, folder{}, strings.Split(slashed, "/"))
	var e *Error
	switch {
	case errors.As(err, &e) && e.out:
		return target, nil, false
	case err != nil:
		return target, nil, true
	case end.linkedTop:
		// It leads through another top-level link: where that leads.
		_, through, in := f.topLink(end.done[0], hops-1)
		return target, append(through, end.done[1:]...), in
	}
	return target, end.done, true
}

// WarnOutside adds to l a warning at each top-level folder of the site that
// is a symbolic link leading outside it: what it holds is read, and
// published, from there, as a change to the link in review may not show.
func (f *FS) WarnOutside(l *diag.List) {
	for _, top := range TopLevel {
		fi, err := fs.Lstat(f.fsys, top)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		if target, _, in := f.topLink(top, len(TopLevel)); !in {
			l.Warn(top, 0, 0, "symbolic link to %q, outside the site: its files are read and published from there", target)
		}
	}
}
