package main

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
)

// skeleton is the site that postmortem init writes.
//
//go:embed all:skeleton
var skeleton embed.FS

func runInit(dir string, stdout, stderr io.Writer) int {
	root, _ := fs.Sub(skeleton, "skeleton")
	written, err := writeTree(root, dir)
	for _, p := range written {
		fmt.Fprintf(stdout, "wrote %s\n", p)
	}
	if err != nil {
		fmt.Fprintf(stderr, "postmortem init: %v\n", err)
		if errors.Is(err, fs.ErrExist) {
			return exitUsage
		}
		return exitContent
	}
	next := "postmortem serve"
	if filepath.Clean(dir) != "." {
		next = "cd " + dir + " && " + next
	}
	fmt.Fprintf(stdout, "\nNext: %s, then postmortem new \"TITLE\" for each incident.\n", next)
	return exitOK
}
