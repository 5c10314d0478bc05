package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/postmortem"
)

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func clock() time.Time { return time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC) }

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut, clock)
	return code, out.String(), errOut.String()
}

// emptySite returns a site with an empty content/ folder.
func emptySite(t *testing.T) string {
	t.Helper()
	site := t.TempDir()
	if err := os.Mkdir(filepath.Join(site, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	return site
}

const good = "---\ntitle: Good\ndate: 2024-01-02\nroot_causes: [dns]\n---\nFine.\n"

// TestBuildOnlyDrafts builds a site whose postmortems are all drafts: the
// summary says so, and how to see them, in the singular for one.
func TestBuildOnlyDrafts(t *testing.T) {
	site := t.TempDir()
	draft := strings.Replace(good, "---\nFine", "status: draft\n---\nFine", 1)
	write(t, site, map[string]string{"content/a.md": draft})
	code, out, errOut := runCmd(t, "build", "--site", site)
	if code != exitOK || !strings.Contains(out, "built 0 postmortems, ") || !strings.Contains(out, " pages, 0 root causes into ") ||
		!strings.Contains(out, "skipped 1 draft: --drafts builds them too\n") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	write(t, site, map[string]string{"content/b.md": strings.Replace(draft, "Good", "Other", 1)})
	if _, out, _ := runCmd(t, "build", "--site", site); !strings.Contains(out, "skipped 2 drafts: --drafts builds them too\n") {
		t.Errorf("stdout %q", out)
	}
	if _, out, _ := runCmd(t, "build", "--site", site, "--drafts"); !strings.Contains(out, "built 2 postmortems, ") || !strings.Contains(out, " 1 root cause into ") || strings.Contains(out, "skipped") {
		t.Errorf("with --drafts: stdout %q", out)
	}
}

// TestBuildLongestSlugInPages builds a root cause of the longest slug
// allowed into pages of one incident each: its pages 2 and on, SLUG.N.html,
// fit a file name too.
func TestBuildLongestSlugInPages(t *testing.T) {
	site := t.TempDir()
	cause := strings.Repeat("c", postmortem.MaxSlug)
	files := map[string]string{"postmortem.yaml": "page_size: 1\n"}
	for _, name := range []string{"a", "b", "c"} {
		files["content/"+name+".md"] = strings.Replace(strings.Replace(good, "dns", cause, 1), "Good", "Good "+name, 1)
	}
	write(t, site, files)
	code, out, errOut := runCmd(t, "build", "--site", site)
	if code != exitOK {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(site, "public", "root-causes", cause+".3.html")); err != nil {
		t.Error(err)
	}
}

func TestBuildAndFailedBuildKeepsOutput(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{"content/good.md": good, "content/other.md": strings.ReplaceAll(good, "Good", "Other")})
	code, out, errOut := runCmd(t, "build", "--site", site)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "built 2 postmortems, ") || !strings.Contains(out, " pages, 1 root cause into ") || strings.Contains(out, "draft") ||
		!strings.Contains(out, "no sitemap.xml, and the feed's links are relative") {
		t.Errorf("summary line: %q", out)
	}
	if _, out, _ := runCmd(t, "build", "--site", site, "--base-url", "https://example.com/pm/"); strings.Contains(out, "sitemap") {
		t.Errorf("with a base URL, the summary says %q", out)
	}
	page := filepath.Join(site, "public", "incidents", "good.html")
	before, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	// Break both files: every error is printed, the old output stays.
	write(t, site, map[string]string{
		"content/good.md":  "---\ntitle: Good\ndate: yesterday\nroot_causes: [dns]\n---\n",
		"content/other.md": "---\ntitle: Other\ndate: 2024-01-02\nseverity: high\n---\n",
	})
	code, _, errOut = runCmd(t, "build", "--site", site)
	if code != 1 {
		t.Errorf("exit %d for broken content, want 1", code)
	}
	for _, want := range []string{"content/good.md:3:7: error: date: cannot read \"yesterday\"", "content/other.md:4:11: error: severity: unknown level \"high\"", "2 errors\n",
		"build failed; " + filepath.Join(site, "public") + " left as it was\n"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	// Into a folder that is not there, nothing is left: it says so.
	fresh := filepath.Join(t.TempDir(), "out")
	if code, _, errOut := runCmd(t, "build", "--site", site, "--out", fresh); code != 1 || !strings.HasSuffix(errOut, "build failed; nothing written to "+fresh+"\n") {
		t.Errorf("a failed first build: exit %d, stderr:\n%s", code, errOut)
	}
	after, err := os.ReadFile(page)
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("a failed build changed the previous output (err %v)", err)
	}
	// A deleted postmortem's page goes away with the next build.
	os.Remove(filepath.Join(site, "content", "other.md"))
	write(t, site, map[string]string{"content/good.md": good})
	if code, _, errOut := runCmd(t, "build", "--site", site); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(site, "public", "incidents", "other.html")); !os.IsNotExist(err) {
		t.Errorf("stale page of a deleted postmortem is still there (err %v)", err)
	}
}

func TestUsageErrors(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{"content/good.md": good, "notes.txt": "notes", "mine/thesis.tex": "work"})
	if err := os.Symlink("content", filepath.Join(site, "latest")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string // in stderr
	}{
		{[]string{}, "usage"}, {[]string{"frobnicate"}, "unknown command"},
		{[]string{"build", "--nope"}, "not defined"}, {[]string{"build", "extra"}, "want 0 argument(s)"},
		{[]string{"build", "--site", site, "--out", site}, site + ": is the site folder"},
		{[]string{"build", "--site", site, "--out", filepath.Join(site, "content", "x")}, "is inside the site's content"},
		{[]string{"build", "--site", site, "--out", filepath.Join(site, "latest")}, filepath.Join(site, "latest") + ": is the site's content"},
		{[]string{"build", "--site", site, "--out", filepath.Join(site, "notes.txt")}, "is a file, not a folder"},
		{[]string{"build", "--site", site, "--out", filepath.Join(site, "mine")}, "is not empty and holds no .postmortem-output file"},
		{[]string{"build", "--site", site, "--out", "/"}, "is the root of the file system"},
	} {
		code, _, errOut := runCmd(t, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("postmortem %v: exit %d, stderr %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	for p, data := range map[string]string{"content/good.md": good, "notes.txt": "notes", "mine/thesis.tex": "work"} {
		if got, err := os.ReadFile(filepath.Join(site, p)); err != nil || string(got) != data {
			t.Errorf("%s was harmed: %q, %v", p, got, err)
		}
	}
	if _, err := os.Stat(filepath.Join(site, "public")); !os.IsNotExist(err) {
		t.Errorf("a refused build made public/ (%v)", err)
	}
}

func TestBuildKeepsTheHostsFiles(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{"content/good.md": good})
	if code, _, errOut := runCmd(t, "build", "--site", site); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	kept := map[string]string{"public/.git/HEAD": "ref: refs/heads/gh-pages\n", "public/CNAME": "incidents.example.com\n", "public/.nojekyll": ""}
	write(t, site, kept)
	if code, _, errOut := runCmd(t, "build", "--site", site); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for p, data := range kept {
		if got, err := os.ReadFile(filepath.Join(site, p)); err != nil || string(got) != data {
			t.Errorf("%s after a build: %q, %v; want %q", p, got, err, data)
		}
	}
	if _, err := os.Stat(filepath.Join(site, "public", "incidents", "good.html")); err != nil {
		t.Errorf("the page is not in the output: %v", err)
	}
}

func TestCheck(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{"content/good.md": good, "content/draft.md": "---\ntitle: D\ndate: 2024-01-02\nstatus: draft\nroot_cause: [x]\n---\n"})
	// A near miss of a key leaves its field empty: an error, a draft's too.
	code, out, errOut := runCmd(t, "check", "--site", site)
	if code != 1 || !strings.Contains(out, "checked 2 postmortems: 1 error, 0 warnings") {
		t.Errorf("exit %d, out %q, err %q", code, out, errOut)
	}
	if !strings.Contains(errOut, `content/draft.md:5:1: error: unknown field "root_cause"; did you mean "root_causes"?`) {
		t.Errorf("check does not report the draft's near miss of a key:\n%s", errOut)
	}
	write(t, site, map[string]string{"content/draft.md": "---\ntitle: D\n"})
	if code, _, errOut := runCmd(t, "check", "--site", site); code != 1 || !strings.Contains(errOut, "content/draft.md:1:1: error: front matter: no closing ---") {
		t.Errorf("exit %d for a missing fence; stderr %q", code, errOut)
	}
}

func TestNew(t *testing.T) {
	site := emptySite(t)
	code, out, errOut := runCmd(t, "new", "--site", site, "Checkout latency spike")
	want := filepath.Join(site, "content", "2024", "2024-05-06-checkout-latency-spike.md")
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("exit %d, out %q, err %q", code, out, errOut)
	}
	if code, _, errOut := runCmd(t, "check", "--site", site); code != 0 {
		t.Errorf("the new postmortem does not pass check: %s", errOut)
	}
	// The same title again: a name of its own (see TestNewFlags).
	if code, out, _ := runCmd(t, "new", "--site", site, "Checkout latency spike"); code != 0 || !strings.Contains(out, "2024-05-06-checkout-latency-spike-2.md") {
		t.Errorf("new with a title taken: exit %d, out %q", code, out)
	}
}

// TestSiteWithoutContent points --site at folders that are not sites: the
// commands say what they expected to find there.
func TestSiteWithoutContent(t *testing.T) {
	empty := t.TempDir()
	write(t, empty, map[string]string{"notes.txt": "x"})
	for _, cmd := range []string{"build", "check", "serve"} {
		code, _, errOut := runCmd(t, cmd, "--site", empty)
		if code != exitUsage || !strings.Contains(errOut, "postmortem "+cmd+": "+empty+" has no content/ folder: --site names the folder of a site, which holds its postmortems in content/") {
			t.Errorf("%s: exit %d, stderr %q", cmd, code, errOut)
		}
	}
	// Inside a site's content/: the site is named, not init, which would
	// start a site within it.
	site := t.TempDir()
	write(t, site, map[string]string{"content/2024/a.md": good})
	t.Chdir(filepath.Join(site, "content", "2024"))
	for _, args := range [][]string{{"build"}, {"new", "x"}} {
		cmd := args[0]
		code, _, errOut := runCmd(t, args...)
		if code != exitUsage || errOut != "postmortem "+cmd+": . is inside the postmortems of the site ../..: run it there, or give --site ../..\n" {
			t.Errorf("%s inside content/: exit %d, stderr %q", cmd, code, errOut)
		}
	}
	missing := filepath.Join(empty, "nope")
	if code, _, errOut := runCmd(t, "build", "--site", missing); code != exitUsage || errOut != "postmortem build: --site "+missing+": no such folder\n" {
		t.Errorf("a missing folder: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(empty, "public")); err == nil {
		t.Error("build wrote public/ into a folder that is not a site")
	}
	// Settings without postmortems: the advice is one that works (init
	// would refuse to write over postmortem.yaml).
	write(t, empty, map[string]string{"postmortem.yaml": "title: Ours\n"})
	code, _, errOut := runCmd(t, "check", "--site", empty)
	if want := "create " + filepath.Join(empty, "content") + ", or postmortem new"; code != exitUsage || !strings.Contains(errOut, want) {
		t.Errorf("a site without content/: exit %d, stderr %q, want it to say %q", code, errOut, want)
	}
}

// TestSiteMissing points --site at a folder that is not there, or at a
// file: every command that reads or writes a site says so, exits 2 and
// makes no folder.
func TestSiteMissing(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"notes.txt": "x"})
	missing, file := filepath.Join(dir, "nope"), filepath.Join(dir, "notes.txt")
	for _, c := range []struct {
		cmd  string // as the message names it
		args []string
	}{
		{"build", []string{"build"}}, {"check", []string{"check"}}, {"serve", []string{"serve"}},
		{"new", []string{"new", "Typo site"}}, {"schema", []string{"schema"}}, {"import", []string{"import"}},
		{"theme export", []string{"theme", "export"}}, {"theme export", []string{"theme", "export", filepath.Join(dir, "theme")}},
	} {
		for site, want := range map[string]string{missing: "no such folder", file: "is a file, want the folder of a site"} {
			code, out, errOut := runCmd(t, append(c.args, "--site", site)...)
			if code != exitUsage || out != "" || errOut != "postmortem "+c.cmd+": --site "+site+": "+want+"\n" {
				t.Errorf("%q --site %s: exit %d, stdout %q, stderr %q", c.args, site, code, out, errOut)
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("a refused command wrote into %s: %v", dir, entries)
	}
}

// TestBuildBadBaseURL gives build a --base-url that is not a URL: a usage
// error, said as the other flags' are, before anything is built.
func TestBuildBadBaseURL(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{"content/good.md": good})
	code, out, errOut := runCmd(t, "build", "--site", site, "--base-url", "notaurl")
	if want := "postmortem build: --base-url \"notaurl\" is not an absolute http or https URL (such as https://incidents.example.com/)\n"; code != exitUsage || out != "" || errOut != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want %d and %q", code, out, errOut, exitUsage, want)
	}
	if _, err := os.Stat(filepath.Join(site, "public")); !os.IsNotExist(err) {
		t.Errorf("a refused build made public/ (%v)", err)
	}
	if code, _, errOut := runCmd(t, "build", "--site", site, "--base-url", "https://incidents.example.com"); code != exitOK {
		t.Errorf("a good --base-url: exit %d, %s", code, errOut)
	}
}

// TestHelpNamesArguments: each command's -h says what its arguments are, and
// exits 0, theme's too.
func TestHelpNamesArguments(t *testing.T) {
	for cmd, want := range map[string]string{
		"new": "usage: postmortem new [flags] TITLE", "init": "usage: postmortem init [DIR]",
		"import": "[PATH...]", "check": "1 on errors (and on warnings with --strict)",
	} {
		code, out, errOut := runCmd(t, cmd, "-h")
		if code != exitOK || !strings.Contains(out+errOut, want) {
			t.Errorf("%s -h: exit %d, help\n%s\nwant it to say %q", cmd, code, out+errOut, want)
		}
	}
	if code, out, _ := runCmd(t, "theme", "-h"); code != exitOK || !strings.Contains(out, "theme export") {
		t.Errorf("theme -h: exit %d, out %q", code, out)
	}
}
