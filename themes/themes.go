// Package themes holds the default theme, embedded in the binary, and the
// layering that lets a site override any of its files.
package themes

import (
	"embed"
	"errors"
	"io/fs"
	"path"
	"slices"

	"github.com/postmortem/postmortem/generator/sitefs"
)

//go:embed default
var embedded embed.FS

// Default is the default theme: layouts/ and assets/.
var Default = mustSub(embedded, "default")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// ForSite returns the theme of a site: the site's own layouts/ and assets/
// folders first, then themes/<name>/ when the site names a theme, then the
// default theme. A file in an earlier layer hides the file of the same path
// in later ones.
func ForSite(site fs.FS, name string) fs.FS {
	layers := Union{site}
	if name != "" && name != "default" {
		if st, err := fs.Stat(site, path.Join("themes", name)); err == nil && st.IsDir() {
			layers = append(layers, mustSub(site, path.Join("themes", name)))
		}
	}
	return append(layers, Default)
}

// Union is a stack of file systems; the first that has a file wins, and a
// file a layer skipped (a link out of the site, a named pipe) is taken from
// the next. Directory listings merge all layers.
type Union []fs.FS

// Open opens name from the first layer that has it.
func (u Union) Open(name string) (fs.File, error) {
	var first error
	for _, l := range u {
		f, err := l.Open(name)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, sitefs.ErrSkipped) {
			return nil, err
		}
		if first == nil {
			first = err
		}
	}
	if first == nil {
		first = &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return nil, first
}

// ReadDir merges the listings of name in every layer, sorted by name.
func (u Union) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]bool{}
	var out []fs.DirEntry
	found := false
	for _, l := range u {
		entries, err := fs.ReadDir(l, name)
		if err != nil {
			continue
		}
		found = true
		for _, e := range entries {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int {
		if a.Name() < b.Name() {
			return -1
		}
		if a.Name() > b.Name() {
			return 1
		}
		return 0
	})
	return out, nil
}
