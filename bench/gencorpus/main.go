// Command gencorpus writes a synthetic site of incident postmortems for
// the benchmarks (see package corpus): the same seed gives the same files.
//
//	go run ./bench/gencorpus -n 10000 [-seed 1] -out DIR          # DIR/content/YEAR/SLUG.md
//	go run ./bench/gencorpus -n 10000 [-seed 1] -out DIR -hugo    # the same corpus as a Hugo site
//
// DIR must be missing or empty.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/postmortem/postmortem/bench/corpus"
)

func main() {
	n := flag.Int("n", 1000, "postmortems")
	seed := flag.Uint64("seed", 1, "the corpus's seed")
	out := flag.String("out", "", "the site folder to write, missing or empty")
	hugo := flag.Bool("hugo", false, "write the corpus as a Hugo site")
	flag.Parse()
	if *out == "" || *n < 0 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	files := corpus.Site(*n, *seed)
	if *hugo {
		files = corpus.Hugo(*n, *seed)
	}
	if err := corpus.Write(*out, files); err != nil {
		fmt.Fprintf(os.Stderr, "gencorpus: %v\n", err)
		os.Exit(1)
	}
}
