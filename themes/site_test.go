package themes_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/postmortem/postmortem/generator/output"
	"github.com/postmortem/postmortem/generator/site"
)

// exampleSite builds the example site of the repository, drafts included,
// into a temporary folder, and returns the folder and its HTML pages.
func exampleSite(t *testing.T, opts site.Options) (string, []string) {
	t.Helper()
	return buildSite(t, os.DirFS(".."), opts)
}

// smallPages is the example site with lists of 4 incidents a page, so
// that its lists have several pages.
func smallPages(t *testing.T) fs.FS {
	t.Helper()
	fsys := os.DirFS("..")
	conf, err := fs.ReadFile(fsys, "postmortem.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return configured{fsys, fstest.MapFS{"postmortem.yaml": {Data: append(conf, "\npage_size: 4\nledger_page_size: 4\n"...)}}}
}

// configured is a site with its configuration file replaced.
type configured struct {
	fs.FS
	conf fstest.MapFS
}

func (c configured) Open(name string) (fs.File, error) {
	if _, ok := c.conf[name]; ok {
		return c.conf.Open(name)
	}
	return c.FS.Open(name)
}

// buildSite builds the site fsys into a temporary folder, and returns the
// folder and its HTML pages.
func buildSite(t *testing.T, fsys fs.FS, opts site.Options) (string, []string) {
	t.Helper()
	res := site.New(fsys, opts).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if err := output.Write(context.Background(), out, res.Files); err != nil {
		t.Fatal(err)
	}
	var pages []string
	for p := range res.Files {
		if strings.HasSuffix(p, ".html") {
			pages = append(pages, p)
		}
	}
	return out, pages
}
