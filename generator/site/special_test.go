//go:build unix

package site

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNamedPipesAreSkipped puts named pipes where the build reads: opening
// one would wait for a writer forever.
func TestNamedPipesAreSkipped(t *testing.T) {
	dir := t.TempDir()
	onDisk(t, dir, bundleSite, nil)
	for _, p := range []string{"content/pipe.md", "content/2024/outage/pipe.svg", "static/pipe.txt", "content/notes"} {
		if err := syscall.Mkfifo(filepath.Join(dir, p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan *Result, 1)
	go func() { done <- buildDir(t, dir) }()
	var res *Result
	select {
	case res = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the build hangs on a named pipe")
	}
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatalf("build failed: %v", err)
	}
	want := strings.Join([]string{
		"content/2024/outage/pipe.svg: warning: skipped: a named pipe, not a regular file",
		"content/notes: warning: skipped: a named pipe, not a regular file",
		"content/pipe.md: warning: skipped: a named pipe, not a regular file",
		"static/pipe.txt: warning: skipped: a named pipe, not a regular file",
	}, "\n")
	if got := warnings(res); got != want {
		t.Errorf("warnings:\n%s\nwant:\n%s", got, want)
	}
	for _, p := range []string{"incidents/outage/pipe.svg", "pipe.txt", "incidents/pipe.html"} {
		if _, ok := res.Files[p]; ok {
			t.Errorf("%s is published", p)
		}
	}
}

// TestDevZero links to /dev/zero, which reads without end, from content/
// and static/: directly (a link out of the site) and through a top-level
// folder linked to /dev (a device inside the site). The build runs in a
// child process with its address space capped, so that a regression fails
// the test rather than the machine.
func TestDevZero(t *testing.T) {
	if dir := os.Getenv("POSTMORTEM_TEST_DEVZERO"); dir != "" {
		debug.SetMemoryLimit(256 << 20)
		res := buildDir(t, dir)
		if err := res.Diagnostics.Err(); err != nil {
			t.Fatalf("build failed: %v", err)
		}
		fmt.Println(warnings(res))
		return
	}
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Fatalf("no /dev/zero: %v", err)
	}
	dir := t.TempDir()
	onDisk(t, dir, bundleSite, map[string]string{
		"content/zero.md":              "/dev/zero",
		"content/2024/outage/zero.bin": "/dev/zero",
		"static/zero":                  "/dev/zero",
		"themes":                       "/dev", // a top-level folder may be a link to anywhere
		"content/dev.md":               "../themes/zero",
		"static/dev":                   "../themes/zero",
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// 4 GB of address space: a build needs far less; reading /dev/zero
	// without a limit would fail at once.
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", `ulimit -v 4194304 && exec "$0" -test.run='^TestDevZero$' -test.v`, os.Args[0])
	cmd.Env = append(os.Environ(), "POSTMORTEM_TEST_DEVZERO="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child build: %v\n%s", err, out)
	}
	for _, want := range []string{
		`content/zero.md: warning: skipped: symbolic link to "/dev/zero", outside the site`,
		`content/2024/outage/zero.bin: warning: skipped: symbolic link to "/dev/zero", outside the site`,
		`static/zero: warning: skipped: symbolic link to "/dev/zero", outside the site`,
		`content/dev.md: warning: skipped: a device, not a regular file`,
		`static/dev: warning: skipped: a device, not a regular file`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the child build does not say %s:\n%s", want, out)
		}
	}
}
