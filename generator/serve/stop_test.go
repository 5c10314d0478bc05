package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// bigSite returns the files of a site of n postmortems, big enough that a
// build takes a good while.
func bigSite(n int) map[string]string {
	files := map[string]string{}
	body := strings.Repeat("The cache tier ran out of memory and the retries made it worse. ", 40)
	for i := range n {
		cause := fmt.Sprintf("cause-%d", i%50)
		files[fmt.Sprintf("content/%04d.md", i)] = pm(fmt.Sprintf("Outage %d", i), cause,
			fmt.Sprintf("## Impact\n\n%s\n\n## Timeline\n\n- 08:00 — alert %d\n", body, i))
	}
	return files
}

// logs collects what a server logs.
type logs struct {
	mu    sync.Mutex
	lines []string
	seen  map[string]chan struct{}
}

func (l *logs) log(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	line := fmt.Sprintf(format, args...)
	l.lines = append(l.lines, line)
	for prefix, c := range l.seen {
		if strings.HasPrefix(line, prefix) {
			close(c)
			delete(l.seen, prefix)
		}
	}
}

// when returns a channel closed once a line starting with prefix is logged.
func (l *logs) when(prefix string) <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := make(chan struct{})
	if l.seen == nil {
		l.seen = map[string]chan struct{}{}
	}
	l.seen[prefix] = c
	return c
}

func (l *logs) has(prefix string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.ContainsFunc(l.lines, func(s string) bool { return strings.HasPrefix(s, prefix) })
}

func TestStopDuringFirstBuild(t *testing.T) {
	site := t.TempDir()
	for name, data := range bigSite(1000) {
		write(t, filepath.Join(site, name), data)
	}
	var l logs
	building := l.when("building")
	srv := New(site, Options{Log: l.log, Port: 0})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- srv.Run(ctx, func(string) { t.Error("ready called after a stop during the first build") })
	}()
	<-building
	time.Sleep(100 * time.Millisecond)
	cancel()
	stopped := time.Now()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		if took := time.Since(stopped); took > time.Second {
			t.Errorf("Run returned %s after the stop", took)
		}
		if l.has("built") {
			t.Error("Run waited for the first build to end")
		}
	case <-time.After(time.Second):
		t.Fatal("Run did not return within 1 s of the stop")
	}
	// The port is free again.
	if ln, err := net.Listen("tcp", srv.Addr()); err != nil {
		t.Errorf("the port is still taken after Run returned: %v", err)
	} else {
		ln.Close()
	}
}

func TestStopDuringRebuild(t *testing.T) {
	var l logs
	h := startWith(t, bigSite(1000), Options{Log: l.log})
	// A change of the configuration rebuilds everything.
	write(t, filepath.Join(h.site, "postmortem.yaml"), "title: Renamed\n")
	deadline := time.Now().Add(10 * time.Second)
	for h.srv.Rebuilds() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no rebuild within 10 s of the change")
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	stopped := time.Now()
	h.stop()
	if took := time.Since(stopped); took > time.Second {
		t.Errorf("Run returned %s after the stop", took)
	}
	if l.has("rebuilt") {
		t.Error("Run waited for the rebuild to end")
	}
}

func TestPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var l logs
	srv := New(t.TempDir(), Options{Port: ln.Addr().(*net.TCPAddr).Port, Log: l.log})
	err = srv.Run(context.Background(), func(string) { t.Error("ready called on a port in use") })
	var le *ListenError
	if !errors.As(err, &le) || le.Addr != ln.Addr().String() {
		t.Fatalf("Run on a port in use: %v, want a ListenError for %s", err, ln.Addr())
	}
	if l.has("building") {
		t.Error("Run built the site before it found the port taken")
	}
}
