package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/postmortem/postmortem/themes"
)

// exportName is the theme folder postmortem theme export writes into when
// given no folder: themes/custom of the site, which theme: custom uses.
const exportName = "custom"

// runTheme runs postmortem theme export [--site SITE] [DIR]: it writes the
// default theme embedded in the binary into DIR (SITE/themes/custom when
// not given), for editing. It writes nothing when any of the files is there
// already.
func runTheme(fset *flag.FlagSet, siteDir *string, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "export" {
		fmt.Fprintf(stderr, "usage: postmortem theme export [--site DIR] [DIR]\n\nwrites the default theme into DIR (default SITE/themes/%s) for editing\n", exportName)
		return exitUsage
	}
	fset.Init("postmortem theme export", flag.ContinueOnError)
	if err := fset.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fset.NArg() > 1 {
		fmt.Fprintf(stderr, "%s: want at most 1 argument, got %d\n", fset.Name(), fset.NArg())
		return exitUsage
	}
	dir := filepath.Join(*siteDir, "themes", exportName)
	if fset.NArg() == 1 {
		dir = fset.Arg(0)
	}
	n, err := exportTheme(themes.Default, dir)
	if err != nil {
		fmt.Fprintf(stderr, "postmortem: %v\n", err)
		return exitContent
	}
	fmt.Fprintf(stdout, "wrote the default theme, %d files, into %s\n", n, dir)
	if rel, err := filepath.Rel(filepath.Join(*siteDir, "themes"), dir); err == nil && !strings.Contains(rel, string(filepath.Separator)) && !strings.HasPrefix(rel, ".") {
		fmt.Fprintf(stdout, "use it with theme: %s in postmortem.yaml\n", rel)
	}
	return exitOK
}

// exportTheme writes every file of theme under dir and returns how many it
// wrote. When any of them exists already it writes none, and says which.
func exportTheme(theme fs.FS, dir string) (int, error) {
	var files, existing []string
	err := fs.WalkDir(theme, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		files = append(files, p)
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p))); !errors.Is(err, fs.ErrNotExist) {
			existing = append(existing, filepath.Join(dir, filepath.FromSlash(p)))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if len(existing) > 0 {
		return 0, fmt.Errorf("not overwriting %s; nothing written (remove them, or export into another folder)", strings.Join(existing, ", "))
	}
	for _, p := range files {
		data, err := fs.ReadFile(theme, p)
		if err != nil {
			return 0, err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return 0, err
		}
		// O_EXCL: a file that appeared since the check is not overwritten.
		f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return 0, err
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return 0, err
		}
	}
	return len(files), nil
}
