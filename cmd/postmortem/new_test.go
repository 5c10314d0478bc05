package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNewFlags(t *testing.T) {
	site := emptySite(t)
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
	// Never overwrites, neither a file nor a bundle, nor takes the name
	// of another postmortem in any form: a second incident of the same
	// title and day gets a name of its own, which check passes.
	before, _ := os.ReadFile(want)
	os.WriteFile(want, append(before, "edited\n"...), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--date", "2023-08-06", "Disk full on db-3"}, filepath.Join("2023", "2023-08-06-disk-full-on-db-3-2.md")},
		{[]string{"--bundle", "--date", "2023-08-07", "Cache stampede"}, filepath.Join("2023", "2023-08-07-cache-stampede-2", "index.md")},
		{[]string{"--date", "2023-08-07", "Cache stampede"}, filepath.Join("2023", "2023-08-07-cache-stampede-3.md")},
	} {
		code, out, errOut := runCmd(t, append([]string{"new", "--site", site}, tc.args...)...)
		if p := filepath.Join(site, "content", tc.want); code != 0 || !strings.Contains(out, p) {
			t.Errorf("new %v: exit %d, out %q, err %q; want %s", tc.args, code, out, errOut, p)
		}
	}
	if after, _ := os.ReadFile(want); !strings.HasSuffix(string(after), "edited\n") {
		t.Error("the existing postmortem changed")
	}
	// A long title is kept whole, its file named after its first words.
	long := strings.Repeat("very long title ", 30)
	code, out, _ = runCmd(t, "new", "--site", site, "--date", "2023-08-08", long)
	name := strings.TrimSpace(strings.TrimPrefix(out, "wrote "))
	if base := filepath.Base(name); code != 0 || len(base) > len("2023-08-08-")+maxNameSlug+len(".md") || !strings.HasPrefix(base, "2023-08-08-very-long-title-very") {
		t.Errorf("a long title: exit %d, wrote %q", code, out)
	}
	if data, _ := os.ReadFile(name); !strings.Contains(string(data), strings.TrimSpace(long)) {
		t.Errorf("the long title is not kept whole:\n%s", data)
	}
	if code, _, errOut := runCmd(t, "check", "--site", site); code != 0 {
		t.Errorf("the new postmortems do not pass check: %s", errOut)
	}
}

// TestNewPlaceholders: the text new writes for its author to replace
// passes check while the postmortem is a draft, and is pointed at, line by
// line, once it is not.
func TestNewPlaceholders(t *testing.T) {
	site := emptySite(t)
	code, out, _ := runCmd(t, "new", "--site", site, "--date", "2023-08-06", "Disk full")
	file := strings.TrimSpace(strings.TrimPrefix(out, "wrote "))
	if code != 0 {
		t.Fatalf("new: exit %d", code)
	}
	if _, _, errOut := runCmd(t, "check", "--site", site); strings.Contains(errOut, "[placeholder]") {
		t.Errorf("a draft is told of its placeholders:\n%s", errOut)
	}
	data, _ := os.ReadFile(file)
	os.WriteFile(file, []byte(strings.Replace(string(data), "status: draft", "status: review", 1)), 0o644)
	_, _, errOut := runCmd(t, "check", "--site", site)
	var got []string
	for _, l := range strings.Split(errOut, "\n") {
		if strings.HasSuffix(l, "[placeholder]") {
			_, at, _ := strings.Cut(l, ".md:")
			line, _, _ := strings.Cut(at, ":")
			got = append(got, line)
		}
	}
	// The action item, the summary's paragraph, the three timeline entries.
	if want := "15 24 30 31 32"; strings.Join(got, " ") != want {
		t.Errorf("placeholders told at lines %v, want %s:\n%s", got, want, errOut)
	}
}

func TestNewRefusesBadFlags(t *testing.T) {
	site := emptySite(t)
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
	if code, _, errOut := runCmd(t, "new", "--site", site); code != exitUsage || !strings.HasPrefix(errOut, "postmortem new: the TITLE is missing") {
		t.Errorf("new without a title: exit %d, stderr %q", code, errOut)
	}
	if entries, _ := os.ReadDir(filepath.Join(site, "content")); len(entries) != 0 {
		t.Errorf("a refused new wrote %v", entries)
	}
}

// TestNewOutsideASite runs new in a folder that is not a site: it writes
// nothing and says how to start one. A folder with postmortem.yaml alone
// is a site, which new gives a content/ folder.
func TestNewOutsideASite(t *testing.T) {
	home := t.TempDir()
	write(t, home, map[string]string{"notes.txt": "x"})
	t.Chdir(home)
	code, out, errOut := runCmd(t, "new", "Disk full")
	if code != exitUsage || out != "" || !strings.HasPrefix(errOut, "postmortem new: . is not a site, with neither content/ nor a postmortem.yaml (.yml, .toml): --site names the folder of a site") ||
		!strings.HasSuffix(errOut, "; postmortem init . starts one there\n") {
		t.Errorf("new outside a site: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(home, "content")); !os.IsNotExist(err) {
		t.Errorf("new made content/ in a folder that is not a site (%v)", err)
	}
	write(t, home, map[string]string{"postmortem.yaml": "title: Ours\n"})
	want := filepath.Join("content", "2024", "2024-05-06-disk-full.md")
	if code, out, errOut := runCmd(t, "new", "Disk full"); code != exitOK || out != "wrote "+want+"\n" || !strings.Contains(errOut, "set its status: to final") {
		t.Errorf("new in a site with postmortem.yaml alone: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	toml := t.TempDir()
	write(t, toml, map[string]string{"postmortem.toml": "title = \"Ours\"\n"})
	if code, _, errOut := runCmd(t, "new", "--site", toml, "Disk full"); code != exitOK {
		t.Errorf("new in a site with postmortem.toml alone: exit %d, stderr %q", code, errOut)
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

// TestNewFollowsTheZoneTheBodyStates: a new postmortem does not set its
// zone, so that "All times in CET" in its body is the zone its times are
// read and shown in, as for a postmortem written without front matter.
func TestNewFollowsTheZoneTheBodyStates(t *testing.T) {
	site := emptySite(t)
	_, out, _ := runCmd(t, "new", "--site", site, "--date", "2023-08-06", "Disk full")
	file := strings.TrimSpace(strings.TrimPrefix(out, "wrote "))
	data, _ := os.ReadFile(file)
	src := strings.Replace(string(data), "## Impact", "All times in CET.\n\n## Impact", 1)
	// Its own timeline: those new writes give no time.
	if strings.Count(src, "Impact begins.") != 1 {
		t.Fatalf("new wrote no placeholder timeline:\n%s", src)
	}
	src = strings.NewReplacer("Impact begins.", "Disk filled up.", "The first alert fires.", "Alert fired.", "Service is restored.", "Cleaned up.").Replace(src)
	os.WriteFile(file, []byte(strings.Replace(src, "status: draft", "status: final", 1)), 0o644)
	if code, _, errOut := runCmd(t, "build", "--site", site); code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, errOut)
	}
	page, _ := os.ReadFile(filepath.Join(site, "public", "incidents", "2023-08-06-disk-full.html"))
	if !strings.Contains(string(page), `datetime="2023-08-06T08:00:00&#43;02:00">6 Aug 2023 08:00 CEST`) {
		t.Errorf("the started time is not 08:00 in the zone the body states:\n%s", page)
	}
}

// TestNewTimelineGivesNoTimes: the timeline new writes, untouched, gives
// the incident no times, which the site's figures would count.
func TestNewTimelineGivesNoTimes(t *testing.T) {
	site := emptySite(t)
	runCmd(t, "new", "--site", site, "--date", "2023-08-06", "Disk full")
	if code, _, errOut := runCmd(t, "build", "--site", site, "--drafts"); code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, errOut)
	}
	page, _ := os.ReadFile(filepath.Join(site, "public", "incidents", "2023-08-06-disk-full.html"))
	if strings.Contains(string(page), "Duration</dt>") || !strings.Contains(string(page), "Impact begins.") {
		t.Errorf("the placeholder timeline gives a duration, or is not shown:\n%s", page)
	}
}
