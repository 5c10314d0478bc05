// Command servelatency measures the live preview: the time from writing a
// changed postmortem to the reload event of `postmortem serve`, and, with
// -hugo, to the reload message of `hugo server` on the same corpus.
//
//	go run ./bench/servelatency -site DIR [-n 20] [-hugo HUGO_SITE]
//
// DIR is a site made by gencorpus.py; it is edited in place and restored.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

func main() {
	site := flag.String("site", "", "site to serve (content/ made by gencorpus.py)")
	n := flag.Int("n", 20, "edits of each kind")
	bin := flag.String("bin", "", "postmortem binary (default: go build ./cmd/postmortem)")
	hugoSite := flag.String("hugo", "", "the same corpus as a Hugo site, to time hugo server too")
	flag.Parse()
	if *site == "" {
		log.Fatal("-site is required")
	}
	if *bin == "" {
		*bin = filepath.Join(os.TempDir(), "postmortem-bench")
		if out, err := exec.Command("go", "build", "-o", *bin, "./cmd/postmortem").CombinedOutput(); err != nil {
			log.Fatalf("go build: %v\n%s", err, out)
		}
	}
	target := pick(filepath.Join(*site, "content"))
	fmt.Printf("postmortem serve, %s, editing %s\n", *site, target)
	body, causes := measurePostmortem(*bin, *site, target, *n)
	report("body edit", body)
	report("root causes edit", causes)
	if *hugoSite != "" {
		htarget := filepath.Join(*hugoSite, "content", "postmortems", strings.TrimPrefix(target, filepath.Join(*site, "content")+"/"))
		report("hugo server, body edit", measureHugo(*hugoSite, htarget, *n))
	}
}

// pick returns a postmortem of the corpus, the same one every run.
func pick(content string) string {
	var files []string
	filepath.WalkDir(content, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	slices.Sort(files)
	return files[len(files)/2]
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func measurePostmortem(bin, site, target string, n int) (body, causes []time.Duration) {
	port := freePort()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve", "--site", site, "--port", fmt.Sprint(port))
	cmd.Stderr = io.Discard
	out, _ := cmd.StdoutPipe()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	bufio.NewReader(out).ReadString('\n') // "serving ... at URL"
	fmt.Printf("  first build and listen: %s\n", time.Since(start).Round(time.Millisecond))
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/__postmortem/events", port))
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if l := sc.Text(); strings.HasPrefix(l, "event: ") {
				events <- strings.TrimPrefix(l, "event: ")
			}
		}
	}()
	<-events // hello
	orig, err := os.ReadFile(target)
	if err != nil {
		log.Fatal(err)
	}
	defer os.WriteFile(target, orig, 0o644)
	causesRE := regexp.MustCompile(`(?m)^root_causes: \[.*\]$`)
	edit := func(data []byte) time.Duration {
		t0 := time.Now()
		if err := os.WriteFile(target, data, 0o644); err != nil {
			log.Fatal(err)
		}
		for e := range events {
			if e == "reload" {
				return time.Since(t0)
			}
			if e == "errors" {
				log.Fatal("the edit broke the build")
			}
		}
		return 0
	}
	for i := range n {
		body = append(body, edit(append(slices.Clone(orig), fmt.Sprintf("\nEdit number %d.\n", i)...)))
		time.Sleep(100 * time.Millisecond)
	}
	for i := range n {
		cause := fmt.Sprintf("root_causes: [bench-cause-%d, dns]", i)
		causes = append(causes, edit(causesRE.ReplaceAll(orig, []byte(cause))))
		time.Sleep(100 * time.Millisecond)
	}
	return body, causes
}

// measureHugo times hugo server from the write to the livereload message
// on its websocket, read as raw frames.
func measureHugo(site, target string, n int) []time.Duration {
	port := freePort()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		log.Fatal("hugo is not on PATH")
	}
	cmd := exec.CommandContext(ctx, hugo, "server", "--source", site, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--disableFastRender=false")
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	rd := bufio.NewReader(out)
	for {
		l, err := rd.ReadString('\n')
		if err != nil {
			log.Fatal("hugo server stopped")
		}
		if strings.Contains(l, "Web Server is available") {
			break
		}
	}
	go io.Copy(io.Discard, rd)
	conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /livereload HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", port)
	ws := bufio.NewReader(conn)
	for {
		l, err := ws.ReadString('\n')
		if err != nil || l == "\r\n" {
			break
		}
	}
	// hello handshake of the livereload protocol
	frame := func(msg string) []byte {
		b := []byte{0x81, byte(0x80 | len(msg)), 1, 2, 3, 4}
		for i := 0; i < len(msg); i++ {
			b = append(b, msg[i]^[]byte{1, 2, 3, 4}[i%4])
		}
		return b
	}
	conn.Write(frame(`{"command":"hello","protocols":["http://livereload.com/protocols/official-7"]}`))
	msgs := make(chan string, 16)
	go func() {
		for {
			h := make([]byte, 2)
			if _, err := io.ReadFull(ws, h); err != nil {
				return
			}
			l := int(h[1] & 0x7f)
			if l == 126 {
				e := make([]byte, 2)
				io.ReadFull(ws, e)
				l = int(e[0])<<8 | int(e[1])
			}
			p := make([]byte, l)
			io.ReadFull(ws, p)
			msgs <- string(p)
		}
	}()
	orig, err := os.ReadFile(target)
	if err != nil {
		log.Fatal(err)
	}
	defer os.WriteFile(target, orig, 0o644)
	var out2 []time.Duration
	for i := range n {
		t0 := time.Now()
		os.WriteFile(target, append(slices.Clone(orig), fmt.Sprintf("\nEdit number %d.\n", i)...), 0o644)
		timeout := time.After(120 * time.Second)
	wait:
		for {
			select {
			case m := <-msgs:
				if strings.Contains(m, `"reload"`) {
					out2 = append(out2, time.Since(t0))
					break wait
				}
			case <-timeout:
				log.Fatal("hugo sent no reload within 120 s")
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	return out2
}

func report(name string, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	fmt.Printf("  %-24s n=%d median %s p90 %s min %s max %s\n", name, len(s), s[len(s)/2].Round(time.Millisecond),
		s[len(s)*9/10].Round(time.Millisecond), s[0].Round(time.Millisecond), s[len(s)-1].Round(time.Millisecond))
}
