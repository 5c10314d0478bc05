package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/postmortem/postmortem/generator/config"
)

// Marker is the file every output holds: a folder with it is one that an
// earlier build wrote, and a build may replace it.
const Marker = ".postmortem-output"

// markerText is what Marker says to a person who opens it; at Commit, the
// names that follow wroteHeader.
const markerText = "postmortem build wrote this folder, and replaces at each build what it\n" +
	"wrote: the names listed below, at the top of this folder, with all they\n" +
	"hold. Whatever else is at its top is kept (the dotfiles and dot-folders,\n" +
	"such as .git and .nojekyll, CNAME, files and folders of your own).\n"

// wroteHeader heads the list of the names a build wrote at the top of its
// output in Marker, one a line, each quoted as a Go string, and wroteEnd
// ends it, so that a list cut short is known as such; mend says what to do
// with a list that cannot be read.
const (
	wroteHeader = "\nWritten by the build:\n"
	wroteEnd    = "(end)\n"
	mend        = "restore the list of what the build wrote, or delete it from \"Written by the build:\" on, and the next build keeps only the dotfiles and CNAME"
)

// sources are the names at a site's root that the output may not be, hold
// or sit inside: what the site is made of, and its repository.
var sources = slices.Concat([]string{"content", "static", "layouts", "themes", "assets"}, config.Files, []string{".git"})

// Check refuses an output folder out that a build of the site at siteRoot
// would harm, before anything is touched: the root of the file system,
// the home folder or a folder holding it, the site folder or a folder
// holding it, one of the site's sources (content, static, layouts, themes,
// assets, the configuration, .git) or a folder inside or holding one, an
// existing file, and a folder that is neither empty nor an earlier output.
// Paths are compared after resolving symbolic links. The error names out
// and says why.
func Check(siteRoot, out string) error {
	dir, err := resolve(out)
	if err != nil {
		return fmt.Errorf("%s: %w", out, err)
	}
	refuse := func(format string, args ...any) error {
		msg := fmt.Sprintf(format, args...)
		if abs, err := filepath.Abs(out); err != nil || abs != dir {
			msg += " (it resolves to " + dir + ")"
		}
		return fmt.Errorf("%s: %s", out, msg)
	}
	if dir == filepath.Dir(dir) {
		return refuse("is the root of the file system")
	}
	if h, err := os.UserHomeDir(); err == nil {
		home, err := resolve(h)
		if err != nil {
			return fmt.Errorf("%s: %w", h, err)
		}
		switch {
		case dir == home:
			return refuse("is the home folder")
		case inside(home, dir):
			return refuse("holds the home folder %s", home)
		}
	}
	site, err := resolve(siteRoot)
	if err != nil {
		return fmt.Errorf("%s: %w", siteRoot, err)
	}
	switch {
	case dir == site:
		return refuse("is the site folder")
	case inside(site, dir):
		return refuse("holds the site folder %s", site)
	}
	for _, name := range sources {
		src, err := resolve(filepath.Join(site, name))
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.Join(site, name), err)
		}
		what := "the site's " + name
		switch {
		case dir == src:
			return refuse("is %s", what)
		case inside(dir, src):
			return refuse("is inside %s %s", what, src)
		case inside(src, dir):
			return refuse("holds %s %s", what, src)
		}
	}
	if err := owned(dir); err != nil {
		return refuse("%v", err)
	}
	return nil
}

// owned returns nil when a build may replace the folder dir: it is not
// there, is empty but for what deployments put there (deployed), or holds
// Marker. It returns
// why not otherwise.
func owned(dir string) error {
	st, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return errors.New("is a file, not a folder")
	}
	if m, err := os.Lstat(filepath.Join(dir, Marker)); err == nil && m.Mode().IsRegular() {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !deployed[e.Name()] {
			return fmt.Errorf("is not empty and holds no %s file, so it is not an output of postmortem (it holds %s)", Marker, e.Name())
		}
	}
	return nil
}

// deployed are the names that a folder may hold for a first build into it
// without its marker: what hosts and deployment tools put in a folder to
// publish (a checkout of a gh-pages branch, a domain's CNAME). Other
// dotfiles (.bashrc, .ssh) say the folder is someone's, not an output.
var deployed = map[string]bool{"CNAME": true, ".git": true, ".nojekyll": true, ".well-known": true, ".gitignore": true,
	".gitattributes": true, ".htaccess": true, ".DS_Store": true, ".github": true, ".gitlab-ci.yml": true, ".netlify": true,
	".vercel": true, ".domains": true, "_headers": true, "_redirects": true}

// kept reports whether the top-level entry name of an output is one a
// build keeps when the build itself writes nothing there: CNAME and the
// dotfiles and dot-folders, which hosts and deployment tools need.
func kept(name string) bool {
	return name == "CNAME" || strings.HasPrefix(name, ".") && name != Marker
}

// wroteList is the list of Marker that names names, sorted.
func wroteList(names []string) string {
	var b strings.Builder
	b.WriteString(wroteHeader)
	for _, name := range names {
		b.WriteString(strconv.Quote(name) + "\n")
	}
	b.WriteString(wroteEnd)
	return b.String()
}

// wrote returns the names that the build which wrote the output dir wrote
// at its top, as its Marker lists them; nil when it has no list (a build
// of an earlier version): then only what kept names is kept. A list cut
// short, or changed by hand out of its form, is an error, which names the
// marker: what it lacks would be taken for someone's, or someone's for
// the build's. Line ends of either kind and blank lines are taken as they
// come.
func wrote(dir string) (map[string]bool, error) {
	path := filepath.Join(dir, Marker)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	_, list, ok := strings.Cut(text, wroteHeader)
	if !ok {
		return nil, nil
	}
	names, ended := map[string]bool{}, false
	for line := range strings.Lines(list) {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case ended:
			return nil, fmt.Errorf("%s: a line after %s: %s", path, strings.TrimSpace(wroteEnd), mend)
		case line+"\n" == wroteEnd:
			ended = true
		default:
			name, err := strconv.Unquote(line)
			if err != nil {
				return nil, fmt.Errorf("%s: %s is not a quoted name: %s", path, line, mend)
			}
			names[name] = true
		}
	}
	if !ended {
		return nil, fmt.Errorf("%s: the list of what the build wrote is cut short: %s", path, mend)
	}
	return names, nil
}

// inside reports whether path is inside the folder dir, both absolute
// and clean, and not dir itself.
func inside(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && filepath.IsLocal(rel)
}

// resolve returns the absolute form of path with the symbolic links of its
// longest existing prefix resolved, as the system would when creating it.
// What follows that prefix may not hold "..", which the system would
// refuse.
func resolve(path string) (string, error) {
	if !filepath.IsAbs(path) {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		// Not filepath.Join, which would drop "a/link/.." as "a" and not
		// as the folder holding what link leads to.
		path = wd + string(filepath.Separator) + path
	}
	vol := filepath.VolumeName(path)
	parts := strings.Split(path[len(vol):], string(filepath.Separator))
	for n := len(parts); n > 0; n-- {
		prefix := vol + strings.Join(parts[:n], string(filepath.Separator))
		if prefix == vol {
			prefix += string(filepath.Separator)
		}
		if _, err := os.Lstat(prefix); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return "", err
		}
		real, err := filepath.EvalSymlinks(prefix)
		if err != nil {
			return "", fmt.Errorf("resolving symbolic links: %w", err)
		}
		real, err = filepath.Abs(real)
		if err != nil {
			return "", err
		}
		for _, p := range parts[n:] {
			if p == ".." {
				return "", errors.New(`".." follows a folder that does not exist`)
			}
		}
		return filepath.Join(append([]string{real}, parts[n:]...)...), nil
	}
	return filepath.Clean(path), nil
}
