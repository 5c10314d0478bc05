// Package corpus makes synthetic sites of incident postmortems for the
// benchmarks. A corpus is fixed by its seed: the same seed gives the same
// bytes on every machine and Go version, and postmortem i is the same
// whatever the size asked for, so a corpus of 1,000 is the first 1,000 of
// a corpus of 10,000.
//
// The postmortems are written as teams write them: most in the plain shape
// (one-line values, lists in brackets), about a third as `postmortem new`
// writes them and then filled in (its comments kept, lists one item a
// line, local times with a time zone), some with folded text, a few in TOML
// or JSON, a few drafts, and a few page bundles with a diagram beside them.
// Each has a title, a date, the times of the incident, a severity,
// services, root causes, contributing factors, tags, authors and action
// items, and a body with a summary, the impact (with a table), a timeline
// (a list, a table or the "08:00 AM:" style), the root cause, a log
// excerpt, the resolution, the measures and the lessons learned.
package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// A File is one file of a corpus.
type File struct {
	Path string // relative to the site root, with slashes
	Data []byte
}

// Site returns the n postmortems of the corpus of seed as a postmortem
// site: files under content/, in the order they were made.
func Site(n int, seed uint64) []File {
	files := make([]File, 0, n+n/20)
	for i := range n {
		files = append(files, newIncident(seed, i).files("content", false)...)
	}
	return files
}

// Hugo returns the same corpus as a Hugo site: its configuration and
// templates, and the postmortems under content/postmortems/, where drafts
// say so with Hugo's own `draft` key.
func Hugo(n int, seed uint64) []File {
	files := hugoFiles()
	for i := range n {
		files = append(files, newIncident(seed, i).files("content/postmortems", true)...)
	}
	return files
}

// Write writes files under dir, which must be missing or empty: a corpus
// is never written over anything.
func Write(dir string, files []File) error {
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil && len(entries) > 0:
		return fmt.Errorf("%s: not empty; the corpus is written only into a new folder", dir)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// rng draws the choices of one postmortem. It uses PCG, whose output the
// Go project keeps fixed, and draws numbers in ranges itself, so that a
// seed gives the same corpus with any Go version.
type rng struct{ src *rand.PCG }

func newRNG(seed uint64, i int) rng { return rng{rand.NewPCG(seed, uint64(i)+0x9e3779b97f4a7c15)} }

// intn returns a number in [0, n).
func (r rng) intn(n int) int {
	hi, _ := bits.Mul64(r.src.Uint64(), uint64(n))
	return int(hi)
}

// between returns a number in [lo, hi].
func (r rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// chance reports true with probability p percent.
func (r rng) chance(p int) bool { return r.intn(100) < p }

func pick[T any](r rng, s []T) T { return s[r.intn(len(s))] }

// some returns k different elements of s, in the order of s.
func some(r rng, s []string, k int) []string { return distinct(s, k, r.intn) }

// skewed returns k different elements of s, the first ones far more often
// than the last (as a few root causes are behind most incidents), in the
// order of s.
func skewed(r rng, s []string, k int) []string {
	// The least of three draws: index j comes in proportion to
	// (len(s)-j)^2, roughly.
	return distinct(s, k, func(n int) int { return min(r.intn(n), r.intn(n), r.intn(n)) })
}

// distinct returns k different elements of s (all of s if it has fewer),
// in the order of s, drawing indexes with draw(len(s)) until it has k.
func distinct(s []string, k int, draw func(n int) int) []string {
	k = min(k, len(s))
	chosen := make([]bool, len(s))
	for left := k; left > 0; {
		if j := draw(len(s)); !chosen[j] {
			chosen[j] = true
			left--
		}
	}
	out := make([]string, 0, k)
	for j, c := range chosen {
		if c {
			out = append(out, s[j])
		}
	}
	return out
}
