package site

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// refSite is a site whose first postmortem refers to two others, far from
// it in time so that neither is among its related incidents.
func refSite() fstest.MapFS {
	fsys := fstest.MapFS{}
	pm := func(name, front, body string) {
		fsys[name] = &fstest.MapFile{Data: []byte("---\n" + front + "---\n" + body)}
	}
	pm("content/a.md", "title: Alpha\ndate: 2020-01-02\nroot_causes: [a]\n", "Intro.\n\nSee [[B]] and [the C one](2023/c.md#impact).\n\n[Its causes](<2023/c.md#root causé\">).\n")
	pm("content/b.md", "title: Bravo\ndate: 2024-05-01\nroot_causes: [b]\n", "Nothing.\n")
	pm("content/2023/c.md", "title: Charlie\ndate: 2024-06-01\nslug: cee\nroot_causes: [c]\n", "## Impact\n\nSome.\n")
	pm("content/d/index.md", "title: Delta\ndate: 2019-06-01\nroot_causes: [d]\n", "See [the runbook](runbook.md) and [[a]].\n")
	fsys["content/d/runbook.md"] = &fstest.MapFile{Data: []byte("# Runbook\n")}
	for i := range 8 {
		pm(fmt.Sprintf("content/filler/f%d.md", i), fmt.Sprintf("title: Filler %d\ndate: 2022-01-%02d\nroot_causes: [f]\n", i, i+1), "Text.\n")
	}
	return fsys
}

func TestReferences(t *testing.T) {
	res := mustBuild(t, New(refSite(), Options{}), nil)
	a := string(res.Files["incidents/a.html"])
	for _, want := range []string{
		`See <a class="xref" href="b.html">Bravo</a> and <a class="xref" href="cee.html#impact">the C one</a>.`,
		`<a class="xref" href="cee.html#root%20caus%C3%A9%22">Its causes</a>`,
	} {
		if !strings.Contains(a, want) {
			t.Errorf("incidents/a.html lacks %s", want)
		}
	}
	if d := string(res.Files["incidents/d.html"]); !strings.Contains(d, `See <a class="xref" href="d/runbook.md">the runbook</a>`) {
		t.Error("incidents/d.html does not link to the Markdown file beside it")
	}
	if _, ok := res.Files["incidents/d/runbook.md"]; !ok {
		t.Error("the bundle's Markdown file is not published")
	}
	for page, from := range map[string]string{"incidents/a.html": "d", "incidents/b.html": "a", "incidents/cee.html": "a"} {
		html := string(res.Files[page])
		i := strings.Index(html, "Referenced by")
		if i < 0 || !strings.Contains(html[i:], `href="../incidents/`+from+`.html"`) {
			t.Errorf("%s does not list incidents/%s.html under Referenced by", page, from)
		}
	}
	if strings.Contains(string(res.Files["incidents/d.html"]), "Referenced by") {
		t.Error("incidents/d.html lists references to it, but none refers to it: a link to its file is none")
	}
}

func TestBrokenReferences(t *testing.T) {
	fsys := refSite()
	fsys["content/b.md"].Data = []byte("---\ntitle: Bravo\ndate: 2024-05-01\n---\nOne [[nope]], one [[a]].\n\nAnd [a file](2023/gone.md), [[aa]].\n\n[[disk-full]], [[2023-01-01-cee]].\n\n[[2024-03-12-primary]], [[2024-03-12-dbase]].\n\n[[2024-03-02-disk-full-on-the-primary]], [[2025-01-01-disk-full-on-the-primary]].\n\n[forged](gone%0Acontent/b.md:1:1:%20forged.md).\n")
	fsys["content/2024-03-02-disk-full.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Disk full\nroot_causes: [d]\n---\nText.\n")}
	fsys["content/2024-03-12-primary-database-failover.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Failover\nroot_causes: [d]\n---\nText.\n")}
	fsys["content/2024-03-12-dbase-disk-full.md"] = &fstest.MapFile{Data: []byte("---\ntitle: DB disk\nroot_causes: [d]\n---\nText.\n")}
	fsys["content/2024-03-12-dbase-cpu.md"] = &fstest.MapFile{Data: []byte("---\ntitle: DB CPU\nroot_causes: [d]\n---\nText.\n")}
	res := New(fsys, Options{}).Build(context.Background(), nil)
	err := res.Diagnostics.Err()
	if err == nil {
		t.Fatal("references to nothing built")
	}
	for _, want := range []string{
		`content/b.md:5:5: [[nope]]: no postmortem has the slug "nope"`,
		`content/b.md:7:5: link to 2023/gone.md: no postmortem is content/2023/gone.md`,
		// A line break written as %0A is quoted, not a line of its own.
		`content/b.md:15:1: link to "gone\ncontent/b.md:1:1: forged.md": no postmortem is "content/gone\ncontent/b.md:1:1: forged.md"`,
		`content/b.md:7:29: [[aa]]: no postmortem has the slug "aa" (did you mean [[a]]?)`,
		// The day a slug starts with, left out or added.
		`content/b.md:9:1: [[disk-full]]: no postmortem has the slug "disk-full" (did you mean [[2024-03-02-disk-full]]?)`,
		`content/b.md:9:16: [[2023-01-01-cee]]: no postmortem has the slug "2023-01-01-cee" (did you mean [[cee]]?)`,
		// A slug cut short, that only one goes on from.
		`content/b.md:11:1: [[2024-03-12-primary]]: no postmortem has the slug "2024-03-12-primary" (did you mean [[2024-03-12-primary-database-failover]]?)`,
		`content/b.md:11:25: [[2024-03-12-dbase]]: no postmortem has the slug "2024-03-12-dbase"`,
		// A slug that goes on past one of the same day: a file renamed
		// to a shorter name.
		`content/b.md:13:1: [[2024-03-02-disk-full-on-the-primary]]: no postmortem has the slug "2024-03-02-disk-full-on-the-primary" (did you mean [[2024-03-02-disk-full]]?)`,
		`content/b.md:13:42: [[2025-01-01-disk-full-on-the-primary]]: no postmortem has the slug "2025-01-01-disk-full-on-the-primary"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %s:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), `"2024-03-12-dbase" (did you mean`) || strings.Contains(err.Error(), `"2025-01-01-disk-full-on-the-primary" (did you mean`) {
		t.Errorf("a slug cut short that two go on from suggests one of them:\n%v", err)
	}
	if strings.Contains(err.Error(), "[[a]]:") {
		t.Errorf("a reference that resolves is reported:\n%v", err)
	}
}

func TestReferenceToDraft(t *testing.T) {
	fsys := refSite()
	fsys["content/b.md"].Data = []byte("---\ntitle: Bravo\ndate: 2024-05-01\nstatus: draft\n---\nDraft.\n")
	res := mustBuild(t, New(fsys, Options{}), nil)
	if w := warnings(res); !strings.Contains(w, `content/a.md:8:5: warning: [[B]]: "Bravo" is a draft, left out of this build`) {
		t.Errorf("no warning of the reference to a draft:\n%s", w)
	}
	if a := string(res.Files["incidents/a.html"]); !strings.Contains(a, `See <a class="xref">B</a>`) {
		t.Errorf("the reference to a draft is not its slug without a link:\n%s", a)
	}
	res = mustBuild(t, New(fsys, Options{Drafts: true}), nil)
	if a := string(res.Files["incidents/a.html"]); !strings.Contains(a, `See <a class="xref" href="b.html">Bravo</a>`) {
		t.Error("with --drafts, the reference to a draft is no link")
	}
}

// TestReferencesRebuild edits the postmortems at either end of references
// and wants, after each incremental rebuild, the pages of a full build.
func TestReferencesRebuild(t *testing.T) {
	fsys := refSite()
	inc := New(fsys, Options{})
	mustBuild(t, inc, nil)
	edits := []struct{ name, file, data string }{
		{"retitle the target", "content/b.md", "---\ntitle: Bravo two\ndate: 2024-05-01\nroot_causes: [b]\n---\nNothing.\n"},
		{"change the target's slug", "content/2023/c.md", "---\ntitle: Charlie\ndate: 2024-06-01\nslug: sea\nroot_causes: [c]\n---\nSome.\n"},
		{"drop a reference", "content/a.md", "---\ntitle: Alpha\ndate: 2020-01-02\nroot_causes: [a]\n---\nOnly [the C one](2023/c.md).\n"},
		{"refer back", "content/b.md", "---\ntitle: Bravo\ndate: 2024-05-01\nroot_causes: [b]\n---\nSee [[a|where it began]].\n"},
	}
	for _, e := range edits {
		fsys[e.file] = &fstest.MapFile{Data: []byte(e.data)}
		got := mustBuild(t, inc, []string{e.file})
		want := mustBuild(t, New(fsys, Options{}), nil)
		for p, data := range want.Files {
			if string(got.Files[p]) != string(data) {
				t.Errorf("%s: %s differs from a full build", e.name, p)
			}
		}
	}
}

// TestReferenceToInternal: in a public build, a reference to an internal
// postmortem is text that does not name it (its slug may tell what the
// incident was), with a warning that does not call it a draft nor give
// its title.
func TestReferenceToInternal(t *testing.T) {
	fsys := refSite()
	fsys["content/b.md"].Data = []byte("---\ntitle: Bravo secret\ndate: 2024-05-01\nvisibility: internal\n---\nInternal.\n")
	res := mustBuild(t, New(fsys, Options{Public: true}), nil)
	w := warnings(res)
	if !strings.Contains(w, `content/a.md:8:5: warning: [[B]]: not public, left out of this build`) || strings.Contains(w, "draft") || strings.Contains(w, "Bravo") {
		t.Errorf("the warning of a reference to an internal postmortem:\n%s", w)
	}
	if a := string(res.Files["incidents/a.html"]); !strings.Contains(a, `See <a class="xref">an incident not published here</a>`) {
		t.Errorf("the reference to an internal postmortem is not a neutral text without a link:\n%s", a)
	}
	// Nor does the summary the reference is in, wherever it is shown.
	fsys["content/a.md"].Data = []byte(strings.Replace(string(fsys["content/a.md"].Data), "Intro.", "Like [[B]], it failed.", 1))
	res = mustBuild(t, New(fsys, Options{Public: true}), nil)
	for _, p := range []string{"index.html", "incidents.csv", "feed.xml"} {
		if f := string(res.Files[p]); !strings.Contains(f, "Like an incident not published here, it failed.") {
			t.Errorf("%s does not give the summary without the name:\n%s", p, f)
		}
	}
}

// TestScriptedBundleFiles: a page bundle's files that would run a script
// on the site's origin (a page, a script, an SVG with a script in it) are
// not published, with a warning, unless the site allows raw HTML; a plain
// SVG diagram is. XML is told by its bytes, whatever its extension (.xsd).
func TestScriptedBundleFiles(t *testing.T) {
	files := `
-- content/b/index.md --
---
title: B
date: 2024-01-05
root_causes: [dns]
---
![d](diagram.svg) ![e](evil.svg) [p](evil.html)
-- content/b/diagram.svg --
<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>
-- content/b/evil.svg --
<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><rect/></svg>
-- content/b/evil.html --
<script>alert(1)</script>
-- content/b/evil.xsd --
<?xml version="1.0"?>
<root xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert('X')</h:script></root>
`
	res := mustBuild(t, New(siteFS(t, files), Options{}), nil)
	if _, ok := res.Files["incidents/b/diagram.svg"]; !ok {
		t.Error("the plain SVG is not published")
	}
	for _, p := range []string{"incidents/b/evil.svg", "incidents/b/evil.html", "incidents/b/evil.xsd"} {
		if _, ok := res.Files[p]; ok {
			t.Errorf("%s is published", p)
		}
	}
	var warned []string
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Msg, "not published") {
			warned = append(warned, d.Path)
		}
	}
	if strings.Join(warned, " ") != "content/b/evil.html content/b/evil.svg content/b/evil.xsd" {
		t.Errorf("warned of %v, want evil.html, evil.svg and evil.xsd", warned)
	}
	res = mustBuild(t, New(siteFS(t, "-- postmortem.yaml --\nunsafe_html: true\n"+files), Options{}), nil)
	if _, ok := res.Files["incidents/b/evil.svg"]; !ok {
		t.Error("with unsafe_html, the SVG with a script is not published")
	}
}
