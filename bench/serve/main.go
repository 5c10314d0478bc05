// Command serve measures the live preview: the time from its start to its
// URL printed, to its home page served and to its first build served; then
// the time from writing a changed postmortem to the reload event of
// `postmortem serve`, and to the changed page being served, for three
// edits: a sentence added at the end of the body, a paragraph added
// after its first section (which moves the lines of its timeline), and the
// root causes changed. With -hugo it measures `hugo server` on the same corpus the same
// way, through Hugo's livereload websocket.
//
//	go run ./bench/serve [-n 20] [-size 10000] [-dir DIR] [-site SITE] [-bin BINARY] [-hugo]
//
// Without -site it makes a corpus of -size postmortems under -dir with
// package corpus (once; later runs reuse it). A site given with -site is
// edited in place and restored. Without -bin the server runs in this
// process; with it, the binary runs as `BINARY serve`, and its peak RSS
// (VmHWM of /proc/PID/status, on Linux) is printed at the end.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/postmortem/postmortem/bench/corpus"
)

func main() {
	n := flag.Int("n", 20, "edits of each kind")
	size := flag.Int("size", 10000, "postmortems in the generated corpus")
	dir := flag.String("dir", "", "where to generate the corpora (default $TMPDIR/postmortem-servebench-SIZE)")
	site := flag.String("site", "", "an existing site to serve instead of a generated one; edited and restored")
	bin := flag.String("bin", "", "postmortem binary to run; empty runs the server in this process")
	hugo := flag.Bool("hugo", false, "measure hugo server on the same corpus too")
	hugoSite := flag.String("hugo-site", "", "an existing Hugo site of the corpus (default: generated from the same corpus)")
	flag.Parse()
	log.SetFlags(0)

	if *dir == "" {
		*dir = filepath.Join(os.TempDir(), fmt.Sprintf("postmortem-servebench-%d", *size))
	}
	if *site == "" {
		*site = filepath.Join(*dir, "site")
		generate(*site, corpus.Site(*size, 1))
	}
	rel := pick(filepath.Join(*site, "content"))
	target := filepath.Join(*site, "content", rel)
	slug := strings.TrimSuffix(filepath.Base(rel), ".md")

	srv, err := startPostmortem(*site, *bin)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("postmortem serve (%s), %s: URL printed %s, home page served %s, first build served %s; editing %s\n",
		srv.how, *site, srv.startup.Round(time.Millisecond), srv.firstPage.Round(time.Millisecond), srv.built.Round(time.Millisecond), rel)
	run(srv, target, srv.base+"incidents/"+slug+".html", *n)
	if srv.pid != 0 {
		fmt.Printf("peak RSS of %s serve: %s\n", *bin, peakRSS(srv.pid))
	}
	srv.stop()

	if *hugo {
		if *hugoSite == "" {
			*hugoSite = filepath.Join(*dir, "hugo")
			generate(*hugoSite, corpus.Hugo(*size, 1))
		}
		hrel := filepath.Join("postmortems", rel)
		h, err := startHugo(*hugoSite)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("hugo server, %s: first build and listen %s; editing %s\n", *hugoSite, h.startup.Round(time.Millisecond), hrel)
		run(h, filepath.Join(*hugoSite, "content", hrel), h.base+filepath.ToSlash(strings.TrimSuffix(hrel, ".md"))+"/", *n)
		h.stop()
	}
}

// generate writes the files of a corpus into out unless out already
// holds them (from an earlier run).
func generate(out string, files []corpus.File) {
	if _, err := os.Stat(out); err == nil {
		return
	}
	tmp := out + ".tmp"
	os.RemoveAll(tmp)
	if err := corpus.Write(tmp, files); err != nil {
		log.Fatalf("corpus: %v", err)
	}
	if err := os.Rename(tmp, out); err != nil {
		log.Fatal(err)
	}
}

// pick returns the content-relative path of a postmortem of the corpus,
// the same one every run: one that stands alone (not a bundle) and lists
// its root causes on one line, which the root causes edit replaces.
func pick(content string) string {
	var files []string
	_ = filepath.WalkDir(content, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") && filepath.Base(p) != "index.md" {
			if data, err := os.ReadFile(p); err == nil && causesLine.Match(data) {
				files = append(files, p)
			}
		}
		return nil
	})
	if len(files) == 0 {
		log.Fatalf("no postmortem under %s", content)
	}
	slices.Sort(files)
	rel, _ := filepath.Rel(content, files[len(files)/2])
	return rel
}

// server is what the measurements need of a running preview server.
type server struct {
	how     string
	base    string        // URL of the site, ending in /
	startup time.Duration // from start to listening
	// firstPage is the time from start to the home page served, built
	// when its first build is served.
	firstPage, built time.Duration
	// reloads receives one value per reload message; failures one per
	// failed build.
	reloads, failures chan struct{}
	stop              func()
	pid               int // of the server's process, when not this one
}

// peakRSS returns the peak resident memory of process pid so far, as
// /proc/PID/status gives it (VmHWM), or why it cannot.
func peakRSS(pid int) string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return fmt.Sprintf("unknown (%v)", err)
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown (no VmHWM)"
}

var causesLine = regexp.MustCompile(`(?m)^root_causes: \[.*\]$`)

// run measures n edits of each kind of target, whose page is at page, and
// prints the figures.
func run(s *server, target, page string, n int) {
	orig, err := os.ReadFile(target)
	if err != nil {
		log.Fatal(err)
	}
	defer os.WriteFile(target, orig, 0o644)
	if !causesLine.Match(orig) {
		log.Fatalf("%s has no root_causes line", target)
	}
	bodyAt := bytes.Index(orig, []byte("\n---\n")) + len("\n---\n") // past the front matter
	if !bytes.HasPrefix(orig, []byte("---\n")) || bodyAt < len("\n---\n") {
		log.Fatalf("%s has no YAML front matter", target)
	}
	// The second heading of the body, after its first section, whose first
	// paragraph may be the summary.
	second := bytes.Index(orig[bodyAt+1:], []byte("\n## "))
	if second < 0 {
		log.Fatalf("%s has no second heading in its body", target)
	}
	second += bodyAt + 2
	stamp := time.Now().UnixNano()
	kinds := []struct {
		name string
		edit func(i int) ([]byte, string) // new content, text the page then shows
	}{
		{"body", func(i int) ([]byte, string) {
			mark := fmt.Sprintf("Bench sentence %d-%d.", stamp, i)
			return append(slices.Clone(orig), "\n"+mark+"\n"...), mark
		}},
		{"paragraph", func(i int) ([]byte, string) {
			// Two lines or three, in turn, before the second heading:
			// each edit moves every line below them (the timeline's,
			// the references' and the links'), and not the summary.
			mark := fmt.Sprintf("Bench paragraph %d-%d.", stamp, i)
			return slices.Concat(orig[:second], []byte(mark+"\n"+strings.Repeat("\n", 1+i%2)), orig[second:]), mark
		}},
		{"root causes", func(i int) ([]byte, string) {
			cause := fmt.Sprintf("bench-cause-%d-%d", stamp%100000, i)
			return causesLine.ReplaceAll(orig, []byte("root_causes: ["+cause+", dns]")), cause
		}},
	}
	for _, k := range kinds {
		var reload, served []time.Duration
		stale := 0
		for i := range n {
			data, mark := k.edit(i)
			settle(s)
			t0 := time.Now()
			if err := os.WriteFile(target, data, 0o644); err != nil {
				log.Fatal(err)
			}
			select {
			case <-s.reloads:
			case <-s.failures:
				log.Fatalf("%s edit %d broke the build", k.name, i)
			case <-time.After(2 * time.Minute):
				log.Fatalf("no reload within 2 minutes of %s edit %d", k.name, i)
			}
			reload = append(reload, time.Since(t0))
			first := true
			for !shows(page, mark) {
				if first {
					stale++
					first = false
				}
				if time.Since(t0) > 2*time.Minute {
					log.Fatalf("%s never showed %q", page, mark)
				}
				time.Sleep(5 * time.Millisecond)
			}
			served = append(served, time.Since(t0))
		}
		report(k.name+", reload message", reload)
		report(k.name+", page served", served)
		if stale > 0 {
			fmt.Printf("    %d of %d reloads came before the page showed the edit\n", stale, n)
		}
	}
}

// settle waits until the server has been quiet for a while, and forgets
// the messages of earlier edits.
func settle(s *server) {
	for {
		select {
		case <-s.reloads:
		case <-s.failures:
		case <-time.After(300 * time.Millisecond):
			return
		}
	}
}

// shows reports whether the page at url contains text.
func shows(url, text string) bool {
	resp, err := http.Get(url)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 64<<10)
	for {
		k, err := resp.Body.Read(buf)
		b.Write(buf[:k])
		if err != nil {
			break
		}
	}
	return resp.StatusCode == 200 && strings.Contains(b.String(), text)
}

func report(name string, ds []time.Duration) {
	s := slices.Clone(ds)
	slices.Sort(s)
	ms := func(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }
	fmt.Printf("  %-36s n=%d  median %s  p90 %s  min %s  max %s\n", name, len(s),
		ms(s[len(s)/2]), ms(s[(len(s)*9+9)/10-1]), ms(s[0]), ms(s[len(s)-1]))
}
