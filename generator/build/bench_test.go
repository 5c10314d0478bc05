package build

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
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
