package output

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// beginOver writes old as an output, and begins a new one over it.
func beginOver(t *testing.T, old map[string]string) (string, *Staging) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	if err := Write(context.Background(), out, files(old)); err != nil {
		t.Fatal(err)
	}
	s, err := Begin(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	return out, s
}

// TestStagingPutsFromManyGoroutines writes an output the way a build
// streams it, from several goroutines, and wants every file in place once
// committed, and nothing before.
func TestStagingPutsFromManyGoroutines(t *testing.T) {
	out, s := beginOver(t, map[string]string{"index.html": "old"})
	want := map[string]string{}
	for i := range 200 {
		want[fmt.Sprintf("d%d/p%d.html", i%7, i)] = fmt.Sprint("page ", i)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(want))
	for p, data := range want {
		wg.Go(func() { errs <- s.Put(p, []byte(data)) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := tree(t, out); len(got) != 1 || got["index.html"] != "old" {
		t.Errorf("the output before Commit: %v, want the previous one", got)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, out); !maps.Equal(got, want) {
		t.Errorf("the output after Commit has %d files, want %d", len(got), len(want))
	}
	if err := s.Put("late.html", []byte("late")); err == nil {
		t.Error("Put after Commit wrote")
	}
}

// TestStagingAbortLeavesThePreviousOutput stops a build half way, as one
// whose template fails does: the output is as it was, and nothing is left
// beside it.
func TestStagingAbortLeavesThePreviousOutput(t *testing.T) {
	old := map[string]string{"index.html": "old", "a/b.html": "B"}
	out, s := beginOver(t, old)
	for _, p := range []string{"index.html", "a/b.html", "c/d.html"} {
		if err := s.Put(p, []byte("new")); err != nil {
			t.Fatal(err)
		}
	}
	s.Abort()
	if got := tree(t, out); !maps.Equal(got, old) {
		t.Errorf("output after Abort: %v, want %v", got, old)
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("left beside the output: %v", l)
	}
	if err := s.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
}

// TestStagingAbortWhileWriting aborts while other goroutines are still
// writing, as a canceled build does while its search index is being
// written: nothing may be left beside the output, however the writes and
// the removal interleave.
func TestStagingAbortWhileWriting(t *testing.T) {
	for round := range 20 {
		out := filepath.Join(t.TempDir(), "public")
		s, err := Begin(context.Background(), out)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for i := 0; ; i++ {
					if s.Put(fmt.Sprintf("g%d/d%d/p.html", g, i), []byte("page")) != nil {
						return
					}
				}
			})
		}
		s.Abort()
		wg.Wait()
		if l := leftovers(t, out); len(l) > 0 {
			t.Fatalf("round %d: left beside the output: %v", round, l)
		}
	}
}

// TestStagingRefusesPathsOutside refuses, file by file, what a hostile
// path would write outside the output or over its marker.
func TestStagingRefusesPathsOutside(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	s, err := Begin(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	for _, p := range []string{"../escape.html", "/etc/passwd", "a/../../escape.html", Marker, ""} {
		if err := s.Put(p, []byte("x")); err == nil || !strings.Contains(err.Error(), "refusing") {
			t.Errorf("Put(%q): %v, want a refusal", p, err)
		}
		if _, err := s.Create(p); err == nil || !strings.Contains(err.Error(), "refusing") {
			t.Errorf("Create(%q): %v, want a refusal", p, err)
		}
	}
	if l := leftovers(t, out); len(l) != 1 || !strings.HasPrefix(l[0], ".public.new-") {
		t.Errorf("beside the output: %v, want the staging folder alone", l)
	}
}

// TestStagingCreate writes a file a part at a time, as a build writes its
// exports, beside files put whole: in place once committed, in a folder of
// its own too, and no writer after Commit.
func TestStagingCreate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	s, err := Begin(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put("index.html", []byte("home")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"index.json", "exports/rows.csv"} {
		w, err := s.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			fmt.Fprintf(w, "part %d of %s\n", i, p)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"index.html": "home",
		"index.json":       "part 0 of index.json\npart 1 of index.json\npart 2 of index.json\n",
		"exports/rows.csv": "part 0 of exports/rows.csv\npart 1 of exports/rows.csv\npart 2 of exports/rows.csv\n"}
	if got := tree(t, out); !maps.Equal(got, want) {
		t.Errorf("the output after Commit: %v, want %v", got, want)
	}
	if _, err := s.Create("late.json"); err == nil {
		t.Error("Create after Commit made a writer")
	}
}

// TestStagingCreateLinksTheSameBytes wants a file written a part at a time
// with the bytes of the previous output's file at its path to be that file,
// linked, as Put links one; and a file with other bytes, even one longer or
// shorter by its end, written anew.
func TestStagingCreateLinksTheSameBytes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	old := map[string]string{"same.json": "abcdef", "longer.json": "abc", "shorter.json": "abcdef", "other.json": "abcdef"}
	if err := Write(context.Background(), out, files(old)); err != nil {
		t.Fatal(err)
	}
	before := map[string]os.FileInfo{}
	for p := range old {
		st, err := os.Stat(filepath.Join(out, p))
		if err != nil {
			t.Fatal(err)
		}
		before[p] = st
	}
	s, err := Begin(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"same.json": "abcdef", "longer.json": "abcdef", "shorter.json": "abc", "other.json": "abcxef"}
	for p, data := range want {
		w, err := s.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range []string{data[:2], data[2:]} {
			if _, err := io.WriteString(w, part); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, out); !maps.Equal(got, want) {
		t.Errorf("the output: %v, want %v", got, want)
	}
	for p := range want {
		st, err := os.Stat(filepath.Join(out, p))
		if err != nil {
			t.Fatal(err)
		}
		if linked := os.SameFile(st, before[p]); linked != (p == "same.json") {
			t.Errorf("%s linked from the previous output: %v", p, linked)
		}
	}
}

// TestStagingScratch wants a scratch file to read back what was written to
// it, and to be in neither the output nor beside it once the staging ends,
// committed or aborted.
func TestStagingScratch(t *testing.T) {
	for _, commit := range []bool{true, false} {
		out, s := beginOver(t, map[string]string{"index.html": "old"})
		f, err := s.Scratch()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt([]byte("held body"), 100); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 4)
		if _, err := f.ReadAt(buf, 105); err != nil || string(buf) != "body" {
			t.Errorf("read back %q (%v), want %q", buf, err, "body")
		}
		if err := s.Put("index.html", []byte("new")); err != nil {
			t.Fatal(err)
		}
		f.Close()
		want := map[string]string{"index.html": "old"}
		if commit {
			if err := s.Commit(); err != nil {
				t.Fatal(err)
			}
			want["index.html"] = "new"
		} else {
			s.Abort()
		}
		if got := tree(t, out); !maps.Equal(got, want) {
			t.Errorf("committed %v, the output is %v, want %v", commit, got, want)
		}
		if left := leftovers(t, out); len(left) > 0 {
			t.Errorf("committed %v, left beside the output: %v", commit, left)
		}
		if _, err := s.Scratch(); err == nil {
			t.Errorf("committed %v, Scratch after the end gave a file", commit)
		}
	}
}
