package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImport runs import on a folder without front matter: --dry-run
// prints the diff and writes nothing, import writes the front matter with
// the file after it unchanged, a second run changes nothing, and the site
// then builds.
func TestImport(t *testing.T) {
	site := t.TempDir()
	files := map[string]string{
		"content/README.md":         "# How we write postmortems\n",
		"content/web-stack.md":      "# Web stack outage\n\nDuration: August 6, 2023, 08:00 AM - August 6, 2023, 11:30 AM (wat)\n",
		"content/2024-01-02-dns.md": "DNS failed.\n",
		"content/nodate.md":         "# No date\n",
	}
	write(t, site, files)
	read := func(p string) string {
		data, err := os.ReadFile(filepath.Join(site, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}

	code, out, _ := runCmd(t, "import", "--site", site, "--dry-run")
	if code != exitContent || !strings.Contains(out, "+++ b/content/web-stack.md\n@@ -1,3 +1,8 @@\n+---\n+title: Web stack outage\n+date: 2023-08-06\n+---\n+\n # Web stack outage\n") ||
		!strings.Contains(out, "would adopt (--dry-run: nothing written) 2 files; 0 files with front matter left alone; 1 could not be adopted:\n  content/nodate.md: date: required field is missing") {
		t.Errorf("--dry-run: exit %d, output:\n%s", code, out)
	}
	for p, data := range files {
		if read(p) != data {
			t.Errorf("--dry-run wrote %s", p)
		}
	}

	code, out, _ = runCmd(t, "import", "--site", site)
	if code != exitContent || !strings.HasPrefix(out, "adopted 2 files; 0 files with front matter left alone; 1 could not be adopted:\n") {
		t.Errorf("import: exit %d, output:\n%s", code, out)
	}
	for _, p := range []string{"content/web-stack.md", "content/2024-01-02-dns.md"} {
		if got := read(p); !strings.HasPrefix(got, "---\ntitle: ") || !strings.HasSuffix(got, "---\n\n"+files[p]) {
			t.Errorf("%s after import:\n%s", p, got)
		}
	}
	if read("content/README.md") != files["content/README.md"] || read("content/nodate.md") != files["content/nodate.md"] {
		t.Error("import changed a README or a file it could not adopt")
	}
	adopted := read("content/web-stack.md")

	os.Remove(filepath.Join(site, "content/nodate.md"))
	code, out, _ = runCmd(t, "import", "--site", site)
	if code != exitOK || out != "adopted 0 files; 2 files with front matter left alone; 0 could not be adopted\n" || read("content/web-stack.md") != adopted {
		t.Errorf("a second import: exit %d, output:\n%s", code, out)
	}
	if code, _, errOut := runCmd(t, "build", "--site", site); code != exitOK {
		t.Errorf("the imported site does not build:\n%s", errOut)
	}
	if code, _, _ := runCmd(t, "import", "--site", site, filepath.Join(site, "..")); code != exitUsage {
		t.Errorf("a path outside the site: exit %d, want %d", code, exitUsage)
	}
	// A path from the site's folder, run from elsewhere.
	write(t, site, map[string]string{"content/2024-02-03-disk.md": "# Disk full\n"})
	t.Chdir(t.TempDir())
	code, out, errOut := runCmd(t, "import", "--site", site, "--dry-run", "content/2024-02-03-disk.md")
	if code != exitOK || !strings.Contains(out, "+title: Disk full") || strings.Contains(out, "web-stack") {
		t.Errorf("a path from the site: exit %d, output:\n%s%s", code, out, errOut)
	}
}

// TestImportLeavesInternalFactsOut imports a postmortem whose facts and
// one action item are inside internal blocks: import warns of each at its
// line and writes none of them, and the public build after it shows none.
func TestImportLeavesInternalFactsOut(t *testing.T) {
	site := t.TempDir()
	write(t, site, map[string]string{"content/2024-03-02-billing.md": "# Public title\n::: internal\n- Root cause: acme-secret-cause\n- Services: acmecorp-billing\n**Written by:** @secretperson\n:::\nSome public text.\n\n## Action items\n::: internal\n- [ ] Call ACMESECRET about refund (owner: @ana, due 2024-04-01)\n:::\n- [ ] public item\n"})
	code, out, errOut := runCmd(t, "import", "--site", site)
	if code != exitOK || !strings.HasPrefix(out, "adopted 1 file;") || !strings.Contains(errOut, "content/2024-03-02-billing.md:3: warning: root_causes: read from inside an internal block") ||
		!strings.Contains(errOut, "content/2024-03-02-billing.md:11: warning: action_items: read from inside an internal block") {
		t.Errorf("import: exit %d, output:\n%s%s", code, out, errOut)
	}
	data, err := os.ReadFile(filepath.Join(site, "content/2024-03-02-billing.md"))
	if err != nil || strings.Contains(strings.ToLower(string(data[:bytes.Index(data, []byte("# Public"))])), "acme") {
		t.Errorf("front matter written: %s %v", data, err)
	}
	pub := filepath.Join(t.TempDir(), "pub")
	if code, _, errOut := runCmd(t, "build", "--site", site, "--profile", "public", "--out", pub); code != exitOK {
		t.Fatalf("the public build fails:\n%s", errOut)
	}
	filepath.WalkDir(pub, func(p string, d os.DirEntry, err error) error {
		if b, _ := os.ReadFile(p); err == nil && !d.IsDir() && (bytes.Contains(bytes.ToLower(b), []byte("acme")) || bytes.Contains(b, []byte("secretperson"))) {
			t.Errorf("the public build shows an internal fact in %s", p)
		}
		return nil
	})
}
