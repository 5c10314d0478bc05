package postmortem

import (
	"strings"
	"testing"

	benchcorpus "github.com/postmortem/postmortem/bench/corpus"
	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/markdown"
)

// BenchmarkParse parses the 1,000 postmortems of the synthetic corpus
// (bench/corpus, seed 1), front matter, body and what is read from it:
// the part of a build that grows with the bodies.
func BenchmarkParse(b *testing.B) {
	var files []benchcorpus.File
	for _, f := range benchcorpus.Site(1000, 1) {
		if strings.HasSuffix(f.Path, ".md") {
			files = append(files, f)
		}
	}
	cfg := config.Default()
	md := markdown.New(false)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			if _, diags := Parse(f.Path, f.Data, &cfg, md, ""); diags.Err() != nil {
				b.Fatal(diags.Err())
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files)), "ns/postmortem")
}
