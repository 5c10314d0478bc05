package site

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	benchcorpus "github.com/postmortem/postmortem/bench/corpus"
	"github.com/postmortem/postmortem/generator/insights"
	"github.com/postmortem/postmortem/generator/render"
)

// corpus writes the synthetic corpus of n postmortems (bench/corpus, seed
// 1) into a site folder under the temporary folder, named for a hash of its
// files, and returns the folder: later runs reuse it while the corpus is
// the same.
func corpus(tb testing.TB, n int) string {
	tb.Helper()
	files := benchcorpus.Site(n, 1)
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00", f.Path, len(f.Data))
		h.Write(f.Data)
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("postmortem-corpus-%d-%x", n, h.Sum(nil)[:6]))
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	tmp, err := os.MkdirTemp(os.TempDir(), "postmortem-corpus-*")
	if err != nil {
		tb.Fatal(err)
	}
	if err := benchcorpus.Write(tmp, files); err != nil {
		os.RemoveAll(tmp)
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, serr := os.Stat(dir); serr != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// benchmarkBuild times the build of n postmortems as postmortem build
// makes it (once, streamed to a sink), but for the writing of the files,
// and reports the CPU time (user and system, of every core) a build takes
// besides wall time.
func benchmarkBuild(b *testing.B, n int) {
	site := os.DirFS(corpus(b, n))
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		res := New(site, Options{Once: true}).BuildTo(context.Background(), nil, discard{})
		if err := res.Diagnostics.Err(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Pages()), "pages")
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "postmortems/s")
}

// discard is a sink that writes nothing; it takes files as they are
// written too (a Creator), as output.Staging does for postmortem build.
type discard struct{}

func (discard) Put(string, []byte) error { return nil }

func (discard) Create(string) (io.WriteCloser, error) { return nopCloser{io.Discard}, nil }

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

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
func BenchmarkRebuild10k(b *testing.B) { benchmarkRebuild(b, 10000) }

// BenchmarkRebuild100k is BenchmarkRebuild10k at 100,000 postmortems (its
// first build alone takes about 40 s and 6 GB).
func BenchmarkRebuild100k(b *testing.B) { benchmarkRebuild(b, 100000) }

// benchmarkRebuild times the rebuild after one postmortem of n changed:
// its body, or its root causes.
func benchmarkRebuild(b *testing.B, n int) {
	dir := corpus(b, n)
	// The first postmortem, by path, that lists its root causes in brackets.
	var target string
	var orig []byte
	fs.WalkDir(os.DirFS(dir), "content", func(p string, d fs.DirEntry, err error) error {
		if target == "" && strings.HasSuffix(p, ".md") {
			if data, _ := fs.ReadFile(os.DirFS(dir), p); strings.Contains(string(data), "\nroot_causes: [") {
				target, orig = p, data
			}
		}
		return nil
	})
	if target == "" {
		b.Fatal("no postmortem of the corpus lists its root causes in brackets")
	}
	for _, kind := range []string{"body", "root_causes"} {
		b.Run(kind, func(b *testing.B) {
			o := overlay{os.DirFS(dir), map[string][]byte{}}
			bld := New(o, Options{})
			bld.Build(context.Background(), nil)
			cpu := cpuTime()
			for i := 0; b.Loop(); i++ {
				if kind == "body" {
					o.files[target] = append(slices.Clone(orig), fmt.Sprintf("\nEdit %d.\n", i)...)
				} else {
					o.files[target] = []byte(strings.Replace(string(orig), "root_causes: [", fmt.Sprintf("root_causes: [bench-%d, ", i), 1))
				}
				if err := bld.Build(context.Background(), []string{target}).Diagnostics.Err(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkRender10k times the rendering of every page of 10,000
// postmortems, parsed and linked once, with a fresh renderer each time:
// html/template's share of a build.
func BenchmarkRender10k(b *testing.B) {
	site := os.DirFS(corpus(b, 10000))
	bld := New(site, Options{})
	res := bld.Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err != nil {
		b.Fatal(err)
	}
	in := insights.Compute(res.Site.Postmortems, bld.cfg.Severities, bld.cfg.RecurrenceDays.Duration())
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		r, err := render.New(bld.theme, &bld.cfg)
		if err != nil {
			b.Fatal(err)
		}
		discard := func(string, []byte, uint64) error { return nil }
		if err := r.Render(context.Background(), res.Site, func() *insights.Insights { return &in }, discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}
