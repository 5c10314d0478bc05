package themes_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postmortem/postmortem/generator/output"
	"github.com/postmortem/postmortem/generator/site"
)

// exampleSite builds the example site of the repository, drafts included,
// into a temporary folder, and returns the folder and its HTML pages.
func exampleSite(t *testing.T, opts site.Options) (string, []string) {
	t.Helper()
	res := site.New(os.DirFS(".."), opts).Build(context.Background(), nil)
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
