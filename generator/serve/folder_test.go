package serve

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postmortem/postmortem/generator/site"
	"github.com/postmortem/postmortem/generator/sitefs"
)

// served reads the files of the last good build from the preview's folder.
func (h *harness) served() map[string]string {
	h.t.Helper()
	dir := filepath.Join(h.srv.work, servedDir)
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return got
}

// fullBuild is the output of a fresh build of the harness's site, as the
// preview builds it.
func (h *harness) fullBuild() map[string]string {
	h.t.Helper()
	root, _ := sitefs.Root(h.site)
	res := site.New(os.DirFS(h.site), site.Options{Drafts: true, Root: root, Preview: true}).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err != nil {
		h.t.Fatal(err)
	}
	want := map[string]string{}
	for p, data := range res.Files {
		want[p] = string(data)
	}
	return want
}

// TestServedFolderIsAFullBuild edits, removes and breaks postmortems and
// templates: after each good rebuild, which writes only what changed, the
// preview's folder holds what a full build makes; a build that fails, even
// half way through its pages, changes nothing of it; the folder is gone
// once the server stops.
func TestServedFolderIsAFullBuild(t *testing.T) {
	h := start(t, map[string]string{
		"content/a.md":        pm("Alpha", "dns", "First text."),
		"content/b.md":        pm("Beta", "capacity", "Other."),
		"content/c/index.md":  pm("Gamma", "capacity", "A bundle.\n\n![d](d.svg)"),
		"content/c/d.svg":     "<svg/>",
		"static/robots.txt":   "User-agent: *\n",
		"static/old/note.txt": "old",
	})
	check := func(step string) {
		t.Helper()
		if got, want := h.served(), h.fullBuild(); !maps.Equal(got, want) {
			for p := range want {
				if got[p] != want[p] {
					t.Errorf("%s: %s differs from the full build's", step, p)
				}
			}
			for p := range got {
				if _, ok := want[p]; !ok {
					t.Errorf("%s: %s is served, and no full build makes it", step, p)
				}
			}
		}
	}
	check("first build")
	write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha", "dns", "Second text."))
	h.next("reload")
	check("body edit")
	for _, p := range []string{"content/b.md", "static/old/note.txt"} {
		if err := os.Remove(filepath.Join(h.site, p)); err != nil {
			t.Fatal(err)
		}
	}
	h.next("reload")
	check("removals")
	if _, err := os.Stat(filepath.Join(h.srv.work, servedDir, "old")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the folder of a removed static file stays: %v", err)
	}

	// A template that fails on some pages only, as they are rendered.
	before := h.served()
	write(t, filepath.Join(h.site, "layouts/partials/zz-header.html"), `{{define "site-header"}}<p>{{.Title}}</p>{{end}}`)
	if e := h.next("errors"); !strings.Contains(e.data, "can't evaluate field Title") {
		t.Fatalf("errors event: %s", e.data)
	}
	if got := h.served(); !maps.Equal(got, before) {
		t.Error("a failed build changed the files served")
	}
	if err := os.Remove(filepath.Join(h.site, "layouts/partials/zz-header.html")); err != nil {
		t.Fatal(err)
	}
	// The pages are those of the last good build again: no reload, the
	// overlay cleared.
	if e := h.next("errors"); !strings.Contains(e.data, `"errors":[]`) {
		t.Errorf("the build after the fix: %s", e.data)
	}
	check("fixed")
	write(t, filepath.Join(h.site, "content/c/index.md"), pm("Gamma", "dns", "A bundle, edited.\n\n![d](d.svg)"))
	h.next("reload")
	check("bundle edit")
	entries, err := os.ReadDir(h.srv.work)
	if err != nil || len(entries) != 1 || entries[0].Name() != servedDir {
		t.Errorf("the preview's folder holds %v (%v), want %s alone", entries, err, servedDir)
	}
	h.stop()
	if _, err := os.Stat(h.srv.work); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the preview's folder is still there after the stop: %v", err)
	}
}
