package site

import (
	"regexp"
	"strings"
	"testing"
)

// TestRootCauseTree builds root causes written with slashes: each is a
// child of the part before its last slash, whose page holds and counts the
// incidents of its children too.
func TestRootCauseTree(t *testing.T) {
	site := siteFS(t, `-- content/a.md --
---
title: A
date: 2024-01-01
root_causes: [configuration/api-integration]
---
-- content/b.md --
---
title: B
date: 2024-01-02
root_causes: ["Configuration / DNS Records", capacity]
---
-- content/c.md --
---
title: C
date: 2024-01-03
root_causes: [configuration]
---
-- content/d.md --
---
title: D
date: 2024-01-04
root_causes: [capacity]
---
`)
	res := mustBuild(t, New(site, Options{}), nil)
	parent := string(res.Files["root-causes/configuration.html"])
	for _, want := range []string{
		`<dt>Incidents</dt><dd>3</dd>`,
		`<dt>Filed under it, not a narrower one</dt><dd>1</dd>`,
		`href="../root-causes/configuration/api-integration.html">configuration/api-integration (1)</a>`,
		`href="../root-causes/configuration/dns-records.html">configuration/dns-records (1)</a>`,
		`href="../incidents/a.html"`, `href="../incidents/b.html"`, `href="../incidents/c.html"`,
	} {
		if !strings.Contains(parent, want) {
			t.Errorf("root-causes/configuration.html lacks %s", want)
		}
	}
	child := string(res.Files["root-causes/configuration/dns-records.html"])
	if !strings.Contains(child, `› <a href="../../root-causes/configuration.html">configuration</a>`) ||
		!strings.Contains(child, `href="../../incidents/b.html"`) || strings.Contains(child, `incidents/a.html`) {
		t.Errorf("root-causes/configuration/dns-records.html does not link up to its parent, or lists others' incidents:\n%s", child)
	}
	// The index: configuration (3) first, its children under it, then capacity (2).
	rows := regexp.MustCompile(`<tr><td( class="sub" style="--depth: 1")?><a href="root-causes/([^"]+)\.html">`).FindAllStringSubmatch(string(res.Files["root-causes.html"]), -1)
	var got []string
	for _, r := range rows {
		got = append(got, strings.Repeat("  ", len(r[1])/len(` class="sub" style="--depth: 1"`))+r[2])
	}
	want := []string{"configuration", "  configuration/api-integration", "  configuration/dns-records", "capacity"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("root cause index rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if idx := string(res.Files["index.json"]); !strings.Contains(idx, `"configuration/dns-records"`) {
		t.Error("index.json does not name the term with its slash")
	}
}

// TestTaxonomyPage shows the taxonomy report on the site, its terms and
// incidents linked.
func TestTaxonomyPage(t *testing.T) {
	site := siteFS(t, `-- postmortem.yaml --
vocabulary: [dns-failure, capacity]
aliases: {misconfig: capacity}
-- content/a.md --
---
title: A
date: 2024-01-01
root_causes: [dns-failure]
---
-- content/b.md --
---
title: B
date: 2024-01-02
root_causes: [dns-failures, misconfig]
---
-- content/c.md --
---
title: C <c>
date: 2024-01-03
---
-- content/d.md --
---
title: D
date: 2024-01-04
root_causes: [dns-failure]
---
`)
	res := mustBuild(t, New(site, Options{}), nil)
	page := string(res.Files["taxonomy.html"])
	for _, want := range []string{
		`Root causes used once <span class="muted">2</span>`,
		`<a href="root-causes/dns-failures.html">dns-failures</a> (1) looks like <a href="root-causes/dns-failure.html">dns-failure</a> (2): <code>aliases: {dns-failures: dns-failure}</code>`,
		`<td>misconfig → <a href="root-causes/capacity.html">capacity</a></td>`,
		`Root causes outside the vocabulary <span class="muted">1</span>`,
		`<a href="incidents/c.html">C &lt;c&gt;</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("taxonomy.html lacks %s", want)
		}
	}
	if !strings.Contains(string(res.Files["root-causes.html"]), `<a href="taxonomy.html">Taxonomy report</a>`) {
		t.Error("the root cause index does not link to the taxonomy report")
	}
}

// TestStaticDotfiles copies the files of static/ whose names start with a
// dot, which hosts read (.nojekyll, .htaccess, .well-known/), but never a
// .git or .DS_Store.
func TestStaticDotfiles(t *testing.T) {
	site := siteFS(t, `-- content/a.md --
---
title: A
date: 2024-01-01
root_causes: [x]
---
-- static/.nojekyll --
-- static/.htaccess --
ErrorDocument 404 /404.html
-- static/.well-known/security.txt --
Contact: mailto:security@example.com
-- static/.git/config --
[core]
-- static/docs/.DS_Store --
x
-- static/docs/.keep --
`)
	res := mustBuild(t, New(site, Options{}), nil)
	for _, p := range []string{".nojekyll", ".htaccess", ".well-known/security.txt", "docs/.keep"} {
		if _, ok := res.Files[p]; !ok {
			t.Errorf("static/%s not copied", p)
		}
	}
	for _, p := range []string{".git/config", "docs/.DS_Store"} {
		if _, ok := res.Files[p]; ok {
			t.Errorf("static/%s published", p)
		}
	}
}
