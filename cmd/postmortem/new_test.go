package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNewFlags(t *testing.T) {
	site := t.TempDir()
	// Flags after the title, the incident's own day in the file name.
	code, out, errOut := runCmd(t, "new", "--site", site, "Disk full on db-3", "--date", "2023-08-06", "--severity", "sev2")
	want := filepath.Join(site, "content", "2023", "2023-08-06-disk-full-on-db-3.md")
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("exit %d, out %q, err %q", code, out, errOut)
	}
	data, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{`title: "Disk full on db-3"`, "date: 2023-08-06", `severity: "SEV2"`, "due: 2023-09-03"} {
		if !strings.Contains(string(data), line+"\n") {
			t.Errorf("the new file lacks %q:\n%s", line, data)
		}
	}
	// A bundle, flags before the title.
	code, out, _ = runCmd(t, "new", "--bundle", "--date=2023-08-07", "--site", site, "Cache stampede")
	bundle := filepath.Join(site, "content", "2023", "2023-08-07-cache-stampede", "index.md")
	if code != 0 || !strings.Contains(out, bundle) {
		t.Fatalf("bundle: exit %d, out %q", code, out)
	}
	if code, _, errOut := runCmd(t, "check", "--site", site); code != 0 {
		t.Errorf("the new postmortems do not pass check: %s", errOut)
	}
	// Never overwrites, neither a file nor a bundle.
	before, _ := os.ReadFile(want)
	os.WriteFile(want, append(before, "edited\n"...), 0o644)
	if code, _, _ := runCmd(t, "new", "--site", site, "--date", "2023-08-06", "Disk full on db-3"); code == 0 {
		t.Error("new overwrote an existing postmortem")
	}
	if after, _ := os.ReadFile(want); !strings.HasSuffix(string(after), "edited\n") {
		t.Error("the existing postmortem changed")
	}
	if code, _, _ := runCmd(t, "new", "--site", site, "--bundle", "--date", "2023-08-07", "Cache stampede"); code == 0 {
		t.Error("new wrote into an existing bundle")
	}
}

func TestNewRefusesBadFlags(t *testing.T) {
	site := t.TempDir()
	for _, args := range [][]string{
		{"new", "--site", site, "--date", "2023-13-01", "Bad day"},
		{"new", "--site", site, "--severity", "SEV9", "Bad level"},
		{"new", "--site", site, "!!!"},
		{"new", "--site", site, "Two", "titles"},
	} {
		if code, _, errOut := runCmd(t, args...); code != exitUsage || errOut == "" {
			t.Errorf("%q: exit %d, stderr %q; want a usage error", args, code, errOut)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(site, "content")); len(entries) != 0 {
		t.Errorf("a refused new wrote %v", entries)
	}
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		code, out, _ := runCmd(t, arg)
		if code != 0 || !strings.HasPrefix(out, "postmortem ") || !strings.Contains(out, "go1.") {
			t.Errorf("%s: exit %d, out %q", arg, code, out)
		}
	}
}
