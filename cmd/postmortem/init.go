package main

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// skeleton is the site that postmortem init writes.
//
//go:embed all:skeleton
var skeleton embed.FS

func runInit(dir string, stdout, stderr io.Writer) int {
	root, _ := fs.Sub(skeleton, "skeleton")
	var files, exist []string
	err := fs.WalkDir(root, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		files = append(files, p)
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p))); !errors.Is(err, fs.ErrNotExist) {
			exist = append(exist, filepath.Join(dir, filepath.FromSlash(p)))
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "postmortem init: %v\n", err)
		return exitContent
	}
	if len(exist) > 0 {
		fmt.Fprintf(stderr, "postmortem init: %s already exists; nothing was written\n", strings.Join(exist, ", "))
		return exitUsage
	}
	for _, p := range files {
		data, _ := fs.ReadFile(root, p)
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			fmt.Fprintf(stderr, "postmortem init: %v\n", err)
			return exitContent
		}
		if err := writeNew(dst, data); err != nil {
			fmt.Fprintf(stderr, "postmortem init: %v\n", err)
			return exitContent
		}
		fmt.Fprintf(stdout, "wrote %s\n", dst)
	}
	fmt.Fprintf(stdout, "\nNext: cd %s && postmortem serve, then postmortem new \"TITLE\" for each incident.\n", dir)
	return exitOK
}

// writeNew writes a file that must not exist yet.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
