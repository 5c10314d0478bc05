package output

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestWriteMarksTheOutputAndRefusesOtherFolders(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "home"})); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(out, Marker)); err != nil || !strings.Contains(string(data), "postmortem") {
		t.Errorf("marker: %q, %v", data, err)
	}
	// A folder of someone else's files is left alone.
	mine := filepath.Join(dir, "mine")
	write(t, filepath.Join(mine, "thesis.tex"), "years of work")
	err := Write(context.Background(), mine, files(map[string]string{"index.html": "home"}))
	if err == nil || !strings.Contains(err.Error(), mine+": is not empty and holds no "+Marker) {
		t.Errorf("Write into a folder of other files: %v", err)
	}
	if got := tree(t, mine); len(got) != 1 || got["thesis.tex"] != "years of work" {
		t.Errorf("the refused folder now holds %v", got)
	}
	// A file is not turned into a folder.
	notes := filepath.Join(dir, "notes.txt")
	write(t, notes, "notes")
	if err := Write(context.Background(), notes, files(map[string]string{"index.html": "home"})); err == nil || !strings.Contains(err.Error(), "is a file, not a folder") {
		t.Errorf("Write into a file: %v", err)
	}
	if data, err := os.ReadFile(notes); err != nil || string(data) != "notes" {
		t.Errorf("notes.txt is now %q, %v", data, err)
	}
	if l := leftovers(t, out); !slices.Equal(l, []string{"mine", "notes.txt"}) {
		t.Errorf("beside the output: %v", l)
	}
}

func TestWriteKeepsDotfilesAndCNAME(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "one", ".well-known/security.txt": "old"})); err != nil {
		t.Fatal(err)
	}
	// What a deployment puts in the output: a repository, with a folder
	// that cannot be written and a link; the host's files.
	keep := map[string]string{
		".git/HEAD":                "ref: refs/heads/gh-pages\n",
		".git/objects/ab/cdef":     "blob",
		"CNAME":                    "incidents.example.com\n",
		".nojekyll":                "",
		".well-known/security.txt": "by hand", // the build writes this folder: not kept
	}
	for p, data := range keep {
		write(t, filepath.Join(out, p), data)
	}
	if err := os.Chmod(filepath.Join(out, ".git/objects/ab"), 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(out, ".git/objects/ab"), 0o755) })
	if err := os.Symlink("HEAD", filepath.Join(out, ".git/head-link")); err != nil {
		t.Fatal(err)
	}
	head, err := os.Stat(filepath.Join(out, ".git/HEAD"))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := Write(context.Background(), out, files(map[string]string{"index.html": "two", ".well-known/security.txt": "new"})); err != nil {
			t.Fatal(err)
		}
	}
	got := tree(t, out)
	want := map[string]string{
		".git/HEAD": keep[".git/HEAD"], ".git/objects/ab/cdef": "blob", ".git/head-link": keep[".git/HEAD"],
		"CNAME": keep["CNAME"], ".nojekyll": "", ".well-known/security.txt": "new", "index.html": "two",
	}
	for p, data := range want {
		if got[p] != data {
			t.Errorf("%s: %q, want %q", p, got[p], data)
		}
	}
	if len(got) != len(want) {
		t.Errorf("output: %v, want %v", got, want)
	}
	if st, err := os.Stat(filepath.Join(out, ".git/objects/ab")); err != nil || st.Mode().Perm() != 0o555 {
		t.Errorf(".git/objects/ab: %v, %v; want its mode 0555 kept", st.Mode(), err)
	}
	if to, err := os.Readlink(filepath.Join(out, ".git/head-link")); err != nil || to != "HEAD" {
		t.Errorf(".git/head-link: %q, %v; want the link kept", to, err)
	}
	if st, err := os.Stat(filepath.Join(out, ".git/HEAD")); err != nil || !os.SameFile(head, st) {
		t.Errorf(".git/HEAD was copied, not kept (%v)", err)
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("left beside the output: %v", l)
	}
}

func TestWriteRemovesOnlyItsOwnLeftovers(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "one"})); err != nil {
		t.Fatal(err)
	}
	// What killed builds leave, and what only looks like it.
	for p, data := range map[string]string{
		".public.new-123/" + Marker:     markerText,
		".public.new-123/index.html":    "half",
		".public.old-456/" + Marker:     markerText,
		".public.new-789/mine.txt":      "not ours: no marker",
		".public.newer/" + Marker:       markerText,
		".other.new-123/" + Marker:      markerText,
		"public.new-123/" + Marker:      markerText,
		".public.new-file":              "a file",
		".public.new-link-target/x.txt": "x",
	} {
		write(t, filepath.Join(dir, p), data)
	}
	// Made, and killed before its marker was written.
	if err := os.Mkdir(filepath.Join(dir, ".public.new-empty"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(".other.new-123", filepath.Join(dir, ".public.new-link")); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "two"})); err != nil {
		t.Fatal(err)
	}
	want := []string{".other.new-123", ".public.new-789", ".public.new-file", ".public.new-link", ".public.new-link-target", ".public.newer", "public.new-123"}
	if l := leftovers(t, out); !slices.Equal(l, want) {
		t.Errorf("beside the output: %v, want %v", l, want)
	}
}

func TestWritePutsBackAnOutputMovedAside(t *testing.T) {
	// A build that swaps with two renames, killed between them, leaves
	// the previous output aside and none in place.
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	for p, data := range map[string]string{".public.old-1/" + Marker: markerText, ".public.old-1/index.html": "old", ".public.old-1/CNAME": "example.com"} {
		write(t, filepath.Join(dir, p), data)
	}
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "new"})); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, out); len(got) != 2 || got["index.html"] != "new" || got["CNAME"] != "example.com" {
		t.Errorf("output: %v, want the new index.html and the previous output's CNAME", got)
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("left beside the output: %v", l)
	}
}

func TestCanceledWriteLeavesThePreviousOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	old := map[string]string{"index.html": "old", "a/b.html": "B"}
	if err := Write(context.Background(), out, files(old)); err != nil {
		t.Fatal(err)
	}
	// Done after Write has asked a few times: in the middle of the files.
	ctx := &countdown{Context: context.Background(), left: 20}
	next := map[string]string{}
	for i := range 100 {
		next[filepath.Join("d", string(rune('a'+i%26)), "p.html")] = "new"
	}
	if err := Write(ctx, out, files(next)); !errors.Is(err, context.Canceled) {
		t.Errorf("Write with a canceled context: %v", err)
	}
	if got := tree(t, out); len(got) != len(old) || got["index.html"] != "old" || got["a/b.html"] != "B" {
		t.Errorf("output after a canceled write: %v, want %v", got, old)
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("left beside the output: %v", l)
	}
}

// TestCanceledWriteAtEachPoint cancels a write at each point it checks
// its context: before the swap, the previous output stays; after, the new
// one is in place; and the next write removes any leftover.
func TestCanceledWriteAtEachPoint(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	gen := func(n int) map[string]string {
		m := map[string]string{"index.html": strconv.Itoa(n)}
		for i := range 40 {
			m[fmt.Sprintf("d%d/p%d.html", i%4, i)] = fmt.Sprint(i, " of ", n)
		}
		return m
	}
	if err := Write(context.Background(), out, files(gen(0))); err != nil {
		t.Fatal(err)
	}
	cur, left := 0, 0
	for n := 1; n < 100; n++ {
		err := Write(&countdown{Context: context.Background(), left: n}, out, files(gen(n)))
		switch {
		case err == nil:
			cur = n
		case !errors.Is(err, context.Canceled):
			t.Fatalf("write %d: %v", n, err)
		}
		if got := tree(t, out); !maps.Equal(got, gen(cur)) {
			t.Fatalf("write %d canceled after %d checks (err %v): the output is not generation %d", n, n, err, cur)
		}
		if len(leftovers(t, out)) > 0 {
			left++
			if err := Write(context.Background(), out, files(gen(cur))); err != nil {
				t.Fatal(err)
			}
			if l := leftovers(t, out); len(l) > 0 {
				t.Fatalf("the write after one canceled while it removed the previous output left %v", l)
			}
		}
	}
	if left == 0 {
		t.Error("no write was canceled while it removed the previous output")
	}
}

// countdown is a context that is done once Err was called left times.
type countdown struct {
	context.Context
	mu   sync.Mutex
	left int
}

func (c *countdown) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.left--; c.left < 0 {
		return context.Canceled
	}
	return nil
}

func TestWriteThroughALinkWritesWhereItLeads(t *testing.T) {
	dir := t.TempDir()
	real, out := filepath.Join(dir, "www"), filepath.Join(dir, "public")
	if err := Write(context.Background(), real, files(map[string]string{"index.html": "one"})); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("www", out); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "two"})); err != nil {
		t.Fatal(err)
	}
	if to, err := os.Readlink(out); err != nil || to != "www" {
		t.Errorf("the link is now %q, %v; want it kept", to, err)
	}
	if got := tree(t, real); len(got) != 1 || got["index.html"] != "two" {
		t.Errorf("the folder the link leads to holds %v", got)
	}
	if l := leftovers(t, real); !slices.Equal(l, []string{"public"}) {
		t.Errorf("beside the output: %v", l)
	}
}

// TestWriteWithoutExchange swaps with two renames, as where the system
// cannot exchange two folders in one step.
func TestWriteWithoutExchange(t *testing.T) {
	swapFolders = func(a, b string) error { return errNoExchange }
	t.Cleanup(func() { swapFolders = exchange })
	out := filepath.Join(t.TempDir(), "public")
	for _, home := range []string{"one", "two"} {
		if err := Write(context.Background(), out, files(map[string]string{"index.html": home})); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(out, "CNAME"), "example.com")
	}
	if got := tree(t, out); len(got) != 2 || got["index.html"] != "two" || got["CNAME"] != "example.com" {
		t.Errorf("output: %v", got)
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("left beside the output: %v", l)
	}
}

// TestWriteKeepsWhatItDidNotWrite wants what someone put at the top of an
// output kept by the next build, as its Marker lists only what the build
// wrote there; what the build wrote and writes no more, and what was put
// inside a folder the build writes, go.
func TestWriteKeepsWhatItDidNotWrite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	first := map[string]string{"index.html": "one", "incidents/a.html": "a", "services/dns.html": "dns"}
	if err := Write(context.Background(), out, files(first)); err != nil {
		t.Fatal(err)
	}
	mine := map[string]string{"notes.txt": "mine", "reports/q1.pdf": "quarter", "incidents/extra.html": "by hand"}
	for p, data := range mine {
		write(t, filepath.Join(out, p), data)
	}
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "two", "incidents/a.html": "a"})); err != nil {
		t.Fatal(err)
	}
	got := tree(t, out)
	delete(got, Marker)
	want := map[string]string{"index.html": "two", "incidents/a.html": "a", "notes.txt": "mine", "reports/q1.pdf": "quarter"}
	if !maps.Equal(got, want) {
		t.Errorf("after the second build: %v, want %v", got, want)
	}
	// A third build keeps them again, and they are not listed as written.
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "three"})); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, out); got["notes.txt"] != "mine" || got["reports/q1.pdf"] != "quarter" || got["incidents/a.html"] != "" {
		t.Errorf("after the third build: %v", got)
	}
	if w, err := wrote(out); err != nil || !maps.Equal(w, map[string]bool{"index.html": true}) {
		t.Errorf("the marker lists %v as written (%v)", w, err)
	}
}

// TestWriteKeepsNothingItWrote wants a CNAME or dotfile that the build wrote
// gone once it writes it no more, a name written with a line break listed
// as one name, a list cut short taken as no list, and an entry of someone's
// that the build starts to write refused rather than replaced.
func TestWriteKeepsNothingItWrote(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	odd := "notes.txt\nx"
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "one", "CNAME": "old.example.com\n", ".well-known/security.txt": "s", odd: "odd"})); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(out, "notes.txt"), "mine")
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "two"})); err != nil {
		t.Fatal(err)
	}
	got := tree(t, out)
	delete(got, Marker)
	if want := map[string]string{"index.html": "two", "notes.txt": "mine"}; !maps.Equal(got, want) {
		t.Errorf("after the build that stopped writing CNAME, .well-known and %q: %v, want %v", odd, got, want)
	}
	// Someone's folder that the build now writes: refused, the output as it was.
	write(t, filepath.Join(out, "reports/q1.pdf"), "quarter")
	err := Write(context.Background(), out, files(map[string]string{"index.html": "three", "reports/index.html": "r"}))
	if err == nil || !strings.Contains(err.Error(), "/reports: the output holds this, which no build wrote; this build writes reports/index.html into it") {
		t.Errorf("a build writing over someone's folder: %v", err)
	}
	if got := tree(t, out); got["reports/q1.pdf"] != "quarter" || got["index.html"] != "two" {
		t.Errorf("after the refused build: %v", got)
	}
	// Every such file is told, at once: here the folder, and a file at
	// the top.
	st, err := Begin(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range map[string]string{"reports/index.html": "r", "reports/q2.html": "q2", "notes.txt": "the build's", "reports/q1.pdf": "quarter", "index.html": "three"} {
		if err := st.Put(p, []byte(data)); err != nil {
			t.Errorf("Put %s: %v", p, err)
		}
	}
	err = st.Commit()
	for _, want := range []string{"/reports: the output holds this, which no build wrote; this build writes 2 files (reports/index.html, ...) into it", "/notes.txt: the output holds this"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("a build writing two files of someone's: %v, want it to tell %q", err, want)
		}
	}
	if err != nil && strings.Contains(err.Error(), "q1.pdf") {
		t.Errorf("the file of someone's folder written with its bytes is told: %v", err)
	}
	if got := tree(t, out); got["reports/q1.pdf"] != "quarter" || got["index.html"] != "two" || got["notes.txt"] != "mine" {
		t.Errorf("after the refused build: %v", got)
	}
	// Someone's file that the build now writes with the same bytes (a
	// CNAME put in the output by hand, then in static/): the build's.
	write(t, filepath.Join(out, "CNAME"), "incidents.example.com\n")
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "two", "CNAME": "incidents.example.com\n"})); err != nil {
		t.Errorf("the build's CNAME the same as the one in the output: %v", err)
	}
	if w, _ := wrote(out); !w["CNAME"] {
		t.Errorf("the CNAME the build wrote is not listed as its own: %v", w)
	}
	os.RemoveAll(filepath.Join(out, "reports"))
	if err := Write(context.Background(), out, files(map[string]string{"index.html": "two"})); err != nil {
		t.Fatal(err)
	}
	// A marker saved with other line ends, a blank line, no last line end:
	// read as it was.
	marker := filepath.Join(out, Marker)
	data, err := os.ReadFile(marker)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.TrimSuffix(strings.ReplaceAll(strings.Replace(string(data), "\n\"", "\n\n\"", 1), "\n", "\r\n"), "\r\n")
	write(t, marker, edited)
	if w, err := wrote(out); err != nil || !maps.Equal(w, map[string]bool{"index.html": true}) {
		t.Errorf("an edited marker lists %v (%v)", w, err)
	}
	// A list cut short fails the build, and names the marker, the output
	// as it was.
	write(t, marker, strings.TrimSuffix(string(data), wroteEnd))
	err = Write(context.Background(), out, files(map[string]string{"index.html": "four"}))
	if err == nil || !strings.Contains(err.Error(), marker+": the list of what the build wrote is cut short: restore") {
		t.Errorf("a build over a list cut short: %v", err)
	}
	if got := tree(t, out); got["notes.txt"] != "mine" || got["index.html"] != "two" {
		t.Errorf("after the refused build: %v", got)
	}
}

// TestWriteLeavesTheUsersSameFile: a file the build writes into a folder
// of the user's at the top of the output (.well-known, put there by hand,
// then added to static/) with the bytes it has there is left to that
// folder, which stays the user's, whole.
func TestWriteLeavesTheUsersSameFile(t *testing.T) {
	for _, inPlace := range []bool{false, true} {
		if inPlace {
			asMountPoint(t)
		}
		out := filepath.Join(t.TempDir(), "public")
		if err := Write(context.Background(), out, files(map[string]string{"index.html": "one"})); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(out, ".well-known/security.txt"), "Contact: sec@example.com\n")
		write(t, filepath.Join(out, ".well-known/pgp-key.txt"), "KEY")
		next := map[string]string{"index.html": "two", ".well-known/security.txt": "Contact: sec@example.com\n"}
		if err := Write(context.Background(), out, files(next)); err != nil {
			t.Fatalf("in place %v: the build writing the user's security.txt as it is: %v", inPlace, err)
		}
		want := map[string]string{"index.html": "two", ".well-known/security.txt": "Contact: sec@example.com\n", ".well-known/pgp-key.txt": "KEY"}
		if got := tree(t, out); !maps.Equal(got, want) {
			t.Errorf("in place %v: got %v, want %v", inPlace, got, want)
		}
		if w, _ := wrote(out); w[".well-known"] {
			t.Errorf("in place %v: the user's folder is listed as the build's: %v", inPlace, w)
		}
	}
}
