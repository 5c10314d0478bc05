package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/postmortem/postmortem/themes"
)

// TestThemeExport exports the default theme, builds with it as the site's
// theme after an edit, and checks that a second export overwrites nothing.
func TestThemeExport(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{"content/good.md": good})
	code, out, errOut := runCmd(t, "theme", "export", "--site", site)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "use it whole with theme: custom") || !strings.Contains(out, "or copy only the files you change into the site's own layouts/") {
		t.Errorf("output: %q", out)
	}
	dir := filepath.Join(site, "themes", "custom")
	n := 0
	err := fs.WalkDir(themes.Default, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		n++
		want, _ := fs.ReadFile(themes.Default, p)
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: not exported as embedded (%v)", p, err)
		}
		return nil
	})
	if err != nil || n < 15 {
		t.Fatalf("%d files in the default theme: %v", n, err)
	}

	// The export is a working theme.
	write(t, site, map[string]string{
		"postmortem.yaml":                "theme: custom\n",
		"themes/custom/labels/en.yaml":   "incidents: Outages\n",
		"themes/custom/assets/style.css": "body { color: teal }\n",
	})
	if code, _, errOut := runCmd(t, "build", "--site", site); code != 0 {
		t.Fatalf("build with the exported theme: exit %d: %s", code, errOut)
	}
	page, _ := os.ReadFile(filepath.Join(site, "public", "incidents", "good.html"))
	if !strings.Contains(string(page), ">Outages</a>") {
		t.Error("the edited labels of the exported theme are not used")
	}

	// Nothing is overwritten, not even the files that are not there yet.
	edited := filepath.Join(dir, "layouts", "base.html")
	write(t, site, map[string]string{"themes/custom/layouts/base.html": "mine"})
	gone := filepath.Join(dir, "assets", "site.js")
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCmd(t, "theme", "export", dir)
	// The first files it would overwrite are named, and how many more.
	if code == 0 || !strings.Contains(errOut, "not overwriting "+filepath.Join(dir, "assets")) || !strings.Contains(errOut, fmt.Sprintf(" and %d more", countFiles(t)-1-3)) {
		t.Errorf("export over an existing theme: exit %d, %q", code, errOut)
	}
	if data, _ := os.ReadFile(edited); string(data) != "mine" {
		t.Errorf("an edited file was overwritten: %q", data)
	}
	if _, err := os.Stat(gone); err == nil {
		t.Error("a refused export wrote some files")
	}

	if code, _, _ := runCmd(t, "theme", "import"); code != exitUsage {
		t.Errorf("unknown theme subcommand: exit %d", code)
	}
}

// TestThemeExportFlagsAfterFolder gives theme export its flags after the
// folder, as new takes them after the title, and refuses a second folder.
func TestThemeExportFlagsAfterFolder(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{"content/good.md": good})
	dir := filepath.Join(site, "themes", "mine")
	code, out, errOut := runCmd(t, "theme", "export", dir, "--site", site)
	if code != exitOK || out != "wrote the default theme, "+strconv.Itoa(countFiles(t))+" files, into "+dir+"\nuse it whole with theme: mine in postmortem.yaml; or copy only the files you change into the site's own layouts/, assets/ or labels/, so that the rest follows the default theme of later versions\n" {
		t.Errorf("export DIR --site SITE: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	other := filepath.Join(site, "other")
	code, out, errOut = runCmd(t, "theme", "export", "--site", site, dir, other)
	if code != exitUsage || out != "" || !strings.HasPrefix(errOut, "postmortem theme export: want at most 1 argument(s), got 2\n") {
		t.Errorf("two folders: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Errorf("a refused export wrote %s (%v)", other, err)
	}
}

// TestThemeExportOutsideASite exports into SITE/themes/custom of a folder
// that is not a site: refused, as new is, with nothing written.
func TestThemeExportOutsideASite(t *testing.T) {
	home := t.TempDir()
	code, out, errOut := runCmd(t, "theme", "export", "--site", home)
	if code != exitUsage || out != "" || !strings.HasPrefix(errOut, "postmortem theme export: "+home+" is not a site, with neither content/ nor a postmortem.yaml (.yml, .toml): ") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if entries, _ := os.ReadDir(home); len(entries) != 0 {
		t.Errorf("a refused export wrote %v", entries)
	}
}

// countFiles counts the files of the default theme.
func countFiles(t *testing.T) int {
	t.Helper()
	n := 0
	err := fs.WalkDir(themes.Default, ".", func(_ string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
