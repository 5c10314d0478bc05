package frontmatter

import (
	"testing"

	"github.com/postmortem/postmortem/bench/corpus"
)

// BenchmarkRead10k reads the front matter of the 10,000 postmortems of the
// benchmark corpus, as a build does.
func BenchmarkRead10k(b *testing.B) {
	files := corpus.Site(10000, 1)
	size := 0
	for _, f := range files {
		size += len(f.Data)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		for _, f := range files {
			if _, err := Read(f.Data); err != nil && len(f.Data) > 0 && f.Data[0] != '<' {
				b.Fatalf("%s: %v", f.Path, err)
			}
		}
	}
}
