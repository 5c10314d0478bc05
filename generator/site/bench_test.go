package site

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/postmortem/postmortem/generator/render"
)

// corpus writes n synthetic postmortems with ../shared/tools/gencorpus.py
// (or $POSTMORTEM_GENCORPUS) into a site folder, once per n and test binary.
func corpus(tb testing.TB, n int) string {
	tb.Helper()
	script := os.Getenv("POSTMORTEM_GENCORPUS")
	if script == "" {
		script, _ = filepath.Abs("../../../shared/tools/gencorpus.py")
	}
	if _, err := os.Stat(script); err != nil {
		tb.Skipf("no corpus generator at %s (set POSTMORTEM_GENCORPUS)", script)
	}
	dir := filepath.Join(os.TempDir(), "postmortem-corpus-"+strconv.Itoa(n))
	if _, err := os.Stat(filepath.Join(dir, "content")); err == nil {
		return dir
	}
	tmp := dir + ".tmp"
	os.RemoveAll(tmp)
	out, err := exec.Command("python3", script, "--n", strconv.Itoa(n), "--out", filepath.Join(tmp, "content")).CombinedOutput()
	if err != nil {
		tb.Fatalf("gencorpus: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, dir); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func benchmarkBuild(b *testing.B, n int) {
	site := os.DirFS(corpus(b, n))
	b.ResetTimer()
	for b.Loop() {
		res := New(site, Options{}).Build(nil)
		if err := res.Diagnostics.Err(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Pages()), "pages")
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "postmortems/s")
}

func BenchmarkBuild1k(b *testing.B)  { benchmarkBuild(b, 1000) }
func BenchmarkBuild10k(b *testing.B) { benchmarkBuild(b, 10000) }

// overlay is a site with some files replaced, for timing rebuilds without
// writing to the corpus.
type overlay struct {
	fs.FS
	files map[string][]byte
}

func (o overlay) Open(name string) (fs.File, error) {
	if data, ok := o.files[name]; ok {
		return fstest.MapFS{name: &fstest.MapFile{Data: data}}.Open(name)
	}
	return o.FS.Open(name)
}

// BenchmarkRebuild10k times the rebuild after one postmortem of 10,000
// changed: its body, or its root causes.
func BenchmarkRebuild10k(b *testing.B) {
	dir := corpus(b, 10000)
	var target string
	fs.WalkDir(os.DirFS(dir), "content", func(p string, d fs.DirEntry, err error) error {
		if target == "" && strings.HasSuffix(p, ".md") {
			target = p
		}
		return nil
	})
	orig, _ := fs.ReadFile(os.DirFS(dir), target)
	for _, kind := range []string{"body", "root_causes"} {
		b.Run(kind, func(b *testing.B) {
			o := overlay{os.DirFS(dir), map[string][]byte{}}
			bld := New(o, Options{})
			bld.Build(nil)
			for i := 0; b.Loop(); i++ {
				if kind == "body" {
					o.files[target] = append(slices.Clone(orig), fmt.Sprintf("\nEdit %d.\n", i)...)
				} else {
					o.files[target] = []byte(strings.Replace(string(orig), "root_causes: [", fmt.Sprintf("root_causes: [bench-%d, ", i), 1))
				}
				if err := bld.Build([]string{target}).Diagnostics.Err(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRender10k times the rendering of every page of 10,000
// postmortems, parsed and linked once, with a fresh renderer each time:
// html/template's share of a build.
func BenchmarkRender10k(b *testing.B) {
	site := os.DirFS(corpus(b, 10000))
	bld := New(site, Options{})
	res := bld.Build(nil)
	if err := res.Diagnostics.Err(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		r, err := render.New(bld.theme, &bld.cfg)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Render(res.Site, map[string][]byte{}); err != nil {
			b.Fatal(err)
		}
	}
}
