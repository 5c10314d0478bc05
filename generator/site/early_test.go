package site

import (
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	benchcorpus "github.com/postmortem/postmortem/bench/corpus"
)

// TestEarlyPagesEqualBuild takes every output file of a build from the
// Early that build gave, four at a time, and wants each page, theme asset,
// static file and file of a bundle byte for byte as the build wrote it,
// and neither the search index nor the exports: of the example site (with
// a static file), and of 400 generated postmortems with their action
// items, in pages of 20.
func TestEarlyPagesEqualBuild(t *testing.T) {
	generated := fstest.MapFS{"postmortem.yaml": {Data: []byte("page_size: 20\n")}}
	for _, f := range benchcorpus.Site(400, 5) {
		generated[f.Path] = &fstest.MapFile{Data: f.Data}
	}
	example := fstest.MapFS{"static/robots.txt": {Data: []byte("User-agent: *\n")}}
	fs.WalkDir(os.DirFS("../.."), "content", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := fs.ReadFile(os.DirFS("../.."), p)
			example[p] = &fstest.MapFile{Data: data}
		}
		return err
	})
	for name, fsys := range map[string]fs.FS{"example": example, "generated": generated} {
		t.Run(name, func(t *testing.T) {
			var early []*Early
			res := mustBuild(t, New(fsys, Options{Drafts: true, Early: func(e *Early) { early = append(early, e) }}), nil)
			if len(early) != 1 {
				t.Fatalf("Early was called %d times by a build of everything, want once", len(early))
			}
			e := early[0]
			if e.Postmortems() != res.Postmortems {
				t.Errorf("Early counts %d postmortems, the build %d", e.Postmortems(), res.Postmortems)
			}
			paths := slices.Sorted(maps.Keys(res.Files))
			got := make([][]byte, len(paths))
			found := make([]bool, len(paths))
			var wg sync.WaitGroup
			for w := range 4 {
				wg.Go(func() {
					for i := w; i < len(paths); i += 4 {
						data, ok, err := e.File(paths[i])
						if err != nil {
							t.Errorf("%s: %v", paths[i], err)
						}
						got[i], found[i] = data, ok
					}
				})
			}
			wg.Wait()
			pages, bundled := 0, 0
			for i, p := range paths {
				// The search index and the exports: data, not pages.
				made := path.Ext(p) != ".html" && (strings.HasPrefix(p, "search/") || slices.Contains([]string{".csv", ".ndjson", ".json", ".xml"}, path.Ext(p)))
				switch {
				case found[i] && made:
					t.Errorf("%s: Early gives it, but only the build makes it", p)
				case !found[i] && !made:
					t.Errorf("%s: Early does not give it", p)
				case found[i] && string(got[i]) != string(res.Files[p]):
					t.Errorf("%s: Early gives %d bytes that differ from the build's %d", p, len(got[i]), len(res.Files[p]))
				case found[i] && path.Ext(p) == ".html":
					pages++
				case found[i] && strings.HasPrefix(p, "incidents/"):
					bundled++
				}
			}
			if i := slices.Index(paths, "robots.txt"); name == "example" && (bundled == 0 || i < 0 || !found[i]) {
				t.Errorf("the example site's files of bundles (%d given) or its static file were not checked", bundled)
			}
			if pages != res.Pages() {
				t.Errorf("Early gave %d pages, the build wrote %d", pages, res.Pages())
			}
			if _, ok, _ := e.File("incidents/no-such-incident.html"); ok {
				t.Error("Early gives a page the site does not have")
			}
		})
	}
}

// TestEarlyOnlyForEverything wants Early called by a build of everything,
// not by a rebuild of what an edit changed.
func TestEarlyOnlyForEverything(t *testing.T) {
	fsys := siteFS(t, `
-- content/a.md --
---
title: A
date: 2024-01-02
root_causes: [dns]
---
Body.
`)
	calls := 0
	b := New(fsys, Options{Early: func(*Early) { calls++ }})
	mustBuild(t, b, nil)
	fsys["content/a.md"].Data = append(fsys["content/a.md"].Data, "More.\n"...)
	mustBuild(t, b, []string{"content/a.md"})
	if calls != 1 {
		t.Errorf("Early called %d times by a build of everything and a rebuild of one edit, want once", calls)
	}
}
