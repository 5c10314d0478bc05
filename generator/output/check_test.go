package output

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeRows reads the table of where the output may go from README.md:
// the path of each row, with ~ for the home folder, and its outcome.
func readmeRows(t *testing.T) [][2]string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n### Where the output goes\n")
	if !ok {
		t.Fatal(`README.md has no section "### Where the output goes"`)
	}
	section, _, _ = strings.Cut(section, "\n#")
	row := regexp.MustCompile("(?m)^\\| `([^`]+)`[^|]*\\| ([^|]+) \\|$")
	var rows [][2]string
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		if m[2] == "outcome" { // the header
			continue
		}
		rows = append(rows, [2]string{m[1], m[2]})
	}
	if len(rows) < 20 {
		t.Fatalf("read %d rows of the table in README.md, want all of them: %q", len(rows), rows)
	}
	return rows
}

// fixture makes a home folder holding the site of the README's table, and
// sets HOME to it.
func fixture(t *testing.T) (home, site string) {
	t.Helper()
	home = filepath.Join(t.TempDir(), "home")
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	site = filepath.Join(home, "src", "site")
	for p, data := range map[string]string{
		"src/site/content/2024/a.md":          "---\ntitle: A\n---\n",
		"src/site/layouts/base.html":          "{{.}}",
		"src/site/themes/mine/layouts/a.html": "a",
		"src/site/assets/a.css":               "a",
		"src/site/postmortem.yaml":            "title: T\n",
		"src/site/.git/HEAD":                  "ref: refs/heads/main\n",
		"src/site/notes.txt":                  "notes",
		"src/site/old/report.pdf":             "pdf",
		"src/site/pages/.git/HEAD":            "ref: refs/heads/gh-pages\n",
		"src/site/pages/CNAME":                "incidents.example.com\n",
		"src/kim/.bashrc":                     "alias ll='ls -l'\n",
		"src/kim/.ssh/authorized_keys":        "ssh-ed25519 AAAA\n",
		"src/site/earlier/" + Marker:          markerText,
		"src/site/earlier/index.html":         "earlier",
		"src/site/earlier/.nojekyll":          "",
		"shared/static/logo.svg":              "<svg/>",
	} {
		write(t, filepath.Join(home, p), data)
	}
	for _, d := range []string{"src/site/empty"} {
		if err := os.MkdirAll(filepath.Join(home, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for link, to := range map[string]string{"src/site/static": "../../shared/static", "src/site/latest": "content"} {
		if err := os.Symlink(to, filepath.Join(home, link)); err != nil {
			t.Fatal(err)
		}
	}
	return home, site
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshot lists everything under dir, links not followed, with the
// content of files and the targets of links.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			got[p] = "folder"
		case d.Type()&fs.ModeSymlink != 0:
			to, err := os.Readlink(p)
			got[p] = "link to " + to
			return err
		default:
			data, err := os.ReadFile(p)
			got[p] = string(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestREADMEOutputTable checks the table of README.md row by row: each
// refused folder is refused with the reason the table gives, naming the
// folder, and nothing is touched; each built one is built.
func TestREADMEOutputTable(t *testing.T) {
	home, site := fixture(t)
	before := snapshot(t, filepath.Dir(home))
	site1 := map[string][]byte{"index.html": []byte("new home"), "incidents/a.html": []byte("A")}
	var built [][2]string // name and path
	for _, row := range readmeRows(t) {
		out, outcome := row[0], row[1]
		if rest, ok := strings.CutPrefix(out, "~"); ok {
			out = home + filepath.FromSlash(rest)
		}
		why, refused := strings.CutPrefix(outcome, "refused: ")
		if !refused {
			if !strings.HasPrefix(outcome, "built") {
				t.Errorf("row %q: outcome %q is neither refused nor built", row[0], outcome)
			}
			built = append(built, [2]string{row[0], out})
			continue
		}
		t.Run(row[0], func(t *testing.T) {
			err := Check(site, out)
			if err == nil {
				t.Fatalf("Check(%q) = nil, want a refusal: %s", out, why)
			}
			if !strings.HasPrefix(err.Error(), out+": ") || !strings.Contains(err.Error(), why) {
				t.Errorf("Check(%q) = %q, want %q: %s", out, err, out+": ...", why)
			}
		})
	}
	if after := snapshot(t, filepath.Dir(home)); !maps.Equal(before, after) {
		t.Fatalf("refusals changed the files:\nbefore %v\nafter  %v", before, after)
	}
	for _, b := range built {
		out := b[1]
		t.Run(b[0], func(t *testing.T) {
			if err := Check(site, out); err != nil {
				t.Fatalf("Check(%q) = %v, want nil", out, err)
			}
			var kept []string
			if entries, err := os.ReadDir(out); err == nil {
				for _, e := range entries {
					if e.Name() != Marker && (strings.HasPrefix(e.Name(), ".") || e.Name() == "CNAME") {
						kept = append(kept, filepath.Join(out, e.Name()))
					}
				}
			}
			keptBefore := map[string]string{}
			for _, k := range kept {
				maps.Copy(keptBefore, snapshot(t, k))
			}
			if err := Write(context.Background(), out, site1); err != nil {
				t.Fatal(err)
			}
			got := tree(t, out)
			for p, data := range site1 {
				if got[p] != string(data) {
					t.Errorf("%s: %q, want %q", p, got[p], data)
				}
			}
			if got["index.html"] == "earlier" {
				t.Error("the earlier output was not replaced")
			}
			keptAfter := map[string]string{}
			for _, k := range kept {
				maps.Copy(keptAfter, snapshot(t, k))
			}
			if !maps.Equal(keptBefore, keptAfter) {
				t.Errorf("kept entries: before %v, after %v", keptBefore, keptAfter)
			}
			if _, err := os.Stat(filepath.Join(out, Marker)); err != nil {
				t.Errorf("no marker in the output: %v", err)
			}
		})
	}
}

func TestCheckRefusesOtherConfigFiles(t *testing.T) {
	home, site := fixture(t)
	for _, name := range []string{"postmortem.yml", "postmortem.toml"} {
		write(t, filepath.Join(site, name), "")
		if err := Check(site, filepath.Join(site, name)); err == nil || !strings.Contains(err.Error(), "is the site's "+name) {
			t.Errorf("--out %s: %v", name, err)
		}
	}
	// A site that is reached through a symbolic link is the same site.
	link := filepath.Join(home, "site-link")
	if err := os.Symlink(site, link); err != nil {
		t.Fatal(err)
	}
	if err := Check(link, filepath.Join(site, "content")); err == nil || !strings.Contains(err.Error(), "is the site's content") {
		t.Errorf("content of a site reached through a link: %v", err)
	}
	// A dangling link is not followed into wherever it would lead.
	if err := os.Symlink(filepath.Join(home, "nowhere"), filepath.Join(site, "dangling")); err != nil {
		t.Fatal(err)
	}
	if err := Check(site, filepath.Join(site, "dangling", "public")); err == nil {
		t.Error("an output through a dangling symbolic link was accepted")
	}
}
