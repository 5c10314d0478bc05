package main

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	fmt.Fprintf(stdout, "\nNext: cd %s && postmortem serve, then postmortem new \"TITLE\" for each incident.\n", dir)
	return exitOK
}
