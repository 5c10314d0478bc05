// Package themes holds the default theme, embedded in the binary, and the
// layering that lets a site override any of its files.
package themes

import (
	"embed"
	"errors"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/postmortem/postmortem/generator/sitefs"
)

//go:embed default
var embedded embed.FS

// Default is the default theme: layouts/, labels/ and assets/.
var Default = mustSub(embedded, "default")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// DefaultDir is the folder of the default theme, as Layer.Dir names it.
const DefaultDir = "themes/default"

// Named reports whether a site's theme setting names a theme of its own,
// under themes/: not "" nor "default", which mean the default theme.
func Named(name string) bool { return name != "" && name != "default" }

// ValidName reports whether name can be the name of a folder under themes/:
// one path element, not "." nor "..".
func ValidName(name string) bool {
	return fs.ValidPath(name) && name != "." && !strings.Contains(name, "/")
}

// Layer is one layer of the theme of a site.
type Layer struct {
	// Dir is the folder of the layer's files relative to the site root:
	// "" for the site's own layouts/, assets/ and labels/, themes/NAME for
	// a named theme, and DefaultDir for the default theme, which is
	// embedded in the binary.
	Dir string
	FS  fs.FS
}

// Layers returns the layers of the theme of a site, the one whose files win
// first: the site itself, then themes/<name>/ when the site names a theme
// that is there, then the default theme.
func Layers(site fs.FS, name string) []Layer {
	layers := []Layer{{"", site}}
	if Named(name) && ValidName(name) {
		dir := path.Join("themes", name)
		if st, err := fs.Stat(site, dir); err == nil && st.IsDir() {
			layers = append(layers, Layer{dir, mustSub(site, dir)})
		}
	}
	return append(layers, Layer{DefaultDir, Default})
}

// Source returns the path, from the site root, of the file of the theme
// of a site at name (layouts/home.html): in the first of its Layers that
// has it, in DefaultDir for the default theme.
func Source(site fs.FS, theme, name string) string {
	for _, l := range Layers(site, theme) {
		if _, err := fs.Stat(l.FS, name); err == nil {
			return path.Join(l.Dir, name)
		}
	}
	return name
}

// ForSite returns the theme of a site: its Layers as one file system, where
// a file in an earlier layer hides the file of the same path in later ones.
func ForSite(site fs.FS, name string) fs.FS {
	var u Union
	for _, l := range Layers(site, name) {
		u = append(u, l.FS)
	}
	return u
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
