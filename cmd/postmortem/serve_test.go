package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	site := t.TempDir()
	write(t, site, map[string]string{"content/good.md": good})
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	code, out, errOut := runCmd(t, "serve", "--site", site, "--port", port)
	if code != exitUsage {
		t.Errorf("exit %d on a port in use, want %d (1 is for content errors)", code, exitUsage)
	}
	if !strings.Contains(errOut, "127.0.0.1:"+port+" is in use") || !strings.Contains(errOut, "--port 0") {
		t.Errorf("message does not say the port is in use nor suggest --port 0:\n%s", errOut)
	}
	if strings.Contains(out, "serving") {
		t.Errorf("says it serves: %q", out)
	}
}

// lockedBuffer is a buffer one goroutine writes while another reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServeStopsAtOnceMidBuild(t *testing.T) {
	const n = 3000
	site := t.TempDir()
	files := map[string]string{}
	body := strings.Repeat("The queue backed up and the workers fell behind. ", 60)
	for i := range n {
		pm := strings.Replace(good, "title: Good", fmt.Sprintf("title: Good %d", i), 1)
		files[fmt.Sprintf("content/%04d.md", i)] = strings.Replace(pm, "Fine.", body, 1)
	}
	write(t, site, files)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut lockedBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--site", site, "--port", "0"}, &out, &errOut, clock) }()
	// Ctrl-C as soon as the first build has begun: 3,000 postmortems take
	// far longer to build than the second this test gives serve to stop.
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(errOut.String(), "building"); {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start building:\n%s", errOut.String())
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after Ctrl-C, want 0: %s", code, errOut.String())
		}
		if strings.Contains(errOut.String(), fmt.Sprintf("built %d", n)) {
			t.Errorf("serve waited for the build to end:\n%s", errOut.String())
		}
	case <-time.After(time.Second):
		t.Fatal("serve did not stop within 1 s of Ctrl-C during its first build")
	}
}

// TestServeSaysWhatItServes: the first line names the site's folder, in
// full when given as ".", and the address.
func TestServeSaysWhatItServes(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{"content/a.md": good})
	t.Chdir(site)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut lockedBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--site", ".", "--port", "0"}, &out, &errOut, clock) }()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "\n"); {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not say what it serves:\n%s", errOut.String())
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if !strings.HasPrefix(out.String(), "serving the site in "+site+" at http://127.0.0.1:") {
		t.Errorf("the first line names neither the site's folder nor the address: %q", out.String())
	}
}
