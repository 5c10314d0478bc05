package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkSite has one error (a bad date) and one warning (no root causes).
func checkSite(t *testing.T) string {
	site := t.TempDir()
	write(t, site, map[string]string{
		"content/bad.md":  "---\ntitle: Bad\ndate: 2024-13-40\nroot_causes: [dns]\n---\nBody.\n",
		"content/warn.md": "---\ntitle: Warn\ndate: 2024-01-02\n---\nBody, 50% done.\n",
	})
	return site
}

func TestCheckFormats(t *testing.T) {
	// Run from the folder above the site, as CI runs from the root of a
	// repository that holds it: the paths are given from there.
	site := checkSite(t)
	t.Chdir(filepath.Dir(site))
	site = filepath.Base(site)
	code, out, _ := runCmd(t, "check", "--site", site, "--format", "json")
	if code != exitContent {
		t.Errorf("json: exit %d with an error; want 1", code)
	}
	var items []struct {
		File, Severity, Rule, Message string
		Line, Col                     int
	}
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatalf("json output does not parse: %v\n%s", err, out)
	}
	if len(items) != 2 || items[0].File != site+"/content/bad.md" || items[0].Line != 3 || items[0].Severity != "error" ||
		items[1].File != site+"/content/warn.md" || items[1].Severity != "warning" || !strings.Contains(items[1].Message, "root causes") {
		t.Errorf("json items: %+v", items)
	}

	code, out, _ = runCmd(t, "check", "--site", site, "--format", "github")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitContent || len(lines) != 2 ||
		!strings.HasPrefix(lines[0], "::error file="+site+"/content/bad.md,line=3,") ||
		!strings.HasPrefix(lines[1], "::warning file="+site+"/content/warn.md") {
		t.Errorf("github: exit %d, output:\n%s", code, out)
	}
	if code, _, _ := runCmd(t, "check", "--site", site, "--format", "xml"); code != exitUsage {
		t.Errorf("an unknown format: exit %d, want %d", code, exitUsage)
	}
}

// TestCheckPaths: check with paths reports the findings of those files
// alone (and of the settings), as a pre-commit hook or a pull request
// wants for the files it changes; every postmortem is still checked.
func TestCheckPaths(t *testing.T) {
	site := checkSite(t)
	write(t, site, map[string]string{"content/2024/old.md": "---\ntitle: Old\ndate: 2024-01-03\n---\nBody.\n"})
	t.Chdir(site)
	code, out, errOut := runCmd(t, "check", "--strict", "content/warn.md")
	if code != exitContent || !strings.Contains(errOut, "content/warn.md") || strings.Contains(errOut, "bad.md") || strings.Contains(errOut, "old.md") ||
		!strings.Contains(out, "checked 3 postmortems: 0 errors, 1 warning; reported for the 1 path given") {
		t.Errorf("one file: exit %d\n%s%s", code, errOut, out)
	}
	// A folder stands for the files below it; a path from the site's
	// folder is read as one from the current folder is.
	t.Chdir(filepath.Dir(site))
	code, _, errOut = runCmd(t, "check", "--site", filepath.Base(site), "content/2024")
	if code != exitOK || !strings.Contains(errOut, "old.md") || strings.Contains(errOut, "warn.md") || strings.Contains(errOut, "bad.md") {
		t.Errorf("a folder: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "check", "--site", filepath.Base(site), "/etc/passwd"); code != exitUsage || !strings.Contains(errOut, "not inside the site") {
		t.Errorf("a path outside the site: exit %d, %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "check", "--site", filepath.Base(site), "content/2024/nonexist.md"); code != exitUsage || !strings.Contains(errOut, "no such file or folder") {
		t.Errorf("a path mistyped: exit %d, %s", code, errOut)
	}
}

// TestCheckSettingsAtOnce: the errors of postmortem.yaml are told at
// once, those of its rules: too, each at its line, and the summary says
// that the postmortems wait for them.
func TestCheckSettingsAtOnce(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{
		"postmortem.yaml": "title: T\nseverties: [P1]\nrules:\n  action-overdue: erorr\n",
		"content/a.md":    "---\ntitle: A\ndate: 2024-01-02\nroot_causes: [dns]\n---\nBody.\n",
	})
	code, out, errOut := runCmd(t, "check", "--site", site)
	if code != exitContent || !strings.Contains(errOut, "postmortem.yaml:2: error: unknown setting \"severties\"") ||
		!strings.Contains(errOut, "postmortem.yaml:4: error: rules: action-overdue: want off, warning or error") ||
		!strings.Contains(out, "not checked until these errors are fixed: the postmortems against the rules") {
		t.Errorf("exit %d\n%s%s", code, errOut, out)
	}
}

// TestCheckTOMLRuleLines: the rules' errors of postmortem.toml are told at
// the lines of their keys, in a [rules] table and in an inline one alike.
func TestCheckTOMLRuleLines(t *testing.T) {
	for _, c := range []struct{ toml, want1, want2 string }{
		{"title = \"T\"\n\n[rules]\n# ours\naction-overdue = \"erorr\"\nowner = \"off\"\n", "postmortem.toml:5: error: rules: action-overdue", "postmortem.toml:6: error: rules: unknown rule \"owner\""},
		{"title = \"T\"\nrules = { action-overdue = \"erorr\", owner = \"off\" }\n", "postmortem.toml:2: error: rules: action-overdue", "postmortem.toml:2: error: rules: unknown rule \"owner\""},
		{"title = \"T\"\nrules.action-overdue = \"erorr\"\n\nrules.owner = \"off\"\n", "postmortem.toml:2: error: rules: action-overdue", "postmortem.toml:4: error: rules: unknown rule \"owner\""},
	} {
		site := t.TempDir()
		write(t, site, map[string]string{
			"postmortem.toml": c.toml,
			"content/a.md":    "---\ntitle: A\ndate: 2024-01-02\nroot_causes: [dns]\n---\nBody.\n",
		})
		_, _, errOut := runCmd(t, "check", "--site", site)
		if !strings.Contains(errOut, c.want1) || !strings.Contains(errOut, c.want2) {
			t.Errorf("%q:\n%s\nwant %q and %q", c.toml, errOut, c.want1, c.want2)
		}
	}
}

// TestCheckReviewsPastStaticErrors: a file of static/ the build cannot
// publish (a name that is not UTF-8) is told, and the postmortems are
// reviewed against the rules all the same.
func TestCheckReviewsPastStaticErrors(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{
		"content/a.md":  "---\ntitle: A\ndate: 2024-01-02\nroot_causes: [dns]\n---\nBody.\n\n## Action items\n\n- [ ] Fix it (owner: Tom, due: 2024-02-01)\n",
		"static/ok.txt": "fine",
	})
	if err := os.WriteFile(filepath.Join(site, "static", "caf\xe9.txt"), nil, 0o644); err != nil {
		t.Skipf("this file system takes no name that is not UTF-8: %v", err)
	}
	code, out, errOut := runCmd(t, "check", "--site", site, "--now", "2025-01-01")
	if code != exitContent || !strings.Contains(errOut, "not valid UTF-8") ||
		!strings.Contains(errOut, "content/a.md:10: warning: action_items[1] \"Fix it\" is open and was due 2024-02-01") ||
		!strings.Contains(out, "checked 1 postmortem: 1 error, 1 warning") {
		t.Errorf("exit %d\n%s%s", code, errOut, out)
	}
}

func TestCheckStrict(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{"content/warn.md": "---\ntitle: Warn\ndate: 2024-01-02\n---\nBody.\n"})
	code, out, _ := runCmd(t, "check", "--site", site)
	if code != exitOK || !strings.Contains(out, "checked 1 postmortem: 0 errors, 1 warning") {
		t.Errorf("warnings only: exit %d, out %q; want 0 and singular counts", code, out)
	}
	if code, _, _ := runCmd(t, "check", "--site", site, "--strict"); code != exitContent {
		t.Errorf("--strict with a warning: exit %d, want 1", code)
	}
}

// TestCheckListsSkipped wants the files under content/ that are not read as
// postmortems named, with the reason, and not counted as postmortems.
func TestCheckListsSkipped(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{
		"postmortem.yaml":                  "ignore: ['*.draft.md']\n",
		"content/postmortem-template.md":   "---\ntitle:\n---\n",
		"content/broken-email-template.md": "---\ntitle: Broken email template\ndate: 2024-05-01\nroot_causes: [bad-deploy]\n---\nBody.\n",
		"content/ok.md":                    "---\ntitle: Ok\ndate: 2024-01-02\nroot_causes: [dns]\n---\nBody.\n",
		"content/README.md":                "# How we write postmortems\n",
		"content/_template.md":             "---\ntitle:\n---\n",
		"content/2024/readme.md":           "notes\n",
		"content/templates/blank.md":       "---\ntitle:\n---\n",
		"content/_partials/a.md":           "x\n",
		"content/late.draft.md":            "x\n",
		"content/.hidden.md":               "x\n",
		"content/diagram.png":              "png\n",
		"content/seed-postmortem.txt":      "Postmortem: checkout down\n",
		"content/templates-too/fine.md":    "---\ntitle: Ok too\ndate: 2024-01-03\nroot_causes: [dns]\n---\nBody.\n",
	})
	t.Chdir(site)
	code, out, errOut := runCmd(t, "check")
	want := "skipped, not postmortems: content/2024/readme.md (a README), content/README.md (a README), content/_partials/ (its name starts with _), " +
		"content/_template.md (its name starts with _), content/late.draft.md (ignore: *.draft.md), content/postmortem-template.md (a template), " +
		"content/seed-postmortem.txt (not Markdown: a postmortem is a .md or .markdown file), content/templates/ (a template)\n"
	if code != exitOK || !strings.Contains(out, want) || !strings.Contains(out, "checked 3 postmortems: 0 errors, 0 warnings") {
		t.Errorf("exit %d, out:\n%s\nstderr:\n%s\nwant the line:\n%s", code, out, errOut, want)
	}
}

// TestCheckLinks finds a reference to no postmortem, an error of the build,
// and in the same run an image no build could make, a review rule; each
// at its line and column. Once the reference is fixed, the image is still
// told, and nothing else.
func TestCheckLinks(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{
		"content/a.md":        "---\ntitle: A\ndate: 2024-01-02\nroot_causes: [dns]\n---\nSee [[b]], [[c]].\n\n![chart](chart.png) ![ok](ok/d.svg)\n",
		"content/b.md":        "---\ntitle: B\ndate: 2024-01-03\nroot_causes: [dns]\nstatus: draft\n---\nBack to [a](a.md).\n",
		"content/ok/index.md": "---\ntitle: OK\ndate: 2024-01-04\nroot_causes: [dns]\n---\n![d](d.svg)\n",
		"content/ok/d.svg":    "<svg/>",
	})
	t.Chdir(site)
	code, _, errOut := runCmd(t, "check")
	want := `content/a.md:6:12: error: [[c]]: no postmortem has the slug "c" (did you mean [[a]]?)` + "\n" +
		`content/a.md:8:1: error: image "chart.png": the site has no incidents/chart.png [missing-file]` + "\n"
	if code != exitContent || errOut != want {
		t.Errorf("exit %d, stderr\n%s\nwant 1 and\n%s", code, errOut, want)
	}
	write(t, site, map[string]string{"content/a.md": "---\ntitle: A\ndate: 2024-01-02\nroot_causes: [dns]\n---\nSee [[b]].\n\n![chart](chart.png) ![ok](ok/d.svg)\n"})
	code, _, errOut = runCmd(t, "check")
	want = `content/a.md:8:1: error: image "chart.png": the site has no incidents/chart.png [missing-file]` + "\n"
	if code != exitContent || errOut != want {
		t.Errorf("exit %d, stderr\n%s\nwant 1 and\n%s", code, errOut, want)
	}
}

// TestCheckRootedLinks: a link or image written from the root of the host
// is checked as a file of the site, named as written, and the page has it
// relative, so that it works under a path and from file://.
func TestCheckRootedLinks(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{
		"content/a.md":         "---\ntitle: A\ndate: 2024-01-02\nroot_causes: [dns]\n---\n![graph](/img/graph.png) ![gone](/img/gone.png) [p](/etc/passwd)\n",
		"static/img/graph.png": "png",
	})
	t.Chdir(site)
	code, _, errOut := runCmd(t, "check")
	want := `content/a.md:6:26: error: image "/img/gone.png": the site has no img/gone.png [missing-file]
content/a.md:6:49: error: link "/etc/passwd": the site has no etc/passwd [missing-file]
`
	if code != exitContent || errOut != want {
		t.Errorf("exit %d, stderr\n%s\nwant 1 and\n%s", code, errOut, want)
	}
	write(t, site, map[string]string{"content/a.md": "---\ntitle: A\ndate: 2024-01-02\nroot_causes: [dns]\n---\n![graph](/img/graph.png)\n"})
	if code, _, errOut := runCmd(t, "build"); code != exitOK {
		t.Fatalf("build: exit %d: %s", code, errOut)
	}
	page, err := os.ReadFile(filepath.Join(site, "public/incidents/a.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `src="../img/graph.png"`) {
		t.Errorf("the page does not link the image relative to itself:\n%s", page)
	}
}

// TestCheckPastAParseError wants the findings of every postmortem that
// parses reported beside those of one that does not, and no error for what
// only the failed one would have made: its slug, its page, its root cause.
// A postmortem with an error in a field is checked too, by the rules that
// do not read that field: its link to a missing file is told at once, not
// once the field is fixed, but not that the item whose owner is misspelt
// has none.
func TestCheckPastAParseError(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{
		"content/2024/toml-one.md": "+++\ntitle = \"Toml one\"\ndate = 2024-02-01\nseverity = \"SEV9\"\nroot_causes = [\"tls\"]\n+++\nBody.\n",
		"content/checkout.md": "---\ntitle: Checkout outage\ndate: 2024-03-02\nseverity: SEV1\nroot_causes: [dns]\n" +
			"action_items:\n  - title: Add an alert\n    status: open\n---\n" +
			"Like [[toml-one]] ([it](2024/toml-one.md), [its page](toml-one.html), [its cause](../root-causes/tls.html)).\n",
		"content/other.md": "---\ntitle: Other\ndate: 2024-01-15\nroot_causes: [dns]\n---\nSee [x](../nope/missing.html).\n\n![graph](graph.png)\n",
		// Its own files are known before the build: one it lacks is told.
		"content/bundle/index.md": "---\ntitle: Bundle\ndate: 2024-01-16\nroot_causes: [dns]\n---\n![ok](ok.png) ![no](no.png)\n",
		"content/bundle/ok.png":   "png",
		"content/typo.md": "---\ntitle: Typo\ndate: 2024-01-20\nseverity: SEV1\nroot_causes: [dns]\naction_items:\n  - title: Fix it\n    ownr: bob\n---\n" +
			"![chart](chart.png)\n",
		"content/unread.md": "---\ntitle: [unclosed\n---\nBody.\n",
	})
	t.Chdir(site)
	code, out, errOut := runCmd(t, "check")
	want := `content/2024/toml-one.md:4:12: error: severity: unknown level "SEV9" (want one of SEV1, SEV2, SEV3, SEV4, SEV5)
content/bundle/index.md:6:15: error: image "no.png": the site has no incidents/bundle/no.png [missing-file]
content/checkout.md:7: warning: action_items[1] "Add an alert" has no owner [action-owner]
content/checkout.md:7: warning: action_items[1] "Add an alert" of a SEV1 incident has no due date [action-due]
content/other.md:6:5: error: link "../nope/missing.html": the site has no nope/missing.html [missing-file]
content/other.md:8:1: error: image "graph.png": the site has no incidents/graph.png [missing-file]
content/typo.md:8:5: error: action_items[1]: unknown field "ownr"; did you mean "owner"?
content/typo.md:10:1: error: image "chart.png": the site has no incidents/chart.png [missing-file]
content/unread.md:2:8: error: front matter: invalid YAML: did not find expected ',' or ']': its bracket does not close on its line: close it, [a, b], or quote the value
`
	if code != exitContent || errOut != want || !strings.Contains(out, "checked 5 postmortems (1 more that did not parse): 7 errors, 2 warnings\nnot checked until these errors are fixed: the [[slug]] references, slugs shared") {
		t.Errorf("exit %d, stdout %q, stderr\n%s\nwant 1, checked 5 postmortems (1 more that did not parse): 7 errors, 2 warnings, and\n%s", code, out, errOut, want)
	}
	_, out, _ = runCmd(t, "check", "--format", "json")
	var items []struct{ File, Rule string }
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatalf("json output does not parse: %v\n%s", err, out)
	}
	if len(items) != 9 || items[0].File != "content/2024/toml-one.md" || items[7].Rule != "missing-file" {
		t.Errorf("json items: %+v, want the 9 above", items)
	}
}

// TestCheckPastATemplateError wants the postmortems reviewed when a
// template of the site's fails, to parse or to run, and the error told at
// the template's file and line.
func TestCheckPastATemplateError(t *testing.T) {
	for _, tmpl := range []string{"{{define \"main\"}}\n{{.Totals.Nope}}{{end}}\n", "{{define \"main\"}}\n{{.Nope}{{end}}\n"} {
		site := t.TempDir()
		write(t, site, map[string]string{
			"layouts/home.html": tmpl,
			"content/checkout.md": "---\ntitle: Checkout outage\ndate: 2024-03-02\nseverity: SEV1\nroot_causes: [dns]\n" +
				"action_items:\n  - title: Add an alert\n    status: open\n---\nBody.\n",
		})
		t.Chdir(site)
		code, out, errOut := runCmd(t, "check")
		if code != exitContent || !strings.Contains(errOut, "\nlayouts/home.html:2") || !strings.Contains(errOut, "[action-owner]") ||
			!strings.Contains(out, "checked 1 postmortem: 1 error, 2 warnings") {
			t.Errorf("%q: exit %d, stdout %q, stderr\n%s\nwant 1, the template's error and the review's warnings", tmpl, code, out, errOut)
		}
	}
}

func TestCheckTaxonomy(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{
		"postmortem.yaml": "aliases: {misconfig: configuration}\n",
		"content/a.md":    "---\ntitle: A\ndate: 2024-01-02\nroot_causes: [misconfig, dns]\n---\nBody.\n",
		"content/b.md":    "---\ntitle: B\ndate: 2024-01-03\nroot_causes: [configuration]\n---\nBody.\n",
		"content/c.md":    "---\ntitle: C\ndate: 2024-01-04\n---\nBody.\n",
	})
	code, out, _ := runCmd(t, "check", "--site", site, "--taxonomy")
	for _, want := range []string{
		"Root causes used once: 1\n  dns  content/a.md\n",
		"Aliases in use: 1\n  misconfig -> configuration  content/a.md\n",
		"Postmortems without a root cause: 1\n  content/c.md\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check --taxonomy lacks\n%s\nin\n%s", want, out)
		}
	}
	if code != exitOK {
		t.Errorf("exit %d with warnings only, want 0", code)
	}
	if _, out, _ := runCmd(t, "check", "--site", site); strings.Contains(out, "Aliases in use") {
		t.Error("check without --taxonomy prints the report")
	}
}

// TestCheckNothing: a site whose content/ holds no postmortem passes check
// with a warning that says so, and fails it with --strict: a CI job that
// checks nothing (postmortems saved as .txt) is not a green one.
func TestCheckNothing(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{"content/seed.txt": "Postmortem: checkout down\n"})
	t.Chdir(site)
	code, out, errOut := runCmd(t, "check")
	if code != exitOK || errOut != "content: warning: no postmortem to check: a postmortem is a .md or .markdown file under content/\n" || !strings.Contains(out, "checked 0 postmortems: 0 errors, 1 warning") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, _ := runCmd(t, "check", "--strict"); code != exitContent {
		t.Errorf("--strict: exit %d, want %d", code, exitContent)
	}
	if code, _, errOut := runCmd(t, "import", "content/seed.txt"); code == exitOK || !strings.Contains(errOut, "content/seed.txt: only .md and .markdown files are postmortems: rename it content/seed.md to import it") {
		t.Errorf("import of a .txt: exit %d, stderr %q", code, errOut)
	}
}
