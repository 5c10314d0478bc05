package main

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// skeleton is the site that postmortem init writes.
//
//go:embed all:skeleton
var skeleton embed.FS

func runInit(dir string, stdout, stderr io.Writer) int {
	root, _ := fs.Sub(skeleton, "skeleton")
	written, err := writeTree(pinned{root, release()}, dir)
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
	if repo, rel, ok := inRepository(dir); ok {
		fmt.Fprintf(stdout, "\n%s is inside the repository %s, whose workflows GitHub reads from %s only:\n"+
			"move %s there, give its postmortem commands --site %s, and its upload path: %s.\n",
			dir, repo, filepath.Join(repo, ".github", "workflows"), filepath.Join(dir, ".github", "workflows", "postmortem.yml"), filepath.ToSlash(rel), path.Join(filepath.ToSlash(rel), "public"))
	}
	return exitOK
}

// inRepository returns the git repository a folder above dir is the root
// of, and dir from there, when dir is not the root of one itself.
func inRepository(dir string) (repo, rel string, ok bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", "", false
	}
	if _, err := os.Stat(filepath.Join(abs, ".git")); err == nil {
		return "", "", false
	}
	for up := filepath.Dir(abs); up != filepath.Dir(up); up = filepath.Dir(up) {
		if _, err := os.Stat(filepath.Join(up, ".git")); err == nil {
			rel, err := filepath.Rel(up, abs)
			return up, rel, err == nil
		}
	}
	return "", "", false
}

// workflow is the skeleton's GitHub workflow, which installs postmortem.
const workflow = ".github/workflows/postmortem.yml"

// pinned is the skeleton with its workflow installing version rather
// than the latest, when version is a release; so that CI builds with the
// version the site was made with, until someone moves it on.
type pinned struct {
	fs.FS
	version string
}

func (p pinned) ReadFile(name string) ([]byte, error) {
	data, err := fs.ReadFile(p.FS, name)
	if err == nil && name == workflow && p.version != "" {
		data = bytes.ReplaceAll(data, []byte("@latest"), []byte("@"+p.version))
	}
	return data, err
}
