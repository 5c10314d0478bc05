package adopt

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/frontmatter"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/site"
)

func folder(t *testing.T) fstest.MapFS {
	t.Helper()
	a, err := txtar.ParseFile("testdata/folder.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return fsys
}

func plan(t *testing.T, fsys fstest.MapFS, only ...string) *Plan {
	t.Helper()
	cfg, diags := config.Load(fsys)
	if diags.Err() != nil {
		t.Fatal(diags)
	}
	p, err := Make(fsys, &cfg, only)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// apply returns fsys with the changes made.
func apply(fsys fstest.MapFS, changes []Change) fstest.MapFS {
	out := fstest.MapFS{}
	for k, v := range fsys {
		out[k] = v
	}
	for _, c := range changes {
		out[c.Path] = &fstest.MapFile{Data: c.New, Mode: 0o644}
	}
	return out
}

// TestPlan wants front matter for each file without it, and nothing else:
// not for README.md, _template.md or a file that has front matter; and
// each file that cannot be adopted named with what is missing.
func TestPlan(t *testing.T) {
	p := plan(t, folder(t))
	var paths []string
	for _, c := range p.Changes {
		paths = append(paths, c.Path)
	}
	want := "content/2019/bundle/index.md content/2021-05-04-queue.md content/PM2020-004 - CoreDNS upgrade issue.md content/facts.md content/seed-like.md"
	if got := strings.Join(paths, " "); got != want {
		t.Errorf("changes to %s, want %s", got, want)
	}
	if strings.Join(p.Kept, " ") != "content/has-front-matter.md" {
		t.Errorf("kept %v", p.Kept)
	}
	failed := p.Failed.Sort().Error()
	if !strings.Contains(failed, "content/no-date.md: date: required field is missing") || !strings.Contains(failed, `content/no-date.md:5: date: "20202-01-16" looks like a date but is not one`) {
		t.Errorf("failed:\n%s", failed)
	}
	for _, c := range p.Changes {
		// The body is the file as it was: every byte after the front matter.
		m, err := frontmatter.Read(c.New)
		if err != nil || m.Root == nil {
			t.Errorf("%s: no front matter written: %v", c.Path, err)
			continue
		}
		old := bytes.TrimPrefix(c.Old, bom)
		if !bytes.HasSuffix(c.New, old) || !bytes.Equal(bytes.TrimLeft(m.Body, "\r\n"), bytes.TrimLeft(old, "\r\n")) {
			t.Errorf("%s: the bytes after the front matter are not the file's:\n%q\nwant\n%q", c.Path, m.Body, old)
		}
		if bytes.HasPrefix(c.Old, bom) != bytes.HasPrefix(c.New, bom) {
			t.Errorf("%s: the byte order mark moved", c.Path)
		}
		if bytes.Contains(c.Old, []byte("\r\n")) && bytes.Count(c.New, []byte("\n")) != bytes.Count(c.New, []byte("\r\n")) {
			t.Errorf("%s: front matter with other line ends than the file's:\n%q", c.Path, c.New)
		}
	}
}

// TestImportedFolderBuildsTheSame builds the folder before and after the
// import: the same postmortems, and none of their fields inferred now.
func TestImportedFolderBuildsTheSame(t *testing.T) {
	before := folder(t)
	delete(before, "content/no-date.md") // fails the build, before and after
	p := plan(t, before)
	after := apply(before, p.Changes)
	b := site.New(before, site.Options{}).Build(context.Background(), nil)
	a := site.New(after, site.Options{}).Build(context.Background(), nil)
	if b.Diagnostics.Err() != nil || a.Diagnostics.Err() != nil {
		t.Fatalf("builds fail:\nbefore:\n%v\nafter:\n%v", b.Diagnostics, a.Diagnostics)
	}
	if len(a.Site.Postmortems) != len(b.Site.Postmortems) || len(a.Site.Postmortems) != 6 {
		t.Fatalf("%d postmortems after, %d before, want 6", len(a.Site.Postmortems), len(b.Site.Postmortems))
	}
	for i, pb := range b.Site.Postmortems {
		pa := a.Site.Postmortems[i]
		if got, want := summary(pa), summary(pb); got != want {
			t.Errorf("%s after import:\n%s\nbefore:\n%s", pa.Path, got, want)
		}
		if len(pa.Inferred) != 0 && pa.Path != "content/has-front-matter.md" {
			t.Errorf("%s: still inferred after import: %v", pa.Path, pa.Inferred)
		}
	}
	for _, d := range a.Diagnostics {
		if !slices.ContainsFunc(b.Diagnostics, func(e diag.Diagnostic) bool { return e.Msg == d.Msg }) && !strings.Contains(d.Msg, "none given") {
			t.Errorf("the import adds a warning: %v", d)
		}
	}
	if again := plan(t, after); len(again.Changes) != 0 {
		t.Errorf("a second import changes %d files", len(again.Changes))
	}
}

// summary is what a reader sees of a postmortem.
func summary(p *postmortem.Postmortem) string {
	var b strings.Builder
	b.WriteString(p.Slug + "|" + p.Title + "|" + p.Date.Format(time.DateOnly) + "|" + p.Location.String() + "|" + p.Started.String() + "|" + p.Resolved.String() + "|" + p.Summary + "|" + string(p.HTML()))
	b.WriteString("|" + p.Severity + "|" + strings.Join(p.RootCauses, ",") + "|" + strings.Join(p.Services, ",") + "|" + strings.Join(p.Authors, ","))
	for _, it := range p.ActionItems {
		b.WriteString("|" + it.Status + " " + it.Title + " " + it.Owner + " " + it.Due.String())
	}
	for _, e := range p.Timeline {
		b.WriteString("|" + e.Time.String() + " " + e.Text)
	}
	return b.String()
}

// TestOnlyPaths limits the import to the files and folders given, and
// refuses paths outside content/.
func TestOnlyPaths(t *testing.T) {
	p := plan(t, folder(t), "content/2019", "content/seed-like.md")
	if len(p.Changes) != 2 || p.Changes[0].Path != "content/2019/bundle/index.md" || p.Changes[1].Path != "content/seed-like.md" || len(p.Failed) != 0 {
		t.Errorf("changes %v, failed %v", p.Changes, p.Failed)
	}
	cfg := config.Default()
	for _, bad := range []string{"postmortem.yaml", "content/../x", "content/README.md", "content/missing.md"} {
		if _, err := Make(folder(t), &cfg, []string{bad}); err == nil {
			t.Errorf("Make(only %q) = nil error", bad)
		}
	}
}

// TestWrite writes the changes to disk, and leaves a file that changed
// since it was read alone.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "content", "a.md")
	os.MkdirAll(filepath.Dir(name), 0o755)
	os.WriteFile(name, []byte("# A\n"), 0o600)
	c := Change{Path: "content/a.md", Old: []byte("# A\n"), New: []byte("---\ntitle: A\n---\n\n# A\n")}
	if err := Write(dir, []Change{c}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(name)
	st, _ := os.Stat(name)
	if string(got) != string(c.New) || st.Mode().Perm() != 0o600 {
		t.Errorf("wrote %q with mode %v", got, st.Mode())
	}
	if err := Write(dir, []Change{c}); err == nil || !strings.Contains(err.Error(), "changed since it was read") {
		t.Errorf("a second write over a changed file: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(name))
	if len(entries) != 1 {
		t.Errorf("files left beside it: %v", entries)
	}
}

// TestDiff prints the change as a unified diff.
func TestDiff(t *testing.T) {
	var b strings.Builder
	Diff(&b, Change{Path: "content/a.md", Old: []byte("\ufeffone\r\ntwo\r\nthree\r\nfour\r\n"), New: []byte("\ufeff---\r\ntitle: A\r\n---\r\n\r\none\r\ntwo\r\nthree\r\nfour\r\n")})
	want := "--- a/content/a.md\n+++ b/content/a.md\n@@ -1,3 +1,7 @@\n+---\n+title: A\n+---\n+\n one\n two\n three\n"
	if b.String() != want {
		t.Errorf("diff:\n%s\nwant:\n%s", b.String(), want)
	}
}

// internalFacts gives facts, authors and an action item inside internal
// blocks only, which the public build does not show.
const internalFacts = "# Public title\n" +
	"::: internal\n" +
	"**Date:** 2024-03-02\n" +
	"- Root cause: acme-secret-cause\n" +
	"- Services: acmecorp-billing\n" +
	"**Written by:** @secretperson\n" +
	":::\n" +
	"Some public text.\n" +
	"\n" +
	"## Action items\n" +
	"::: internal\n" +
	"- [ ] Call ACMESECRET about refund (owner: @ana, due 2024-04-01)\n" +
	":::\n" +
	"- [ ] public item\n"

// TestInternalBlocksStayOut imports a file whose facts are inside internal
// blocks: the front matter written holds none of them, a warning names
// the line of each left out, and both profiles build the same as before.
func TestInternalBlocksStayOut(t *testing.T) {
	before := fstest.MapFS{"content/2024-03-02-billing.md": &fstest.MapFile{Data: []byte(internalFacts), Mode: 0o644}}
	p := plan(t, before)
	if len(p.Changes) != 1 {
		t.Fatalf("changes %v, failed %v", p.Changes, p.Failed)
	}
	fm, _, _ := strings.Cut(string(p.Changes[0].New), "# Public title")
	if strings.Contains(strings.ToLower(fm), "acme") || strings.Contains(fm, "secretperson") || !strings.Contains(fm, "title: Public title") {
		t.Errorf("front matter written:\n%s", fm)
	}
	var warned []string
	for _, d := range p.Warnings.Sort() {
		warned = append(warned, d.Error())
	}
	want := []string{
		"content/2024-03-02-billing.md:4: warning: root_causes: read from inside an internal block: left out of the front matter, which the public build shows (write it there if it may be public)",
		"content/2024-03-02-billing.md:5: warning: services: read from inside an internal block: left out of the front matter, which the public build shows (write it there if it may be public)",
		"content/2024-03-02-billing.md:6: warning: authors: read from inside an internal block: left out of the front matter, which the public build shows (write it there if it may be public)",
		"content/2024-03-02-billing.md:12: warning: action_items: read from inside an internal block: left out of the front matter, which the public build shows (write it there if it may be public)",
	}
	if !slices.Equal(warned, want) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warned, "\n"), strings.Join(want, "\n"))
	}
	after := apply(before, p.Changes)
	for _, public := range []bool{false, true} {
		b := site.New(before, site.Options{Public: public}).Build(context.Background(), nil)
		a := site.New(after, site.Options{Public: public}).Build(context.Background(), nil)
		if b.Site == nil || a.Site == nil || len(a.Site.Postmortems) != 1 || len(b.Site.Postmortems) != 1 {
			t.Fatalf("public %v: builds fail:\nbefore:\n%v\nafter:\n%v", public, b.Diagnostics, a.Diagnostics)
		}
		if got, want := summary(a.Site.Postmortems[0]), summary(b.Site.Postmortems[0]); got != want {
			t.Errorf("public %v: after import:\n%s\nbefore:\n%s", public, got, want)
		}
		for name, data := range a.Files {
			if public && (strings.Contains(strings.ToLower(string(data)), "acme") || strings.Contains(string(data), "secretperson")) {
				t.Errorf("the public build after import shows an internal fact in %s", name)
			}
		}
	}
}

// TestNothingPublicToWrite: a file whose every fact is inside an internal
// block gets no front matter of nothing, which would keep a next import
// away from it: it is told as not adopted, and the title's warning points
// at the heading it was read from.
func TestNothingPublicToWrite(t *testing.T) {
	src := "::: internal\n# Secret ACME title\n**Severity:** SEV1\n**Date:** 2023-05-04\n:::\n\n# Public title\n\nBody text.\n"
	p := plan(t, fstest.MapFS{"content/x.md": &fstest.MapFile{Data: []byte(src), Mode: 0o644}})
	if len(p.Changes) != 0 {
		t.Errorf("wrote %s", p.Changes[0].New)
	}
	if err := p.Failed.Err(); err == nil || !strings.Contains(err.Error(), "content/x.md:1: nothing to write: every field read is inside an internal block") {
		t.Errorf("not told as not adopted: %v", err)
	}
	titled := false
	for _, d := range p.Warnings {
		if strings.HasPrefix(d.Msg, "title:") {
			titled = true
			if d.Line != 2 {
				t.Errorf("the title's warning is at line %d, not at its heading (2)", d.Line)
			}
		}
	}
	if !titled {
		t.Errorf("no warning of the title: %v", p.Warnings)
	}
}
