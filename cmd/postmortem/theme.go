package main

import (
	"flag"
	"fmt"
	"io"
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
		w, code := stderr, exitUsage
		if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			w, code = stdout, exitOK // asked for, as every -h
		}
		fmt.Fprintf(w, "usage: postmortem theme export [--site DIR] [DIR]\n\nwrites the default theme into DIR (default SITE/themes/%s) for editing\n", exportName)
		return code
	}
	fset.Init("postmortem theme export", flag.ContinueOnError)
	if code, ok := parse(fset, args[1:], 0, 1); !ok {
		return code
	}
	// Into a folder of its own, the theme needs no site.
	dir, need := filepath.Join(*siteDir, "themes", exportName), needSite
	if fset.NArg() == 1 {
		dir, need = fset.Arg(0), needFolder
	}
	if !isSite(*siteDir, "theme export", need, stderr) {
		return exitUsage
	}
	written, err := writeTree(themes.Default, dir)
	if err != nil {
		fmt.Fprintf(stderr, "postmortem theme export: %v (remove them, or export into another folder)\n", err)
		return exitContent
	}
	fmt.Fprintf(stdout, "wrote the default theme, %d files, into %s\n", len(written), dir)
	if rel, err := filepath.Rel(filepath.Join(*siteDir, "themes"), dir); err == nil && !strings.Contains(rel, string(filepath.Separator)) && !strings.HasPrefix(rel, ".") {
		fmt.Fprintf(stdout, "use it whole with theme: %s in postmortem.yaml; or copy only the files you change into the site's own layouts/, assets/ or labels/, so that the rest follows the default theme of later versions\n", rel)
	}
	return exitOK
}
