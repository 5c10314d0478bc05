//go:build unix

package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// binary builds the command into a temporary folder.
func binary(t *testing.T) string {
	t.Helper()
	defer func(start time.Time) { t.Logf("go build took %v", time.Since(start)) }(time.Now())
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command to build postmortem with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "postmortem")
	if out, err := exec.Command(gocmd, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// sums reads every file under dir, links not followed, by path.
func sums(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	got := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		got[p] = sha256.Sum256(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// bigSite writes a site of n small postmortems.
func bigSite(t *testing.T, n int) string {
	t.Helper()
	site := t.TempDir()
	files := map[string]string{}
	for i := range n {
		files[fmt.Sprintf("content/%d/p%05d.md", 2000+i%25, i)] = fmt.Sprintf(
			"---\ntitle: Incident %d\ndate: %d-%02d-%02d\nseverity: SEV%d\nroot_causes: [cause-%d, cause-%d]\nservices: [svc-%d]\n---\n"+
				"Summary of incident %d: the queue backed up.\n\n## Timeline\n\n- 10:00 — Impact began\n- 10:%02d — Resolved\n",
			i, 2000+i%25, 1+i%12, 1+i%28, 1+i%5, i%40, i%17, i%9, i, 10+i%40)
	}
	write(t, site, files)
	return site
}

// TestSignalStopsBuild sends SIGINT, SIGTERM or SIGHUP to `build` and `check` at
// several points of a build that takes a while: each exits 130 within a
// second, and the previous output is as it was, with nothing left beside
// it.
func TestSignalStopsBuild(t *testing.T) {
	bin := binary(t)
	site := bigSite(t, 3000)
	out := filepath.Join(site, "public")
	// How long each command takes when not stopped: the second build
	// replaces an output, as the stopped ones would.
	took := map[string]time.Duration{}
	for _, cmd := range []string{"build", "build", "check"} {
		start := time.Now()
		if b, err := exec.Command(bin, cmd, "--site", site).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", cmd, err, b)
		}
		took[cmd] = time.Since(start)
	}
	// The signal must come once main has set up its handler, after every
	// package's init: as long as the binary takes to start, and more.
	start := time.Now()
	if b, err := exec.Command(bin, "version").CombinedOutput(); err != nil {
		t.Fatalf("version: %v\n%s", err, b)
	}
	startup := max(2*time.Since(start), 100*time.Millisecond)
	t.Logf("build took %v, check %v, start-up %v", took["build"], took["check"], startup/2)
	before := sums(t, out)
	// A build that ran to its end would change the output.
	write(t, site, map[string]string{"content/new.md": good})
	cases := []struct {
		cmd    string
		sig    syscall.Signal
		within float64 // of the time the command takes
	}{
		{"build", syscall.SIGINT, 0.1},
		{"build", syscall.SIGINT, 0.2},
		{"build", syscall.SIGTERM, 0.3},
		{"build", syscall.SIGHUP, 0.3}, // the terminal closed
		{"check", syscall.SIGINT, 0.2},
	}
	for n, c := range cases {
		t.Run(fmt.Sprintf("%s %v at %.0f%%", c.cmd, c.sig, 100*c.within), func(t *testing.T) {
			// A command that ends before the signal lands (the machine ran
			// it faster than when it was timed) proves nothing: then the
			// signal goes again, sooner, on a site changed anew.
			delay := time.Duration(c.within * float64(took[c.cmd]-startup))
			var cmd *exec.Cmd
			var stderr strings.Builder
			var sent time.Time
			for try := 0; ; try++ {
				cmd = exec.Command(bin, c.cmd, "--site", site)
				stderr.Reset()
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
				time.Sleep(startup + delay)
				err := cmd.Process.Signal(c.sig)
				sent = time.Now()
				select {
				case <-done:
				case <-time.After(5 * time.Second):
					cmd.Process.Kill()
					<-done
					t.Fatalf("%s still ran 5 s after %v", c.cmd, c.sig)
				}
				if err == nil && cmd.ProcessState.ExitCode() != 0 {
					break
				}
				if try == 4 {
					t.Fatalf("%s ended before the signal five times, the last %v after it started", c.cmd, startup+delay)
				}
				t.Logf("%s ended before the signal at %v; again, sooner", c.cmd, startup+delay)
				delay /= 2
				before = sums(t, out)
				write(t, site, map[string]string{fmt.Sprintf("content/new-%d-%d.md", n, try): good})
			}
			t.Logf("stopped %v after the signal", time.Since(sent))
			if after := time.Since(sent); after > time.Second {
				t.Errorf("%s took %v to stop after %v, want at most a second", c.cmd, after, c.sig)
			}
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
				t.Errorf("%s stopped by %v: exit %d, want %d; stderr:\n%s", c.cmd, c.sig, code, exitInterrupted, stderr.String())
			}
			if !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("stderr does not say the build was interrupted:\n%s", stderr.String())
			}
			after := sums(t, out)
			if len(after) != len(before) {
				t.Fatalf("the previous output has %d files, had %d", len(after), len(before))
			}
			for p, sum := range before {
				if after[p] != sum {
					t.Fatalf("%s changed", p)
				}
			}
			entries, err := os.ReadDir(site)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".public") {
					t.Errorf("%s left beside the output", e.Name())
				}
			}
		})
	}
}
