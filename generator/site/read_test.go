package site

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/sitefs"
)

const bundleSite = `-- content/2024/outage/index.md --
---
title: outage
date: 2024-01-02
root_causes: [dns]
---
![diagram](diagram.svg)
-- content/2024/outage/diagram.svg --
<svg xmlns="http://www.w3.org/2000/svg"/>
-- content/a.md --
---
title: a
date: 2024-01-03
root_causes: [dns]
---
-- static/logo.svg --
<svg id="logo"/>
`

// onDisk writes the txtar archive of a site into dir, and the links:
// path -> target.
func onDisk(t *testing.T, dir, archive string, links map[string]string) {
	t.Helper()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range links {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
}

// buildDir builds the site folder dir as the command does.
func buildDir(t *testing.T, dir string) *Result {
	t.Helper()
	root, err := sitefs.Root(dir)
	if err != nil {
		t.Fatal(err)
	}
	return New(os.DirFS(dir), Options{Root: root}).Build(context.Background(), nil)
}

func warnings(res *Result) string {
	var out []string
	for _, d := range res.Diagnostics.Warnings() {
		if !strings.Contains(d.Msg, "no root causes") {
			out = append(out, d.Error())
		}
	}
	return strings.Join(out, "\n")
}

func TestLinksOutOfTheSiteAreNotPublished(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(outside, []byte("SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	onDisk(t, dir, bundleSite, map[string]string{
		"content/2024/outage/leak.txt": outside,
		"content/2024/outage/up.txt":   "../../../../secret.txt", // climbs out of the site
		"static/leak.txt":              outside,
		"static/hostname":              "/etc/hostname",
		// Inside the site: followed.
		"content/2024/outage/logo.svg": "../../../static/logo.svg",
		"static/diagram.svg":           "../content/2024/outage/diagram.svg",
	})
	res := buildDir(t, dir)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatalf("build failed: %v", err)
	}
	for p, data := range res.Files {
		if bytes.Contains(data, []byte("SECRET")) || strings.Contains(p, "leak") || strings.Contains(p, "hostname") || strings.HasSuffix(p, "up.txt") {
			t.Errorf("%s is published: it comes from outside the site", p)
		}
	}
	if got := string(res.Files["incidents/outage/logo.svg"]); got != "<svg id=\"logo\"/>\n" {
		t.Errorf("a bundle's link into static/ gives %q", got)
	}
	if got := string(res.Files["diagram.svg"]); !strings.Contains(got, "<svg xmlns") {
		t.Errorf("a static link into content/ gives %q", got)
	}
	want := strings.Join([]string{
		`content/2024/outage/leak.txt: warning: skipped: symbolic link to "` + outside + `", outside the site`,
		`content/2024/outage/up.txt: warning: skipped: symbolic link to "../../../../secret.txt", outside the site`,
		`static/hostname: warning: skipped: symbolic link to "/etc/hostname", outside the site`,
		`static/leak.txt: warning: skipped: symbolic link to "` + outside + `", outside the site`,
	}, "\n")
	if got := warnings(res); got != want {
		t.Errorf("warnings:\n%s\nwant:\n%s", got, want)
	}
}

// TestContentLinkedElsewhere keeps content/ in another folder, linked from
// the site, as sites kept in two repositories do.
func TestContentLinkedElsewhere(t *testing.T) {
	elsewhere, dir := t.TempDir(), t.TempDir()
	onDisk(t, elsewhere, bundleSite, nil)
	onDisk(t, dir, "-- postmortem.yaml --\ntitle: linked\n", map[string]string{
		"content": filepath.Join(elsewhere, "content"),
		"static":  filepath.Join(elsewhere, "static"),
	})
	res := buildDir(t, dir)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatalf("build failed: %v", err)
	}
	for _, p := range []string{"incidents/outage.html", "incidents/outage/diagram.svg", "incidents/a.html", "logo.svg"} {
		if _, ok := res.Files[p]; !ok {
			t.Errorf("%s is missing", p)
		}
	}
	want := `content: warning: symbolic link to "` + filepath.Join(elsewhere, "content") + `", outside the site: its files are read and published from there` + "\n" +
		`static: warning: symbolic link to "` + filepath.Join(elsewhere, "static") + `", outside the site: its files are read and published from there`
	if w := warnings(res); w != want {
		t.Errorf("warnings:\n%s\nwant:\n%s", w, want)
	}
}

// TestLinksIntoGitAreNotPublished: a link into the site's .git folder,
// whose config holds the token CI checked out with, is not published, with
// a warning at the link, from static/ or a page bundle.
func TestLinksIntoGitAreNotPublished(t *testing.T) {
	dir := t.TempDir()
	onDisk(t, dir, bundleSite+"-- .git/config --\n[http] extraheader = AUTHORIZATION: basic TOKEN\n", map[string]string{
		"static/robots.txt":             "../.git/config",
		"content/2024/outage/notes.txt": "../../../.git/config",
	})
	res := buildDir(t, dir)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatalf("build failed: %v", err)
	}
	for p, data := range res.Files {
		if bytes.Contains(data, []byte("TOKEN")) {
			t.Errorf("%s is published: it is the site's .git/config", p)
		}
	}
	want := `content/2024/outage/notes.txt: warning: skipped: symbolic link to "../../../.git/config", into the site's .git folder` + "\n" +
		`static/robots.txt: warning: skipped: symbolic link to "../.git/config", into the site's .git folder`
	if got := warnings(res); got != want {
		t.Errorf("warnings:\n%s\nwant:\n%s", got, want)
	}
}

func TestSizeLimitInBuild(t *testing.T) {
	site := siteFS(t, "-- postmortem.yaml --\nmax_file_size: 1KB\n"+bundleSite)
	site["static/big.bin"] = &fstest.MapFile{Data: make([]byte, 2<<10)}
	site["static/fits.bin"] = &fstest.MapFile{Data: make([]byte, 1<<10)}
	site["content/b.md"] = &fstest.MapFile{Data: append([]byte("---\ntitle: b\ndate: 2024-01-02\n---\n"), bytes.Repeat([]byte("long "), 300)...)}
	res := New(site, Options{}).Build(context.Background(), nil)
	want := "content/b.md: is 1.5 KB, over the limit of 1 KB (max_file_size in postmortem.yaml)"
	if err := res.Diagnostics.Err(); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	delete(site, "content/b.md")
	res = New(site, Options{}).Build(context.Background(), nil)
	want = "static/big.bin: is 2 KB, over the limit of 1 KB (max_file_size in postmortem.yaml)"
	if err := res.Diagnostics.Err(); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	delete(site, "static/big.bin")
	if res := mustBuild(t, New(site, Options{}), nil); len(res.Files["fits.bin"]) != 1<<10 {
		t.Error("a file at the limit is not published")
	}
}

// unreadable is a site whose listed folders cannot be listed and whose
// listed files cannot be opened, as without the permission to, even when
// the tests run as root.
type unreadable struct {
	fstest.MapFS
	paths []string
}

func (u unreadable) ReadDir(name string) ([]fs.DirEntry, error) {
	if slices.Contains(u.paths, name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.ReadDir(name)
}

func (u unreadable) Open(name string) (fs.File, error) {
	if slices.Contains(u.paths, name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.Open(name)
}

func TestUnreadableIsAnError(t *testing.T) {
	site := siteFS(t, bundleSite+"-- content/private/x.md --\n-- content/locked.md --\n-- static/private/x.txt --\n-- content/2024/outage/locked.png --\n")
	res := New(unreadable{site, []string{"content/private", "content/locked.md", "static/private", "content/2024/outage/locked.png"}}, Options{}).Build(context.Background(), nil)
	want := strings.Join([]string{
		"content/2024/outage/locked.png: cannot open: permission denied",
		"content/locked.md: cannot open: permission denied",
		"content/private: cannot list the folder: permission denied",
	}, "\n")
	if err := res.Diagnostics.Err(); err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
	res = New(unreadable{siteFS(t, bundleSite+"-- static/private/x.txt --\n"), []string{"static/private"}}, Options{}).Build(context.Background(), nil)
	if err := res.Diagnostics.Err(); err == nil || err.Error() != "static/private: cannot list the folder: permission denied" {
		t.Errorf("an unreadable static folder: %v", err)
	}
}

func TestContentNotAFolder(t *testing.T) {
	for archive, want := range map[string]string{
		"-- content --\nnotes\n":  "content: is a file, want the folder of the postmortems",
		"-- static/x.txt --\nx\n": "content: no such folder: the postmortems go in content/ of the site",
	} {
		res := New(siteFS(t, archive), Options{}).Build(context.Background(), nil)
		if err := res.Diagnostics.Err(); err == nil || err.Error() != want {
			t.Errorf("got %v, want %s", err, want)
		}
	}
}

func TestBundleAtTheRootOfContent(t *testing.T) {
	res := New(siteFS(t, bundleSite+"-- content/index.md --\n---\ntitle: home\ndate: 2024-01-01\n---\n"), Options{Drafts: true}).Build(context.Background(), nil)
	want := "content/index.md: a page bundle at the root of content/ would make every other file there part of it: move it with its files into a folder of its own, such as content/NAME/index.md, or rename it"
	if err := res.Diagnostics.Err(); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestDuplicateSlugAtItsLine points at the slug: line that clashes, and at
// the file when the slug comes from its name.
func TestDuplicateSlugAtItsLine(t *testing.T) {
	site := siteFS(t, `-- content/a.md --
---
title: a
date: 2023-01-02
slug: same
root_causes: [x]
---
-- content/b.md --
---
title: b
date: 2023-01-03
root_causes: [x]
slug: same
---
-- content/c.md --
---
title: c
date: 2023-01-04
slug: index
---
-- content/same.md --
---
title: d
date: 2023-01-01
---
`)
	res := New(site, Options{}).Build(context.Background(), nil)
	// Each of the three that share a slug is told, naming the others.
	want := strings.Join([]string{
		`content/a.md:4:7: slug: "same" is also the slug of content/b.md:5:7 and content/same.md (set a distinct slug: in the front matter)`,
		`content/b.md:5:7: slug: "same" is also the slug of content/a.md:4:7 and content/same.md (set a distinct slug: in the front matter)`,
		`content/c.md:4:7: slug: "index" is reserved for the list of incidents (set another slug: in the front matter)`,
		`content/same.md: slug: "same" is also the slug of content/a.md:4:7 and content/b.md:5:7 (set a distinct slug: in the front matter)`,
	}, "\n")
	if err := res.Diagnostics.Err(); err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}

// TestPageNamesInCheck finds, as check does, the names a build could not
// write: slugs over postmortem.MaxSlug bytes, names with no letter or digit, severity
// levels that would share a page.
func TestPageNamesInCheck(t *testing.T) {
	long := strings.Repeat("x", postmortem.MaxSlug+1)
	site := siteFS(t, "-- postmortem.yaml --\nseverities: [SEV 1, sev-1, SEV2]\n-- content/"+long+".md --\n---\ntitle: t\ndate: 2024-01-01\n---\n-- content/(!).md --\n---\ntitle: t\ndate: 2024-01-01\n---\n")
	res := New(site, Options{Drafts: true}).Build(context.Background(), nil)
	want := strings.Join([]string{ // the configuration's first
		`postmortem.yaml:1: severities: "SEV 1" and "sev-1" would share the page sev-1.html (make them differ in more than case, spaces and punctuation)`,
		"content/(!).md: slug: the file name has no letter or digit to name a page with: rename it, or set slug: in the front matter",
		"content/" + long + ".md: slug: the file name makes a page name of 244 bytes, over the 243 a file name allows: rename it, or set slug: in the front matter",
	}, "\n")
	if err := res.Diagnostics.Err(); err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}

// TestThemeLinksOutOfTheSite links a template, an asset and a theme folder
// to outside the site: the build warns and uses the default theme's.
func TestThemeLinksOutOfTheSite(t *testing.T) {
	outside := t.TempDir()
	onDisk(t, outside, "-- 404.html --\n{{define \"main\"}}SECRET{{end}}\n-- style.css --\nSECRET\n-- mine/assets/site.js --\nSECRET\n", nil)
	dir := t.TempDir()
	onDisk(t, dir, "-- postmortem.yaml --\ntheme: mine\n"+bundleSite, map[string]string{
		"layouts/404.html": filepath.Join(outside, "404.html"),
		"assets/style.css": filepath.Join(outside, "style.css"),
		"themes/mine":      filepath.Join(outside, "mine"),
	})
	res := buildDir(t, dir)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatalf("build failed: %v", err)
	}
	for p, data := range res.Files {
		if bytes.Contains(data, []byte("SECRET")) {
			t.Errorf("%s holds a file from outside the site", p)
		}
	}
	if !bytes.Contains(res.Files["assets/style.css"], []byte("{")) {
		t.Error("the default theme's style.css is not published in place of the skipped one")
	}
	want := strings.Join([]string{
		`assets/style.css: warning: skipped: symbolic link to "` + filepath.Join(outside, "style.css") + `", outside the site`,
		`layouts/404.html: warning: skipped: symbolic link to "` + filepath.Join(outside, "404.html") + `", outside the site`,
		`themes/mine: warning: skipped: symbolic link to "` + filepath.Join(outside, "mine") + `", outside the site`,
	}, "\n")
	if got := warnings(res); got != want {
		t.Errorf("warnings:\n%s\nwant:\n%s", got, want)
	}
}

// TestRebuildSeesNewLinks replaces a folder of a built site with a link
// out of it, as the preview's rebuild would meet it.
func TestRebuildSeesNewLinks(t *testing.T) {
	outside, dir := t.TempDir(), t.TempDir()
	onDisk(t, outside, "-- 2024/outage/index.md --\n---\ntitle: SECRET\ndate: 2024-01-02\n---\n", nil)
	onDisk(t, dir, bundleSite, nil)
	root, err := sitefs.Root(dir)
	if err != nil {
		t.Fatal(err)
	}
	b := New(os.DirFS(dir), Options{Root: root})
	mustBuild(t, b, nil)
	if err := os.RemoveAll(filepath.Join(dir, "content/2024")); err != nil {
		t.Fatal(err)
	}
	onDisk(t, dir, "", map[string]string{"content/2024": filepath.Join(outside, "2024")})
	res := mustBuild(t, b, []string{"content/2024", "content/2024/outage/index.md"})
	if _, ok := res.Files["incidents/outage.html"]; ok {
		t.Error("the rebuild published a postmortem from outside the site")
	}
	want := `content/2024: warning: skipped: symbolic link to "` + filepath.Join(outside, "2024") + `", outside the site`
	if got := warnings(res); got != want {
		t.Errorf("warnings:\n%s\nwant:\n%s", got, want)
	}
}
