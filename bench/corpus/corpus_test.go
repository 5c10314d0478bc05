package corpus

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/site"
)

func TestSameSeedSameCorpus(t *testing.T) {
	a, b := Site(60, 7), Site(60, 7)
	if !slices.EqualFunc(a, b, func(x, y File) bool { return x.Path == y.Path && bytes.Equal(x.Data, y.Data) }) {
		t.Fatal("two corpora of the same seed differ")
	}
	small := Site(20, 7)
	if !slices.EqualFunc(small, a[:len(small)], func(x, y File) bool { return x.Path == y.Path && bytes.Equal(x.Data, y.Data) }) {
		t.Error("the first 20 postmortems of a corpus of 60 are not the corpus of 20")
	}
	other := Site(60, 8)
	same := 0
	for i := range min(len(a), len(other)) {
		if bytes.Equal(a[i].Data, other[i].Data) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d postmortems are the same with seeds 7 and 8", same)
	}
}

// TestCorpusBuilds builds a corpus and wants no error nor warning, every
// shape of front matter, drafts and bundles, and the times of incidents
// that give them only in their timeline read from it.
func TestCorpusBuilds(t *testing.T) {
	const n = 400
	files := Site(n, 1)
	fsys := fstest.MapFS{}
	count := map[string]int{}
	for _, f := range files {
		fsys[f.Path] = &fstest.MapFile{Data: f.Data}
		s := string(f.Data)
		switch {
		case strings.HasSuffix(f.Path, ".svg"):
			count["bundle"]++
		case strings.HasPrefix(s, "+++"):
			count["toml"]++
		case strings.HasPrefix(s, "{"):
			count["json"]++
		case strings.Contains(s, "\n# started:"):
			count["comments of postmortem new"]++
		case strings.Contains(s, "summary: >"):
			count["folded text"]++
		case strings.Contains(s, "root_causes: ["):
			count["plain"]++
		default:
			count["postmortem new, filled in"]++
		}
		if strings.Contains(s, "status: draft") {
			count["draft"]++
		}
	}
	for _, k := range []string{"bundle", "toml", "json", "comments of postmortem new", "folded text", "plain", "postmortem new, filled in", "draft"} {
		if count[k] == 0 {
			t.Errorf("no postmortem of kind %q in %d", k, n)
		}
	}
	if count["plain"] < n/3 {
		t.Errorf("%d plain postmortems of %d", count["plain"], n)
	}

	res := site.New(fsys, site.Options{Drafts: true}).Build(context.Background(), nil)
	if len(res.Diagnostics) > 0 {
		t.Fatalf("the corpus has %d errors and warnings, the first: %v", len(res.Diagnostics), res.Diagnostics[0])
	}
	if res.Postmortems != n {
		t.Errorf("the site shows %d postmortems, want %d", res.Postmortems, n)
	}

	cfg := config.Default()
	md := markdown.New(false)
	for _, f := range files {
		if !strings.Contains(string(f.Data), "\n# started:") {
			continue
		}
		p, diags := postmortem.Parse(f.Path, f.Data, &cfg, md, "")
		if len(diags) > 0 || !slices.Contains(p.FromTimeline, "started") || !slices.Contains(p.FromTimeline, "resolved") {
			t.Errorf("%s: times from the timeline %v, diagnostics %v", f.Path, p.FromTimeline, diags)
		}
	}
}

func TestHugoSite(t *testing.T) {
	files := Hugo(100, 1)
	var drafts, ours int
	for _, f := range files {
		if !strings.HasPrefix(f.Path, "content/postmortems/") && !strings.HasPrefix(f.Path, "layouts/") && f.Path != "hugo.toml" {
			t.Errorf("%s is outside the Hugo site's folders", f.Path)
		}
		s := string(f.Data)
		if strings.Contains(s, "draft: true") || strings.Contains(s, "draft = true") || strings.Contains(s, `"draft": true`) {
			drafts++
		}
		if strings.Contains(s, "status: draft") || strings.Contains(s, `status = "draft"`) || strings.Contains(s, `"status": "draft"`) {
			ours++
		}
	}
	if drafts == 0 || ours != 0 {
		t.Errorf("%d drafts marked for Hugo, %d left as status: draft", drafts, ours)
	}
}

func TestWriteOnlyIntoANewFolder(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, Site(3, 1)); err == nil {
		t.Error("Write into a folder holding a file succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("Write into a folder holding a file left %d entries there", len(entries))
	}
	out := filepath.Join(dir, "new", "site")
	files := Site(3, 1)
	if err := Write(out, files); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f.Path)))
		if err != nil || !bytes.Equal(data, f.Data) {
			t.Errorf("%s: %v, or not what was made", f.Path, err)
		}
	}
}
